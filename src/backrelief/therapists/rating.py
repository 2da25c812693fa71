"""The therapist rating shown and ranked on (issue 5 item 3): a Bayesian average.

    bayesian = (PRIOR_WEIGHT * PRIOR_MEAN + sum of ratings) / (PRIOR_WEIGHT + number of ratings)

Every therapist starts as if they had `PRIOR_WEIGHT` reviews of `PRIOR_MEAN` stars; each real
review pulls the figure toward the therapist's own mean. So one 5-star review gives
(10 * 4.0 + 5) / 11 = 4.09, while forty reviews averaging 4.8 give (40 + 192) / 50 = 4.64: a
lucky first review cannot outrank a long record. A fixed prior (rather than the platform's
current mean) keeps a therapist's figure from moving when other people are reviewed, and
keeps the figure computable from the two numbers stored on the profile.

The raw mean and the count are always shown beside it ("4.7 from 31 reviews"); the Bayesian
figure orders, the raw figures inform. Hidden (moderated) reviews count in neither.
Documented in docs/rules.md ("Therapists: rating"). Pure: no ORM, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

PRIOR_MEAN = 4.0
PRIOR_WEIGHT = 10


@dataclass(frozen=True)
class Rating:
    count: int
    mean: float | None  # None without reviews
    bayesian: float

    def summary(self) -> str:
        """Plain words for a result card: "4.7 from 31 reviews", "1 review", "No reviews yet"."""
        if self.count == 0 or self.mean is None:
            return "No reviews yet"
        noun = "review" if self.count == 1 else "reviews"
        return f"{self.mean:.1f} from {self.count} {noun}"


def bayesian_average(*, count: int, total: int) -> float:
    """The Bayesian average of `count` ratings summing to `total` (see module docstring)."""
    if count < 0 or total < count or total > 5 * count:
        raise ValueError("ratings are 1 to 5: total must lie between count and 5 * count")
    return (PRIOR_WEIGHT * PRIOR_MEAN + total) / (PRIOR_WEIGHT + count)


def rating_of(*, count: int, total: int) -> Rating:
    """The figures shown for a therapist with `count` visible reviews summing to `total`."""
    return Rating(
        count=count,
        mean=None if count == 0 else total / count,
        bayesian=bayesian_average(count=count, total=total),
    )
