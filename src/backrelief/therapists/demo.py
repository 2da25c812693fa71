"""Demo therapists (issue 5 item 6): reproducible generation, pure (no ORM, no clock).

`demo_therapist(seed=..., index=..., now=...)` derives one therapist from `(seed, index)` alone,
with dates placed relative to `now` (passed in): the same three arguments always give the same
person, and a larger count extends a smaller one (therapist 7 of 10,000 is therapist 7 of 40).
The writer is `therapists/services/demo.py`.

What the data covers, so every page and rule has something to show:
- six cities with real centre coordinates (Berlin, London, Paris, New York, Sydney, Toronto),
  practices spread up to `SPREAD_KM` around each centre, the city's IANA time zone, currency,
  licence register and usual languages;
- gender stated by most, "not stated" by some; in-clinic, mobile (with a travel radius) or both;
  premises accessibility for in-clinic practices;
- 1-4 services from the catalogue techniques with usual durations and prices in the city's
  currency, stated years of experience per technique, certifications in every state;
- licences in every state, on a fixed cycle of 20 so even 20 therapists show them all:
  verified and valid (13 in 20), verified but expiring within 30 days (2), verified but expired
  (2), pending (2), rejected with a reason (1);
- reviews for a subset of therapists who have practised (valid, expiring or expired licence):
  ratings spread around a per-therapist quality, sessions 16-700 days ago (one a day at most, so
  a therapist's sessions never overlap), the review 1-13 days
  after the session (inside the 90-day review window), a few hidden by moderation, some with a
  therapist reply, a few reported. Reviewers come from a fixed pool of demo client accounts
  (`demo_reviewer`), each at most once per therapist.

Decision (issue 5 was silent): therapists never offer `self_massage` — it is what a client does
on their own between sessions (catalogue, DOMAIN §3.2), so it is not a bookable service here.
Addresses use the reserved `.test` domain (RFC 2606) like `core/demo.py`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from backrelief.catalog.data.techniques import TECHNIQUE_CODES
from backrelief.core.demo import DEMO_DOMAIN, DemoPerson

# Demo therapists offer every catalogue technique except self-massage (module docstring).
THERAPIST_TECHNIQUES: tuple[str, ...] = tuple(c for c in TECHNIQUE_CODES if c != "self_massage")
DEFAULT_THERAPISTS = 40  # what `backrelief demo` and `make run` load
REVIEWER_POOL = 400  # demo client accounts that write the demo reviews
SPREAD_KM = 15.0
EXPIRING_WITHIN_DAYS = 30
# Where demo licence numbers of generated therapists start: "DEMO-<city>-<index + 1>".
LICENCE_PREFIX = "DEMO"


class LicenceState(StrEnum):
    """The state a demo licence is generated in (the stored status plus where expiry falls)."""

    VALID = "valid"  # verified, expires later than 30 days from now
    EXPIRING = "expiring"  # verified, expires within 30 days
    EXPIRED = "expired"  # verified, expiry date already past (unlisted)
    PENDING = "pending"  # waiting for staff (unlisted)
    REJECTED = "rejected"  # rejected with a reason (unlisted)


# Position in a cycle of 20 -> state; every other position is VALID.
_LICENCE_CYCLE: dict[int, LicenceState] = {
    3: LicenceState.EXPIRING,
    13: LicenceState.EXPIRING,
    5: LicenceState.EXPIRED,
    19: LicenceState.EXPIRED,
    7: LicenceState.PENDING,
    17: LicenceState.PENDING,
    11: LicenceState.REJECTED,
}
PRACTISED_STATES = frozenset({LicenceState.VALID, LicenceState.EXPIRING, LicenceState.EXPIRED})


@dataclass(frozen=True)
class DemoCity:
    name: str
    country: str  # ISO 3166-1 alpha-2
    region: str  # licence region where licences are per state/province
    time_zone: str
    latitude: float
    longitude: float
    currency: str
    hourly_price: int  # usual price of 60 minutes of Swedish massage, major units
    languages: tuple[str, ...]  # most therapists speak the first, many the others
    registry: str
    code: str  # short code in demo licence numbers
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    providers: tuple[str, ...]


CITIES: tuple[DemoCity, ...] = (
    DemoCity(
        "Berlin", "DE", "", "Europe/Berlin", 52.5200, 13.4050, "EUR", 70, ("de", "en", "tr"),
        "Landesamt für Gesundheit und Soziales Berlin", "BER",
        ("Torstraße", "Kastanienallee", "Oranienstraße", "Sonnenallee", "Schönhauser Allee",
         "Bergmannstraße", "Karl-Marx-Allee"),
        ("10119", "10435", "10999", "12047", "10437", "10961", "10243"),
        ("Berliner Schule für Massage", "Akademie für Physiotherapie Berlin"),
    ),
    DemoCity(
        "London", "GB", "", "Europe/London", 51.5074, -0.1278, "GBP", 65, ("en", "pl", "es"),
        "Complementary and Natural Healthcare Council", "LON",
        ("Camden High Street", "Brixton Road", "Upper Street", "Mare Street", "King's Road",
         "Old Kent Road", "Holloway Road"),
        ("NW1 7JE", "SW9 6DE", "N1 1QP", "E8 1HE", "SW3 4UD", "SE1 5TY", "N7 8DB"),
        ("London School of Massage", "Northern Institute of Massage"),
    ),
    DemoCity(
        "Paris", "FR", "", "Europe/Paris", 48.8566, 2.3522, "EUR", 75, ("fr", "en", "ar"),
        "Agence régionale de santé Île-de-France", "PAR",
        ("Rue de Rivoli", "Boulevard Voltaire", "Rue Oberkampf", "Rue de la Roquette",
         "Avenue de Clichy", "Rue du Faubourg Saint-Antoine", "Rue Mouffetard"),
        ("75004", "75011", "75011", "75011", "75017", "75012", "75005"),
        ("École de massage de Paris", "Institut français du shiatsu"),
    ),
    DemoCity(
        "New York", "US", "NY", "America/New_York", 40.7128, -74.0060, "USD", 120,
        ("en", "es", "zh"),
        "New York State Education Department, Office of the Professions", "NYC",
        ("Broadway", "Atlantic Avenue", "Bedford Avenue", "Lexington Avenue", "Court Street",
         "Amsterdam Avenue", "Steinway Street"),
        ("10012", "11217", "11211", "10016", "11201", "10024", "11103"),
        ("Swedish Institute College of Health Sciences", "New York College of Massage"),
    ),
    DemoCity(
        "Sydney", "AU", "NSW", "Australia/Sydney", -33.8688, 151.2093, "AUD", 110,
        ("en", "zh", "el"),
        "Association of Massage Therapists", "SYD",
        ("George Street", "King Street", "Oxford Street", "Crown Street", "Glebe Point Road",
         "Military Road", "Parramatta Road"),
        ("2000", "2042", "2010", "2010", "2037", "2089", "2050"),
        ("Sydney College of Remedial Massage", "Australian Institute of Shiatsu"),
    ),
    DemoCity(
        "Toronto", "CA", "ON", "America/Toronto", 43.6532, -79.3832, "CAD", 105,
        ("en", "fr", "pt"),
        "College of Massage Therapists of Ontario", "TOR",
        ("Queen Street West", "Dundas Street West", "Yonge Street", "Bloor Street West",
         "College Street", "Danforth Avenue", "Spadina Avenue"),
        ("M5V 2A4", "M6J 1V5", "M4Y 1X6", "M6H 1M2", "M6G 1A4", "M4K 1N6", "M5T 2C4"),
        ("Toronto School of Massage Therapy", "Canadian College of Shiatsu"),
    ),
)  # fmt: skip
CITIES_BY_NAME: dict[str, DemoCity] = {c.name: c for c in CITIES}
EXTRA_LANGUAGES = ("en", "es", "it", "pt", "de", "fr", "ja", "hi", "ru", "uk", "nl")

_WOMEN = (
    "Anna", "Amara", "Chloé", "Elif", "Fatima", "Grace", "Hana", "Ines", "Lena", "Maya", "Nia",
    "Olga", "Priya", "Sara", "Uma", "Wen", "Yara", "Zoe", "Ingrid", "Keiko", "Lucía", "Marta",
)  # fmt: skip
_MEN = (
    "Ben", "Chen", "Emil", "Jonas", "Kai", "Luca", "Mateo", "Noah", "Rafael", "Tomás", "Viktor",
    "Aarav", "David", "Hugo", "Ivan", "Kwame", "Liam", "Omar", "Pierre", "Sven", "Yusuf",
)  # fmt: skip
_NEUTRAL = ("Alex", "Sam", "Robin", "Charlie", "Jules", "Kim", "Noor", "Sasha", "Ari", "Eden")
_LAST_NAMES = (
    "Adeyemi", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lee", "Müller", "Nakamura", "Okafor", "Papadopoulos", "Quinn",
    "Rossi", "Schmidt", "Tanaka", "Urban", "Varga", "Walsh", "Xu", "Yilmaz", "Zhang", "Moreau",
    "Novak", "O'Brien", "Singh", "Kaya", "Nguyen", "Hansen", "Silva", "Brown", "Martin",
)  # fmt: skip

# Usual session lengths (minutes) and the price relative to Swedish massage.
_DURATIONS: dict[str, tuple[int, ...]] = {
    "swedish": (30, 60, 60, 90),
    "deep_tissue": (45, 60, 60, 90),
    "trigger_point": (30, 45, 60),
    "shiatsu": (60, 60, 90),
    "hot_stone": (60, 90, 90),
}
_PRICE_FACTOR: dict[str, float] = {
    "swedish": 1.0,
    "deep_tissue": 1.12,
    "trigger_point": 1.08,
    "shiatsu": 1.05,
    "hot_stone": 1.25,
}
_TECHNIQUE_WORDS: dict[str, str] = {
    "swedish": "Swedish massage",
    "deep_tissue": "deep tissue work",
    "trigger_point": "trigger point therapy",
    "shiatsu": "shiatsu",
    "hot_stone": "hot stone massage",
}
_BIO_OPENERS = (
    "I help people with desk-work backs move more easily again.",
    "Calm, unhurried sessions for stiff necks and sore lower backs.",
    "Former dancer; I know how much a tight back can take out of a day.",
    "I listen first, then work at the pressure you are comfortable with.",
    "Sessions for people who sit, lift or run a lot — and everyone in between.",
    "I trained after my own back pain and still remember what helped.",
)
_BIO_CLOSERS = (
    "Tell me what pressure you like; we can always adjust during the session.",
    "I explain what I am doing as I go, and you can stop at any time.",
    "Between sessions I show simple self-massage you can do at home.",
    "Quiet treatment room, fresh linen, no upselling.",
    "I work alongside local physiotherapists and refer on when massage is not the right fit.",
)
_ACCESS_NOTES = (
    "Ground floor, level entrance from the street.",
    "Lift to the second floor; the door is 90 cm wide.",
    "Height-adjustable table; ask for help with transfers.",
    "Two steps at the entrance; a portable ramp is available on request.",
)
_REJECTION_REASONS = (
    "The number is not in the register. Check it against your certificate and resubmit.",
    "The evidence is unreadable. Upload a clearer scan of the whole certificate.",
    "The name on the licence does not match your profile. Upload proof of the name change.",
)
_CERT_REJECTIONS = (
    "The certificate does not show the number of training hours.",
    "The provider could not be confirmed. Upload the course transcript.",
)
_REVIEW_TEXTS: dict[int, tuple[str, ...]] = {
    5: (
        "Exactly the right pressure and my lower back felt looser for days.",
        "Listened carefully and explained everything. I will book again.",
        "Best session I have had; the stiffness after long desk days is much better.",
        "Very professional, calm room, and helpful stretches to do at home.",
    ),
    4: (
        "Good session, a little too firm at first but adjusted when I asked.",
        "Helpful and friendly; my neck felt better afterwards.",
        "Solid treatment. The room was a bit warm but the massage was great.",
    ),
    3: (
        "Fine, but the session felt rushed at the end.",
        "Okay overall; not sure it did much for my back this time.",
    ),
    2: (
        "Started late and the pressure was more than I wanted.",
        "Not for me: too much talking, not much focus on where it hurt.",
    ),
    1: ("The session was cut short and I did not feel listened to.",),
}
_REPLIES = (
    "Thank you for the kind words — see you next time.",
    "Thanks for the feedback; I have noted your pressure preference for next time.",
    "Sorry the session did not meet your expectations. Please get in touch so I can make it right.",
)
_HIDE_REASONS = (
    "Names another client.",
    "Contains health details about a third person.",
)
_REPORT_NOTES = ("Mentions someone by name.", "Does not sound like a real session.")


@dataclass(frozen=True)
class DemoService:
    technique: str
    duration_min: int
    price_minor: int
    currency: str


@dataclass(frozen=True)
class DemoLicence:
    state: LicenceState
    country: str
    region: str
    registry: str
    number: str
    issued_on: dt.date
    expires_on: dt.date
    status: str  # VerificationStatus value
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    rejection_reason: str


@dataclass(frozen=True)
class DemoCertification:
    technique: str
    provider: str
    hours: int
    completed_on: dt.date
    status: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    rejection_reason: str


@dataclass(frozen=True)
class DemoReview:
    reviewer: int  # index into the reviewer pool (`demo_reviewer`)
    service: int  # index into the therapist's services
    start: dt.datetime  # the completed session (aware, UTC)
    end: dt.datetime
    created_at: dt.datetime
    rating: int
    text: str
    show_name: bool
    hidden_reason: str  # "" unless hidden by moderation
    reply: str  # "" without a therapist reply
    report_by: int | None  # reviewer pool index of someone who reported it
    report_note: str


@dataclass(frozen=True)
class DemoTherapist:
    index: int
    email: str
    display_name: str
    gender: str  # therapists.models.Gender value; "" = not stated
    city: str
    country: str
    time_zone: str
    address: str
    latitude: float
    longitude: float
    in_clinic: bool
    mobile: bool
    travel_radius_km: int | None
    step_free_access: bool
    accessible_toilet: bool
    accessibility_notes: str
    bio: str
    languages: tuple[str, ...]
    services: tuple[DemoService, ...]
    experience: tuple[tuple[str, int], ...]  # (technique, years)
    licence: DemoLicence
    certifications: tuple[DemoCertification, ...]
    reviews: tuple[DemoReview, ...]
    onboarding_completed_at: dt.datetime
    created_at: dt.datetime

    @property
    def visible_reviews(self) -> tuple[DemoReview, ...]:
        return tuple(r for r in self.reviews if not r.hidden_reason)

    @property
    def review_count(self) -> int:
        """Visible reviews only: hidden ones count in no figure (therapists/rating.py)."""
        return len(self.visible_reviews)

    @property
    def review_sum(self) -> int:
        return sum(r.rating for r in self.visible_reviews)


def therapist_email(index: int) -> str:
    """`therapist-00001@demo.backrelief.test` for index 0; depends on nothing else."""
    return f"therapist-{index + 1:05d}@{DEMO_DOMAIN}"


def reviewer_email(index: int) -> str:
    return f"reviewer-{index + 1:04d}@{DEMO_DOMAIN}"


def licence_state(index: int) -> LicenceState:
    """The licence state of the `index`-th demo therapist (fixed cycle of 20, module docstring)."""
    return _LICENCE_CYCLE.get(index % 20, LicenceState.VALID)


def demo_reviewer(*, seed: int, index: int) -> DemoPerson:
    """The `index`-th demo reviewer (a client account in the reviewer pool)."""
    if not 0 <= index < REVIEWER_POOL:
        raise ValueError(f"index must be 0 to {REVIEWER_POOL - 1}")
    rng = random.Random(f"backrelief-demo-reviewer:{seed}:{index}")  # noqa: S311 (not secrets)
    first = rng.choice(_WOMEN + _MEN + _NEUTRAL)
    last = rng.choice(_LAST_NAMES)
    city = rng.choice(CITIES)
    return DemoPerson(
        email=reviewer_email(index),
        display_name=f"{first} {last}",
        role="client",
        country=city.country,
        time_zone=city.time_zone,
    )


def spread_point(
    *, latitude: float, longitude: float, distance_km: float, bearing_deg: float
) -> tuple[float, float]:
    """The point `distance_km` from (latitude, longitude) on `bearing_deg` (flat-earth step,
    accurate to metres within a city), rounded to 5 decimals (about 1 m)."""
    bearing = math.radians(bearing_deg)
    dlat = distance_km * math.cos(bearing) / 111.32
    dlon = distance_km * math.sin(bearing) / (111.32 * math.cos(math.radians(latitude)))
    return round(latitude + dlat, 5), round(longitude + dlon, 5)


def _local_session(
    rng: random.Random, *, now: dt.datetime, days_ago: int, zone: ZoneInfo, minutes: int
) -> tuple[dt.datetime, dt.datetime]:
    """A session `days_ago` days before `now`, starting on the hour 9:00-18:00 local time."""
    day = (now.astimezone(zone) - dt.timedelta(days=days_ago)).date()
    local = dt.datetime.combine(day, dt.time(rng.randint(9, 18)), tzinfo=zone)
    start = local.astimezone(dt.UTC)
    return start, start + dt.timedelta(minutes=minutes)


def _price_minor(rng: random.Random, city: DemoCity, technique: str, minutes: int) -> int:
    """Usual local price: the city's hourly rate x technique factor x length, +-15 %, rounded
    to 5 major units (minor units stored)."""
    major = city.hourly_price * _PRICE_FACTOR[technique] * minutes / 60 * rng.uniform(0.85, 1.15)
    return max(5, round(major / 5) * 5) * 100


def _licence(rng: random.Random, *, index: int, city: DemoCity, now: dt.datetime) -> DemoLicence:
    state = licence_state(index)
    today = now.astimezone(dt.UTC).date()
    if state is LicenceState.EXPIRING:
        expires = today + dt.timedelta(days=rng.randint(1, EXPIRING_WITHIN_DAYS))
    elif state is LicenceState.EXPIRED:
        expires = today - dt.timedelta(days=rng.randint(1, 240))
    else:
        expires = today + dt.timedelta(days=rng.randint(EXPIRING_WITHIN_DAYS + 1, 5 * 365))
    term_years = rng.randint(1, 5)
    issued = expires - dt.timedelta(days=365 * term_years)
    if state is LicenceState.PENDING:
        submitted = now - dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 20))
        decided = None
    else:
        # An expired licence was verified long enough ago to have had sessions before expiry.
        oldest = 300 if state is LicenceState.EXPIRED else 20
        submitted = now - dt.timedelta(days=rng.randint(oldest, 700))
        decided = submitted + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
    status = {
        LicenceState.PENDING: "pending",
        LicenceState.REJECTED: "rejected",
    }.get(state, "verified")
    return DemoLicence(
        state=state,
        country=city.country,
        region=city.region,
        registry=city.registry,
        number=f"{LICENCE_PREFIX}-{city.code}-{index + 1:06d}",
        issued_on=issued,
        expires_on=expires,
        status=status,
        submitted_at=submitted,
        decided_at=decided,
        rejection_reason=rng.choice(_REJECTION_REASONS) if state is LicenceState.REJECTED else "",
    )


def _certification(
    rng: random.Random, *, technique: str, city: DemoCity, now: dt.datetime, years: int
) -> DemoCertification:
    roll = rng.random()
    status = "verified" if roll < 0.75 else "pending" if roll < 0.9 else "rejected"
    today = now.astimezone(dt.UTC).date()
    completed = today - dt.timedelta(days=365 * years + rng.randint(30, 300))
    if status == "pending":
        submitted = now - dt.timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 20))
        decided = None
    else:
        submitted = now - dt.timedelta(days=rng.randint(20, 400))
        decided = submitted + dt.timedelta(days=rng.randint(1, 7))
    return DemoCertification(
        technique=technique,
        provider=rng.choice(city.providers),
        hours=rng.choice((20, 40, 60, 100, 150, 200, 300, 500)),
        completed_on=completed,
        status=status,
        submitted_at=submitted,
        decided_at=decided,
        rejection_reason=rng.choice(_CERT_REJECTIONS) if status == "rejected" else "",
    )


def _reviews(
    rng: random.Random,
    *,
    now: dt.datetime,
    zone: ZoneInfo,
    services: tuple[DemoService, ...],
    licence: DemoLicence,
) -> tuple[DemoReview, ...]:
    """Reviews for about 55 % of therapists who have practised; none for the others.

    Sessions fall after the licence was verified (only listed therapists can be booked) and, for
    an expired licence, before its expiry."""
    if licence.state not in PRACTISED_STATES or rng.random() >= 0.55:
        return ()
    assert licence.decided_at is not None
    latest = (now - licence.decided_at).days - 1  # days ago of the oldest possible session
    # An expired licence stopped the practice: its sessions all lie before the expiry.
    earliest = 16
    if licence.state is LicenceState.EXPIRED:
        earliest = (now.astimezone(dt.UTC).date() - licence.expires_on).days + 2
    if latest < earliest:
        return ()
    count = min(40, 1 + int(rng.expovariate(1 / 8)))
    quality = rng.uniform(3.9, 5.0)
    reviewers = rng.sample(range(REVIEWER_POOL), count)
    # One session a day at most: a therapist's sessions never overlap (the database refuses
    # overlapping active bookings, scheduling migration 0004).
    days = rng.sample(range(earliest, latest + 1), min(count, latest - earliest + 1))
    reviews = []
    for reviewer, days_ago in zip(reviewers, days, strict=False):
        service = rng.randrange(len(services))
        start, end = _local_session(
            rng, now=now, days_ago=days_ago, zone=zone, minutes=services[service].duration_min
        )
        rating = max(1, min(5, round(rng.gauss(quality, 0.75))))
        if rng.random() < 0.03:  # the occasional bad experience, even with good therapists
            rating = rng.choice((1, 2))
        hidden = rng.random() < 0.03
        reported = hidden or rng.random() < 0.02
        reviews.append(
            DemoReview(
                reviewer=reviewer,
                service=service,
                start=start,
                end=end,
                created_at=end + dt.timedelta(days=rng.randint(1, 13), hours=rng.randint(0, 10)),
                rating=rating,
                text=rng.choice(_REVIEW_TEXTS[rating]),
                show_name=rng.random() < 0.2,
                hidden_reason=rng.choice(_HIDE_REASONS) if hidden else "",
                reply=rng.choice(_REPLIES) if rng.random() < 0.2 else "",
                report_by=(reviewer + 1) % REVIEWER_POOL if reported else None,
                report_note=rng.choice(_REPORT_NOTES) if reported else "",
            )
        )
    return tuple(sorted(reviews, key=lambda r: r.start))


def demo_therapist(*, seed: int, index: int, now: dt.datetime) -> DemoTherapist:
    """The `index`-th demo therapist for `seed`, with dates relative to `now` (module docstring).

    Seeding `random.Random` with a string is stable across processes and Python versions (it
    hashes with SHA-512), like `core.demo.demo_client`.
    """
    if index < 0:
        raise ValueError("index must be 0 or more")
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    rng = random.Random(f"backrelief-demo-therapist:{seed}:{index}")  # noqa: S311 (not secrets)
    city = CITIES[index % len(CITIES)] if index < len(CITIES) else rng.choice(CITIES)
    zone = ZoneInfo(city.time_zone)

    roll = rng.random()
    gender = (
        "woman" if roll < 0.45 else "man" if roll < 0.83 else "non_binary" if roll < 0.88 else ""
    )
    first = rng.choice(
        {"woman": _WOMEN, "man": _MEN, "non_binary": _NEUTRAL}.get(gender, _WOMEN + _MEN + _NEUTRAL)
    )
    display_name = f"{first} {rng.choice(_LAST_NAMES)}"

    # Uniform over the disc: the square root keeps the centre from being crowded.
    distance = SPREAD_KM * math.sqrt(rng.random())
    latitude, longitude = spread_point(
        latitude=city.latitude,
        longitude=city.longitude,
        distance_km=distance,
        bearing_deg=rng.uniform(0, 360),
    )
    street = rng.randrange(len(city.streets))
    address = f"{city.streets[street]} {rng.randint(1, 180)}, {city.postcodes[street]} {city.name}"

    mode = rng.random()
    in_clinic, mobile = (
        (True, False) if mode < 0.65 else (True, True) if mode < 0.9 else (False, True)
    )
    travel_radius = rng.choice((5, 8, 10, 15, 20, 30)) if mobile else None
    step_free = in_clinic and rng.random() < 0.55
    toilet = step_free and rng.random() < 0.5
    notes = rng.choice(_ACCESS_NOTES) if in_clinic and rng.random() < 0.4 else ""

    languages = [city.languages[0]]
    for extra in city.languages[1:]:
        if rng.random() < 0.45:
            languages.append(extra)
    if rng.random() < 0.2:
        languages.append(rng.choice(EXTRA_LANGUAGES))
    languages = list(dict.fromkeys(languages))

    techniques = rng.sample(THERAPIST_TECHNIQUES, rng.choice((1, 2, 2, 3, 3, 4)))
    services = tuple(
        DemoService(
            technique=t,
            duration_min=(minutes := rng.choice(_DURATIONS[t])),
            price_minor=_price_minor(rng, city, t, minutes),
            currency=city.currency,
        )
        for t in techniques
    )
    career = rng.randint(1, 30)
    experience = tuple((t, rng.randint(max(0, career - 12), career)) for t in techniques)
    certifications = tuple(
        _certification(rng, technique=t, city=city, now=now, years=years)
        for t, years in experience
        if rng.random() < 0.7
    )
    licence = _licence(rng, index=index, city=city, now=now)
    reviews = _reviews(rng, now=now, zone=zone, services=services, licence=licence)

    words = [_TECHNIQUE_WORDS[t] for t in techniques]
    offered = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    bio = (
        f"{rng.choice(_BIO_OPENERS)} {career} years in practice in {city.name}, offering "
        f"{offered}. {rng.choice(_BIO_CLOSERS)}"
    )
    created = licence.submitted_at - dt.timedelta(days=rng.randint(1, 30))
    if reviews:
        created = min(created, reviews[0].start - dt.timedelta(days=rng.randint(1, 60)))
    return DemoTherapist(
        index=index,
        email=therapist_email(index),
        display_name=display_name,
        gender=gender,
        city=city.name,
        country=city.country,
        time_zone=city.time_zone,
        address=address,
        latitude=latitude,
        longitude=longitude,
        in_clinic=in_clinic,
        mobile=mobile,
        travel_radius_km=travel_radius,
        step_free_access=step_free,
        accessible_toilet=toilet,
        accessibility_notes=notes,
        bio=bio,
        languages=tuple(languages),
        services=services,
        experience=experience,
        licence=licence,
        certifications=certifications,
        reviews=reviews,
        onboarding_completed_at=created + dt.timedelta(hours=1),
        created_at=created,
    )


def demo_therapists(*, count: int, seed: int, now: dt.datetime) -> list[DemoTherapist]:
    """The first `count` demo therapists, in index order."""
    if count < 0:
        raise ValueError("count must be 0 or more")
    return [demo_therapist(seed=seed, index=i, now=now) for i in range(count)]


# --- The demo therapist persona (therapist@demo.backrelief.test, core/demo.py PERSONAS) -------

PERSONA_LICENCE_NUMBER = f"{LICENCE_PREFIX}-LON-PERSONA"
# The demo client's two sessions with the persona: one reviewed, one waiting for a review.
PERSONA_CLIENT_REVIEWED_DAYS_AGO = 40
PERSONA_CLIENT_UNREVIEWED_DAYS_AGO = 5
PERSONA_CLIENT_REVIEW_TEXT = (
    "Theo checked what pressure I wanted and my lower back felt easier for the whole week."
)


def demo_persona_therapist(*, email: str, display_name: str, now: dt.datetime) -> DemoTherapist:
    """The demo therapist persona's complete, listed profile: London, three services, a verified
    licence valid for two more years, verified certifications and eight reviews from the reviewer
    pool. The demo client's two sessions come from `demo_persona_client_sessions`."""
    rng = random.Random("backrelief-demo-persona-therapist")  # noqa: S311 (not for secrets)
    city = CITIES_BY_NAME["London"]
    today = now.astimezone(dt.UTC).date()
    services = (
        DemoService("swedish", 60, 6500, city.currency),
        DemoService("deep_tissue", 60, 7500, city.currency),
        DemoService("trigger_point", 45, 5500, city.currency),
    )
    experience = (("swedish", 12), ("deep_tissue", 9), ("trigger_point", 5))
    decided = now - dt.timedelta(days=400)
    licence = DemoLicence(
        state=LicenceState.VALID,
        country=city.country,
        region=city.region,
        registry=city.registry,
        number=PERSONA_LICENCE_NUMBER,
        issued_on=today - dt.timedelta(days=3 * 365),
        expires_on=today + dt.timedelta(days=2 * 365),
        status="verified",
        submitted_at=decided - dt.timedelta(days=2),
        decided_at=decided,
        rejection_reason="",
    )
    certifications = tuple(
        DemoCertification(
            technique=technique,
            provider=city.providers[i % len(city.providers)],
            hours=(300, 150, 60)[i],
            completed_on=today - dt.timedelta(days=365 * years + 90),
            status="verified",
            submitted_at=decided - dt.timedelta(days=2),
            decided_at=decided,
            rejection_reason="",
        )
        for i, (technique, years) in enumerate(experience)
    )
    reviews = []
    for n, reviewer in enumerate(rng.sample(range(REVIEWER_POOL), 8)):
        service = n % len(services)
        start, end = _local_session(
            rng,
            now=now,
            days_ago=60 + 35 * n,
            zone=ZoneInfo(city.time_zone),
            minutes=services[service].duration_min,
        )
        rating = (5, 5, 4, 5, 4, 5, 3, 5)[n]
        reviews.append(
            DemoReview(
                reviewer=reviewer,
                service=service,
                start=start,
                end=end,
                created_at=end + dt.timedelta(days=2),
                rating=rating,
                text=rng.choice(_REVIEW_TEXTS[rating]),
                show_name=n % 3 == 0,
                hidden_reason="",
                reply=_REPLIES[0] if rating == 5 and n < 3 else "",
                report_by=None,
                report_note="",
            )
        )
    return DemoTherapist(
        index=-1,
        email=email,
        display_name=display_name,
        gender="man",
        city=city.name,
        country=city.country,
        time_zone=city.time_zone,
        address="Upper Street 120, N1 1QP London",
        latitude=51.5416,
        longitude=-0.1030,
        in_clinic=True,
        mobile=True,
        travel_radius_km=10,
        step_free_access=True,
        accessible_toilet=True,
        accessibility_notes="Ground floor, level entrance from the street.",
        bio=(
            "I help people with desk-work backs move more easily again. Twelve years in "
            "practice in Islington, offering Swedish massage, deep tissue work and trigger point "
            "therapy. I explain what I am doing as I go, and you can stop at any time."
        ),
        languages=("en", "de"),
        services=services,
        experience=experience,
        licence=licence,
        certifications=certifications,
        reviews=tuple(sorted(reviews, key=lambda r: r.start)),
        onboarding_completed_at=decided - dt.timedelta(days=3),
        created_at=decided - dt.timedelta(days=3),
    )


