"""Evidence grades for massage claims (DOMAIN §5), as reviewable data.

`EVIDENCE` transcribes the DOMAIN §5 table. Its `marketing_wording` and `reason` fields are
internal reference text for whoever writes copy: they quote the claims we must NOT make
("lowers cortisol", "detox"), so they are never shown to users. What users see is the
`BenefitClaim.text` of a technique (`catalog/data/techniques.py`), which points back here
for its grade and sources.

Where DOMAIN gives a split grade ("Limited / insufficient") `grade` holds the more cautious
half and `domain_grade` keeps DOMAIN's wording (project policy, docs/rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EvidenceGrade(StrEnum):
    """DOMAIN §5 "Grade definitions used here" [P], strongest first."""

    SUPPORTED = "supported"
    LIMITED = "limited"
    INSUFFICIENT = "insufficient"
    NOT_SUPPORTED = "not_supported"


GRADE_DEFINITIONS: dict[EvidenceGrade, str] = {
    EvidenceGrade.SUPPORTED: (
        "Consistent benefit in systematic reviews of randomised trials, at least moderate "
        "certainty, for the claim as worded."
    ),
    EvidenceGrade.LIMITED: (
        "Some trial evidence of benefit, but low certainty, short-lived, small, or only in "
        "particular groups of people."
    ),
    EvidenceGrade.INSUFFICIENT: "Too few or too weak studies to say either way.",
    EvidenceGrade.NOT_SUPPORTED: (
        "The evidence points against the claim, or it relies on a mechanism with no "
        "demonstrable basis."
    ),
}


@dataclass(frozen=True)
class Source:
    """A citation as DOMAIN gives it; `tag` is DOMAIN's [V]/[R] verification tag."""

    citation: str
    tag: str
    doi: str = ""


S = Source
MOYER_2004 = S(
    "Moyer, Rounds & Hannum 2004, Psychol Bull 130:3-18", "V", "10.1037/0033-2909.130.1.3"
)
MOYER_2011 = S("Moyer et al. 2011, J Bodyw Mov Ther 15:3-14", "V", "10.1016/j.jbmt.2010.06.001")
FURLAN_2015 = S("Furlan et al. 2015, Cochrane CD001929", "V", "10.1002/14651858.CD001929.pub3")
QASEEM_2017 = S("Qaseem et al. 2017, Ann Intern Med 166:514-530", "V", "10.7326/M16-2367")
NICE_NG59 = S("NICE NG59 (2016, updated 2020), recommendation 1.2.7", "V")
PATEL_2012 = S("Patel et al. 2012, Cochrane CD004871.pub4", "R", "10.1002/14651858.CD004871.pub4")
BERVOETS_2015 = S(
    "Bervoets et al. 2015, J Physiother 61:106-116", "V", "10.1016/j.jphys.2015.05.018"
)
GROSS_2024 = S("Gross et al. 2024, Cochrane CD004871.pub5", "R", "10.1002/14651858.CD004871.pub5")
FANG_2023 = S("Fang et al. 2023, J Clin Nurs 32:4362-4373", "V", "10.1111/jocn.16660")
SAMUEL_2021 = S("Samuel et al. 2021, J Cancer Surviv 15(5)", "V", "10.1007/s11764-020-00972-x")
FIELD_2007 = S("Field et al. 2007", "R")
HOU_2010 = S("Hou et al. 2010, J Clin Psychiatry 71:894-901", "V", "10.4088/JCP.09r05009blu")
RAPAPORT_2010 = S(
    "Rapaport et al. 2010, J Altern Complement Med 16:1079-1088", "V", "10.1089/acm.2009.0634"
)
RAPAPORT_2012 = S(
    "Rapaport et al. 2012, J Altern Complement Med 18:789-797", "V", "10.1089/acm.2011.0071"
)
WILTSHIRE_2010 = S(
    "Wiltshire et al. 2010, Med Sci Sports Exerc 42:1062-1071", "V", "10.1249/MSS.0b013e3181c9214f"
)
HINDS_2004 = S("Hinds et al. 2004, Med Sci Sports Exerc 36:1308-1313", "V")
EZZO_2015 = S("Ezzo et al. 2015, Cochrane review of manual lymphatic drainage", "R")
DAY_1987 = S("Day et al. 1987, Phys Ther 67:926-930", "R")
DOMAIN_5_NO_SOURCE = S("DOMAIN §5: no published support found", "R")
DOMAIN_5_SHIATSU = S("DOMAIN §5, meridians row: shiatsu outcome studies are sparse", "R")
SELF_MASSAGE_STUDIES = S(
    "Foam-rolling and instrument self-massage studies (DOMAIN §6.2 evidence note)", "R"
)


@dataclass(frozen=True)
class EvidenceClaim:
    """One DOMAIN §5 row. Internal reference text: not user-facing (see module docstring)."""

    id: str
    marketing_wording: str
    grade: EvidenceGrade
    domain_grade: str
    reason: str
    sources: tuple[Source, ...]


