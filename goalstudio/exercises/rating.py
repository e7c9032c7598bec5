"""Self-rating and reflection: the competencies learners rate, and what a rating means.

The competency domains follow the National Center on Advancing Person-Centered Practices and
Systems (NCAPPS) staff competency domains, as set out in CONTENT.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from goalstudio.courseware.manifest import CourseManifest, ManifestError, load_manifest


@dataclass(frozen=True)
class Competency:
    domain: str
    title: str
    statement: str


COMPETENCIES: tuple[Competency, ...] = (
    Competency(
        "A",
        "Strengths-based, culturally informed, whole-person",
        "I can find out what matters to a person, and build a plan on their strengths, "
        "culture and whole life.",
    ),
    Competency(
        "B",
        "Connections inside the system and out",
        "I can bring in family, friends, peers and community, not only services.",
    ),
    Competency(
        "C",
        "Rights, choice and control",
        "I can support a person's choices, including choices that carry risk, and record "
        "their view.",
    ),
    Competency(
        "D",
        "Partnership and facilitation",
        "I can hold a conversation in which the person leads, and work through "
        "disagreement with everyone involved.",
    ),
    Competency(
        "E",
        "Documentation, implementation and monitoring",
        "I can write a plan in the person's words with clear objectives, owners and review "
        "dates, and review it with them.",
    ),
)
RATING_WORDS = {
    1: "1: not yet confident",
    2: "2: a little confident",
    3: "3: fairly confident",
    4: "4: confident",
    5: "5: very confident",
}
DEFAULT_PROMPTS = (
    "What is one thing from this module you will do differently in your own work?",
    "What surprised you, or what would you like to talk about with others?",
)


def reflection_prompts(module_id: str) -> tuple[str, list[str]]:
    """The module's title and objectives, to frame the reflection (plain defaults if unknown)."""
    try:
        manifest: CourseManifest = load_manifest()
    except ManifestError:
        return (f"Module {module_id}", [])
    for module in manifest.modules:
        if module.id == module_id:
            return (module.title, list(module.objectives))
    return (f"Module {module_id}", [])


def rating_change(pre: int | None, post: int | None) -> str:
    """How a rating moved between the start and the end of the course, in words."""
    if pre is None or post is None:
        return ""
    if post > pre:
        return f"up {post - pre} since the start of the course"
    if post < pre:
        return (
            f"down {pre - post} since the start; that is common when you learn how much "
            "there is to a skill"
        )
    return "the same as at the start"
