"""Load demo therapists (issue 5 item 6; local use only): `therapists/demo.py` into the database.

Rules:
- Refused in production, like `core.services.demo.demo_load` (the demo password is public).
- Idempotent by email: a demo therapist whose account exists is left exactly as it is (whatever
  was done with it since stays); only missing ones are added, with everything they own
  (profile, languages, services, experience, licence, certifications, bookings and reviews).
  The same holds for the reviewer accounts and for the persona extras.
- Fast enough for 10,000 therapists (the directory benchmark): rows are generated in memory and
  written with `bulk_create` in batches; the demo password is hashed once and the encoded hash
  reused (see `core/services/demo.py`). Rows are not `full_clean`ed one by one: the generator is
  tested to produce valid rows (`test_demo.py`) and the database constraints still check every
  row.
- Reviews are genuine in the data model: each belongs to a completed `scheduling.Booking` of a
  demo reviewer (a client account from the reviewer pool, `reviewer-NNNN@demo.backrelief.test`)
  with that therapist, in the past and reviewed inside the review window. Hidden (moderated)
  reviews count in no figure, so `review_count`/`review_sum` are the visible reviews' count and
  sum — the same invariant the review services keep.
- Decisions (licence and certification verified/rejected, reviews hidden, reports resolved)
  name the demo staff persona; the personas are created first when missing
  (`demo_personas_load`). Demo rows are not audited: they are fixtures, not decisions anyone
  made.
- Evidence files (a one-page PDF marked as demo data, `demo_evidence_pdf`) are stored for the
  credentials staff still have to check — pending licences and certifications — and for the
  persona's licence; decided demo credentials carry none (10,000 therapists would otherwise
  write ~27,000 files). Files are written in the private store like uploads; if the load is
  rolled back, the daily job's orphan sweep removes them.
- Every demo therapist created (the persona too) gets weekly hours, Monday to Friday 09:00-17:00
  in their own zone with a lunch break 12:30-13:30 (`scheduling.demo`), so slots exist.
- The therapist persona (therapist@demo.backrelief.test) gets a complete, listed profile when it
  has none yet, and the demo client (client@…) two completed sessions with them: one reviewed,
  one inside the review window still waiting for a review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from django.db import transaction

from backrelief.accounts.models import User
from backrelief.core.demo import PERSONAS, DemoPerson
from backrelief.core.services.demo import (
    demo_emails_existing,
    demo_personas_load,
    demo_refuse_in_production,
    demo_users_create,
)
from backrelief.scheduling.demo import demo_weekly_hours
from backrelief.scheduling.models import Booking, BookingStatus, WeeklyHours
from backrelief.therapists.demo import (
    DemoCertification,
    DemoLicence,
    DemoReview,
    DemoTherapist,
    demo_evidence_pdf,
    demo_persona_client_sessions,
    demo_persona_therapist,
    demo_reviewer,
    demo_therapist,
    therapist_email,
)
from backrelief.therapists.evidence import evidence_write
from backrelief.therapists.models import (
    Certification,
    Licence,
    Review,
    ReviewReply,
    ReviewReport,
    Service,
    TechniqueExperience,
    TherapistLanguage,
    TherapistProfile,
)

BATCH = 1000


@dataclass(frozen=True)
class TherapistDemoResult:
    created: int
    existing: int
    reviews: int  # reviews written for the therapists created now (persona included)
    reviewers_created: int
    persona_profile_created: bool


def _person(t: DemoTherapist) -> DemoPerson:
    return DemoPerson(
        email=t.email,
        display_name=t.display_name,
        role="therapist",
        country=t.country,
        time_zone=t.time_zone,
    )


def _by_email(emails: Iterable[str]) -> dict[str, User]:
    wanted = [e.lower() for e in emails]
    found: dict[str, User] = {}
    for start in range(0, len(wanted), 500):  # under SQLite's bound-parameter limit
        for user in User.objects.filter(email__in=wanted[start : start + 500]):
            found[user.email.lower()] = user
    return found


@dataclass
class _Writer:
    """Writes generated therapists (with users already created) in one batch."""

    staff: User
    reviewers: dict[int, User]
    now: dt.datetime
    evidence_for_all: bool = False  # the persona: evidence even for decided credentials

    def write(
        self,
        therapists: list[DemoTherapist],
        users: dict[str, User],
        extra_sessions: dict[str, list[tuple[User, DemoReview, bool]]] | None = None,
    ) -> int:
        """Write `therapists` and everything they own; returns the number of reviews.

        `extra_sessions[email]` adds (client, session, reviewed?) bookings on the first service
        (the demo client's sessions with the persona).
        """
        extra_sessions = extra_sessions or {}
        profiles = TherapistProfile.objects.bulk_create(
            [self._profile(t, users[t.email.lower()], extra_sessions) for t in therapists]
        )
        languages: list[TherapistLanguage] = []
        services: list[Service] = []
        experience: list[TechniqueExperience] = []
        licences: list[Licence] = []
        certifications: list[Certification] = []
        for t, profile in zip(therapists, profiles, strict=True):
            languages += [TherapistLanguage(therapist=profile, code=c) for c in t.languages]
            services += [
                Service(
                    therapist=profile,
                    technique=s.technique,
                    duration_min=s.duration_min,
                    price_minor=s.price_minor,
                    currency=s.currency,
                    created_at=t.onboarding_completed_at,
                    updated_at=t.onboarding_completed_at,
                )
                for s in t.services
            ]
            experience += [
                TechniqueExperience(therapist=profile, technique=technique, years=years)
                for technique, years in t.experience
            ]
            licences.append(self._licence(t, profile))
            certifications += [
                Certification(
                    therapist=profile,
                    **self._evidence("certification", c),
                    technique=c.technique,
                    provider=c.provider,
                    hours=c.hours,
                    completed_on=c.completed_on,
                    status=c.status,
                    decided_by=self.staff if c.decided_at else None,
                    decided_at=c.decided_at,
                    rejection_reason=c.rejection_reason,
                    submitted_at=c.submitted_at,
                    updated_at=c.decided_at or c.submitted_at,
                )
                for c in t.certifications
            ]
        TherapistLanguage.objects.bulk_create(languages)
        hours = demo_weekly_hours()  # issue 6: weekly hours in each therapist's zone
        WeeklyHours.objects.bulk_create(
            WeeklyHours(therapist=profile, weekday=day, start_time=start, end_time=end)
            for profile in profiles
            for day, start, end in hours
        )
        services = Service.objects.bulk_create(services)
        TechniqueExperience.objects.bulk_create(experience)
        Licence.objects.bulk_create(licences)
        Certification.objects.bulk_create(certifications)

        by_profile: dict[int, list[Service]] = {}
        for service in services:
            by_profile.setdefault(service.therapist_id, []).append(service)
        rows: list[tuple[Booking, DemoReview, User, bool]] = []
        for t, profile in zip(therapists, profiles, strict=True):
            own = by_profile[profile.pk]
            for r in t.reviews:
                author = self.reviewers[r.reviewer]
                rows.append((self._booking(author, profile, own[r.service], r), r, author, True))
            for client, session, is_reviewed in extra_sessions.get(t.email.lower(), []):
                booking = self._booking(client, profile, own[session.service], session)
                rows.append((booking, session, client, is_reviewed))
        bookings = Booking.objects.bulk_create([row[0] for row in rows])
        to_review = [
            (booking, r, author)
            for booking, (_, r, author, is_reviewed) in zip(bookings, rows, strict=True)
            if is_reviewed
        ]
        reviews = Review.objects.bulk_create(
            [self._review(booking, r, author) for booking, r, author in to_review]
        )
        replies: list[ReviewReply] = []
        reports: list[ReviewReport] = []
        for review, (_, r, _author) in zip(reviews, to_review, strict=True):
            later = min(r.created_at + dt.timedelta(days=1), self.now)
            if r.reply:
                replies.append(
                    ReviewReply(review=review, text=r.reply, created_at=later, updated_at=later)
                )
            if r.report_by is not None:
                reports.append(
                    ReviewReport(
                        review=review,
                        reporter=self.reviewers[r.report_by],
                        reason="personal_data" if r.hidden_reason else "fake",
                        note=r.report_note,
                        created_at=later,
                        resolved_at=review.hidden_at,
                        resolved_by=self.staff if review.hidden_at else None,
                    )
                )
        ReviewReply.objects.bulk_create(replies)
        ReviewReport.objects.bulk_create(reports)
        return len(reviews)

    def _profile(
        self,
        t: DemoTherapist,
        user: User,
        extra_sessions: dict[str, list[tuple[User, DemoReview, bool]]],
    ) -> TherapistProfile:
        extra = [s for _, s, reviewed in extra_sessions.get(t.email.lower(), []) if reviewed]
        return TherapistProfile(
            user=user,
            display_name=t.display_name,
            bio=t.bio,
            gender=t.gender,
            address=t.address,
            latitude=t.latitude,
            longitude=t.longitude,
            in_clinic=t.in_clinic,
            mobile=t.mobile,
            travel_radius_km=t.travel_radius_km,
            time_zone=t.time_zone,
            step_free_access=t.step_free_access,
            accessible_toilet=t.accessible_toilet,
            accessibility_notes=t.accessibility_notes,
            review_count=t.review_count + len(extra),
            review_sum=t.review_sum + sum(s.rating for s in extra),
            onboarding_completed_at=t.onboarding_completed_at,
            created_at=t.created_at,
            updated_at=t.onboarding_completed_at,
        )

    def _licence(self, t: DemoTherapist, profile: TherapistProfile) -> Licence:
        lic = t.licence
        return Licence(
            therapist=profile,
            **self._evidence("licence", lic),
            country=lic.country,
            region=lic.region,
            registry=lic.registry,
            number=lic.number,
            issued_on=lic.issued_on,
            expires_on=lic.expires_on,
            status=lic.status,
            decided_by=self.staff if lic.decided_at else None,
            decided_at=lic.decided_at,
            rejection_reason=lic.rejection_reason,
            submitted_at=lic.submitted_at,
            updated_at=lic.decided_at or lic.submitted_at,
        )

    def _evidence(
        self, kind: Literal["licence", "certification"], row: DemoLicence | DemoCertification
    ) -> dict[str, str]:
        """Store a demo evidence file for a pending credential (module docstring)."""
        if row.status != "pending" and not self.evidence_for_all:
            return {"evidence_name": "", "evidence_content_type": ""}
        title = f"Licence {row.number}" if isinstance(row, DemoLicence) else "Training certificate"
        name = evidence_write(kind, demo_evidence_pdf(title))
        return {"evidence_name": name, "evidence_content_type": "application/pdf"}

    def _booking(
        self, client: User, profile: TherapistProfile, service: Service, r: DemoReview
    ) -> Booking:
        booked = r.start - dt.timedelta(days=7)
        return Booking(
            client=client,
            therapist=profile,
            service=service,
            start=r.start,
            end=r.end,
            status=BookingStatus.COMPLETED,
            created_at=booked,
            updated_at=r.end,
            completed_at=r.end,
            blocked_until=r.end + dt.timedelta(minutes=service.buffer_min),
            client_time_zone=client.time_zone,
        )

    def _review(self, booking: Booking, r: DemoReview, author: User) -> Review:
        hidden_at = min(r.created_at + dt.timedelta(days=2), self.now) if r.hidden_reason else None
        return Review(
            booking=booking,
            therapist=booking.therapist,
            author=author,
            rating=r.rating,
            text=r.text,
            show_name=r.show_name,
            created_at=r.created_at,
            hidden_at=hidden_at,
            hidden_by=self.staff if hidden_at else None,
            hidden_reason=r.hidden_reason,
        )


def _reviewer_indexes(therapists: Iterable[DemoTherapist]) -> set[int]:
    wanted: set[int] = set()
    for t in therapists:
        for r in t.reviews:
            wanted.add(r.reviewer)
            if r.report_by is not None:
                wanted.add(r.report_by)
    return wanted


@transaction.atomic
def therapist_demo_load(
    *,
    count: int,
    seed: int,
    now: dt.datetime,
    progress: Callable[[int], object] | None = None,
) -> TherapistDemoResult:
    """Create the first `count` demo therapists for `seed` that do not exist yet, the reviewer
    accounts their reviews need, and the persona extras (module docstring; issue 5 item 6).

    `progress(n)` is told how many therapists each batch handled (existing ones first).
    """
    demo_refuse_in_production()
    if count < 0:
        raise ValueError("count must be 0 or more")
    demo_personas_load(now=now)  # no-op when they exist; the staff persona decides below
    client_email, therapist_persona_email, staff_email = (p.email.lower() for p in PERSONAS)
    staff = User.objects.get(email__iexact=staff_email)

    existing = demo_emails_existing(therapist_email(i) for i in range(count))
    missing = [i for i in range(count) if therapist_email(i).lower() not in existing]
    if progress is not None and existing:
        progress(count - len(missing))

    persona = User.objects.filter(email__iexact=therapist_persona_email).first()
    persona_t: DemoTherapist | None = None
    if persona is not None and not TherapistProfile.objects.filter(user=persona).exists():
        persona_t = demo_persona_therapist(
            email=persona.email, display_name=persona.display_name or "Demo Therapist", now=now
        )

    encoded: str | None = None
    reviewers_created = 0
    writer = _Writer(staff=staff, reviewers={}, now=now)

    def ensure_reviewers(therapists: list[DemoTherapist]) -> None:
        nonlocal encoded, reviewers_created
        wanted = sorted(_reviewer_indexes(therapists) - writer.reviewers.keys())
        if not wanted:
            return
        people = [demo_reviewer(seed=seed, index=i) for i in wanted]
        created, encoded = demo_users_create(people, now=now, encoded=encoded)
        reviewers_created += len(created)
        users = _by_email(p.email for p in people)
        for i, p in zip(wanted, people, strict=True):
            writer.reviewers[i] = users[p.email.lower()]

    reviews = 0
    for start in range(0, len(missing), BATCH):
        therapists = [
            demo_therapist(seed=seed, index=i, now=now) for i in missing[start : start + BATCH]
        ]
        _created, encoded = demo_users_create(
            [_person(t) for t in therapists], now=now, encoded=encoded
        )
        ensure_reviewers(therapists)
        users = _by_email(t.email for t in therapists)
        reviews += writer.write(therapists, users)
        if progress is not None:
            progress(len(therapists))

    if persona is not None and persona_t is not None:
        ensure_reviewers([persona_t])
        extra: dict[str, list[tuple[User, DemoReview, bool]]] = {}
        client = User.objects.filter(email__iexact=client_email).first()
        if client is not None:
            reviewed, waiting = demo_persona_client_sessions(now=now)
            extra[persona.email.lower()] = [(client, reviewed, True), (client, waiting, False)]
        writer.evidence_for_all = True
        reviews += writer.write([persona_t], {persona.email.lower(): persona}, extra)

    return TherapistDemoResult(
        created=len(missing),
        existing=count - len(missing),
        reviews=reviews,
        reviewers_created=reviewers_created,
        persona_profile_created=persona_t is not None,
    )
