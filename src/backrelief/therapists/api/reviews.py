"""/api/v1/therapists: reviews (issue 5)."""

from __future__ import annotations

from ninja import Router

router = Router()
