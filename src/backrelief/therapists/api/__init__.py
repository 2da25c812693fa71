"""/api/v1/therapists (issue 5 item 5): one router per area, mounted in order.

Paths under `/me/...` (the caller's own profile) and fixed words (`/licences`, `/reviews`)
are mounted before the `/{therapist_id}` paths so a word is never read as an id.
"""

from __future__ import annotations

from backrelief.therapists.api import credentials, directory, profile, reviews

# The directory's router is the parent itself: its search is `GET /api/v1/therapists` (a child
# router mounted at "" would answer at `/therapists/` with a slash); its own paths come first.
router = directory.router
router.add_router("", credentials.router)
router.add_router("", reviews.router)
router.add_router("", profile.router)
