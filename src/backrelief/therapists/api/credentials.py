"""/api/v1/therapists: credentials (issue 5)."""

from __future__ import annotations

from ninja import Router

router = Router()
