"""/api/v1/therapists: the caller's own profile, photo, services and experience (`/me/...`),
and public profiles (issue 5 items 1 and 5).

Same access lookups and services as the pages (STYLE rule 1). `/me/...` is for therapist
accounts (403 `therapist_only` otherwise; 404 `no_profile` before `POST /me/profile`); its
paths are declared before `/{therapist_id}` so `me` is never read as an id. A public profile
answers 404 unless the therapist is listed (the owner and staff also see it unlisted).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Router, Status, UploadedFile

from backrelief.accounts.auth import api_auth_optional, api_optional_user, api_user
from backrelief.core.schemas import ErrorOut
from backrelief.therapists.access import own_profile, therapist_get_for_public
from backrelief.therapists.completeness import completeness
from backrelief.therapists.models import TherapistProfile
from backrelief.therapists.schemas_profile import (
    ExperienceIn,
    ExperienceItem,
    ProfileCreateIn,
    ProfileOut,
    ProfilePatch,
    PublicProfileOut,
    ServiceIn,
    ServiceOut,
    ServicePatch,
)
from backrelief.therapists.selectors_profile import (
    avoided_techniques,
    experience_list,
    listing_problem,
    profile_facts,
    profile_language_codes,
    service_list_active,
)
from backrelief.therapists.services.profile import (
    experience_set,
    profile_create,
    profile_photo_remove,
    profile_photo_set,
    profile_update,
    service_create,
    service_retire,
    service_update,
)

router = Router()

_READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
_WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _own_out(profile: TherapistProfile) -> ProfileOut:
    result = completeness(profile_facts(profile=profile))
    problem = listing_problem(profile=profile, now=timezone.now())
    fields = PublicProfileOut.fields_of(
        profile,
        languages=profile_language_codes(profile=profile),
        experience=experience_list(profile=profile),
    )
    return ProfileOut(
        **fields,
        listed=problem is None,
        listing_problem=problem,
        completeness_percent=result.percent,
        missing=[item.missing for item in result.missing],
        onboarding_completed_at=profile.onboarding_completed_at,
    )


@router.get(
    "/me/profile",
    response={200: ProfileOut, **_READ},
    summary="My therapist profile",
    description="With listing status and completeness. 404 `no_profile` before creating it.",
)
def get_my_profile(request: HttpRequest) -> ProfileOut:
    return _own_out(own_profile(user=api_user(request)))


@router.post(
    "/me/profile",
    response={201: ProfileOut, **_WRITE},
    summary="Create my therapist profile",
    description="Therapist accounts only, once (409 `profile_exists`).",
)
def create_my_profile(request: HttpRequest, payload: ProfileCreateIn) -> Status[ProfileOut]:
    profile = profile_create(user=api_user(request), now=timezone.now(), **payload.model_dump())
    return Status(201, _own_out(profile))


@router.patch(
    "/me/profile",
    response={200: ProfileOut, **_WRITE},
    summary="Change my therapist profile",
    description=(
        "Send only the fields to change. Errors answer 422 naming each field (e.g. "
        "`latitude`: coordinates out of range); nothing is saved then."
    ),
)
def update_my_profile(request: HttpRequest, payload: ProfilePatch) -> ProfileOut:
    profile = profile_update(
        user=api_user(request), now=timezone.now(), **payload.model_dump(exclude_unset=True)
    )
    return _own_out(profile)


@router.post(
    "/me/photo",
    response={200: ProfileOut, **_WRITE},
    summary="Upload my photo",
    description=(
        "Multipart field `photo`: JPEG, PNG or WebP (by content), at most 5 MB and 40 "
        "megapixels. Re-saved as a JPEG of at most 800 x 800 without EXIF/GPS metadata."
    ),
)
def upload_my_photo(request: HttpRequest, photo: File[UploadedFile]) -> ProfileOut:
    profile = profile_photo_set(
        user=api_user(request), upload=photo, size=photo.size, now=timezone.now()
    )
    return _own_out(profile)


@router.delete(
    "/me/photo",
    response={204: None, **_WRITE},
    summary="Remove my photo",
)
def delete_my_photo(request: HttpRequest) -> Status[None]:
    profile_photo_remove(user=api_user(request), now=timezone.now())
    return Status(204, None)


@router.get(
    "/me/services",
    response={200: list[ServiceOut], **_READ},
    summary="My services",
    description="The services offered now (retired ones are not listed).",
)
def list_my_services(request: HttpRequest) -> list[ServiceOut]:
    profile = own_profile(user=api_user(request))
    return [ServiceOut.from_row(s) for s in service_list_active(profile=profile)]


@router.post(
    "/me/services",
    response={201: ServiceOut, **_WRITE},
    summary="Add a service",
    description=(
        "422 names the field: unknown `technique`, `duration_min` outside 15-240, negative "
        "or malformed `price`, unknown `currency`. The same technique and duration twice is "
        "409 `service_duplicate`."
    ),
)
def create_my_service(request: HttpRequest, payload: ServiceIn) -> Status[ServiceOut]:
    service = service_create(user=api_user(request), now=timezone.now(), **payload.model_dump())
    return Status(201, ServiceOut.from_row(service))


@router.patch(
    "/me/services/{service_id}",
    response={200: ServiceOut, **_WRITE},
    summary="Change a service",
    description="Duration, price or currency; a retired service is 409 `service_retired`.",
)
def update_my_service(
    request: HttpRequest, service_id: uuid.UUID, payload: ServicePatch
) -> ServiceOut:
    service = service_update(
        user=api_user(request),
        service_public_id=service_id,
        now=timezone.now(),
        **payload.model_dump(exclude_unset=True),
    )
    return ServiceOut.from_row(service)


@router.delete(
    "/me/services/{service_id}",
    response={204: None, **_WRITE},
    summary="Retire a service",
    description="Kept for past bookings, no longer offered. Idempotent.",
)
def retire_my_service(request: HttpRequest, service_id: uuid.UUID) -> Status[None]:
    service_retire(user=api_user(request), service_public_id=service_id, now=timezone.now())
    return Status(204, None)


@router.put(
    "/me/experience",
    response={200: list[ExperienceItem], **_WRITE},
    summary="Set my years of experience",
    description="Replaces all: technique code → 0-60 years; errors name `years.<technique>`.",
)
def set_my_experience(request: HttpRequest, payload: ExperienceIn) -> list[ExperienceItem]:
    user = api_user(request)
    experience_set(user=user, years=payload.years, now=timezone.now())
    return [ExperienceItem.from_row(e) for e in experience_list(profile=own_profile(user=user))]


@router.get(
    "/{uuid:therapist_id}",
    response={200: PublicProfileOut, 404: ErrorOut},
    auth=api_auth_optional,
    summary="A therapist's public profile",
    description="404 unless listed (a verified, unexpired licence); owner and staff see it.",
)
def get_therapist(request: HttpRequest, therapist_id: uuid.UUID) -> PublicProfileOut:
    profile = therapist_get_for_public(
        user=api_optional_user(request), public_id=therapist_id, now=timezone.now()
    )
    return PublicProfileOut(
        **PublicProfileOut.fields_of(
            profile,
            languages=profile_language_codes(profile=profile),
            experience=experience_list(profile=profile),
        )
    )


@router.get(
    "/{uuid:therapist_id}/services",
    response={200: list[ServiceOut], 404: ErrorOut},
    auth=api_auth_optional,
    summary="A therapist's services",
    description=(
        "Active services of a listed therapist. For a signed-in client, techniques their "
        "latest assessment marks AVOID are left out (never offered)."
    ),
)
def list_therapist_services(request: HttpRequest, therapist_id: uuid.UUID) -> list[ServiceOut]:
    viewer = api_optional_user(request)
    profile = therapist_get_for_public(user=viewer, public_id=therapist_id, now=timezone.now())
    avoided = set(avoided_techniques(user=viewer))
    return [
        ServiceOut.from_row(s)
        for s in service_list_active(profile=profile)
        if s.technique not in avoided
    ]
