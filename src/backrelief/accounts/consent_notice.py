"""The consent notice, as reviewable data (issue 2 §7; STYLE rule 2 "rules as data").

Each purpose has a plain-language notice: what is processed, who sees it, and what withdrawal
does. `NOTICE_VERSION` is stored beside every consent given (`Consent.notice_version`), so we
can always tell which text a person agreed to. Changing any text below means bumping the
version in the same commit; a consent given under an older version stays valid, and the
consent page tells the person that the notice changed so they can review it.

Data only: no queries, no clock (the purposes themselves are `ConsentPurpose` choices).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backrelief.accounts.models import ConsentPurpose

# At most 16 characters (Consent.notice_version).
NOTICE_VERSION = "2026.1"


@dataclass(frozen=True)
class Notice:
    """The text shown before someone consents to one purpose."""

    purpose: str
    title: str | Promise
    summary: str | Promise
    points: tuple[str | Promise, ...]


_WITHDRAWAL = _(
    "You can withdraw at any time with one click on this page. It takes effect at once. "
    "You keep read access to everything already stored, and you are offered an export and "
    "deletion of your data."
)

NOTICES: dict[str, Notice] = {
    ConsentPurpose.HEALTH_DATA: Notice(
        purpose=ConsentPurpose.HEALTH_DATA,
        title=_("Processing my own health data"),
        summary=_(
            "BackRelief stores what you tell it about your pain, stress, sleep, mood and "
            "health conditions, your daily check-ins and your questionnaires. It uses them to "
            "screen for warning signs, to suggest a suitable massage and to show how you are "
            "doing over time."
        ),
        points=(
            _("You need this consent before you can enter any health data."),
            _(
                "Only you see this data. A therapist sees it only if you separately agree to "
                "share it with that therapist."
            ),
            _(
                "Staff cannot open your health data in the administration pages. Every time "
                "someone other than you reads or changes it, this is recorded, and you can "
                "see it on the page “Who accessed my data”."
            ),
            _(
                "If you withdraw, no new health entries are accepted and all sharing with "
                "therapists stops at once."
            ),
            _WITHDRAWAL,
            _("BackRelief supports wellness; it does not replace medical care."),
        ),
    ),
    ConsentPurpose.SHARE_INTAKE: Notice(
        purpose=ConsentPurpose.SHARE_INTAKE,
        title=_("Sharing my intake with a therapist"),
        summary=_(
            "The therapist you name can read your intake — where it hurts, your answers to "
            "the warning-sign questions and your preferences — so they can prepare for your "
            "session and adapt the massage."
        ),
        points=(
            _("Only the therapist you name, nobody else."),
            _("It needs your consent to processing your own health data first."),
            _("Every time the therapist opens your intake, it is recorded and shown to you."),
            _WITHDRAWAL,
        ),
    ),
    ConsentPurpose.SHARE_PROGRESS: Notice(
        purpose=ConsentPurpose.SHARE_PROGRESS,
        title=_("Sharing my progress with a therapist"),
        summary=_(
            "The therapist you name can see your check-ins and questionnaire results over "
            "time, so they can judge together with you whether the sessions help."
        ),
        points=(
            _("Only the therapist you name, nobody else."),
            _("It needs your consent to processing your own health data first."),
            _("Every time the therapist opens your progress, it is recorded and shown to you."),
            _WITHDRAWAL,
        ),
    ),
}


def notice_for(purpose: str) -> Notice:
    """The notice for a purpose; every `ConsentPurpose` has one (checked by a test)."""
    return NOTICES[purpose]
