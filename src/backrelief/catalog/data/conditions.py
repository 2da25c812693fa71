"""Health conditions that change which massage is offered (rows of DOMAIN §3.3), as data.

Each condition has a plain label and says whether it is *local* — whether the intake may give
it a side (left / right / both) and regions (DOMAIN §1.2 codes) — and which qualifiers the
intake may capture for it. Qualifiers pick a branch of a conditional cell of the table
("avoid if severe", "with clearance", "clinician decision"); without one, the most
restrictive branch applies (issue 3, docs/rules.md).

`side_regions` expands a side into regions when the intake gave a side but no regions (a past
DVT on the left → LEG_L). `fixed_regions` are where a non-local condition always applies
(neck-specific conditions → NECK).

Rows not written as such in DOMAIN §3.3 (`spinal_surgery`, `shoulder_surgery_recent`,
`hip_replacement_recent`, `breast_surgery_or_lymphoedema_risk`, `implanted_device`,
`shoulder_instability`, `pelvic_girdle_pain`, `fragility_fracture_history`) follow the DOMAIN
row or the DOMAIN §6 exclusion they belong with; docs/rules.md says which.

User-facing text never says "cleared" (DOMAIN §0.2); internal codes may say "approved".
"""

from __future__ import annotations

from dataclasses import dataclass

from backrelief.catalog.data.regions import lateral

# Qualifier codes, named after what the intake captures. Label = the statement the person
# agreed to (user-facing).
QUALIFIERS: dict[str, str] = {
    "clinician_approved": (
        "A doctor (or your surgeon, obstetric team or cancer team) has agreed to this kind of "
        "massage for you"
    ),
    "severe": "A doctor has told you it is severe",
    "not_severe": "A doctor has told you it is not severe",
    "bone_involvement": "The cancer has at some time affected your bones",
    "no_bone_involvement": "The cancer has never affected your bones",
    "lymph_nodes_removed": "You have had lymph nodes removed",
    "no_lymph_nodes_removed": "You have not had any lymph nodes removed",
    "chemo_or_radiotherapy_now": "You are having chemotherapy or radiotherapy now",
    "chemo_or_radiotherapy_finished": "Your chemotherapy or radiotherapy has finished",
    "widespread_heat_sensitive": "The skin problem is widespread or made worse by heat",
    "localised": "The skin problem is in one small area and not made worse by heat",
}


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    local: bool
    domain_ref: str
    qualifiers: tuple[str, ...] = ()
    # Groups of qualifiers that cannot be captured together (severe / not_severe).
    exclusive: tuple[tuple[str, ...], ...] = ()
    side_bases: tuple[str, ...] = ()
    fixed_regions: frozenset[str] = frozenset()

    def side_regions(self, side: str) -> frozenset[str] | None:
        """Regions implied by a side alone, or None when the side says nothing about where."""
        if not self.side_bases:
            return None
        return frozenset().union(*(lateral(base, side) for base in self.side_bases))


_APPROVED = ("clinician_approved",)
_SEVERITY = ("severe", "not_severe")
_ROW = "DOMAIN §3.3 row"

