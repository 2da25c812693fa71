"""The therapist's own profile, photo, services and experience (issue 5 item 1).

Every function here touches the caller's own profile only (`access.own_profile`: therapist
role, else PermissionDenied; no profile yet, NotFound). The onboarding pages, the profile
pages and `/api/v1/therapists/me/...` all call these (STYLE rule 1). Value rules live in the
pure `profile_rules.py`; any bad field raises `Invalid` naming every bad field, and nothing is
stored. Changes are audited with the names of the changed fields, never their values.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import IO, Any, Final

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backrelief.accounts.models import User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Conflict, Invalid
from backrelief.scheduling.free_time import free_time_invalidate
from backrelief.therapists import photos
from backrelief.therapists import profile_rules as rules
from backrelief.therapists.access import own_profile, own_profile_or_none, require_therapist
from backrelief.therapists.completeness import completeness
from backrelief.therapists.models import (
    Currency,
    Gender,
    Service,
    TechniqueExperience,
    TherapistLanguage,
    TherapistProfile,
)
from backrelief.therapists.selectors_profile import profile_facts, service_get_own


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final[Any] = _Unset()  # "leave this field as it is" (None may mean "clear")

_CORRECT = "Please correct the marked fields."
_GENDERS = [value for value, _label in Gender.choices]
_CURRENCIES = [value for value, _label in Currency.choices]


def _raise_if(errors: Mapping[str, list[str]]) -> None:
    found = {name: messages for name, messages in errors.items() if messages}
    if found:
        raise Invalid(_(_CORRECT), fields=found)


def _full_clean(row: Any, *, exclude: list[str]) -> None:
    """Model validation as the last check before saving; a failure is an Invalid (the rules
    above should have caught it first)."""
    try:
        row.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        raise Invalid(
            _(_CORRECT), fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        ) from None


def _audit(user: User, action: str, object_id: str, now: dt.datetime) -> None:
    audit_record(
        action=action,
        actor=user,
        subject=user,
        object_type="therapist_profile",
        object_id=object_id,
        at=now,
    )


def _set_languages(profile: TherapistProfile, codes: Iterable[str]) -> None:
    wanted = set(codes)
    current = set(profile.languages.values_list("code", flat=True))
    profile.languages.filter(code__in=current - wanted).delete()
    TherapistLanguage.objects.bulk_create(
        TherapistLanguage(therapist=profile, code=code) for code in sorted(wanted - current)
    )


@transaction.atomic
def profile_create(
    *,
    user: User,
    display_name: str,
    languages: Iterable[str],
    bio: str = "",
    gender: str = "",
    now: dt.datetime,
) -> TherapistProfile:
    """Create the therapist's profile: the onboarding "About you" step (issue 5 item 1).

    Therapist accounts only (PermissionDenied otherwise), one profile per account (Conflict
    `profile_exists`). Display name 1-80 characters, bio at most 2000, gender one of the
    choices or not stated, at least one offered language. The time zone starts as the
    account's. In-clinic by default, no location yet. Audited `therapist.profile_created`.
    """
    require_therapist(user=user)
    if own_profile_or_none(user=user) is not None:
        raise Conflict(
            _("You already have a therapist profile. Edit it from your dashboard."),
            code="profile_exists",
        )
    name, bio = rules.clean_text(display_name), bio.strip()
    codes = sorted(set(languages))
    _raise_if(
        {
            "display_name": rules.display_name_errors(name),
            "bio": rules.text_errors(bio, limit=rules.BIO_MAX, multiline=True),
            "gender": rules.gender_errors(gender, allowed=_GENDERS),
            "languages": rules.languages_errors(codes),
        }
    )
    zone = user.time_zone if rules.is_time_zone(user.time_zone or "") else "UTC"
    try:
        with transaction.atomic():
            profile = TherapistProfile.objects.create(
                user=user,
                display_name=name,
                bio=bio,
                gender=gender,
                time_zone=zone,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:  # a concurrent create won the one-per-user constraint
        raise Conflict(
            _("You already have a therapist profile. Edit it from your dashboard."),
            code="profile_exists",
        ) from None
    _set_languages(profile, codes)
    audit_record(
        action="therapist.profile_created",
        actor=user,
        subject=user,
        object_type="therapist_profile",
        object_id=str(profile.public_id),
        at=now,
    )
    return profile


_PROFILE_FIELDS = (
    "display_name",
    "bio",
    "gender",
    "address",
    "latitude",
    "longitude",
    "in_clinic",
    "mobile",
    "travel_radius_km",
    "time_zone",
    "step_free_access",
    "accessible_toilet",
    "accessibility_notes",
)


@transaction.atomic
def profile_update(
    *,
    user: User,
    now: dt.datetime,
    display_name: str = UNSET,
    bio: str = UNSET,
    gender: str = UNSET,
    languages: Iterable[str] = UNSET,
    address: str = UNSET,
    latitude: float | None = UNSET,
    longitude: float | None = UNSET,
    in_clinic: bool = UNSET,
    mobile: bool = UNSET,
    travel_radius_km: int | None = UNSET,
    time_zone: str = UNSET,
    step_free_access: bool = UNSET,
    accessible_toilet: bool = UNSET,
    accessibility_notes: str = UNSET,
) -> TherapistProfile:
    """Change the given fields of the caller's profile; UNSET leaves a field as it is.

    Rules (issue 5 item 1, `profile_rules.py`), checked on the profile as it would be after
    the change: display name 1-80, bio at most 2000, gender from the choices, at least one
    language from `data/languages.py`, address at most 200, latitude -90..90 and longitude
    -180..180 given together or both cleared, in-clinic and/or mobile, a travel radius of
    1-200 km when mobile (cleared when not), an IANA time zone, accessibility notes at most
    300. Any bad field: Invalid with every bad field, nothing saved. Audited
    `therapist.profile_changed` with the changed field names.
    """
    profile = own_profile(user=user)
    given = {
        name: value
        for name, value in {
            "display_name": display_name,
            "bio": bio,
            "gender": gender,
            "address": address,
            "latitude": latitude,
            "longitude": longitude,
            "in_clinic": in_clinic,
            "mobile": mobile,
            "travel_radius_km": travel_radius_km,
            "time_zone": time_zone,
            "step_free_access": step_free_access,
            "accessible_toilet": accessible_toilet,
            "accessibility_notes": accessibility_notes,
        }.items()
        if value is not UNSET
    }
    for name in ("display_name", "address", "accessibility_notes", "time_zone"):
        if name in given:
            given[name] = rules.clean_text(str(given[name]))
    if "bio" in given:
        given["bio"] = str(given["bio"]).strip()
    after = {name: given.get(name, getattr(profile, name)) for name in _PROFILE_FIELDS}
    if not after["mobile"]:
        after["travel_radius_km"] = None
    codes = None if languages is UNSET else sorted(set(languages))
    errors: dict[str, list[str]] = {
        "display_name": rules.display_name_errors(after["display_name"]),
        "bio": rules.text_errors(after["bio"], limit=rules.BIO_MAX, multiline=True),
        "gender": rules.gender_errors(after["gender"], allowed=_GENDERS),
        "languages": [] if codes is None else rules.languages_errors(codes),
        "address": rules.text_errors(after["address"], limit=rules.ADDRESS_MAX),
        "in_clinic": rules.mode_errors(in_clinic=after["in_clinic"], mobile=after["mobile"]),
        "travel_radius_km": rules.radius_errors(
            mobile=after["mobile"], radius_km=after["travel_radius_km"]
        ),
        "time_zone": rules.time_zone_errors(after["time_zone"]),
        "accessibility_notes": rules.text_errors(
            after["accessibility_notes"], limit=rules.ACCESSIBILITY_NOTES_MAX
        ),
        **rules.coordinates_errors(after["latitude"], after["longitude"]),
    }
    _raise_if(errors)
    changed = [name for name in _PROFILE_FIELDS if getattr(profile, name) != after[name]]
    for name in changed:
        setattr(profile, name, after[name])
    if codes is not None and codes != sorted(profile.languages.values_list("code", flat=True)):
        _set_languages(profile, codes)
        changed.append("languages")
    if not changed:
        return profile
    profile.updated_at = now
    _full_clean(profile, exclude=["user"])
    profile.save()
    free_time_invalidate(therapist_id=profile.pk)  # the zone may have changed (issue 6)
    _audit(user, "therapist.profile_changed", ",".join(sorted(changed)), now)
    return profile


@transaction.atomic
def profile_photo_set(
    *, user: User, upload: IO[bytes], size: int | None = None, now: dt.datetime
) -> TherapistProfile:
    """Replace the caller's photo with `upload`, re-encoded without metadata (`photos.py`:
    JPEG/PNG/WebP by content, at most 5 MB and 40 megapixels; Invalid on "photo" otherwise,
    nothing stored). The old file is deleted after the transaction commits; the new file is
    removed again if it does not."""
    profile = own_profile(user=user)
    data = photos.photo_reencode(upload, size=size)
    old, new = profile.photo_name, photos.photo_write(data)
    transaction.on_commit(lambda: photos.photo_delete(old) if old else None)
    try:
        profile.photo_name = new
        profile.updated_at = now
        profile.save(update_fields=["photo_name", "updated_at"])
        _audit(user, "therapist.profile_changed", "photo", now)
    except BaseException:
        photos.photo_delete(new)
        raise
    return profile


@transaction.atomic
def profile_photo_remove(*, user: User, now: dt.datetime) -> TherapistProfile:
    """Remove the caller's photo; the file goes after commit. No photo: nothing happens."""
    profile = own_profile(user=user)
    old = profile.photo_name
    if not old:
        return profile
    profile.photo_name = ""
    profile.updated_at = now
    profile.save(update_fields=["photo_name", "updated_at"])
    _audit(user, "therapist.profile_changed", "photo", now)
    transaction.on_commit(lambda: photos.photo_delete(old))
    return profile


