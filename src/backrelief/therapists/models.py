"""Therapist profiles, services, credentials and reviews (issue 5).

Listing rule (issue 5 item 2): a therapist appears in search and has a public profile only while
they hold a *verified* licence whose expiry date is not past. That is decided at query time by
`therapists.selectors.listed_q` — there is deliberately no stored "listed" flag that a missed
job could leave stale.

Rating figures `review_count` / `review_sum` are kept on the profile by the review services (in
the same transaction as the review change) so the directory can rank 10,000 therapists without
aggregating reviews per query; `therapists/rating.py` turns them into the Bayesian average.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from backrelief.accounts.models import User
from backrelief.catalog.data.techniques import TECHNIQUE_CODES

TECHNIQUE_CHOICES = [(code, code) for code in TECHNIQUE_CODES]


class Gender(models.TextChoices):
    """Stated only if the therapist chooses to (issue 5 item 4); "" means not stated."""

    NOT_STATED = "", "Not stated"
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"


class TherapistProfile(models.Model):
    """One per therapist account; created by the onboarding wizard's first step."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="therapist_profile")
    display_name = models.CharField(max_length=80)
    bio = models.TextField(max_length=2000, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True, default="")
    # Photo: re-encoded JPEG without metadata, stored under MEDIA_ROOT by `photos.py`; the
    # name is "<random uuid>.jpg" so an old URL stops working when the photo changes.
    photo_name = models.CharField(max_length=64, blank=True)
    # Practice: address text plus coordinates (WGS84 degrees).
    address = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    in_clinic = models.BooleanField(default=True)
    mobile = models.BooleanField(default=False)
    travel_radius_km = models.PositiveIntegerField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    # Accessibility of the premises (in-clinic only).
    step_free_access = models.BooleanField(default=False)
    accessible_toilet = models.BooleanField(default=False)
    accessibility_notes = models.CharField(max_length=300, blank=True)
    # Denormalised from visible reviews by the review services (see module docstring).
    review_count = models.PositiveIntegerField(default=0)
    review_sum = models.PositiveIntegerField(default=0)
    onboarding_completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="therapist_lat_lon"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="therapist_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=Q(in_clinic=True) | Q(mobile=True), name="therapist_some_mode"
            ),
            models.CheckConstraint(
                condition=Q(mobile=False) | Q(travel_radius_km__gte=1, travel_radius_km__lte=200),
                name="therapist_mobile_has_radius",
            ),
            models.CheckConstraint(
                condition=Q(gender__in=[v for v, _ in Gender.choices]),
                name="therapist_gender_known",
            ),
            models.CheckConstraint(
                condition=Q(review_sum__gte=models.F("review_count"))
                & Q(review_sum__lte=models.F("review_count") * 5),
                name="therapist_review_sum_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class TherapistLanguage(models.Model):
    """A language the therapist offers sessions in (ISO 639-1 code, `data/languages.py`)."""

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="languages"
    )
    code = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["therapist", "code"], name="therapist_language_once")
        ]
        indexes = [models.Index(fields=["code", "therapist"], name="therapist_language_code")]


class Currency(models.TextChoices):
    EUR = "EUR", "Euro"
    GBP = "GBP", "Pound sterling"
    USD = "USD", "US dollar"
    CHF = "CHF", "Swiss franc"
    AUD = "AUD", "Australian dollar"
    CAD = "CAD", "Canadian dollar"


class Service(models.Model):
    """What a therapist offers: a technique of the catalogue, a duration and a price.

    Prices are in minor units (cents/pence) so no float ever touches money; shown, settled at
    the session (PRODUCT.md: no online payment in the first version). A service that has been
    booked is retired (`active=False`), never deleted, so bookings keep their service.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="services"
    )
    technique = models.CharField(max_length=32, choices=TECHNIQUE_CHOICES)
    duration_min = models.PositiveSmallIntegerField()
    # Free time kept after the session (changing, notes, airing the room): part of the
    # interval no other booking may overlap (issue 6 items 1 and 4).
    buffer_min = models.PositiveSmallIntegerField(default=10)
    price_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, choices=Currency.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["technique", "duration_min"]
        indexes = [models.Index(fields=["technique", "therapist"], name="service_technique")]
        constraints = [
            models.CheckConstraint(
                condition=Q(technique__in=list(TECHNIQUE_CODES)), name="service_technique_known"
            ),
            models.CheckConstraint(
                condition=Q(duration_min__gte=15, duration_min__lte=240),
                name="service_duration_range",
            ),
            models.CheckConstraint(condition=Q(buffer_min__lte=120), name="service_buffer_range"),
            models.CheckConstraint(
                condition=Q(price_minor__gte=0) & Q(price_minor__lte=10_000_00),
                name="service_price_range",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=[v for v, _ in Currency.choices]),
                name="service_currency_known",
            ),
            models.UniqueConstraint(
                fields=["therapist", "technique", "duration_min"],
                condition=Q(active=True),
                name="service_active_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class TechniqueExperience(models.Model):
    """Years of experience the therapist states for a technique. Counted as *verified* in the
    directory only while a verified certification for the same technique exists
    (docs/rules.md "Therapists")."""

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="experience"
    )
    technique = models.CharField(max_length=32, choices=TECHNIQUE_CHOICES)
    years = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "technique"], name="experience_technique_once"
            ),
            models.CheckConstraint(
                condition=Q(technique__in=list(TECHNIQUE_CODES)),
                name="experience_technique_known",
            ),
            models.CheckConstraint(
                condition=Q(years__gte=0, years__lte=60), name="experience_years_range"
            ),
        ]


class VerificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


def _verification_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Shared by licences and certifications: a decision names who made it and when; a
    rejection says why; a pending row carries no decision."""
    return [
        models.CheckConstraint(
            condition=Q(status__in=[v for v, _ in VerificationStatus.choices]),
            name=f"{prefix}_status_known",
        ),
        models.CheckConstraint(
            condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
            | Q(status="verified", decided_by__isnull=False, decided_at__isnull=False)
            | (
                Q(status="rejected", decided_by__isnull=False, decided_at__isnull=False)
                & ~Q(rejection_reason="")
            ),
            name=f"{prefix}_decision_complete",
        ),
    ]


