"""/api/v1/therapists: directory (issue 5)."""

from __future__ import annotations

from ninja import Router

router = Router()
