"""DOMAIN §3.3 rows for conditions at a place on the body ("Local" = at or near the affected
area), and the rows this project adds for conditions DOMAIN names only in §6 (implanted
devices, shoulder instability, pelvic girdle pain, lymphoedema risk). Part of the rule set
versioned by `RULES_VERSION` in `catalog/data/contraindications.py`; project-policy readings
are listed in docs/rules.md.
"""

from __future__ import annotations

from backrelief.catalog.data.rule_model import Cell, Rule, avoid, modify, ok, row, row_from

R = "DOMAIN §3.3"
P = "Project policy [P], docs/rules.md"
APPROVED = ("clinician_approved",)
SURGERY_ROW = f"{R} 'Recent surgery'"

_NEAR_OP = avoid("Not near a recent operation.", local=True)


def _surgery_cells(*, stretches: str = "") -> dict[str, Cell]:
    """The 'Recent surgery' row; `stretches` adds a change that applies even away from the
    operated area (hip or shoulder stretches in shiatsu) [P]."""
    extra = (stretches,) if stretches else ()
    return {
        "swedish": modify("Keep away from the area of the operation.", local=True),
        "deep_tissue": _NEAR_OP,  # "AVOID local; MODIFY elsewhere"
        "trigger_point": _NEAR_OP,
        "shiatsu": avoid("Not near a recent operation.", local=True, elsewhere=extra),
        "hot_stone": avoid("No heat on healing tissue near a recent operation.", local=True),
        "self_massage": _NEAR_OP,
    }


RECENT_SURGERY = row_from("recent_surgery", SURGERY_ROW, _surgery_cells())
SHOULDER_SURGERY_RECENT = row_from(
    "shoulder_surgery_recent",
    f"{SURGERY_ROW} at the shoulder",
    _surgery_cells(stretches="No shoulder stretches or rotations."),
)
HIP_REPLACEMENT_RECENT = row_from(
    "hip_replacement_recent",
    f"{SURGERY_ROW} at the hip",
    _surgery_cells(stretches="No hip stretches or rotations."),
)

_NEAR_SPINE_OP = avoid("Not near the operated part of the spine.", local=True)
SPINAL_SURGERY = row(
    "spinal_surgery",
    f"{SURGERY_ROW} ('spinal surgery needs surgeon clearance')",
    clearance=("swedish",),
    swedish=(
        avoid(
            "Massage near the spine after spinal surgery needs your surgeon's agreement first.",
            local=True,
        ),
        modify("Keep away from the area of the operation.", local=True, when=APPROVED),
    ),
    deep_tissue=_NEAR_SPINE_OP,
    trigger_point=_NEAR_SPINE_OP,
    shiatsu=_NEAR_SPINE_OP,
    hot_stone=avoid("No heat on healing tissue near the operated part of the spine.", local=True),
    # DOMAIN §6.2 exercise 7 excludes foam rolling after spinal surgery or fusion.
    self_massage=avoid(
        "Not near the operated part of the spine.",
        local=True,
        elsewhere=("No foam roller along the spine.",),
    ),
)

_AT_RISK = "the arm or side of the chest at risk of swelling"
LYMPHOEDEMA_RISK = row(
    "breast_surgery_or_lymphoedema_risk",
    f"{P}, from {R} cancer rows ('lymphoedema-risk limbs', 'lymph-node-dissection areas "
    "unless cleared') and DOMAIN §6.2 exercise 8",
    clearance=("swedish",),
    swedish=(
        avoid(f"Not on {_AT_RISK} unless your care team has agreed.", local=True),
        modify(f"Light pressure only on {_AT_RISK}.", local=True, when=APPROVED),
    ),
    deep_tissue=avoid(f"No firm pressure on {_AT_RISK}.", local=True),
    trigger_point=avoid(f"No held pressure on {_AT_RISK}.", local=True),
    shiatsu=avoid(f"No pressure on {_AT_RISK}.", local=True),
    hot_stone=avoid(f"No heat or pressure on {_AT_RISK}.", local=True),
    self_massage=avoid(
        "No balls or pressure on the armpit, chest or arm on that side.", local=True
    ),
)

