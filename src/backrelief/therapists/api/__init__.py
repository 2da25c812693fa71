"""/api/v1/therapists (issue 5 item 5): one router per area, mounted in order.

Paths under `/me/...` (the caller's own profile) and fixed words (`/licences`, `/reviews`)
are mounted before the `/{therapist_id}` paths so a word is never read as an id.
"""

from __future__ import annotations

from ninja import Router

from backrelief.therapists.api import credentials, directory, profile, reviews

router = Router(tags=["therapists"])
router.add_router("", directory.router)
router.add_router("", credentials.router)
router.add_router("", reviews.router)
router.add_router("", profile.router)
