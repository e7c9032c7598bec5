"""Labelling one goal, objective or action step: deficit-led, mixed or person-centred.

The label weighs two kinds of evidence, each counted once per family however many words of
that family appear:

- led by the person's life: the person's own voice (first person, a quote), the person or
  their supporters as the ones who act, a change in a life domain (work, home, relationships,
  learning, leisure, money, getting about, wellbeing), personal detail (names of people and
  places), choice and agreement, and a link to what a step is for;
- led by the service or by deficits: compliance, using or engaging with a service as the aim,
  symptom reduction, hospital, relapse, discharge or stability, insight into illness, risk,
  behaviour judged by staff, abstinence as the end in itself, stock phrases, staff deciding
  for the person, the person named as a "client" or "patient", staff as the only actors, and
  deficit language from the lexicon.

A clear lead for one side gives that label; evidence on both sides that roughly balances
gives ``mixed``. The reasons list the evidence in plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from goalstudio.rubric._aim import AIM_WORDS, chosen, custodial
from goalstudio.rubric._analysis import (
    EXTRA_FAMILY_LABELS,
    EXTRA_FAMILY_WEIGHTS,
    SYSTEM_OUTPUT_FAMILIES,
    Analysis,
    analyse,
)
from goalstudio.rubric._data import rubric_data

Label = Literal["deficit_led", "mixed", "person_centred"]
LABELS: tuple[Label, ...] = ("deficit_led", "mixed", "person_centred")
Kind = Literal["goal", "objective", "action_step"]
KINDS: tuple[Kind, ...] = ("goal", "objective", "action_step")

# A list marker and/or a field name before a statement. Every quantifier is bounded and
# the parts cannot overlap, so the match is short and cannot backtrack far.
_LEADER = re.compile(
    r"\s{0,20}(?:[-*\u2022\u00b7]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])?\s{0,5}"
    r"(?:(?:long|short)[- ]term\s)?"
    r"(?:(?:goal|objective|action\sstep|action|intervention|outcome|step)\s{0,3}\d{0,3}"
    r"\s{0,3}[:.\-\u2013]\s{0,5})?",
    re.IGNORECASE,
)

# Margins: how far one side must lead for a clear label.
_PERSON_MARGIN = 1.5
_SYSTEM_MARGIN = 1.0
_MAX_CLASSIFY_CHARS = 20_000

# Weights of evidence that is not a word family in signals.yaml.
_VOICE_FIRST_PERSON = 2.0
_VOICE_QUOTED = 0.5
_NAMED_PERSON_ACTS = 1.0
_SUPPORTER_ACTS = 1.5
_SECOND_LIFE_DOMAIN = 0.5
_PERSONAL_DETAIL = 1.0
_SYSTEM_NAME_FOR_PERSON = 1.0
_STAFF_ONLY = 1.5
_NO_ONE_IN_IT = 0.5
_STAFF_GOAL = 1.0
_CLINICIAN_AIM = 1.0
# "I want" is the person's voice, counted once as such, not again as a choice.
_FIRST_PERSON_WANTS = frozenset({"want", "wants", "would like", "'d like"})


@dataclass(frozen=True)
class Classification:
    """A statement's label, the reasons for it, and the weight of evidence on each side."""

    text: str
    label: Label
    reasons: tuple[str, ...]
    person_score: float
    system_score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "label": self.label,
            "reasons": list(self.reasons),
            "person_score": self.person_score,
            "system_score": self.system_score,
        }


def classify(text: str, kind: str | None = None) -> Classification:
    """Label one goal, objective or action step, with its reasons. Never raises for a string."""
    if not isinstance(text, str):
        raise TypeError(f"classify() takes the statement as text, not {type(text).__name__}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind '{kind}': choose one of {', '.join(KINDS)}")
    if not text.strip():
        return Classification(text, "mixed", ("The statement is empty.",), 0.0, 0.0)
    if not any(ch.isalnum() for ch in text[:_MAX_CLASSIFY_CHARS]):
        return Classification(text, "mixed", ("The statement has no words to read.",), 0.0, 0.0)
    leader = _LEADER.match(text)
    if leader is not None and leader.end() and text[leader.end() :].strip():
        # "1. Goal: I want ..." -> "I want ...": list markers and field names are not words
        # of the statement.
        result = classify(text[leader.end() :], kind)
        return Classification(
            text, result.label, result.reasons, result.person_score, result.system_score
        )
    if len(text) > _MAX_CLASSIFY_CHARS:
        reason = (
            f"The statement is {len(text):,} characters long; classify reads one goal, "
            f"objective or action step at a time, so only the first "
            f"{_MAX_CLASSIFY_CHARS:,} characters were read."
        )
        result = _classify(analyse(text[:_MAX_CLASSIFY_CHARS]), kind)
        return Classification(
            text,
            result.label,
            (*result.reasons, reason),
            result.person_score,
            result.system_score,
        )
    return _classify(analyse(text), kind)


