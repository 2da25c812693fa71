"""HTML input for the consent page (issue 2 §7).

The page offers one purpose: processing one's own health data. Sharing consents name a
therapist and are given from the flows that need them (intake, progress), through the same
service; the page lists them and lets the person withdraw them.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.accounts.models import ConsentPurpose


class ConsentGiveForm(forms.Form):
    purpose = forms.ChoiceField(
        choices=[(ConsentPurpose.HEALTH_DATA.value, ConsentPurpose.HEALTH_DATA.label)],
        initial=ConsentPurpose.HEALTH_DATA.value,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose what you consent to."),
            "invalid_choice": _("This page can only record consent to processing your data."),
        },
    )
