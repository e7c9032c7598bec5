"""How a typed reply treats the person: pressure, threats, demands, secrecy, false promises,
leading questions and reassurance that closes the topic, and honesty about legal powers.

A risk conversation can use all the right words and still push. The coach reads the manner of a
reply as well as its content: each pattern below is a way of speaking that people on the
receiving end describe as coercive or dismissive, and each comes with what to try instead.
Honesty about compulsion ("I'd rather you heard it from me: the CTO means recall is possible")
is the opposite of a threat, and counts for a reply.

Matching is on whole words (so "show" is never "how"), case-insensitive, with curly apostrophes
made straight. Every pattern is a plain alternation with bounded gaps, so reading is linear in
the length of the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Manner = Literal[
    "threat",
    "pressure",
    "demand",
    "secrecy",
    "false_promise",
    "leading_question",
    "closing_reassurance",
]
# A reply with one of these can at best be poor; with the others at best mixed.
POOR_MANNERS: frozenset[str] = frozenset(
    {"threat", "pressure", "demand", "secrecy", "false_promise"}
)

TITLES: dict[str, str] = {
    "threat": "No threat",
    "pressure": "No pressure",
    "demand": "Invites rather than demands",
    "secrecy": "No promise of secrecy",
    "false_promise": "No promise you cannot keep",
    "leading_question": "No leading question",
    "closing_reassurance": "Stays with the worry rather than closing it",
}
ADVICE: dict[str, str] = {
    "threat": (
        "'{w}' holds a consequence over the person to get agreement: that is a threat. If a "
        "legal power is real, say so honestly and on its own, and say what you would do first."
    ),
    "pressure": (
        "'{w}' puts pressure on the person to prove or promise something. Ask what would help, "
        "and leave the choice with them."
    ),
    "demand": (
        "'{w}' demands information. Invite instead ('Would you tell me about...?') and let the "
        "person choose what to share."
    ),
    "secrecy": (
        "'{w}' promises secrecy you may not be able to keep. Say honestly what you would have "
        "to share, and why."
    ),
    "false_promise": (
        "'{w}' promises something that is not in your gift. Promise what you can: to listen, "
        "to be honest, to tell them first."
    ),
    "leading_question": (
        "'{w}' is a leading question: it points to the answer you want. Ask openly: 'What do "
        "you think about...?'"
    ),
    "closing_reassurance": (
        "'{w}' reassures but closes the topic. Stay with it: 'That sounds hard. What is on your "
        "mind about it?'"
    ),
}

_GAP = r"[^.!?]{0,60}?"  # a few words within the same sentence
# "You said you must keep the job": the person's own words reported back, not pressure.
_REPORTED = "".join(
    f"(?<!{w} )" for w in ("said", "say", "says", "feel", "felt", "feel like", "think", "thought")
)
_PATTERNS: dict[str, tuple[str, ...]] = {
    "threat": (
        r"\bso (?:that )?(?:we|you) (?:don't|do not) (?:end up|have to)\b",
        r"\bdifficult conversation with\b",
        r"\b(?:or|otherwise|or else)\b,? (?:i|we|they|the team|dr\.? \w+)(?:'ll| will| would|'d)"
        r" (?:have|need) to\b",
        r"\byou know what (?:will )?happens?\b",
        r"\b(?:last|final) chance\b",
        r"\bdon't make (?:me|us)\b",
        r"\bi'll have to (?:report|tell|call|inform|let \w+ know)\b",
        r"\byou (?:don't|do not) want to end up\b",
        r"\bit would be a (?:shame|pity) if\b",
        r"\bonly (?:\w+ ){0,4}if you (?:take|have|agree|accept|stay|keep|stop|come|go|do)\b",
        r"\b(?:as long as|unless) you (?:take|have|agree|accept|stay|keep|come)\b",
    ),
    "pressure": (
        r"\b(?:can|could|will|would) you (?:just )?(?:show|prove) (?:me|us)\b",
        r"\bprove (?:to (?:me|us) )?(?:that )?you\b",
        r"\bshow (?:me|us) (?:that )?you(?:'ll| will| can| are|'re)\b",
        # "you need to take it", not "what would you need to feel safe" or "you need to know".
        r"(?<!don't )(?<!do not )(?<!won't )(?<!would )(?<!could )(?<!might )(?<!do )(?<!does )"
        r"(?<!will )"
        + _REPORTED
        + r"\byou (?:really )?(?:need|have|must|ought|'ve got|have got) to "
        r"(?!tell me|say|decide|choose|do anything|know|feel|hear|understand)\w+",
        _REPORTED + r"\byou must\b",
        r"\byou(?:'d| had) better\b",
        r"\bpromise (?:me|us)\b",
        r"\b(?:will|would|can|could) you (?:just )?(?:agree|promise|commit) to\b",
        r"\bjust (?:take|do|go|agree|sign|accept|try) (?:it|the|your|this|that|them)\b",
        r"\bmake sure you\b",
        r"\bi expect you to\b",
        r"\bi want you to (?:take|stay|agree|promise|stop|go|accept|keep)\b",
        r"\bfor your own good\b",
        r"\bcome on\b",
        r"\beveryone else (?:manages|does|takes|can|has)\b",
        r"\bremember what happened (?:last time|when|the last time)\b",
    ),
    "demand": (
        r"\btell me everything\b",
        r"\bi need (?:you )?to (?:tell me|know) everything\b",
        r"\bi need you to tell me\b",
        r"\byou (?:have|need|'ve got) to tell me\b",
        r"\banswer (?:me|the question)\b",
        r"\bi need an answer\b",
        r"\bwhat (?:aren't|are not) you telling me\b",
    ),
    "secrecy": (
        r"\bbetween (?:us|you and me|ourselves)\b",
        r"\bstays? (?:in|with|between) (?:here|me|us|this room)\b",
        r"\b(?:won't|will not|never|not going to) (?:tell|say to|mention it to) (?:anyone|anybody"
        r"|a soul|the team|your \w+|them|dcs|cps|social services)\b",
        r"\b(?:nobody|no one|no-one) (?:else )?(?:will|needs to|has to|is going to) (?:know|find"
        r" out|hear)\b",
        r"\boff the record\b",
        r"\bour (?:little )?secret\b",
        r"\b(?:won't|will not|never|not going to) (?:write|put) (?:it|this|that|anything)"
        r" (?:down|in (?:the|your) (?:notes|file|record))\b",
    ),
    "false_promise": (
        r"(?<!can't )(?<!cannot )(?<!can not )(?<!won't )\bi promise\b(?! to (?:listen|tell|be"
        r" honest))",
        r"\bnothing (?:bad )?(?:will|is going to|'s going to) happen\b",
        r"\b(?:nobody|no one|no-one)(?:'s| is)? (?:going to|gonna|will) (?:force|make|take|section"
        r"|recall|hold)\b",
        r"\byou (?:won't|will not|aren't going to) (?:go|end up|be sent) back\b",
        r"\bi(?:'ll| will) make sure (?:you|nothing|they|nobody|no one)\b",
        r"\bi guarantee\b",
        r"\bi'm (?:sure|certain) (?:\w+ ){1,2}(?:will|'ll|is going to|are going to|won't)\b",
        r"\b(?:that|it) (?:will never|won't ever|will not ever) happen\b",
    ),
    "leading_question": (
        r"(?:^|[.!?]\s+)(?:\w+, )?(?:don't|doesn't|wouldn't|isn't|aren't|won't|shouldn't|can't"
        r"|haven't|didn't) (?:you|it|that|this)\b[^.!?]*\?",
        r"\bdon't you think\b",
        r"\bwouldn't it be (?:better|best|easier|safer)\b",
        r"\bsurely you\b",
        r"\byou(?:'d| would) agree\b",
        r",\s*(?:right|yeah|ok|okay|isn't it|don't you|wouldn't you|won't you|yes)\s*\?",
        r"\byou don't want (?:to|that)\b[^.!?]*\?",
        r"\bwhy don't you just\b",
        r",\s*(?:is|isn't|are|aren't|do|don't|does|doesn't|did|didn't|was|wasn't|were|weren't"
        r"|will|won't|would|wouldn't|can|can't|have|haven't|has|hasn't) (?:it|you|he|she|they"
        r"|we|that)\s*\?",
    ),
    "closing_reassurance": (
        r"\b(?:don't|do not|try not to|no need to) worry\b",
        r"\bnothing to worry about\b",
        r"\b(?:it'll|it will|everything will|everything's going to|everything is going to|"
        r"you'll|you will|it's going to) be (?:fine|ok|okay|alright|all right)\b",
        r"\bi'm sure (?:it|you|everything|that)\b",
        r"\blet's not (?:worry|dwell|talk|focus|go into|get into|think)\b",
        r"\blet's move on\b",
        r"\bcheer up\b",
        r"\blook on the bright side\b",
        r"\bat least you\b",
        r"\bit's not that bad\b",
        r"\byou're overthinking\b",
        r"\bit's (?:only|just) a (?:label|phase|word|letter|form)\b",
    ),
}
_COMPILED = {kind: re.compile("|".join(pats), re.IGNORECASE) for kind, pats in _PATTERNS.items()}
# A consequence tied to what the person does: a threat, unless it is said as honesty about a
# legal power ("if you stop it, recall is possible, and I'd rather you heard that from me").
_CONDITIONAL = re.compile(
    r"\bif you (?:don't|do not|won't|will not|refuse|stop|keep|carry on|turn)\b"
    + _GAP
    + r"\b(?:will|'ll|may|might|could|would|is going to|are going to) (?:have to|need to"
    r"|end up|consider|look at|call|be recalled|be sectioned|go back)\b"
    # ... and the other way round: "The team will recall you if you miss Monday."
    r"|\b(?:will|'ll|would|could|might|may|can|going to) (?:\w+ ){0,3}(?:lose|recall|section"
    r"|bring you (?:back|in)|end up|go back|take (?:away|back)|withdraw|discharge|close"
    r"|have to (?:tell|call|report|consider|look at))\b" + _GAP + r"\bif you\b"
    # A power named as leverage: "You know the CTO means we can bring you back in."
    r"|\bmeans (?:we|they|the team|the doctor|dr\.? \w+) (?:can|could|will) (?:bring|recall"
    r"|section|take|detain)\b",
    re.IGNORECASE,
)

# Words for legal powers and compulsion, and the ways people say they are being straight.
COMPULSION_WORDS: tuple[str, ...] = (
    "recall",
    "recalled",
    "cto",
    "community treatment order",
    "section",
    "sectioned",
    "mental health act",
    "detain",
    "detained",
    "back to hospital",
    "back on the ward",
    "court order",
    "the law",
    "legal",
    "conditions",
    "dcs",
    "cps",
    "child protective",
    "safeguarding",
    "have to share",
    "force",
)
_COMPULSION = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in COMPULSION_WORDS) + r")\b", re.IGNORECASE
)
_HONEST = re.compile(
    r"\b(?:to be (?:honest|straight|open|clear)|i(?:'ll| will|'d like to| want to) be (?:honest|"
    r"straight|open|upfront|clear)|honest(?:ly)? with you|straight with you|open with you|"
    r"upfront|you have (?:a|the) right to know|you should know|i want you to know|"
    r"(?:rather|prefer) you (?:heard|hear) (?:it|this) from me|behind your back|the truth is|"
    r"i (?:can't|cannot|won't) (?:promise|pretend)|i(?:'ll| will|'d| would) tell you "
    r"(?:first|before)|before anything (?:happens|like that))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MannerProblem:
    """One way a reply pushes, threatens or closes the topic, with the words that show it."""

    kind: Manner
    words: str

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def advice(self) -> str:
        return ADVICE[self.kind].format(w=self.words)

    @property
    def caps_at_poor(self) -> bool:
        return self.kind in POOR_MANNERS


def normal(text: str) -> str:
    """Curly apostrophes made straight and runs of spaces made one (offsets are not kept)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    return " ".join(text.split())


