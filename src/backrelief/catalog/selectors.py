"""Reads of the technique catalogue for pages and endpoints (issue 4 item 6).

The catalogue is versioned Python data (`catalog/data/techniques.py`), not database rows, so
these selectors only look things up; an unknown code is NotFound like any missing object.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from backrelief.catalog.data.techniques import TECHNIQUES, TECHNIQUES_BY_CODE, Technique
from backrelief.core.errors import NotFound


def technique_list() -> tuple[Technique, ...]:
    """Every technique of the catalogue, in catalogue order (DOMAIN §3.2)."""
    return TECHNIQUES


def technique_get(*, code: str) -> Technique:
    """The technique `code`, or NotFound."""
    technique = TECHNIQUES_BY_CODE.get(code)
    if technique is None:
        raise NotFound(_("Technique not found. Choose one from the list of techniques."))
    return technique