_FRESH_INJURY = avoid("Not on a fresh injury.", local=True)
RECENT_INJURY = row(
    "recent_injury",
    f"{R} 'Recent injury'",
    swedish=modify("Keep away from the injured area.", local=True),
    deep_tissue=_FRESH_INJURY,
    trigger_point=_FRESH_INJURY,
    shiatsu=_FRESH_INJURY,
    hot_stone=avoid("No heat on a fresh injury: it increases swelling.", local=True),
    self_massage=_FRESH_INJURY,
)

_ON_SKIN = avoid("Not on the affected skin.", local=True)
SKIN_LOCAL = row(
    "skin_local",
    f"{R} 'Skin problems at the site'",
    swedish=avoid(
        "Not on the affected skin.",
        local=True,
        elsewhere=("If the skin problem could be infectious, keep it covered and untouched.",),
    ),
    deep_tissue=_ON_SKIN,
    trigger_point=_ON_SKIN,
    shiatsu=_ON_SKIN,
    hot_stone=(
        avoid(
            "No hot stones with a skin problem that is widespread or made worse by heat, or "
            "when we do not know."
        ),
        avoid("Not on the affected skin.", local=True, when=("localised",)),
    ),
    self_massage=_ON_SKIN,  # open wounds: Delphi consensus contraindication (Bartsch 2021)
)

VARICOSE_VEINS = row(
    "varicose_veins",
    f"{R} 'Varicose veins'",
    swedish=modify("Only light strokes over the veins.", local=True),
    deep_tissue=avoid("No deep pressure over varicose veins.", local=True),
    trigger_point=avoid("No held pressure over varicose veins.", local=True),
    shiatsu=modify("No pressure over the veins.", local=True),
    hot_stone=modify("No stones on legs with varicose veins.", local=True),
    self_massage=avoid("No rolling over varicose veins.", local=True),
)

_CANCER_FIRM = avoid("Not during or soon after cancer treatment, or with cancer in the bones.")
CANCER_ACTIVE = row(
    "cancer_active",
    f"{R} 'Cancer — active treatment, recent treatment or known bone metastases'",
    clearance=("hot_stone",),
    swedish=modify(
        "A therapist trained in cancer care, light pressure only, keeping away from tumour "
        "sites, ports or lines, areas treated with radiotherapy and any arm or leg at risk of "
        "swelling. During chemotherapy, check your platelet count with your cancer team."
    ),
    deep_tissue=_CANCER_FIRM,
    trigger_point=_CANCER_FIRM,
    shiatsu=modify("Light pressure only."),
    hot_stone=(
        avoid("Not during chemotherapy or radiotherapy: skin and nerves are more sensitive."),
        modify(
            "Stones warm, not hot, as agreed with your cancer team; check skin feeling first.",
            when=("chemo_or_radiotherapy_finished", *APPROVED),
        ),
    ),
    self_massage=avoid(
        "Not over a tumour, cancer in the bone, an area treated with radiotherapy, or a port.",
        local=True,
        elsewhere=("Hands only.",),
    ),
)

_TELL_HISTORY = modify("Tell your therapist about your cancer and its treatment.")
CANCER_REMISSION = row(
    "cancer_remission",
    f"{R} 'Cancer — in long-term remission'",
    clearance=("swedish", "deep_tissue"),
    swedish=(
        modify("Keep away from areas where lymph nodes were removed, unless your doctor agrees."),
        ok(when=("no_lymph_nodes_removed",)),
        ok(when=APPROVED),
    ),
    deep_tissue=(
        avoid(
            "Firm pressure needs a doctor's agreement if the cancer ever affected your bones, "
            "or if we do not know."
        ),
        modify(_TELL_HISTORY.text, when=("no_bone_involvement",)),
        modify(_TELL_HISTORY.text, when=APPROVED),
    ),
    trigger_point=_TELL_HISTORY,
    shiatsu=ok(),
    hot_stone=modify("Check skin feeling first: numbness can remain after cancer treatment."),
    self_massage=ok("Do not press on an arm or leg at risk of swelling (lymphoedema)."),
)

