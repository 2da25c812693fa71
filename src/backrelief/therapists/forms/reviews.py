"""HTML input for reviews, replies, reports and moderation (issue 5 item 3).

Parsing only: lengths, the rating range and who may do what are checked by
`therapists/services/reviews.py`, whose errors the views place beside these fields.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backrelief.therapists.models import ReportReason

RATING_CHOICES = [
    (5, _("5 stars — excellent")),
    (4, _("4 stars — good")),
    (3, _("3 stars — all right")),
    (2, _("2 stars — poor")),
    (1, _("1 star — very poor")),
]
_RATING_ERROR = _("Choose a rating from 1 to 5 stars.")


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _RATING_ERROR, "invalid_choice": _RATING_ERROR},
    )
    text = forms.CharField(
        label=_("Your review"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
        help_text=_(
            "10 to 2,000 characters. Describe the session; leave out health details you would "
            "not want strangers to read."
        ),
    )
    show_name = forms.BooleanField(
        label=_("Show my name with this review"),
        required=False,
        help_text=_(
            "Unticked, the review appears under a pseudonym such as “Client 7F3A”. A review "
            "with your name tells everyone that you are this therapist's client."
        ),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your public reply"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text=_("Up to 1,000 characters, shown under the review. You can edit it later."),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should staff look at this review?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason from the list."),
            "invalid_choice": _("Choose a reason from the list."),
        },
    )
    note = forms.CharField(
        label=_("Anything staff should know (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text=_("Up to 500 characters."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 500}),
        help_text=_("Shown to the therapist. Required."),
    )