class Licence(models.Model):
    """A licence to practise, checked by staff (issue 5 item 2).

    Evidence files live outside the public media root (`settings.PRIVATE_FILES_ROOT`) under a
    random name and are served only by the access-checked, audited evidence view. Editing any
    field of a verified licence sends it back to pending (services).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="licences"
    )
    country = models.CharField(max_length=2)  # ISO 3166-1 alpha-2 of the jurisdiction
    region = models.CharField(max_length=100, blank=True)  # state/province where licences are
    registry = models.CharField(max_length=150)  # the board or register that issued it
    number = models.CharField(max_length=64)
    issued_on = models.DateField()
    expires_on = models.DateField()
    evidence_name = models.CharField(max_length=64, blank=True)
    evidence_content_type = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Claimed by the daily notice job with a conditional UPDATE (sent once each).
    expiry_warning_sent_at = models.DateTimeField(null=True, blank=True)
    expired_notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-expires_on"]
        indexes = [
            models.Index(fields=["therapist", "status", "expires_on"], name="licence_listing"),
            models.Index(fields=["status", "submitted_at"], name="licence_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")), name="licence_expiry_after_issue"
            ),
            models.UniqueConstraint(
                "country",
                "region",
                "registry",
                "number",
                condition=~Q(status="rejected"),
                name="licence_number_once",
            ),
            *_verification_constraints("licence"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class Certification(models.Model):
    """Training in one technique (hours, provider, date), verified by staff like a licence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="certifications"
    )
    technique = models.CharField(max_length=32, choices=TECHNIQUE_CHOICES)
    provider = models.CharField(max_length=150)
    hours = models.PositiveIntegerField()
    completed_on = models.DateField()
    evidence_name = models.CharField(max_length=64, blank=True)
    evidence_content_type = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["technique", "-completed_on"]
        indexes = [
            models.Index(fields=["therapist", "technique", "status"], name="certification_lookup"),
            models.Index(fields=["status", "submitted_at"], name="certification_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(technique__in=list(TECHNIQUE_CODES)),
                name="certification_technique_known",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=1, hours__lte=10000), name="certification_hours_range"
            ),
            *_verification_constraints("certification"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class Review(models.Model):
    """A client's review of one completed session (issue 5 item 3): one per booking.

    Shown under a pseudonym unless the author chose to show their display name (a review can
    reveal that someone is a client). Hidden reviews stay stored (moderation is reversible and
    audited) but do not count in the rating.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    booking = models.OneToOneField(
        "scheduling.Booking", on_delete=models.CASCADE, related_name="review"
    )
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="reviews"
    )
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reviews_written")
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=2000)
    show_name = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["therapist", "-created_at"], name="review_therapist_newest")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="review_rating_range"
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True, hidden_by__isnull=True, hidden_reason="")
                | (Q(hidden_at__isnull=False, hidden_by__isnull=False) & ~Q(hidden_reason="")),
                name="review_hidden_complete",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class ReviewReply(models.Model):
    """The therapist's one public reply to a review (editable by them)."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="reply")
    text = models.TextField(max_length=1000)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()


class ReportReason(models.TextChoices):
    PERSONAL_DATA = "personal_data", "It reveals personal or health information"
    OFFENSIVE = "offensive", "It is abusive or offensive"
    FAKE = "fake", "It is not about a real session"
    OTHER = "other", "Something else"


class ReviewReport(models.Model):
    """Someone signed in reporting a review to staff; once per person and review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=32, choices=ReportReason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="review_report_once"),
            models.CheckConstraint(
                condition=Q(reason__in=[v for v, _ in ReportReason.choices]),
                name="review_report_reason_known",
            ),
        ]
