"""DOMAIN §3.3 rows for conditions that affect the whole body (scope GLOBAL, except the
"not on the legs" parts of the past-DVT row). Part of the rule set versioned by
`RULES_VERSION` in `catalog/data/contraindications.py`; texts are plain-language
transcriptions of the cells. Project-policy readings are listed in docs/rules.md.
"""

from __future__ import annotations

from backrelief.catalog.data.regions import LEGS
from backrelief.catalog.data.rule_model import Cell, Rule, avoid, modify, ok, row, row_from

R = "DOMAIN §3.3"
APPROVED = ("clinician_approved",)

_POSTPONE = avoid("Postpone massage until you feel well again.")
FEVER = row(
    "fever",
    f"{R} 'Fever / acute infection / feeling acutely unwell'",
    swedish=_POSTPONE,
    deep_tissue=_POSTPONE,
    trigger_point=_POSTPONE,
    shiatsu=_POSTPONE,
    hot_stone=_POSTPONE,
    self_massage=_POSTPONE,
)

_BLEEDING = avoid("Firm pressure can cause bruising or bleeding when blood clots less easily.")
ANTICOAGULANTS = row(
    "anticoagulants",
    f"{R} 'Anticoagulants … or bleeding disorder / low platelets'",
    swedish=modify(
        "Light pressure only and no tapping; tell your therapist about any bruising you "
        "cannot explain."
    ),
    deep_tissue=_BLEEDING,
    trigger_point=_BLEEDING,
    shiatsu=modify("Light palm pressure only; no held thumb or elbow pressure on points."),
    hot_stone=modify("Light pressure, with stones warm rather than hot."),
    self_massage=modify("Hands only, with light pressure; no balls, rollers or canes."),
)

_CLOT = avoid("Not while there may be a clot in a vein.")
DVT_CURRENT = row(
    "dvt_current",
    f"{R} 'Current or suspected DVT'",
    swedish=avoid(
        "A possible clot in a vein is a medical problem: have it checked urgently, today."
    ),
    deep_tissue=_CLOT,
    trigger_point=_CLOT,
    shiatsu=_CLOT,
    hot_stone=_CLOT,
    self_massage=_CLOT,
)

_NOT_ON_LEGS = modify("Not on the legs.", local=True, regions=LEGS)
_DVT_PAST_DEEP = (
    avoid(
        "After a clot, firm pressure on the back or neck needs a doctor's agreement first, "
        "and is never used on the legs."
    ),
    modify("Not on the legs.", local=True, regions=LEGS, when=APPROVED),
)
DVT_PAST = row(
    "dvt_past",
    f"{R} 'Past DVT, treated and resolved'",
    clearance=("deep_tissue", "trigger_point"),
    swedish=modify(
        "No massage on the arm or leg that had the clot; the back and neck can be massaged. "
        "If you still take blood thinners, list them too.",
        local=True,
    ),
    deep_tissue=_DVT_PAST_DEEP,
    trigger_point=_DVT_PAST_DEEP,  # "as deep tissue"
    shiatsu=_NOT_ON_LEGS,
    hot_stone=_NOT_ON_LEGS,
    self_massage=modify("Do not roll or press on the leg that had the clot.", local=True),
)

_SHIATSU_POINTS = (
    "no strong pressure on the web between thumb and finger, the inner lower leg or the top "
    "of the shoulder (tradition advises this in pregnancy; there is no evidence either way)."
)
PREGNANCY_T1 = row(
    "pregnancy_t1",
    f"{R} 'Pregnancy – 1st trimester'",
    swedish=modify(
        "Light to moderate pressure, with a therapist trained in pregnancy massage. Some "
        "therapists prefer to wait until after the first 3 months."
    ),
    deep_tissue=modify("Moderate pressure only."),
    trigger_point=modify("Short holds with moderate pressure only; nothing on the belly."),
    shiatsu=modify(_SHIATSU_POINTS[0].upper() + _SHIATSU_POINTS[1:]),
    hot_stone=avoid(
        "No heat in the first 3 months of pregnancy: overheating early in pregnancy is linked "
        "with a higher chance of problems in the baby's spine (neural-tube defects)."
    ),
    self_massage=modify("Hands or a ball against a wall only; no heated tools."),
)

_SIDE_LYING_NO_LEGS = modify("Lying on your side; not on the legs.")
PREGNANCY_T2_T3 = row(
    "pregnancy_t2_t3",
    f"{R} 'Pregnancy – 2nd/3rd trimester'",
    clearance=("hot_stone",),
    swedish=modify(
        "Lying on your side or sitting, not flat on your back for long; no deep pressure on "
        "the legs."
    ),
    deep_tissue=_SIDE_LYING_NO_LEGS,
    trigger_point=_SIDE_LYING_NO_LEGS,  # "as deep tissue"
    shiatsu=modify("Lying on your side; " + _SHIATSU_POINTS),
    hot_stone=(
        avoid("Heat in pregnancy is a decision for your midwife or doctor."),
        modify(
            "Stones warm, never hot, and none on the belly or lower back.",
            when=APPROVED,
        ),
    ),
    self_massage=modify(
        "Standing with a ball against a wall only; no lying face down on balls and no lying "
        "on your back on a roller."
    ),
)

