"""Replies in the learner's own words, in the risk conversation.

At any point the learner may write a reply and have the coach check it. Where the scenario's
conversation marks a node ``free_text`` with ``criteria``, the typed reply can also be *said*:
it is scored against the node's criteria and the language linter, and the conversation carries
on along a scripted branch chosen by this rule:

1. The score gives the reply a quality: every check met is ``good``; more than half met (at
   least 60 %) is ``mixed``; fewer is ``poor``. The manner of the reply is read too
   (``goalstudio._reply_manner``): pressure, a threat, a demand, a promise of secrecy or a
   promise that cannot be kept make it ``poor`` whatever else it does; a leading question or
   reassurance that closes the topic make it at best ``mixed``. Honesty about a legal power
   ("I'd rather you heard it from me: the CTO means recall is possible") counts for the reply,
   and a word such as "recall" on the node's avoid list is not held against it.
2. The conversation follows a scripted reply of that quality. When the node has none, it takes
   the nearest by score: a ``mixed`` reply takes the ``good`` branch only when it met at least
   80 % of the checks with nothing wrong in its manner, else the ``poor`` one; a ``good`` or
   ``poor`` reply takes ``mixed`` next. Never the good branch by default.
3. Among those, it takes the reply sharing the most content words with the typed one (the first
   in the script on a tie).

So a careful reply in the learner's own words leads where the best scripted reply leads, and a
reply that misses the point meets the consequences the script gives a poor one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from goalstudio._conversation import Node, ReplyCriterion
from goalstudio._reply_manner import (
    POOR_MANNERS,
    TITLES,
    MannerProblem,
    is_compulsion_phrase,
    is_honest_about_power,
    normal,
    read_manner,
)

QUALITY_ORDER = ("good", "mixed", "poor")
GOOD_SHARE = 1.0
MIXED_SHARE = 0.6
NEAR_GOOD_SHARE = 0.8  # a mixed reply this close to good may take the good branch if no mixed
OWN_WORDS = "in the person's own words"  # the lexicon's note for a first-person softening
MAX_REPLY_CHARS = 2000  # input is bounded before it is read
HONEST_CHECK = "Honest about the legal power, without threat"

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
_WORD = re.compile(r"[a-z']+")
# Open questions: a question that starts with a question word (after a name, "so" or "and"),
# or an invitation to say more. Whole words only: "show" is not "how".
_LEAD_IN = r"(?:(?:so|and|but|ok|okay|well|then|now|right)\b,?\s+)*(?:[\w.'-]+(?: [\w.'-]+)?,\s+)?"
_OPEN_QUESTION = re.compile(
    r"^" + _LEAD_IN + r"(?:what|what's|how|how's|where|which|who|when)\b"
    r"|^" + _LEAD_IN + r"(?:could|would|can|will) you (?:tell me|say (?:a bit )?more|talk me"
    r"|describe|help me understand|walk me)\b",
    re.IGNORECASE,
)
_INVITATION = re.compile(
    r"\b(?:tell me (?:a bit |a little )?(?:more|about|what|how|where|why|when|which)"
    r"|tell me\W*$|say (?:a bit |a little )?more|talk me through|walk me through"
    r"|help me understand|i(?:'d| would) (?:like|love) to (?:hear|understand|know) (?:more|about"
    r"|what|how|why)|i wonder (?:what|how))\b",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"[^.!?]+[.!?]*")
_DEMAND = re.compile(r"\btell me everything\b", re.IGNORECASE)


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
    return normal(text).lower()


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(_normal(text)) if len(w) >= 4 and w not in _STOP}


def says_phrase(text: str, phrase: str) -> bool:
    """Does ``text`` say ``phrase``? It matches at the start of a word, whatever the case."""
    words = r"\s+".join(re.escape(w) for w in _normal(phrase).split())
    return re.search(r"(?<![a-z0-9'])" + words, _normal(text)) is not None


def _is_open_question(text: str) -> bool:
    """A question that invites more than yes or no, or an invitation ("Tell me about it.").

    A demand ("Tell me everything") is not an invitation, and a yes/no question that happens
    to contain a question word's letters ("Can you show me...?") is not open.
    """
    plain = normal(text)
    for found in _SENTENCES.finditer(plain):
        sentence = found.group().strip().lstrip("()[]\"\u201c\u201d' ")
        if not sentence:
            continue
        if _DEMAND.search(sentence):
            continue
        if sentence.endswith("?") and _OPEN_QUESTION.search(sentence):
            return True
        if _INVITATION.search(sentence.rstrip(".!?")):
            return True
    return False


def _language(text: str, locale: str) -> ReplyCheck:
    """Deficit wording fails the check; a gentle (info) note is mentioned but does not.

    In a reply the first person is the practitioner, not the person naming their own
    experience, so an entry softened only for being "in the person's own words" still counts.
    """
    from goalstudio.rubric import load_lexicon

    matches = load_lexicon(locale).find(text)
    warnings = [
        m
        for m in matches
        if m.severity == "warning" or (m.softened == OWN_WORDS and m.entry.severity == "warning")
    ]
    return ReplyCheck(
        "Recovery-oriented language",
        not warnings,
        "; ".join(
            f"'{m.matched_text}': {m.entry.why} Consider: {', '.join(m.entry.alternatives[:2])}."
            for m in (warnings or matches)
        ),
    )


def _criterion(text: str, criterion: ReplyCriterion, node: Node) -> ReplyCheck:
    if criterion.kind == "key_idea":
        passed = any(says_phrase(text, p) for p in criterion.phrases)
    elif criterion.kind == "avoid":
        said = [p for p in criterion.phrases if says_phrase(text, p)]
        if said and is_honest_about_power(text):
            # Naming recall or a section honestly is not the threat the list guards against.
            said = [p for p in said if not is_compulsion_phrase(p)]
        passed = not said
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
    if len(text) > MAX_REPLY_CHARS:
        raise ValueError(
            f"your reply is {len(text):,} characters; keep it to {MAX_REPLY_CHARS:,} or fewer "
            "(a reply in a conversation is a few sentences)"
        )
    checks = [_language(text, locale)]
    if node.criteria:
        checks += [_criterion(text, c, node) for c in node.criteria]
    else:
        checks += _generic(text, node)
    checks += [_manner_check(problem) for problem in read_manner(text)]
    if is_honest_about_power(text):
        checks.append(ReplyCheck(HONEST_CHECK, True, ""))
    return checks, _closest(text, node, list(range(len(node.choices))))


def _manner_check(problem: MannerProblem) -> ReplyCheck:
    return ReplyCheck(problem.title, False, problem.advice)


_POOR_TITLES = frozenset(TITLES[kind] for kind in POOR_MANNERS)
_MIXED_TITLES = frozenset(TITLES[kind] for kind in TITLES if kind not in POOR_MANNERS)


def quality_of(checks: list[ReplyCheck]) -> str:
    """``good`` when every check is met, ``mixed`` when at least 60 % are, else ``poor``; a
    failed manner check caps it (pressure, threats, demands, secrecy, false promises: poor;
    leading questions and closing reassurance: at best mixed)."""
    share = sum(c.passed for c in checks) / len(checks)
    quality = "good" if share >= GOOD_SHARE else "mixed" if share >= MIXED_SHARE else "poor"
    failed = {c.name for c in checks if not c.passed}
    if failed & _POOR_TITLES:
        return "poor"
    if failed & _MIXED_TITLES and quality == "good":
        return "mixed"
    return quality


def branch_for(text: str, quality: str, node: Node, share: float | None = None) -> int:
    """The scripted reply a typed reply of this quality carries on by (see the module rule).

    ``share`` is the part of the checks the reply met, given only when nothing was wrong in
    its manner: a mixed reply with no mixed branch takes the good one only when it is near.
    """
    if quality == "mixed":
        near_good = share is not None and share >= NEAR_GOOD_SHARE
        by_distance = ["mixed", "good", "poor"] if near_good else ["mixed", "poor", "good"]
    else:
        by_distance = [quality, "mixed", "poor" if quality == "good" else "good"]
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
    clean = not any(c.name in _POOR_TITLES | _MIXED_TITLES for c in checks if not c.passed)
    share = sum(c.passed for c in checks) / len(checks) if clean else None
    branch = branch_for(text, quality, node, share)
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