def _duplicate(profile: TherapistProfile, technique: str, duration: int, exclude: int | None):
    rows = profile.services.filter(active=True, technique=technique, duration_min=duration)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.exists()


def _duplicate_conflict() -> Conflict:
    return Conflict(
        _(
            "You already offer this technique for this duration. Edit that service, or choose "
            "another duration."
        ),
        code="service_duplicate",
    )


@transaction.atomic
def service_create(
    *,
    user: User,
    technique: str,
    duration_min: int,
    price: str | Decimal | int,
    currency: str,
    now: dt.datetime,
) -> Service:
    """Offer a service on the caller's profile (issue 5 item 1).

    The technique must be a catalogue code (Invalid on "technique"), 15-240 minutes, a price
    of 0-10,000 with at most two decimals (negative: Invalid on "price"), stored in minor units
    so no float touches money, in one of the offered currencies. Offering the same technique
    for the same duration twice is Conflict `service_duplicate`. Nothing is stored on error.
    """
    profile = own_profile(user=user)
    minor, price_errors = rules.price_to_minor(price)
    _raise_if(
        {
            "technique": rules.technique_errors(technique),
            "duration_min": rules.duration_errors(duration_min),
            "price": price_errors,
            "currency": rules.currency_errors(currency, allowed=_CURRENCIES),
        }
    )
    assert minor is not None
    if _duplicate(profile, technique, duration_min, exclude=None):
        raise _duplicate_conflict()
    service = Service(
        therapist=profile,
        technique=technique,
        duration_min=duration_min,
        price_minor=minor,
        currency=currency,
        created_at=now,
        updated_at=now,
    )
    _full_clean(service, exclude=["therapist"])
    try:
        with transaction.atomic():
            service.save()
            free_time_invalidate(therapist_id=service.therapist_id)
    except IntegrityError:  # a concurrent request added the same service
        raise _duplicate_conflict() from None
    _audit(user, "therapist.service_changed", str(service.public_id), now)
    return service


