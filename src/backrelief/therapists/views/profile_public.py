"""The public therapist profile and its photo (issue 5 items 1, 2 and 5).

Anyone may see a *listed* therapist (a verified, unexpired licence; `selectors.listed_q`);
the owner and staff also see an unlisted profile, with a banner saying why it is not public.
Everyone else gets a 404, as for an id that does not exist (`access.therapist_get_for_public`).

For a signed-in client whose latest assessment marks a technique AVOID, services of that
technique are not shown (issue 5 item 4: never offered), with one line saying why.
"""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backrelief.accounts.models import User
from backrelief.catalog.data.techniques import TECHNIQUES_BY_CODE
from backrelief.core.errors import NotFound
from backrelief.therapists.access import therapist_get_for_public
from backrelief.therapists.data.languages import language_name
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.photos import photo_path, photo_url
from backrelief.therapists.rating import rating_of
from backrelief.therapists.selectors_credentials import credentials_public
from backrelief.therapists.selectors_profile import (
    avoided_techniques,
    listing_problem,
    profile_language_codes,
    service_list_active,
)
from backrelief.therapists.selectors_reviews import review_list_public
from backrelief.therapists.views.profile import service_rows


def _viewer(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def _get(request: HttpRequest, public_id: uuid.UUID) -> TherapistProfile:
    try:
        return therapist_get_for_public(
            user=_viewer(request), public_id=public_id, now=timezone.now()
        )
    except NotFound:
        raise Http404 from None


@require_GET
def profile_public(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Name, photo, bio, languages, where sessions happen, accessibility, services with
    prices, experience per technique (verified or not), credentials and reviews."""
    profile = _get(request, public_id)
    viewer, now = _viewer(request), timezone.now()
    problem = listing_problem(profile=profile, now=now)
    avoided = set(avoided_techniques(user=viewer))
    services = list(service_list_active(profile=profile))
    shown = [s for s in services if s.technique not in avoided]
    hidden = sorted({s.technique for s in services if s.technique in avoided})
    context = {
        "profile": profile,
        "preview_problem": problem,
        "is_owner": viewer is not None and viewer.pk == profile.user_id,
        "photo_url": photo_url(profile),
        "languages": sorted(language_name(c) for c in profile_language_codes(profile=profile)),
        "services": service_rows(shown),
        "hidden_notes": [
            _("Hidden: %(name)s is not suitable for you according to your assessment.")
            % {"name": TECHNIQUES_BY_CODE[code].name.lower()}
            for code in hidden
        ],
        "credentials": credentials_public(therapist=profile, now=now),
        "reviews": review_list_public(therapist=profile, page=request.GET.get("review_page") or 1),
        "rating": rating_of(count=profile.review_count, total=profile.review_sum),
    }
    return render(request, "therapists/profile_public.html", context)


@require_GET
def photo(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    """The profile photo (a re-encoded JPEG) where the profile may be seen, else 404. Cached
    publicly for an hour only while the therapist is listed (the `?v=` in `photo_url` changes
    with every new photo)."""
    profile = _get(request, public_id)
    path = photo_path(profile.photo_name)
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    if listing_problem(profile=profile, now=timezone.now()) is None:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