CONDITIONS: tuple[Condition, ...] = (
    Condition(
        "fever",
        "Fever, an infection or feeling acutely unwell",
        False,
        f"{_ROW} 'Fever / acute infection'",
    ),
    Condition(
        "anticoagulants",
        "Blood thinners (such as warfarin or heparin), a bleeding disorder or low platelets",
        False,
        f"{_ROW} 'Anticoagulants or bleeding disorder'",
    ),
    Condition(
        "dvt_current",
        "A blood clot in a vein (DVT) now, or one suspected: one-sided swelling, pain, "
        "warmth or redness of a calf or leg",
        False,
        f"{_ROW} 'Current or suspected DVT'",
    ),
    Condition(
        "dvt_past",
        "A blood clot in a vein (DVT) in the past, treated and resolved",
        True,
        f"{_ROW} 'Past DVT, treated and resolved'",
        _APPROVED,
        side_bases=("LEG",),
    ),
    Condition(
        "pregnancy_t1", "Pregnant: first 3 months", False, f"{_ROW} 'Pregnancy – 1st trimester'"
    ),
    Condition(
        "pregnancy_t2_t3",
        "Pregnant: from month 4 on",
        False,
        f"{_ROW} 'Pregnancy – 2nd/3rd trimester'",
        _APPROVED,
    ),
    Condition(
        "pregnancy_high_risk",
        "A high-risk pregnancy (such as pre-eclampsia, placenta praevia, bleeding, risk of "
        "early labour or a clotting disorder)",
        False,
        f"{_ROW} 'High-risk pregnancy'",
        _APPROVED,
    ),
    Condition(
        "diabetes_neuropathy",
        "Diabetes with numb feet or hands (nerve damage)",
        False,
        f"{_ROW} 'Diabetes with peripheral neuropathy'",
    ),
    Condition(
        "diabetes", "Diabetes without numbness", False, f"{_ROW} 'Diabetes without neuropathy'"
    ),
    Condition(
        "osteoporosis",
        "Osteoporosis or thin bones (osteopenia), or long-term steroid tablets",
        False,
        f"{_ROW} 'Osteoporosis … previous fragility fracture'",
        _SEVERITY,
        (_SEVERITY,),
    ),
    Condition(
        "fragility_fracture_history",
        "A bone broken before by a minor fall or knock",
        False,
        f"{_ROW} 'Osteoporosis … previous fragility fracture' (always the 'severe' branch)",
    ),
    Condition(
        "recent_surgery",
        "An operation in the last 12 weeks, or your surgeon has not yet said you can have massage",
        True,
        f"{_ROW} 'Recent surgery'",
    ),
    Condition(
        "spinal_surgery",
        "An operation on your spine (for example a fusion or a disc operation)",
        True,
        f"{_ROW} 'Recent surgery' (spinal surgery needs the surgeon's agreement)",
        _APPROVED,
    ),
    Condition(
        "shoulder_surgery_recent",
        "A shoulder operation in the last 12 weeks",
        True,
        f"{_ROW} 'Recent surgery' at the shoulder; DOMAIN §6.2 exercises 3 and 9",
        side_bases=("SHOULDER",),
    ),
    Condition(
        "hip_replacement_recent",
        "A hip replacement in the last 6 months",
        True,
        f"{_ROW} 'Recent surgery' at the hip; DOMAIN §6.2 exercise 13",
        side_bases=("BUTTOCK", "LEG"),
    ),
    Condition(
        "breast_surgery_or_lymphoedema_risk",
        "Breast cancer surgery, lymph nodes removed, or a risk of lymphoedema (arm swelling)",
        True,
        "DOMAIN §3.3 cancer rows (lymphoedema-risk limbs, lymph-node areas); §6.2 exercise 8",
        _APPROVED,
        side_bases=("SHOULDER", "ARM"),
    ),
    Condition(
        "recent_injury",
        "An injury in the last few days, with swelling or bruising, or a suspected tear",
        True,
        f"{_ROW} 'Recent injury'",
    ),
    Condition(
        "skin_local",
        "A skin problem where you would be massaged: an open wound, infection, burn or "
        "sunburn, weeping eczema, shingles, or a lump or mole that is new or changing",
        True,
        f"{_ROW} 'Skin problems at the site'",
        ("widespread_heat_sensitive", "localised"),
        (("widespread_heat_sensitive", "localised"),),
    ),
    Condition(
        "varicose_veins",
        "Varicose veins",
        True,
        f"{_ROW} 'Varicose veins'",
        side_bases=("LEG",),
    ),
    Condition(
        "cancer_active",
        "Cancer: in treatment, recently treated, or spread to the bones",
        True,
        f"{_ROW} 'Cancer — active treatment'",
        ("chemo_or_radiotherapy_now", "chemo_or_radiotherapy_finished", "clinician_approved"),
        (("chemo_or_radiotherapy_now", "chemo_or_radiotherapy_finished"),),
    ),
    Condition(
        "cancer_remission",
        "Cancer in long-term remission",
        False,
        f"{_ROW} 'Cancer — in long-term remission'",
        (
            "bone_involvement",
            "no_bone_involvement",
            "lymph_nodes_removed",
            "no_lymph_nodes_removed",
            "clinician_approved",
        ),
        (
            ("bone_involvement", "no_bone_involvement"),
            ("lymph_nodes_removed", "no_lymph_nodes_removed"),
        ),
    ),
    Condition(
        "hypertension_controlled",
        "High blood pressure, kept under control",
        False,
        f"{_ROW} 'High blood pressure — controlled'",
    ),
    Condition(
        "hypertension_uncontrolled",
        "High blood pressure that is not under control or very high, or with headache or "
        "changes in vision",
        False,
        f"{_ROW} 'High blood pressure — uncontrolled'",
    ),
    Condition(
        "neck_vascular_or_instability",
        "A stroke or mini-stroke (TIA), a neck artery problem, a neck injury or whiplash in "
        "the last 6 weeks, inflammatory arthritis of the neck, a known unstable neck, or "
        "Down syndrome",
        False,
        f"{_ROW} 'Neck-specific'",
        fixed_regions=frozenset({"NECK"}),
    ),
    Condition(
        "implanted_device",
        "An implanted device such as a pacemaker, a port or a nerve stimulator",
        True,
        "DOMAIN §6.1 (stay off implanted devices); §6.2 exercises 4, 5 and 8",
        side_bases=("SHOULDER",),
    ),
    Condition(
        "shoulder_instability",
        "A shoulder that dislocates or feels unstable",
        True,
        "DOMAIN §6.2 exercise 4 (shoulder instability)",
        side_bases=("SHOULDER",),
    ),
    Condition(
        "pelvic_girdle_pain",
        "Pelvic girdle pain (pain at the back or front of the pelvis, often in pregnancy)",
        True,
        "DOMAIN §6.2 exercise 13 (pregnancy-related pelvic girdle pain)",
        side_bases=("BUTTOCK",),
    ),
)

CONDITIONS_BY_CODE: dict[str, Condition] = {c.code: c for c in CONDITIONS}
CONDITION_CODES: tuple[str, ...] = tuple(c.code for c in CONDITIONS)

# Pairs that cannot both be true of one person at one time (rejected by parse_conditions).
EXCLUSIVE_CONDITIONS: tuple[tuple[str, str], ...] = (
    ("pregnancy_t1", "pregnancy_t2_t3"),
    ("hypertension_controlled", "hypertension_uncontrolled"),
)