def demo_persona_client_sessions(*, now: dt.datetime) -> tuple[DemoReview, DemoReview]:
    """The demo client's sessions with the therapist persona (Swedish massage, 60 minutes):
    one 40 days ago, reviewed 5 stars, and one 5 days ago (completed, inside the review window)
    not reviewed yet, so "write a review" can be tried. The second's rating/text are unused."""
    zone = ZoneInfo("Europe/London")
    rng = random.Random("backrelief-demo-persona-client")  # noqa: S311 (not for secrets)
    sessions = []
    for days_ago in (PERSONA_CLIENT_REVIEWED_DAYS_AGO, PERSONA_CLIENT_UNREVIEWED_DAYS_AGO):
        start, end = _local_session(rng, now=now, days_ago=days_ago, zone=zone, minutes=60)
        sessions.append(
            DemoReview(
                reviewer=-1,
                service=0,
                start=start,
                end=end,
                created_at=end + dt.timedelta(days=1),
                rating=5,
                text=PERSONA_CLIENT_REVIEW_TEXT,
                show_name=False,
                hidden_reason="",
                reply="",
                report_by=None,
                report_note="",
            )
        )
    return sessions[0], sessions[1]


def demo_evidence_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a scanned licence or certificate, marked as demo data, so
    staff can open the evidence of a pending demo credential. `title` must be ASCII."""
    lines = [title, "DEMO DATA - not a real document"]
    text = b" ".join(
        b"BT /F1 16 Tf 72 %d Td (%s) Tj ET" % (770 - 30 * i, line.encode("ascii"))
        for i, line in enumerate(lines)
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
