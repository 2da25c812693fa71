"""Red-flag screening questions, user messages and the triage technique policy, as data.

Source: ../shared/DOMAIN.md §2.2 (questions, what each screens for, level on "yes") and §2.3
(messages per level). Everything here is meant to be read and signed off by a clinician
(STYLE.md rule 2); `triage.py` holds no wording and no thresholds of its own.

Wording is DOMAIN's, character for character, including its `**bold**` marks (Markdown): pages
render the marked words as `<strong>`, `plain()` gives the text without marks (stored with a
screening and shown where markup cannot be). Texts are wrapped in `gettext_noop`: they stay
plain English strings here (stored, compared, tested) and adapters translate them on display.

Versioning: `RED_FLAGS_VERSION` is stored beside every screening and every decision made from
it. Bump it with ANY change to a question, its order or level, a message or the technique
policy; `tests/test_red_flags_data.py` pins a fingerprint of the content to the version so a
change without a bump fails the suite.
"""

from __future__ import annotations

from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Marks a text for `makemessages` (xgettext knows this name) without needing settings, so
    the rules import anywhere (CLI, benchmarks, tests without Django set up)."""
    return message


RED_FLAGS_VERSION = "2026.1"

# Level names as plain strings (they equal `triage.TriageLevel` values; data must not import
# the logic that reads it).
EMERGENCY = "EMERGENCY"
URGENT = "URGENT"
SOON = "SOON"
NONE_REPORTED = "NONE_REPORTED"
NOT_SCREENED = "NOT_SCREENED"


EMPHASIS = "**"  # DOMAIN's Markdown bold; the only markup allowed in texts here


def plain(marked: str) -> str:
    """The text without emphasis marks, as stored with a screening and compared in tests."""
    return marked.replace(EMPHASIS, "")


def emphasis(marked: str) -> tuple[str, ...]:
    """The emphasised words, in order (every odd piece between `**` marks)."""
    return tuple(marked.split(EMPHASIS)[1::2])


@dataclass(frozen=True)
class RedFlagQuestion:
    """One yes/no screening question (DOMAIN §2.2). `level` is what a "yes" triggers."""

    id: str
    level: str  # EMERGENCY | URGENT | SOON
    marked: str  # DOMAIN's wording with its **bold** kept, for display
    screens_for: str  # for clinicians and the audit trail, not shown to the person
    note: str = ""  # DOMAIN's parenthetical on the level, kept for review

    @property
    def text(self) -> str:
        return plain(self.marked)


QUESTIONS: tuple[RedFlagQuestion, ...] = (
    RedFlagQuestion(
        "E1",
        EMERGENCY,
        gettext_noop(
            "Since your back pain started, have you had **new** trouble passing urine — "
            "difficulty starting, a weak stream, not feeling when your bladder is full, or "
            "leaking without noticing?"
        ),
        "Cauda equina syndrome (CES)",
    ),
    RedFlagQuestion(
        "E2",
        EMERGENCY,
        gettext_noop(
            "Have you had **new** loss of control of your bowels, or not being able to feel when "
            "you open your bowels?"
        ),
        "CES",
    ),
    RedFlagQuestion(
        "E3",
        EMERGENCY,
        gettext_noop(
            "Do you have **new** numbness or pins-and-needles between your legs, around your back "
            "passage or genitals, or on your inner thighs — or does toilet paper feel different "
            "when you wipe?"
        ),
        "CES (saddle anaesthesia)",
    ),
    RedFlagQuestion(
        "E4",
        EMERGENCY,
        gettext_noop(
            "Have you had a **new** change in sexual function (loss of feeling in the genitals, "
            "or new problems with erection/ejaculation) since the back pain began?"
        ),
        "CES",
    ),
    RedFlagQuestion(
        "E5",
        EMERGENCY,
        gettext_noop(
            "Are **both** of your legs becoming weak, numb or heavy, or are you suddenly finding "
            "it hard to walk?"
        ),
        "CES / spinal cord compression",
    ),
    RedFlagQuestion(
        "E6",
        EMERGENCY,
        gettext_noop(
            "With your neck pain or headache, have you had any of these: dizziness or the room "
            "spinning, double vision, slurred speech, trouble swallowing, sudden falls, numbness "
            "of the face, or weakness/numbness on one side of the body?"
        ),
        "Cervical artery dissection / stroke (posterior circulation)",
    ),
    RedFlagQuestion(
        "E7",
        EMERGENCY,
        gettext_noop(
            "Did a **severe** headache or neck pain come on **suddenly** (worst within about a "
            "minute), or is it the worst headache you have ever had?"
        ),
        "Subarachnoid haemorrhage / arterial dissection",
    ),
    RedFlagQuestion(
        "E8",
        EMERGENCY,
        gettext_noop(
            "Did this pain start after a **major** accident or injury (car crash, fall from a "
            "height or down stairs, hard sports collision), **or** do you have numbness/tingling "
            "in your arms or legs since an injury?"
        ),
        "Spinal fracture / cord injury (cf. Canadian C-spine rule, Stiell 2001)",
    ),
    RedFlagQuestion(
        "E9",
        EMERGENCY,
        gettext_noop(
            "Is your neck, upper back, shoulder or arm pain coming with chest pain or pressure, "
            "breathlessness, sweating or feeling sick — or does it come on with exertion? Or is "
            "it a sudden, tearing pain between the shoulder blades?"
        ),
        "Heart attack / aortic dissection presenting as back or arm pain",
    ),
    RedFlagQuestion(
        "E10",
        EMERGENCY,
        gettext_noop(
            "Do you have a fever **and** a stiff neck **and** a headache (or a rash that does not "
            "fade when pressed)?"
        ),
        "Meningitis",
    ),
    RedFlagQuestion(
        "U1",
        URGENT,
        gettext_noop(
            "Do you have a fever (38 °C / 100.4 °F or higher), shivering or night sweats together "
            "with your back or neck pain?"
        ),
        "Spinal infection",
    ),
    RedFlagQuestion(
        "U2",
        URGENT,
        gettext_noop(
            "Have you **ever** been treated for cancer, and is this back or neck pain new since "
            "then?"
        ),
        "Spinal metastasis",
    ),
    RedFlagQuestion(
        "U3",
        URGENT,
        gettext_noop(
            "Is one arm or one leg getting **weaker** (for example tripping on one foot, dropping "
            "things with one hand), and is it getting worse?"
        ),
        "Progressive neurological deficit / radiculopathy with motor loss",
    ),
    RedFlagQuestion(
        "U4",
        URGENT,
        gettext_noop(
            "Have your hands become clumsy (buttons, handwriting, dropping things), has your "
            "walking become unsteady, or do you get electric-shock feelings down your back or "
            "limbs when you bend your neck forward?"
        ),
        "Cervical myelopathy",
    ),
    RedFlagQuestion(
        "U5",
        URGENT,
        gettext_noop(
            "Did a minor fall, lift, cough or sneeze cause sudden severe back pain, **and** are "
            "you over 65, or have osteoporosis, or have you taken steroid tablets for more than 3 "
            "months?"
        ),
        "Osteoporotic (fragility) vertebral fracture",
    ),
    RedFlagQuestion(
        "U6",
        URGENT,
        gettext_noop(
            "Is the pain severe, constant and getting worse day by day, so that no position, rest "
            "or painkiller eases it at all?"
        ),
        "Serious pathology (non-mechanical pain)",
    ),
    RedFlagQuestion(
        "S1",
        SOON,
        gettext_noop(
            "Have you lost weight without trying — about 5 kg (10 lb) or more over the last few "
            "months?"
        ),
        "Malignancy, infection",
        note="urgent if U2 is also Yes (any U yes is URGENT anyway)",
    ),
    RedFlagQuestion(
        "S2",
        SOON,
        gettext_noop("Does the pain wake you at night and stay bad however you lie?"),
        "Malignancy, infection, inflammatory disease",
    ),
    RedFlagQuestion(
        "S3",
        SOON,
        gettext_noop(
            "Is this the first time you have had significant back or neck pain **and** are you "
            "over 50 (or under 20)?"
        ),
        "Higher prior risk of serious causes",
    ),
    RedFlagQuestion(
        "S4",
        SOON,
        gettext_noop(
            "Have you had pain, numbness or pins-and-needles spreading down one arm (past the "
            "elbow) or one leg (below the knee) for more than a few days?"
        ),
        "Radicular pain (nerve root)",
        note="avoid deep/tool work on that region meanwhile (the SOON policy avoids it everywhere)",
    ),
    RedFlagQuestion(
        "S5",
        SOON,
        gettext_noop(
            "Has the pain lasted more than 6 weeks without getting better, or is it steadily "
            "getting worse?"
        ),
        "Non-resolving pain needing assessment",
    ),
    RedFlagQuestion(
        "S6",
        SOON,
        gettext_noop(
            "Did the back pain start before age 45, has it lasted 3 months or more, and is it "
            "worse in the morning with stiffness that eases with movement rather than rest?"
        ),
        "Axial spondyloarthritis (NICE NG65 referral criteria)",
    ),
    RedFlagQuestion(
        "S7",
        SOON,
        gettext_noop(
            "Do you take medicines that weaken the immune system (including long-term steroid "
            "tablets), inject drugs, or have you recently had a spinal injection/operation or a "
            "serious infection?"
        ),
        "Spinal infection risk",
        note="urgent if U1 is also Yes (any U yes is URGENT anyway)",
    ),
    RedFlagQuestion(
        "S8",
        SOON,
        gettext_noop(
            "Do you feel generally unwell in a way you can't explain (e.g., exhausted, feverish, "
            "off your food)?"
        ),
        "Systemic illness",
    ),
)

QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in QUESTIONS)
QUESTIONS_BY_ID: dict[str, RedFlagQuestion] = {q.id: q for q in QUESTIONS}
E_QUESTIONS: tuple[str, ...] = tuple(q.id for q in QUESTIONS if q.level == EMERGENCY)
U_QUESTIONS: tuple[str, ...] = tuple(q.id for q in QUESTIONS if q.level == URGENT)
S_QUESTIONS: tuple[str, ...] = tuple(q.id for q in QUESTIONS if q.level == SOON)

# Combination escalation (DOMAIN §2.3 [P]): these "soon" answers together are URGENT.
URGENT_S_PAIR: tuple[str, str] = ("S1", "S2")
URGENT_S_COUNT = 3  # this many or more "soon" answers are URGENT


# What the person sees per level (DOMAIN §2.3), marked like the questions (`plain()` strips).
MESSAGES: dict[str, str] = {
    EMERGENCY: gettext_noop(
        "Your answers include a warning sign that needs emergency care. Call your local "
        "emergency number (e.g., 999 / 112 / 911) or go to the nearest emergency department "
        "now. Do not have a massage or do self-massage."
    ),
    URGENT: gettext_noop(
        "Please speak to a doctor **today** (same-day GP appointment, urgent care, or your "
        "local urgent medical helpline). Don't book a massage until a doctor has checked you."
    ),
    SOON: gettext_noop(
        "Please arrange to see your doctor in the next 1–2 weeks. Until then, stick to gentle "
        "movement and skip deep massage or tools on the painful area."
    ),
    NONE_REPORTED: gettext_noop(
        "No warning signs reported today. If anything changes, stop and answer these questions "
        "again."
    ),
    # Project wording (DOMAIN §2.3 only says "not screened, block booking"): says why nothing
    # is offered and what to do next; never implies that the person has been checked.
    NOT_SCREENED: gettext_noop(
        "Some warning-sign questions have not been answered yet, so we can't suggest massage "
        "or self-massage, and booking stays closed. Please answer every question. If you are "
        "not sure how to answer one, speak to a doctor before booking a massage."
    ),
}

# Levels at which no massage may be booked (DOMAIN §2.3 "What the system does").
BLOCKS_BOOKING: frozenset[str] = frozenset({EMERGENCY, URGENT, NOT_SCREENED})
# Levels whose page shows the local emergency number (data/emergency_numbers.py).
SHOWS_EMERGENCY_CONTACTS: frozenset[str] = frozenset({EMERGENCY})
# Levels after which a new screening needs the person's attestation that a clinician has
# assessed them (issue 3 item 4 for URGENT; EMERGENCY by project policy, see triage.py).
RESCREEN_NEEDS_ATTESTATION: frozenset[str] = frozenset({EMERGENCY, URGENT})


# --- What triage allows per technique --------------------------------------------------------
# Actions are the strings of `catalog.contraindications.Action` (OK / MODIFY / AVOID); triage
# is combined with the contraindication rules by "most restrictive wins" (DOMAIN §3).
OK = "OK"
MODIFY = "MODIFY"
AVOID = "AVOID"
TECHNIQUES: tuple[str, ...] = (
    "swedish",
    "deep_tissue",
    "trigger_point",
    "shiatsu",
    "hot_stone",
    "self_massage",
)


@dataclass(frozen=True)
class TriageTechniqueRule:
    action: str  # OK | MODIFY | AVOID
    modification: str = ""  # shown with MODIFY


def _all(action: str) -> dict[str, TriageTechniqueRule]:
    return {code: TriageTechniqueRule(action) for code in TECHNIQUES}


SOON_SWEDISH_MODIFICATION = gettext_noop("light pressure, not on the region you flagged")

TRIAGE_TECHNIQUE_POLICY: dict[str, dict[str, TriageTechniqueRule]] = {
    EMERGENCY: _all(AVOID),
    URGENT: _all(AVOID),
    NOT_SCREENED: _all(AVOID),
    # Project policy (issue 3 item 4): stricter than DOMAIN §2.3's "light Swedish-style work or
    # no massage"; self-massage is avoided too because nobody reviews where the person presses.
    SOON: {
        **_all(AVOID),
        "swedish": TriageTechniqueRule(MODIFY, SOON_SWEDISH_MODIFICATION),
    },
    # Triage adds no restriction; the contraindication rules (DOMAIN §3) still apply.
    NONE_REPORTED: _all(OK),
}