def score(analysis: Analysis, kind: str | None = None) -> tuple[float, float, list[str]]:
    """(person score, system score, reasons) for an analysed statement."""
    data = rubric_data()
    person = 0.0
    system = 0.0
    reasons: list[str] = []

    # The person's own voice.
    if analysis.first_person:
        person += _VOICE_FIRST_PERSON
        reasons.append("written in the person's own voice (first person)")
    if analysis.quoted:
        person += _VOICE_QUOTED
        reasons.append("quotes the person's words")

    # Who acts.
    subject = analysis.subject
    if subject in ("named", "pronoun"):
        person += _NAMED_PERSON_ACTS
        reasons.append(f"the person ({analysis.subject_words}) is the one who acts")
    elif subject in ("natural_support", "peer"):
        person += _SUPPORTER_ACTS
        who = "a peer" if subject == "peer" else "someone from the person's own life"
        reasons.append(f"{who} ({analysis.subject_words}) has a role")
    if subject == "system_person":
        system += _SYSTEM_NAME_FOR_PERSON
        reasons.append(f"names the person by a service label ('{analysis.subject_words}')")
    elif analysis.system_name is not None:
        system += _SYSTEM_NAME_FOR_PERSON
        reasons.append(f"names the person by a service label ('{analysis.system_name}')")

    families = analysis.families()

    # Life domains.
    if analysis.life_domains:
        person += data.groups["life"].weight
        if len(analysis.life_domains) > 1:
            person += _SECOND_LIFE_DOMAIN
        words = ", ".join(f"'{e.words}'" for e in families.get("life", [])[:3])
        reasons.append(
            f"names a change in the person's life ({', '.join(analysis.life_domains)}: {words})"
        )

    proper = [t.text for t in analysis.proper_nouns if t.text != analysis.subject_words]
    if proper:
        person += _PERSONAL_DETAIL
        reasons.append("personal detail: " + ", ".join(proper[:3]))

    choices = [
        e
        for e in families.get("choice", [])
        if not (analysis.first_person and e.words.lower() in _FIRST_PERSON_WANTS)
    ]
    if choices:
        person += data.groups["choice"].weight
        reasons.append(f"shows the person's choice or agreement ('{choices[0].words}')")

    if analysis.purpose is not None and analysis.purpose_to_life:
        person += data.groups["purpose"].weight
        reasons.append(f"says what it is for ('{analysis.purpose.words}')")

    # Service-led and deficit evidence.
    for family, items in families.items():
        if family in ("life", "choice", "purpose", "neutral"):
            continue
        found = data.groups.get(family)
        weight = found.weight if found else EXTRA_FAMILY_WEIGHTS.get(family, 1.0)
        label = found.label if found else EXTRA_FAMILY_LABELS.get(family, family)
        if family == "treatment" and (
            analysis.first_person
            or subject in ("named", "pronoun")
            or (analysis.purpose_to_life and analysis.life_domains)
        ):
            # A treatment the person takes up, or one linked to what it does for their life
            # ("honour the person and satisfy the chart"), is not service-led.
            continue
        system += weight
        distinct = list(dict.fromkeys(e.words for e in items))
        words = ", ".join(f"'{w}'" for w in distinct[:2])
        reasons.append(f"{label}: {words}")

    staff_led = subject in ("staff", "agency")
    if staff_led and not analysis.first_person:
        system += _STAFF_ONLY
        reasons.append(f"only staff act ('{analysis.subject_words}')")
        if kind in ("goal", "objective"):
            # A professional's task can be a good action step, but not a goal or objective.
            system += _STAFF_GOAL
            reasons.append(f"a {kind} that staff carry out is the service's, not the person's")
    if (
        subject == "implicit"
        and not analysis.first_person
        and not proper
        and not _outcome_phrase(analysis)
    ):
        system += _NO_ONE_IN_IT
        reasons.append("no one is named: it could be anyone's plan")
        if analysis.tokens and data.vague_words.contains(analysis.tokens[:1]):
            # "Improve ...", "Increase ...", "Develop ...": the classic clinician-voice aim.
            system += _CLINICIAN_AIM
            reasons.append(f"a clinician's aim ('{analysis.tokens[0].text} ...')")
    return person, system, reasons


