"""HTML input for core pages, and the one mapping of domain errors to form errors.

STYLE rule 6: services raise the `DomainError` family; pages show them next to the field they
concern (or above the form), the API maps them to HTTP in `backrelief/api.py`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.core.audit import ACTIONS
from backrelief.core.errors import DomainError, Invalid

_UUID_ERROR = _("Enter a public id, e.g. 123e4567-e89b-12d3-a456-426614174000.")
_DATE_ERROR = _("Enter a date as YYYY-MM-DD.")


def form_add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a domain error on a form: field messages beside their fields, the rest on top."""
    placed = False
    if isinstance(exc, Invalid):
        for name, messages in exc.fields.items():
            if name in form.fields:
                for message in messages:
                    form.add_error(name, message)
                placed = True
    if not placed:
        form.add_error(None, exc.message)


class AuditSearchForm(forms.Form):
    """Filters for the staff audit search and its CSV export (issue 2 §8).

    Dates are whole days in UTC, like the times in the audit log; both ends are inclusive.
    The order of the two dates is checked by `core.selectors.audit_search`.
    """

    subject = forms.UUIDField(
        label=_("Subject (public id)"),
        required=False,
        help_text=_("Whose data or account the event concerns."),
        error_messages={"invalid": _UUID_ERROR},
    )
    actor = forms.UUIDField(
        label=_("Actor (public id)"),
        required=False,
        help_text=_("Who did it."),
        error_messages={"invalid": _UUID_ERROR},
    )
    date_from = forms.DateField(
        label=_("From (UTC day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _DATE_ERROR},
    )
    date_to = forms.DateField(
        label=_("To (UTC day, inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _DATE_ERROR},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *((a, a) for a in sorted(ACTIONS))],
        error_messages={"invalid_choice": _("Choose an action from the list.")},
    )