@transaction.atomic
def service_update(
    *,
    user: User,
    service_public_id: uuid.UUID | str,
    now: dt.datetime,
    duration_min: int = UNSET,
    price: str | Decimal | int = UNSET,
    currency: str = UNSET,
) -> Service:
    """Change the duration, price or currency of one of the caller's active services (same
    rules as `service_create`). A foreign id is NotFound; a retired service is Conflict
    `service_retired`. The technique is not changed: retire the service and add another, so
    past bookings keep what was booked."""
    profile = own_profile(user=user)
    service = service_get_own(profile=profile, public_id=service_public_id)
    if not service.active:
        raise Conflict(
            _("This service is retired. Add a new service instead."), code="service_retired"
        )
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if duration_min is not UNSET:
        errors["duration_min"] = rules.duration_errors(duration_min)
        values["duration_min"] = duration_min
    if price is not UNSET:
        minor, errors["price"] = rules.price_to_minor(price)
        values["price_minor"] = minor
    if currency is not UNSET:
        errors["currency"] = rules.currency_errors(currency, allowed=_CURRENCIES)
        values["currency"] = currency
    _raise_if(errors)
    changed = [name for name, value in values.items() if getattr(service, name) != value]
    if not changed:
        return service
    if "duration_min" in changed and _duplicate(
        profile, service.technique, values["duration_min"], exclude=service.pk
    ):
        raise _duplicate_conflict()
    for name in changed:
        setattr(service, name, values[name])
    service.updated_at = now
    try:
        with transaction.atomic():
            service.save(update_fields=[*changed, "updated_at"])
            free_time_invalidate(therapist_id=service.therapist_id)
    except IntegrityError:
        raise _duplicate_conflict() from None
    _audit(user, "therapist.service_changed", str(service.public_id), now)
    return service