_NECK = frozenset({"NECK"})
NECK_VASCULAR_OR_INSTABILITY = row(
    "neck_vascular_or_instability",
    f"{R} 'Neck-specific: stroke/TIA, neck artery disease, recent whiplash, …'",
    swedish=modify(
        "Light work on the back of the neck only; nothing on the front or sides of the neck; "
        "no holding the head turned or tipped back.",
        local=True,
        regions=_NECK,
    ),
    deep_tissue=avoid("No deep work on the neck.", local=True, regions=_NECK),
    trigger_point=avoid("No held pressure on the neck.", local=True, regions=_NECK),
    shiatsu=avoid(
        "No pressure on the neck and no neck stretches or rotations.",
        local=True,
        regions=_NECK,
        elsewhere=("No neck stretches or rotations.",),
    ),
    hot_stone=modify("No stones on the front or sides of the neck.", local=True, regions=_NECK),
    self_massage=avoid(
        "No tools on the neck: no balls under the base of the skull and no cane on the neck.",
        local=True,
        regions=_NECK,
        elsewhere=("No massage cane or balls near the neck.",),
    ),
)

_NEAR_DEVICE = avoid("No pressure over or near the device.", local=True)
IMPLANTED_DEVICE = row(
    "implanted_device",
    f"{P}, from DOMAIN §6.1 'stay off implanted devices' and §6.2 exercises 4, 5 and 8",
    swedish=modify("Light strokes around the device, never over it.", local=True),
    deep_tissue=_NEAR_DEVICE,
    trigger_point=_NEAR_DEVICE,
    shiatsu=_NEAR_DEVICE,
    hot_stone=avoid("No stones or heat over or near the device.", local=True),
    self_massage=avoid("No balls, rollers or canes over or near the device.", local=True),
)

_SUPPORTED_ARM = modify(
    "Keep the arm supported: no shoulder stretches, rotations or pulling on the arm.",
    local=True,
)
SHOULDER_INSTABILITY = row(
    "shoulder_instability",
    f"{P}, from DOMAIN §6.2 exercise 4 and §3.2 (shiatsu stretches and rotations)",
    swedish=_SUPPORTED_ARM,
    deep_tissue=_SUPPORTED_ARM,
    trigger_point=_SUPPORTED_ARM,
    shiatsu=modify(
        "No shoulder stretches or rotations.",
        local=True,
        elsewhere=("No shoulder stretches or rotations.",),
    ),
    hot_stone=_SUPPORTED_ARM,
    self_massage=modify("Hands only on that shoulder; no ball or cane.", local=True),
)

_SIDE_LYING = ok("Lying on your side with a pillow between your knees is often more comfortable.")
PELVIC_GIRDLE_PAIN = row(
    "pelvic_girdle_pain",
    f"{P}, from DOMAIN §6.2 exercise 13 and §3.2 (shiatsu stretches and rotations)",
    swedish=_SIDE_LYING,
    deep_tissue=_SIDE_LYING,
    trigger_point=_SIDE_LYING,
    shiatsu=modify("No hip or leg stretches, and nothing that spreads the legs wide."),
    hot_stone=_SIDE_LYING,
    self_massage=modify(
        "No ball under the buttock or against the pelvis; use your hands there.", local=True
    ),
)

LOCAL_RULES: tuple[Rule, ...] = (
    *RECENT_SURGERY,
    *SPINAL_SURGERY,
    *SHOULDER_SURGERY_RECENT,
    *HIP_REPLACEMENT_RECENT,
    *LYMPHOEDEMA_RISK,
    *RECENT_INJURY,
    *SKIN_LOCAL,
    *VARICOSE_VEINS,
    *CANCER_ACTIVE,
    *CANCER_REMISSION,
    *NECK_VASCULAR_OR_INSTABILITY,
    *IMPLANTED_DEVICE,
    *SHOULDER_INSTABILITY,
    *PELVIC_GIRDLE_PAIN,
)