def _outcome_phrase(analysis: Analysis) -> bool:
    """'Having things to do', 'Seeing people', 'Feeling safe': a personal outcome written the
    way outcome-focused guidance writes them, as an -ing phrase with the person implied."""
    tokens = analysis.tokens
    return bool(tokens) and tokens[0].text.lower().endswith("ing") and bool(analysis.life_domains)


def _classify(analysis: Analysis, kind: str | None) -> Classification:
    person, system, reasons = score(analysis, kind)
    # Being the grammatical subject does not make a goal the person's own: without their
    # voice, a life outcome, a choice, a purpose or a supporter, service wording decides.
    substantive = person - (_NAMED_PERSON_ACTS if analysis.subject in ("named", "pronoun") else 0)
    label: Label
    if system > 0 and substantive <= 0:
        label = "deficit_led"
    elif person - system >= _PERSON_MARGIN:
        label = "person_centred"
    elif system - person >= _SYSTEM_MARGIN:
        label = "deficit_led"
    else:
        label = "mixed"
    label = _by_aim(analysis, kind, label, reasons)
    aim = analysis.aim
    if aim.kind != "unclear" and aim.head:
        # The aim comes first: the label is a judgement about what the statement is for.
        linked = f", for '{aim.link_words}'" if aim.link == "life" else ""
        reasons.insert(0, f"what it aims at: '{aim.head}' ({AIM_WORDS[aim.kind]}){linked}")
    if not reasons:
        reasons.append("no clear sign either way: say whose goal it is and what it changes")
    return Classification(analysis.text, label, tuple(reasons), person, system)


def _person_signs(analysis: Analysis) -> bool:
    """Real signs of the person: their voice, a life domain or their choice.

    A life word in a measure ("as evidenced by a clear kitchen") is the service's yardstick,
    not a sign of the person; nor is a "plan with" when a "client" is the subject.
    """
    if analysis.first_person or analysis.quoted:
        return True
    low = analysis.text.lower()
    cut = min((at for at in (low.find(m) for m in _MEASURE_CLAUSES) if at >= 0), default=-1)
    if any(e.family == "life" and (cut < 0 or e.start < cut) for e in analysis.evidence):
        return True
    if analysis.subject == "system_person":
        return False
    return any(
        e.family == "choice" and e.words.lower() not in _FIRST_PERSON_WANTS
        for e in analysis.evidence
    )


_MEASURE_CLAUSES = (
    "as evidenced by",
    "as measured by",
    "as demonstrated by",
    "as shown by",
    "as indicated by",
    "as reported by",
    "evidenced by",
)


