"""Replies in the learner's own words, in the risk conversation.

At any point the learner may write a reply and have the coach check it. Where the scenario's
conversation marks a node ``free_text`` with ``criteria``, the typed reply can also be *said*:
it is scored against the node's criteria and the language linter, and the conversation carries
on along a scripted branch chosen by this rule:

1. The score gives the reply a quality: every check met is ``good``; more than half met (at
   least 60 %) is ``mixed``; fewer is ``poor``.
2. The conversation follows a scripted reply of that quality. When the node has none, it takes
   the nearest quality (``good`` then ``mixed`` then ``poor``, closest first).
3. Among those, it takes the reply sharing the most content words with the typed one (the first
   in the script on a tie).

So a careful reply in the learner's own words leads where the best scripted reply leads, and a
reply that misses the point meets the consequences the script gives a poor one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from goalstudio._conversation import Node, ReplyCriterion

QUALITY_ORDER = ("good", "mixed", "poor")
GOOD_SHARE = 1.0
MIXED_SHARE = 0.6

_STOP = frozenset(
    (
        "about",
        "after",
        "again",
        "also",
        "because",
        "been",
        "before",
        "being",
        "could",
        "does",
        "doing",
        "don't",
        "from",
        "have",
        "here",
        "into",
        "just",
        "like",
        "more",
        "much",
        "only",
        "other",
        "over",
        "really",
        "said",
        "should",
        "some",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "very",
        "want",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "would",
        "your",
        "you're",
    )
)
_OPEN_STARTS = ("what", "how", "where", "tell me", "could you", "would you", "can you say", "which")
_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class ReplyCheck:
    """One thing the coach looks at in a reply the learner wrote themselves."""

    name: str
    passed: bool
    advice: str


@dataclass(frozen=True)
class TypedReply:
    """A reply in the learner's own words, scored, and the scripted branch it carries on by."""

    text: str
    checks: tuple[ReplyCheck, ...]
    quality: str
    branch: int
    feedback: str

    @property
    def met(self) -> int:
        return sum(c.passed for c in self.checks)


def _normal(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(_normal(text)) if len(w) >= 4 and w not in _STOP}


def says_phrase(text: str, phrase: str) -> bool:
    """Does ``text`` say ``phrase``? It matches at the start of a word, whatever the case."""
    words = r"\s+".join(re.escape(w) for w in _normal(phrase).split())
    return re.search(r"(?<![a-z0-9'])" + words, _normal(text)) is not None


def _is_open_question(text: str) -> bool:
    """A question that invites more than yes or no; "Tell me about it." counts as one too."""
    lowered = _normal(text)
    if "tell me" in lowered or "say more" in lowered:
        return True
    return "?" in text and any(start in lowered for start in _OPEN_STARTS)


def _language(text: str, locale: str) -> ReplyCheck:
    from goalstudio.rubric import load_lexicon

    matches = load_lexicon(locale).find(text)
    return ReplyCheck(
        "Recovery-oriented language",
        not matches,
        "; ".join(
            f"'{m.matched_text}': {m.entry.why} Consider: {', '.join(m.entry.alternatives[:2])}."
            for m in matches
        ),
    )


def _criterion(text: str, criterion: ReplyCriterion, node: Node) -> ReplyCheck:
    if criterion.kind == "key_idea":
        passed = any(says_phrase(text, p) for p in criterion.phrases)
    elif criterion.kind == "avoid":
        passed = not any(says_phrase(text, p) for p in criterion.phrases)
    elif criterion.kind == "open_question":
        passed = _is_open_question(text)
    elif criterion.phrases:  # reflect, with the words the author chose
        passed = any(says_phrase(text, p) for p in criterion.phrases)
    else:  # reflect: any content word of what the person just said
        passed = bool(_content_words(node.says) & _content_words(text))
    return ReplyCheck(criterion.name, passed, "" if passed else criterion.advice)


def _generic(text: str, node: Node) -> list[ReplyCheck]:
    is_open = _is_open_question(text)
    heard = _content_words(node.says) & _content_words(text)
    return [
        ReplyCheck(
            "An open question",
            is_open,
            "" if is_open else "Invite the person to say more: start with 'what' or 'how'.",
        ),
        ReplyCheck(
            "Reflects what the person said",
            bool(heard),
            "" if heard else "Use a word or two of theirs, so they know you heard them.",
        ),
    ]


def _closest(text: str, node: Node, among: list[int]) -> int | None:
    mine = _content_words(text)
    best, best_score = None, 0
    for i in among:
        score = len(mine & _content_words(node.choices[i].reply))
        if score > best_score:
            best, best_score = i, score
    return best


def check_own_reply(text: str, node: Node, locale: str) -> tuple[list[ReplyCheck], int | None]:
    """Coach feedback on a typed reply, and the scripted reply closest to it (or None).

    The language linter always checks the reply. A node with ``criteria`` adds those; any other
    node adds the general checks: an open question, and reflecting what the person just said.
    """
    if not text.strip():
        raise ValueError("write your reply first")
    checks = [_language(text, locale)]
    if node.criteria:
        checks += [_criterion(text, c, node) for c in node.criteria]
    else:
        checks += _generic(text, node)
    return checks, _closest(text, node, list(range(len(node.choices))))


def quality_of(checks: list[ReplyCheck]) -> str:
    """``good`` when every check is met, ``mixed`` when at least 60 % are, else ``poor``."""
    share = sum(c.passed for c in checks) / len(checks)
    if share >= GOOD_SHARE:
        return "good"
    return "mixed" if share >= MIXED_SHARE else "poor"


def branch_for(text: str, quality: str, node: Node) -> int:
    """The scripted reply a typed reply of this quality carries on by (see the module rule)."""
    rank = QUALITY_ORDER.index(quality)
    by_distance = sorted(QUALITY_ORDER, key=lambda q: (abs(QUALITY_ORDER.index(q) - rank), q))
    for q in by_distance:
        among = [i for i, c in enumerate(node.choices) if c.quality == q]
        if among:
            closest = _closest(text, node, among)
            return among[0] if closest is None else closest
    raise ValueError(f"node '{node.id}' has no replies to carry on by")


def score_typed_reply(text: str, node: Node, locale: str) -> TypedReply:
    """Score a reply said in the learner's own words, and choose the branch it carries on by."""
    if not node.free_text:
        raise ValueError(
            "at this point, choose one of the replies; your own words can be checked but not said"
        )
    checks, _closest_any = check_own_reply(text, node, locale)
    quality = quality_of(checks)
    branch = branch_for(text, quality, node)
    choice = node.choices[branch]
    met = sum(c.passed for c in checks)
    missed = " ".join(c.advice for c in checks if not c.passed)
    feedback = f"Your own words met {met} of {len(checks)} things a good reply does here."
    if missed:
        feedback += f" {missed}"
    feedback += (
        f" The conversation carries on as if you had said: \u201c{choice.reply}\u201d "
        f"{choice.feedback}"
    )
    return TypedReply(" ".join(text.split()), tuple(checks), quality, branch, feedback)
