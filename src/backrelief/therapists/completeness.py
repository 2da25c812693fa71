"""Profile completeness and the onboarding steps (issue 5 item 1), pure.

The onboarding wizard has four numbered steps and a closing page:

    about → practice → services → credentials-hint → done

`about`, `practice` and `services` are *required*: onboarding is complete (and the dashboard
stops sending the therapist to the wizard) once they are done. The credentials step only
explains what staff check and links to the licence form, because a licence is reviewed by a
person and may take days; it still counts toward the completeness percentage, as do a photo,
a bio and stated experience, which make a profile more useful to clients but are optional.

Every check reads plain values (`ProfileFacts`), so the table of rules is tested without a
database. Documented in docs/rules.md "Therapists: profile completeness".
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS: tuple[str, ...] = ("about", "practice", "services", "credentials-hint", "done")
NUMBERED_STEPS: tuple[str, ...] = STEPS[:4]
REQUIRED_STEPS: tuple[str, ...] = ("about", "practice", "services")
STEP_LABELS: dict[str, str] = {
    "about": "About you",
    "practice": "Your practice",
    "services": "Your services",
    "credentials-hint": "Your licence",
    "done": "Done",
}


@dataclass(frozen=True)
class ProfileFacts:
    """What completeness needs to know about a profile; None profile = `ProfileFacts.empty()`."""

    exists: bool
    display_name: str = ""
    bio: str = ""
    has_photo: bool = False
    language_count: int = 0
    address: str = ""
    has_coordinates: bool = False
    service_count: int = 0  # active services
    experience_count: int = 0
    licence_count: int = 0  # licences submitted and not rejected

    @classmethod
    def empty(cls) -> ProfileFacts:
        return cls(exists=False)


@dataclass(frozen=True)
class Item:
    """One thing a complete profile has: its key, the step that fills it, and what to do."""

    key: str
    step: str
    missing: str
    required: bool


# Order = the order the dashboard lists what is missing.
ITEMS: tuple[Item, ...] = (
    Item("display_name", "about", "Add the name clients will see.", True),
    Item("languages", "about", "Choose the languages you offer sessions in.", True),
    Item("bio", "about", "Write a short bio so clients know how you work.", False),
    Item("photo", "photo", "Add a photo of yourself.", False),
    Item("location", "practice", "Add your practice address and its map position.", True),
    Item("services", "services", "Add at least one service with its price.", True),
    Item("experience", "experience", "Say how many years you practise each technique.", False),
    Item("licence", "credentials-hint", "Submit your licence so staff can verify it.", False),
)


def _item_done(key: str, facts: ProfileFacts) -> bool:
    if not facts.exists:
        return False
    return {
        "display_name": bool(facts.display_name.strip()),
        "languages": facts.language_count > 0,
        "bio": bool(facts.bio.strip()),
        "photo": facts.has_photo,
        "location": bool(facts.address.strip()) and facts.has_coordinates,
        "services": facts.service_count > 0,
        "experience": facts.experience_count > 0,
        "licence": facts.licence_count > 0,
    }[key]


@dataclass(frozen=True)
class Completeness:
    done: tuple[str, ...]  # item keys
    missing: tuple[Item, ...]
    percent: int  # 0..100, rounded down so 100 means everything
    steps_done: dict[str, bool]  # per numbered step
    required_done: bool  # onboarding may be completed

    @property
    def first_open_step(self) -> str:
        """The first numbered step not done yet, or "done"."""
        return next((s for s in NUMBERED_STEPS if not self.steps_done[s]), "done")


def completeness(facts: ProfileFacts) -> Completeness:
    """Which items of `ITEMS` are done, the percentage done, what is missing in plain words,
    and which onboarding steps are done (a step is done when all its required items are; the
    credentials step when a licence has been submitted)."""
    done = tuple(item.key for item in ITEMS if _item_done(item.key, facts))
    missing = tuple(item for item in ITEMS if item.key not in done)
    steps_done = {
        step: all(item.key in done for item in ITEMS if item.step == step and item.required)
        and facts.exists
        for step in NUMBERED_STEPS
    }
    steps_done["credentials-hint"] = "licence" in done
    return Completeness(
        done=done,
        missing=missing,
        percent=(100 * len(done)) // len(ITEMS),
        steps_done=steps_done,
        required_done=all(steps_done[s] for s in REQUIRED_STEPS),
    )


def step_number(step: str) -> int | None:
    """1-based position of a numbered step ("Step 2 of 4"); None for "done" or unknown."""
    return NUMBERED_STEPS.index(step) + 1 if step in NUMBERED_STEPS else None


def next_step(step: str) -> str:
    """The step after `step` ("done" after the last)."""
    index = STEPS.index(step)
    return STEPS[min(index + 1, len(STEPS) - 1)]


def previous_step(step: str) -> str | None:
    """The step before `step`, None on the first."""
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None