def _by_aim(analysis: Analysis, kind: str | None, label: Label, reasons: list[str]) -> Label:
    """What the aim says overrides what the voice suggests.

    Voice, names and quotation marks weigh towards the person, but they never turn a
    service, compliance, symptom or generic aim into a person-centred statement; a life aim
    reached through a service or a symptom ("reduce anxiety so that she can return to work")
    is mixed.
    """
    aim = analysis.aim
    words = f"'{aim.head}'" if aim.head else "its words"
    step = kind == "action_step" or (
        kind is None and (analysis.subject in _ACTORS or _commitment(analysis))
    )
    if step or kind == "action_step":
        span = custodial(analysis.text, analysis.tokens) if analysis.subject in _ACTORS else None
        if span is not None and not chosen(analysis.tokens, analysis.evidence):
            reasons.append(
                f"watches over or controls the person ('{analysis.text[span[0] : span[1]]}') "
                "with no sign they chose it"
            )
            return "deficit_led"
        if label == "mixed" and _raises_own_concern(analysis):
            reasons.append("the person raises it themselves: their own step")
            return "person_centred"
        if (
            aim.kind == "service"
            and aim.link != "life"
            and label != "deficit_led"
            and not chosen(analysis.tokens, analysis.evidence)
            and not analysis.life_domains
        ):
            reasons.append(f"the step's aim is {AIM_WORDS['service']} ({words}), for no stated end")
            return "deficit_led"
        return label
    if aim.kind == "service" and _chose(analysis):
        if label == "person_centred":
            reasons.append(f"a service the person chose ({words}), still a service route")
            return "mixed"
        return label
    if aim.kind == "service" and aim.link != "life" and aim.also != "life":
        if label != "deficit_led":
            reasons.append(
                f"its aim is {AIM_WORDS['service']} ({words}): voice and names do not make "
                "that the person's own outcome"
            )
        return "deficit_led"
    if aim.kind == "generic" and aim.link == "life":
        return label  # "getting my confidence back so I can go to his school play"
    if aim.kind in ("service", "symptom", "abstinence") and "life" in (aim.link, aim.also):
        if label != "mixed":
            what = f"('{aim.link_words}')" if aim.link == "life" else "beside it"
            reasons.append(f"a life outcome {what} reached through {AIM_WORDS[aim.kind]} ({words})")
        return "mixed"
    if aim.kind in ("symptom", "abstinence", "generic"):
        if _person_signs(analysis):
            if label != "mixed":
                reasons.append(
                    f"signs of the person, but the aim is {AIM_WORDS[aim.kind]} ({words})"
                )
            return "mixed"
        if label != "deficit_led":
            reasons.append(
                f"its aim is {AIM_WORDS[aim.kind]} ({words}), with no sign of the person"
            )
        return "deficit_led"
    if (
        aim.kind == "life"
        and label == "deficit_led"
        and aim.link is None
        and not any(e.family in _AIM_FAMILIES for e in analysis.evidence)
    ):
        reasons.append(
            f"a life aim ({words}) in service framing: the person's goal, not yet in their terms"
        )
        return "mixed"
    if aim.kind == "life" and aim.link in ("symptom", "service"):
        if label != "mixed":
            reasons.append(
                f"a life activity ({words}) framed as being for {AIM_WORDS[aim.link]} "
                f"('{aim.link_words}')"
            )
        return "mixed"
    return label


_AGENCY = frozenset(["tell", "ask", "talk", "raise", "discuss", "explain", "decide", "choose"])
_CHOICES = frozenset(
    ["chose", "chosen", "chooses", "decided", "picked", "her choice", "his choice"]
)


def _raises_own_concern(analysis: Analysis) -> bool:
    """'Mo will tell his GP about the side effects that ...': the person acts on a concern of
    their own (the symptom is what they raise, not the aim)."""
    if analysis.subject not in ("named", "pronoun", "first_person", "implicit"):
        return False
    aim = analysis.aim
    words = analysis.text[aim.start : aim.end].split()
    if not words or aim.kind == "service":
        return False
    verb = words[0].lower()
    return verb in _AGENCY or verb[:-1] in _AGENCY or verb[:-2] in _AGENCY  # tells, discusses


def _chose(analysis: Analysis) -> bool:
    """The statement says the person chose it ('which he chose', 'she decided')."""
    return any(
        e.family == "choice" and any(c in e.words.lower() for c in _CHOICES)
        for e in analysis.evidence
    )


def _commitment(analysis: Analysis) -> bool:
    """'I will take my tablets at breakfast because ...': a step the person commits to, not
    a wish ('I want ...'), when no kind is given."""
    if not analysis.first_person:
        return False
    lows = {t.text.lower() for t in analysis.tokens[:6]}
    return bool(lows & {"will", "i'll", "we'll"}) and not lows & _WISHES


_WISHES = frozenset(["want", "wants", "like", "hope", "wish", "i'd", "would", "love"])
# Evidence that is about what a statement aims at, not only how it is framed.
_AIM_FAMILIES = frozenset([*SYSTEM_OUTPUT_FAMILIES, "deficit_language", "stock", "restriction"])
# Subjects that mark a statement as somebody's step rather than the person's aim.
_ACTORS = frozenset(["staff", "agency", "natural_support", "peer"])
