"""How the directory orders therapists (issue 5 item 4), as reviewable data.

"Best match" for a signed-in client whose latest assessment allows booking
(`therapists/matching.py` applies this table):

1. **Technique fit first, strictly.** A therapist's fit is the best assessment rank among the
   techniques they offer that the assessment does not AVOID (rank 1 = the technique
   recommended first; OK techniques rank before MODIFY ones in the assessment already). A
   therapist whose best offered technique is rank 1 always comes before one whose best is
   rank 2, whatever the other figures. AVOID techniques are never offered; a therapist who
   offers only AVOID techniques is not listed for that client.
2. **Then points (0-100)** within the same fit, from the three figures below, each scaled to
   0..1 and weighted by `POINTS`:
   - verified experience in the fit technique: years / `EXPERIENCE_CAP_YEARS` (capped), only
     counted while a verified certification in that technique exists;
   - the Bayesian rating (`therapists/rating.py`): (rating - 1) / 4;
   - distance: 1 / (1 + km / `DISTANCE_HALF_POINTS_KM`) (half the distance points at that
     many km; no points when no place was given).
   More experience, a better Bayesian rating or a shorter distance never lowers the points.
3. Ties: display name, then public id (stable, never the database order).

Without an assessment (anonymous, none yet, or one that blocks booking) "best match" orders
by the Bayesian rating, then distance, then the same tie order. The other sort options:
distance (nearest first, unknown last), rating (Bayesian, best first), price (lowest price of
the services shown, lowest first). Each then falls back to the default order.

The weights are a project choice [P], not evidence; bump `DIRECTORY_RANKING_VERSION` with any
change (docs/rules.md "Therapists: directory").
"""

from __future__ import annotations

DIRECTORY_RANKING_VERSION = "2026.1"

# Points within the same technique fit; they sum to 100.
POINTS: dict[str, int] = {"experience": 50, "rating": 35, "distance": 15}
EXPERIENCE_CAP_YEARS = 20
DISTANCE_HALF_POINTS_KM = 10.0

SORT_BEST = "best"
SORT_DISTANCE = "distance"
SORT_RATING = "rating"
SORT_PRICE = "price"
SORTS: dict[str, str] = {
    SORT_BEST: "Best match",
    SORT_DISTANCE: "Distance (nearest first)",
    SORT_RATING: "Rating (best first)",
    SORT_PRICE: "Price (lowest first)",
}

# How the why-line names each technique's experience ("8 years of deep-tissue experience").
EXPERIENCE_NOUNS: dict[str, str] = {
    "swedish": "Swedish massage",
    "deep_tissue": "deep-tissue",
    "trigger_point": "trigger-point",
    "shiatsu": "shiatsu",
    "hot_stone": "hot-stone",
    "self_massage": "self-massage coaching",
}