@transaction.atomic
def service_retire(*, user: User, service_public_id: uuid.UUID | str, now: dt.datetime) -> Service:
    """Stop offering one of the caller's services. It is kept (bookings point at it), never
    deleted; retiring a retired service changes nothing. A foreign id is NotFound."""
    profile = own_profile(user=user)
    service = service_get_own(profile=profile, public_id=service_public_id)
    if not service.active:
        return service
    service.active = False
    service.updated_at = now
    service.save(update_fields=["active", "updated_at"])
    free_time_invalidate(therapist_id=service.therapist_id)
    _audit(user, "therapist.service_changed", str(service.public_id), now)
    return service


@transaction.atomic
def experience_set(*, user: User, years: Mapping[str, int], now: dt.datetime) -> dict[str, int]:
    """Replace the caller's stated years of experience: technique code → 0-60 years
    (issue 5 item 2). Techniques left out are removed. An unknown technique or years out of
    range is Invalid naming the technique; nothing is stored. Shown as *verified* only while
    a verified certification for the technique exists (`selectors_profile.experience_list`)."""
    profile = own_profile(user=user)
    errors = {f"years.{code}": rules.years_errors(code, value) for code, value in years.items()}
    _raise_if(errors)
    wanted = dict(years)
    current = dict(
        TechniqueExperience.objects.filter(therapist=profile).values_list("technique", "years")
    )
    if wanted == current:
        return wanted
    TechniqueExperience.objects.filter(therapist=profile).exclude(
        technique__in=list(wanted)
    ).delete()
    for code, value in wanted.items():
        TechniqueExperience.objects.update_or_create(
            therapist=profile, technique=code, defaults={"years": value}
        )
    _audit(user, "therapist.profile_changed", "experience", now)
    return wanted


@transaction.atomic
def onboarding_complete(*, user: User, now: dt.datetime) -> TherapistProfile:
    """Mark onboarding complete once the required steps (about, practice, services;
    `completeness.REQUIRED_STEPS`) are done; Invalid `onboarding_incomplete` saying what is
    missing otherwise. Completing twice keeps the first time."""
    profile = own_profile(user=user)
    result = completeness(profile_facts(profile=profile))
    if not result.required_done:
        missing = [item.missing for item in result.missing if item.required]
        raise Invalid(
            _("Some required steps are not done yet: %(what)s") % {"what": " ".join(missing)},
            code="onboarding_incomplete",
        )
    if profile.onboarding_completed_at is None:
        profile.onboarding_completed_at = now
        profile.updated_at = now
        profile.save(update_fields=["onboarding_completed_at", "updated_at"])
        _audit(user, "therapist.profile_changed", "onboarding_completed_at", now)
    return profile