EVIDENCE: tuple[EvidenceClaim, ...] = (
    EvidenceClaim(
        "stress_short_term",
        "Massage reduces stress (calmer, lower state anxiety right after a session)",
        EvidenceGrade.SUPPORTED,
        "Supported (short-term, subjective)",
        "Single sessions reduced state anxiety, blood pressure and heart rate (meta-analysis).",
        (MOYER_2004,),
    ),
    EvidenceClaim(
        "cortisol",
        "Massage lowers cortisol",
        EvidenceGrade.NOT_SUPPORTED,
        "Not supported",
        "Effects on cortisol are very small and not distinguishable from zero.",
        (MOYER_2004, MOYER_2011),
    ),
    EvidenceClaim(
        "low_back_pain",
        "Massage relieves low back pain",
        EvidenceGrade.LIMITED,
        "Limited",
        "Short-term improvement in pain only; low or very-low quality evidence.",
        (FURLAN_2015, QASEEM_2017, NICE_NG59),
    ),
    EvidenceClaim(
        "neck_pain",
        "Massage relieves neck pain",
        EvidenceGrade.INSUFFICIENT,
        "Limited / insufficient",
        "Reviews could make no recommendation; mostly low or very-low certainty.",
        (PATEL_2012, BERVOETS_2015, GROSS_2024),
    ),
    EvidenceClaim(
        "sleep",
        "Massage improves sleep",
        EvidenceGrade.LIMITED,
        "Limited",
        "Small trials in specific groups; low certainty; nothing robust in the general public.",
        (FANG_2023, SAMUEL_2021, FIELD_2007),
    ),
    EvidenceClaim(
        "anxiety_depression_course",
        "Massage reduces anxiety and depression (beyond a single session)",
        EvidenceGrade.LIMITED,
        "Limited",
        "Benefits after a course of treatment, but trials were small and unblinded.",
        (MOYER_2004, HOU_2010),
    ),
    EvidenceClaim(
        "immune",
        "Massage boosts your immune system",
        EvidenceGrade.INSUFFICIENT,
        "Insufficient",
        "Two pilot studies of surrogate markers; no clinical outcomes.",
        (RAPAPORT_2010, RAPAPORT_2012),
    ),
    EvidenceClaim(
        "circulation",
        "Massage increases circulation / flushes lactic acid",
        EvidenceGrade.NOT_SUPPORTED,
        "Not supported (muscle/systemic)",
        "Massage reduced muscle blood flow and slowed lactate removal compared with rest.",
        (WILTSHIRE_2010, HINDS_2004),
    ),
    EvidenceClaim(
        "detox",
        "Lymphatic massage detoxes the body",
        EvidenceGrade.NOT_SUPPORTED,
        "Not supported",
        "No specified toxins are removed by massage.",
        (EZZO_2015,),
    ),
    EvidenceClaim(
        "energy_lines",
        "Shiatsu/massage unblocks meridians / balances energy (qi)",
        EvidenceGrade.NOT_SUPPORTED,
        "Not supported",
        "No demonstrated anatomical or physiological correlate; not testable as stated.",
        (DOMAIN_5_NO_SOURCE,),
    ),
    EvidenceClaim(
        "endorphins",
        "Massage releases endorphins",
        EvidenceGrade.NOT_SUPPORTED,
        "Insufficient / not supported",
        "No change in plasma beta-endorphin after massage in healthy adults.",
        (DAY_1987,),
    ),
    EvidenceClaim(
        "posture",
        "Massage corrects your posture",
        EvidenceGrade.NOT_SUPPORTED,
        "Not supported",
        "No trials show lasting postural change from massage.",
        (DOMAIN_5_NO_SOURCE,),
    ),
    # Not DOMAIN §5 rows of their own: the remark on shiatsu in the meridians row, and the
    # DOMAIN §6.2 evidence note, graded by the §5 definitions [P].
    EvidenceClaim(
        "shiatsu_outcomes",
        "Shiatsu eases pain and helps you relax",
        EvidenceGrade.INSUFFICIENT,
        "Insufficient (DOMAIN §5: evidence for shiatsu's measured outcomes is sparse)",
        "Benefits should be described as measured outcomes, for which evidence is sparse.",
        (DOMAIN_5_SHIATSU,),
    ),
    # The DOMAIN §6.2 evidence note, graded by the §5 definitions [P].
    EvidenceClaim(
        "self_massage_short_term",
        "Self-massage with tools loosens muscles and eases soreness",
        EvidenceGrade.LIMITED,
        "Limited (DOMAIN §6.2 evidence note)",
        "Short-term range of motion and perceived soreness, not long-term pain outcomes.",
        (SELF_MASSAGE_STUDIES,),
    ),
)

EVIDENCE_BY_ID: dict[str, EvidenceClaim] = {e.id: e for e in EVIDENCE}

# DOMAIN §5 copy guidance: words no user-facing catalog text may contain (tested), plus
# "cleared" / "safe for massage" from DOMAIN §0.2 and §2.1.
FORBIDDEN_USER_WORDS: tuple[str, ...] = (
    "cleared",
    "safe for massage",
    "detox",
    "toxins",
    "immunity",
    "immune",
    "cortisol",
    "realign",
    "unblock",
    "meridian",
    "endorphin",
)
