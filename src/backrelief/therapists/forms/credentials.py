"""HTML input for credentials (issue 5 item 2): parse only. The rules (dates, evidence type and
size, duplicates, hours range) live in `therapists/credentials.py` and the services, whose
errors the views place beside these fields (`core.forms.form_add_domain_error`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.accounts.countries import COUNTRIES
from backrelief.catalog.data.techniques import TECHNIQUES
from backrelief.therapists.credentials import EVIDENCE_TYPES_LABEL
from backrelief.therapists.models import Certification, Licence

_DATE_ERROR = _("Enter a date as YYYY-MM-DD.")
_EVIDENCE_ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _DATE_ERROR, "required": _("Enter the date.")},
    )


def _evidence_field(*, required: bool, help_text: Any) -> forms.FileField:
    return forms.FileField(
        label=_("Evidence"),
        required=required,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": _EVIDENCE_ACCEPT}),
        error_messages={"required": _("Choose the file with the scan or photo.")},
    )


class LicenceForm(forms.Form):
    """A licence to practise. On the edit page the evidence file is optional (kept if empty)."""

    country = forms.ChoiceField(
        label=_("Country"),
        choices=[("", _("Choose the country")), *sorted(COUNTRIES.items(), key=lambda c: c[1])],
        error_messages={
            "required": _("Choose the country that issued the licence."),
            "invalid_choice": _("Choose the country that issued the licence from the list."),
        },
    )
    region = forms.CharField(
        label=_("State or region"),
        required=False,
        max_length=100,
        help_text=_("Only where licences are issued per state or province."),
    )
    registry = forms.CharField(
        label=_("Registry or board"),
        max_length=150,
        help_text=_("The authority that issued the licence and keeps the register."),
    )
    number = forms.CharField(label=_("Licence number"), max_length=64)
    issued_on = _date_field(_("Issued on"))
    expires_on = _date_field(
        _("Expires on"), _("You appear in the directory up to and including this day.")
    )

    def __init__(self, *args: Any, evidence_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        help_text = _("%(types)s, at most 10 MB. Only you and BackRelief staff can open it.") % {
            "types": EVIDENCE_TYPES_LABEL
        }
        if not evidence_required:
            help_text = _("Leave empty to keep the current file. ") + help_text
        self.fields["evidence"] = _evidence_field(required=evidence_required, help_text=help_text)

    @staticmethod
    def initial_from(licence: Licence) -> dict[str, Any]:
        return {
            name: getattr(licence, name)
            for name in ("country", "region", "registry", "number", "issued_on", "expires_on")
        }


class CertificationForm(forms.Form):
    """Training in one technique; the evidence file is optional."""

    technique = forms.ChoiceField(
        label=_("Technique"),
        choices=[("", _("Choose a technique")), *((t.code, t.name) for t in TECHNIQUES)],
        error_messages={
            "required": _("Choose the technique of the training."),
            "invalid_choice": _("Choose a technique from the list."),
        },
    )
    provider = forms.CharField(
        label=_("Training provider"), max_length=150, help_text=_("School, college or course.")
    )
    hours = forms.IntegerField(
        label=_("Hours of training"),
        help_text=_("A whole number from 1 to 10,000."),
        error_messages={"invalid": _("Enter the hours as a whole number.")},
    )
    completed_on = _date_field(_("Completed on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"] = _evidence_field(
            required=False,
            help_text=_("Optional: the certificate as %(types)s, at most 10 MB.")
            % {"types": EVIDENCE_TYPES_LABEL},
        )

    @staticmethod
    def initial_from(row: Certification) -> dict[str, Any]:
        return {
            name: getattr(row, name) for name in ("technique", "provider", "hours", "completed_on")
        }


class DecisionForm(forms.Form):
    """A staff decision: verify, or reject with a reason (checked by the service)."""

    decision = forms.ChoiceField(
        choices=[("verify", _("Verify")), ("reject", _("Reject"))],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Use the Verify or the Reject button.")},
    )
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The therapist sees this. Say what to fix, e.g. “number not in the register”."),
    )
