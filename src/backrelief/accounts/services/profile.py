"""Profile changes: display name, country, time zone, language (issue 2 §6 "Profile").

The profile page and `PATCH /api/v1/me` both call `profile_update` (STYLE.md rule 1).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from backrelief.accounts import preferences
from backrelief.accounts.models import User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Invalid


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    country: str | None = None,
    time_zone: str | None = None,
    locale: str | None = None,
) -> User:
    """Change the given profile fields; `None` leaves a field as it is.

    Rules (issue 2 §6; `accounts/preferences.py`): display name at most 80 printable
    characters (may be empty); country empty or an ISO 3166-1 alpha-2 code (lower case is
    accepted and stored upper case); time zone an IANA name; language one of
    settings.LANGUAGES. Any bad field raises `Invalid` with per-field messages and nothing is
    saved. Audited as `profile.changed` with the names of the changed fields only — never
    their values (issue 2 §8).
    """
    values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if display_name is not None:
        values["display_name"] = preferences.clean_display_name(display_name)
        errors["display_name"] = preferences.display_name_errors(values["display_name"])
    if country is not None:
        values["country"] = preferences.clean_country(country)
        errors["country"] = preferences.country_errors(values["country"])
    if time_zone is not None:
        values["time_zone"] = time_zone.strip()
        errors["time_zone"] = preferences.time_zone_errors(values["time_zone"])
    if locale is not None:
        values["locale"] = locale.strip()
        errors["locale"] = preferences.locale_errors(
            values["locale"], available=dict(settings.LANGUAGES)
        )
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    changed = sorted(name for name, value in values.items() if getattr(user, name) != value)
    if not changed:
        return user
    for name in changed:
        setattr(user, name, values[name])
    user.save(update_fields=changed)
    audit_record(
        action="profile.changed",
        actor=user,
        subject=user,
        object_type="profile",
        object_id=",".join(changed),
    )
    return user
