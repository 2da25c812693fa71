"""Translatable display labels for catalogue codes (evidence grades, pressure, clothing), shared
by the Techniques pages and the results page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from backrelief.catalog.data.evidence import EvidenceGrade
from backrelief.catalog.data.techniques import Clothing, Pressure

GRADE_LABELS = {
    EvidenceGrade.SUPPORTED: _("Supported"),
    EvidenceGrade.LIMITED: _("Limited"),
    EvidenceGrade.INSUFFICIENT: _("Insufficient"),
    EvidenceGrade.NOT_SUPPORTED: _("Not supported"),
}
PRESSURE_LABELS = {
    Pressure.LIGHT: _("light"),
    Pressure.MODERATE: _("moderate"),
    Pressure.FIRM: _("firm"),
    Pressure.STRONG: _("strong"),
}
CLOTHING_LABELS = {
    Clothing.CLOTHED: _("Usually received fully clothed."),
    Clothing.UNDRESSED: _("Usually received undressed, with oil or lotion, covered by towels."),
    Clothing.EITHER: _("Can be received clothed or undressed."),
}


def grade_label(grade: str) -> str:
    """The label of an evidence grade code as stored ("limited" → "Limited")."""
    try:
        return str(GRADE_LABELS[EvidenceGrade(grade)])
    except ValueError:
        return grade