_HIGH_RISK = avoid("Not during a high-risk pregnancy.")
PREGNANCY_HIGH_RISK = row(
    "pregnancy_high_risk",
    f"{R} 'High-risk pregnancy'",
    clearance=("swedish",),
    swedish=(
        avoid("Not until your obstetric team agrees."),
        modify(
            "Only as your obstetric team advised, with a therapist trained in pregnancy massage.",
            when=APPROVED,
        ),
    ),
    deep_tissue=_HIGH_RISK,
    trigger_point=_HIGH_RISK,
    shiatsu=_HIGH_RISK,
    hot_stone=_HIGH_RISK,
    self_massage=_HIGH_RISK,
)

_NUMB_MODERATE = modify(
    "Moderate pressure only: numbness makes it hard to feel when pressure is too much."
)
DIABETES_NEUROPATHY = row(
    "diabetes_neuropathy",
    f"{R} 'Diabetes with peripheral neuropathy'",
    swedish=modify(
        "Moderate pressure; check the skin afterwards; keep away from insulin injection sites."
    ),
    deep_tissue=_NUMB_MODERATE,
    trigger_point=_NUMB_MODERATE,  # "as deep tissue"
    shiatsu=modify("Moderate pressure only."),
    hot_stone=avoid("Risk of burns where feeling is reduced."),
    self_massage=modify("No heated tools; check your skin afterwards."),
)

DIABETES = row(
    "diabetes",
    f"{R} 'Diabetes without neuropathy'",
    swedish=ok(
        "Keep away from insulin injection sites, and have a snack to hand in case your blood "
        "sugar drops."
    ),
    deep_tissue=ok(),
    trigger_point=ok(),
    shiatsu=ok(),
    hot_stone=modify("Check that the skin has normal feeling before heat is used."),
    self_massage=ok(),
)

_BONES = "Not with severe bone thinning, or when we do not know how severe it is."
_BONE_CELLS: dict[str, Cell] = {
    "swedish": modify(
        "Light to moderate pressure; no springing or tapping over the spine or ribs."
    ),
    "deep_tissue": avoid("Firm pressure could break weakened bones."),
    "trigger_point": (
        avoid(_BONES),
        modify("Light pressure only, never over the ribs or spine.", when=("not_severe",)),
    ),
    "shiatsu": (
        avoid(_BONES),
        modify(
            "No body-weight pressure through the spine or ribs and no forceful stretches.",
            when=("not_severe",),
        ),
    ),
    "hot_stone": modify("No stones pressed into the spine or ribs."),
    "self_massage": modify(
        "Hands only over the spine and ribs: no lying or rolling on a foam roller or balls there."
    ),
}
_BONE_ROW = f"{R} 'Osteoporosis / osteopenia / long-term oral steroids / fragility fracture'"
OSTEOPOROSIS = row_from("osteoporosis", _BONE_ROW, _BONE_CELLS)
# Same row; no severity qualifier exists for it, so the 'severe' branch always applies.
FRAGILITY_FRACTURE_HISTORY = row_from("fragility_fracture_history", _BONE_ROW, _BONE_CELLS)

HYPERTENSION_CONTROLLED = row(
    "hypertension_controlled",
    f"{R} 'High blood pressure — controlled'",
    swedish=ok(),
    deep_tissue=ok(),
    trigger_point=ok(),
    shiatsu=ok(),
    hot_stone=modify("Moderate heat only, and sit up slowly afterwards."),
    self_massage=ok(),
)

_BP_REVIEW = avoid("Have your blood pressure reviewed by a doctor first.")
HYPERTENSION_UNCONTROLLED = row(
    "hypertension_uncontrolled",
    f"{R} 'High blood pressure — uncontrolled or very high'",
    swedish=_BP_REVIEW,
    deep_tissue=_BP_REVIEW,
    trigger_point=_BP_REVIEW,
    shiatsu=_BP_REVIEW,
    hot_stone=_BP_REVIEW,
    self_massage=_BP_REVIEW,
)

WHOLE_BODY_RULES: tuple[Rule, ...] = (
    *FEVER,
    *ANTICOAGULANTS,
    *DVT_CURRENT,
    *DVT_PAST,
    *PREGNANCY_T1,
    *PREGNANCY_T2_T3,
    *PREGNANCY_HIGH_RISK,
    *DIABETES_NEUROPATHY,
    *DIABETES,
    *OSTEOPOROSIS,
    *FRAGILITY_FRACTURE_HISTORY,
    *HYPERTENSION_CONTROLLED,
    *HYPERTENSION_UNCONTROLLED,
)