def read_manner(text: str) -> list[MannerProblem]:
    """Each kind of coercive or closing manner in the reply, once, in a fixed order."""
    plain = normal(text)
    found: list[MannerProblem] = []
    for kind, pattern in _COMPILED.items():
        match = next((m for m in pattern.finditer(plain) if not _disowned(plain, m.start())), None)
        if match is None and kind == "threat" and not is_honest_about_power(text):
            match = _CONDITIONAL.search(plain)
        if match is not None:
            found.append(MannerProblem(kind, match.group().strip(" ,.")))  # type: ignore[arg-type]
    return found


# "I can't promise I'll never write anything down": the speaker disowns the promise that follows.
_DISOWNING = re.compile(
    r"\b(?:can't|cannot|can not|won't|couldn't|not able to|wouldn't) (?:promise|guarantee|say)"
    r"\b[^.!?]{0,30}$",
    re.IGNORECASE,
)


def _disowned(plain: str, start: int) -> bool:
    return _DISOWNING.search(plain, max(0, start - 60), start) is not None


def is_honest_about_power(text: str) -> bool:
    """The reply names a legal power or compulsion and says so as honesty, not as a threat."""
    plain = normal(text)
    return (
        _COMPULSION.search(plain) is not None
        and _HONEST.search(plain) is not None
        and _COMPILED["threat"].search(plain) is None
    )


def is_compulsion_phrase(phrase: str) -> bool:
    """Is this avoid-list phrase about a legal power ("recall", "back to hospital")?"""
    return _COMPULSION.fullmatch(normal(phrase).strip()) is not None
