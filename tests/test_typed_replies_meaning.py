"""Typed replies in the risk conversation are scored by meaning, not keywords.

Issue 13, "What was seen" 11: replies written to pressure the person ("Can you show me you'll
stay in the house?"), to threaten ("...so we don't end up having a difficult conversation with
Dr Mehra") or to demand ("I need you to tell me everything") all scored good; "show" counted as
an open question because it contains "how"; a mixed reply went down the good branch; a promise
of secrecy went down the good branch; an honest reply naming recall scored mixed; "the Deaf
interpreter" was flagged and "British Sign Language" suggested in a US scenario.

Each row below is a reply typed into a scenario's free-text turn, with the quality an expert
would give it and the manner problems the coach must name. Good replies are in our own words,
not the script's.
"""

from __future__ import annotations

import pytest

from goalstudio._conversation import Node
from goalstudio._reply_manner import read_manner
from goalstudio.exercises.reply import (
    HONEST_CHECK,
    _is_open_question,
    branch_for,
    score_typed_reply,
)
from goalstudio.scenarios import load

_CHECK_KIND = {
    "No threat": "threat",
    "No pressure": "pressure",
    "Invites rather than demands": "demand",
    "No promise of secrecy": "secrecy",
    "No promise you cannot keep": "false_promise",
    "No leading question": "leading",
    "Stays with the worry rather than closing it": "closing",
    "Recovery-oriented language": "language",
}

# (scenario, typed reply, expert's quality, what the coach must name)
REPLIES = [
    (
        "lonnie-housing-first-winter",
        "I hear you, Lonnie. Can you show me you'll stay in the apartment?",
        "poor",
        ("pressure",),
    ),
    (
        "lonnie-housing-first-winter",
        "I'll listen. But you need to take the apartment before the freeze, okay?",
        "poor",
        ("pressure", "leading"),
    ),
    (
        "lonnie-housing-first-winter",
        "I'll hear you out. Don't you think you'd be warmer at the Larchmont?",
        "mixed",
        ("leading",),
    ),
    (
        "lonnie-housing-first-winter",
        "I'll hear you out, Lonnie. What does the Millrace give you that you'd be giving up?",
        "good",
        (),
    ),
    (
        "lonnie-housing-first-winter",
        "I'm listening. What would you miss about the Millrace if you moved?",
        "good",
        (),
    ),
    (
        "lonnie-housing-first-winter",
        "Don't worry, you'll be fine at the Larchmont. I'll listen to whatever you want to say.",
        "mixed",
        ("closing",),
    ),
    (
        "levi-cto-joinery",
        "Thanks for telling me straight. Tell me about Hendry's, so we don't end up having a difficult conversation with Dr Mehra.",
        "poor",
        ("threat",),
    ),
    (
        "levi-cto-joinery",
        "I want to be honest with you: on the CTO, Dr Mehra could consider recall, and I'd rather you heard that from me. First, tell me what the injection is doing that makes you want to stop before Monday.",
        "good",
        (),
    ),
    (
        "levi-cto-joinery",
        "Thanks for telling me straight before Monday. What is the injection doing that makes you want to stop?",
        "good",
        (),
    ),
    (
        "levi-cto-joinery",
        "You must have the injection on Monday, Levi. What's worrying you about Hendry's?",
        "poor",
        ("pressure",),
    ),
    (
        "levi-cto-joinery",
        "It's between you and me, Levi. Tell me about the injection and the job at Hendry's.",
        "poor",
        ("secrecy",),
    ),
    (
        "levi-cto-joinery",
        "Nobody is going to recall you, I promise. What's the injection doing to you before the job?",
        "poor",
        ("false_promise",),
    ),
    (
        "levi-cto-joinery",
        "The depot on Monday worries you with the job starting. How has the injection been for you?",
        "good",
        (),
    ),
    (
        "bree-perinatal-bathtime",
        "I need you to tell me everything about these thoughts, Bree.",
        "poor",
        ("demand",),
    ),
    (
        "bree-perinatal-bathtime",
        "It stays between us, I promise. Thoughts like these are really common. Would you tell me about them?",
        "poor",
        ("secrecy", "false_promise"),
    ),
    (
        "bree-perinatal-bathtime",
        "I can't promise I'll never write anything down, but thoughts like that are really common for new moms and don't mean you're a danger. What are they like for you?",
        "good",
        (),
    ),
    (
        "bree-perinatal-bathtime",
        "Thoughts like that are common after a baby, and they don't mean you are a danger. I won't write anything down. What are they like?",
        "poor",
        ("secrecy",),
    ),
    (
        "bree-perinatal-bathtime",
        "Lots of moms have pictures like that; it doesn't mean you'd act on them. To be honest, if I thought your baby was at risk I'd have to share it, and I'd tell you first. Would you tell me about them?",
        "good",
        (),
    ),
    (
        "bree-perinatal-bathtime",
        "Those thoughts are common, don't worry about it. Everything will be fine.",
        "mixed",
        ("closing",),
    ),
    (
        "carla-declines-act-deaf",
        "Thank you for coming. You said no, and I respect it. Your mom called us this week. The Deaf interpreter and I can go at your pace, or you can tell me to leave.",
        "good",
        (),
    ),
    (
        "carla-declines-act-deaf",
        "Your mom called us. You said no, and I respect that. Can you show me you're taking your meds?",
        "poor",
        ("pressure",),
    ),
    (
        "carla-declines-act-deaf",
        "Your mom called us because she's worried. It's your decision. Is the client noncompliant again?",
        "poor",
        ("language",),
    ),
    (
        "carla-declines-act-deaf",
        "Your mom called us. You can say no. We run groups for the deaf and dumb.",
        "mixed",
        ("language",),
    ),
    (
        "delroy-ward-to-home-kezia",
        "Thank you for telling me straight about the lithium. What is it about taking it at home?",
        "good",
        (),
    ),
    (
        "delroy-ward-to-home-kezia",
        "I hear you about the lithium at home. If you don't take it, you'll end up back on the ward, you know that?",
        "poor",
        ("threat",),
    ),
    (
        "delroy-ward-to-home-kezia",
        "You've told me straight about the lithium. Wouldn't it be safer to keep taking it at home?",
        "mixed",
        ("leading",),
    ),
    (
        "delroy-ward-to-home-kezia",
        "Straight answer, thank you. I'll be honest too: stopping lithium at home could mean the team talking about a community treatment order, and I'd tell you before anything like that. What is it about the lithium for you?",
        "good",
        (),
    ),
    (
        "earl-dementia-keys",
        "The car matters to you, Mr. Washington. Tell me about driving it.",
        "good",
        (),
    ),
    (
        "earl-dementia-keys",
        "The car matters, Mr. Washington. Can you show me you can still drive safely?",
        "poor",
        ("pressure",),
    ),
    (
        "earl-dementia-keys",
        "Your keys and your car mean a lot. It isn't safe for you to drive now, is it?",
        "poor",
        ("leading",),
    ),
    (
        "earl-dementia-keys",
        "I'm sure Loretta will give the keys back. Tell me about the car.",
        "poor",
        ("false_promise",),
    ),
    (
        "samira-camhs-to-adult-architecture",
        "I read it, and I can see why it hurt. What was it like reading it?",
        "good",
        (),
    ),
    (
        "samira-camhs-to-adult-architecture",
        "I read it. It's just a label, don't worry. What else is going on?",
        "mixed",
        ("closing",),
    ),
    (
        "samira-camhs-to-adult-architecture",
        "I read it. It must have been upsetting. Tell me everything you felt.",
        "poor",
        ("demand",),
    ),
    (
        "samira-camhs-to-adult-architecture",
        "I read it and it was hard to read. You're not a borderline, are you?",
        "poor",
        ("language", "leading"),
    ),
    (
        "javi-oud-taper",
        "Off the Suboxone in ninety days, that's your goal. What would it give you?",
        "good",
        (),
    ),
    (
        "javi-oud-taper",
        "Off the Suboxone is your goal. You have to stay on it for a year though. How does that sound?",
        "poor",
        ("pressure",),
    ),
    (
        "javi-oud-taper",
        "Ninety days off the clinic, I hear you. Are you still using, or are you clean?",
        "poor",
        ("language",),
    ),
    (
        "javi-oud-taper",
        "Your goal is off Suboxone in 90 days. Wouldn't it be better to wait, don't you think?",
        "mixed",
        ("leading",),
    ),
    (
        "linh-csc-back-to-campus",
        "You registered for January, that's a big step. What are you most looking forward to?",
        "good",
        (),
    ),
    (
        "linh-csc-back-to-campus",
        "Going back in January is a big step. Promise me you'll call if it gets too much?",
        "poor",
        ("pressure",),
    ),
    (
        "linh-csc-back-to-campus",
        "You're going back to the dorms in January. You'll be fine, I'm sure it'll work out.",
        "mixed",
        ("closing",),
    ),
    (
        "beth-group-home-bus-to-mom",
        "You're not in trouble, Beth. Where did you go on Sunday?",
        "good",
        (),
    ),
    (
        "beth-group-home-bus-to-mom",
        "You're not in trouble, Beth, I promise nothing bad will happen. Where did you go?",
        "poor",
        ("false_promise",),
    ),
    (
        "beth-group-home-bus-to-mom",
        "You're not in trouble. But you need to tell me where you went, Beth.",
        "poor",
        ("demand",),
    ),
    (
        "bernie-cmht-allotment",
        "Your own tablets, on your terms. How would it feel to have them back?",
        "good",
        (),
    ),
    (
        "bernie-cmht-allotment",
        "You want your tablets back. Can you show me you'll take them properly first?",
        "poor",
        ("pressure",),
    ),
    ("bernie-cmht-allotment", "You want your own tablets. Are you still drinking?", "mixed", ()),
    (
        "balwinder-family-wedding-sewa",
        "Thank you, Biji. Let's talk together, all of you. What do you hope for yourself?",
        "good",
        (),
    ),
    (
        "balwinder-family-wedding-sewa",
        "We'll talk together as a whole family. Biji, you must tell me what you want.",
        "poor",
        ("pressure",),
    ),
]


def _free_node(scenario_id: str) -> tuple[Node, str]:
    scenario = load(scenario_id)
    return next(n for n in scenario.conversation.nodes if n.free_text), scenario.locale


def test_the_set_covers_every_kind_across_the_scenarios() -> None:
    assert len(REPLIES) >= 40
    assert len({row[0] for row in REPLIES}) >= 10
    qualities = [row[2] for row in REPLIES]
    assert {"good", "mixed", "poor"} <= set(qualities)
    named = {kind for row in REPLIES for kind in row[3]}
    assert named >= {"threat", "pressure", "demand", "secrecy", "false_promise", "leading"}
    assert named >= {"closing", "language"}


@pytest.mark.parametrize(
    ("scenario_id", "text", "quality", "named"),
    REPLIES,
    ids=[f"{row[0].split('-')[0]}-{i}" for i, row in enumerate(REPLIES)],
)
def test_typed_reply_gets_the_experts_verdict_and_names_the_problem(
    scenario_id: str, text: str, quality: str, named: tuple[str, ...]
) -> None:
    node, locale = _free_node(scenario_id)
    scored = score_typed_reply(text, node, locale)
    assert scored.quality == quality
    failed = {
        _CHECK_KIND[c.name]: c for c in scored.checks if not c.passed and c.name in _CHECK_KIND
    }
    assert set(failed) == set(named)
    for kind in named:
        if kind != "language":
            # The teaching message quotes the learner's own words and says what to try.
            advice = failed[kind].advice
            quoted = advice.split("'")[1]
            assert quoted.lower() in " ".join(text.split()).lower()
            assert len(advice) > len(quoted) + 40
    branch_quality = node.choices[scored.branch].quality
    if quality == "good":
        assert branch_quality == "good"
    else:
        assert branch_quality != "good"  # never the good branch by default
    if quality != "good":
        assert scored.feedback.count("'") >= 2 or "Consider" in scored.feedback


def test_show_is_not_how() -> None:
    assert not _is_open_question("Can you show me you'll stay in the house?")
    assert _is_open_question("How are you finding the house?")
    assert _is_open_question("Levi, what is the injection doing?")
    assert _is_open_question("Tell me about the allotment.")
    assert not _is_open_question("Tell me everything.")
    assert not _is_open_question("Somehow we'll manage, won't we?")


def test_honesty_about_recall_counts_for_the_reply() -> None:
    node, locale = _free_node("levi-cto-joinery")
    honest = (
        "I want to be honest with you: on the CTO, Dr Mehra could consider recall, and I'd "
        "rather you heard that from me. First, tell me what the injection is doing that makes "
        "you want to stop before Monday."
    )
    scored = score_typed_reply(honest, node, locale)
    assert scored.quality == "good"
    assert any(c.name == HONEST_CHECK and c.passed for c in scored.checks)
    avoid = next(c for c in scored.checks if c.name.startswith("No threats of recall"))
    assert avoid.passed
    threat = "If you refuse the depot on Monday, Dr Mehra will have to consider recall."
    assert score_typed_reply(threat, node, locale).quality == "poor"


def test_honesty_does_not_excuse_a_threat() -> None:
    text = (
        "To be honest, tell me about the injection, so we don't end up having a difficult "
        "conversation with Dr Mehra about recall."
    )
    kinds = [p.kind for p in read_manner(text)]
    assert "threat" in kinds


def test_a_mixed_reply_never_takes_the_good_branch_by_default() -> None:
    node = Node.model_validate(
        {
            "id": "a",
            "says": "Hi.",
            "choices": [
                {
                    "reply": "Tell me about the plot.",
                    "next": "b",
                    "quality": "good",
                    "feedback": ".",
                },
                {
                    "reply": "The weekly packs stay.",
                    "next": "c",
                    "quality": "poor",
                    "feedback": ".",
                },
            ],
        }
    )
    assert branch_for("anything", "mixed", node) == 1
    assert branch_for("anything", "mixed", node, share=0.67) == 1
    assert branch_for("anything", "mixed", node, share=0.8) == 0  # nearest by score


def test_reassurance_with_no_mixed_branch_goes_to_the_poor_one() -> None:
    # Levi's opening offers no mixed reply (Bree's had none until issue 14 made one mixed).
    node, locale = _free_node("levi-cto-joinery")
    assert not any(c.quality == "mixed" for c in node.choices)
    scored = score_typed_reply(
        "Thanks for telling me before Monday. Don't worry about it, everything will be fine.",
        node,
        locale,
    )
    assert scored.quality == "mixed"
    assert node.choices[scored.branch].quality == "poor"


def test_us_suggestions_are_american_and_the_deaf_interpreter_passes() -> None:
    node, locale = _free_node("carla-declines-act-deaf")
    assert locale == "en-US"
    scored = score_typed_reply(
        "Your mom called us. You can say no. We run groups for the deaf and dumb.", node, locale
    )
    language = next(c for c in scored.checks if c.name == "Recovery-oriented language")
    assert not language.passed
    assert "American Sign Language" in language.advice
    assert "British" not in scored.feedback
    fine = score_typed_reply(
        "Your mom called us, and you said no, which I respect. The Deaf interpreter is here "
        "so we can talk in ASL; you can tell me to leave.",
        node,
        locale,
    )
    assert next(c for c in fine.checks if c.name == "Recovery-oriented language").passed


def test_whole_words_only_in_manner_reading() -> None:
    assert read_manner("Showcase your cooking; what would you make?") == []
    assert read_manner("The mustard seeds grew; what did you plant?") == []
    assert [p.kind for p in read_manner("You must come.")] == ["pressure"]


def test_a_very_long_reply_is_refused_clearly() -> None:
    node, locale = _free_node("levi-cto-joinery")
    with pytest.raises(ValueError, match="keep it to 2,000 or fewer"):
        score_typed_reply("What is it about the injection? " * 100, node, locale)


@pytest.mark.parametrize(
    "text",
    [
        "You don't have to decide anything today. What would help you think it through?",
        "You need to know I'm on your side here. What matters most to you about the job?",
        "I won't pretend the CTO isn't there. What is the injection doing to you?",
        "I'll tell you before I write anything down. What would you like me to know?",
        "What would you need to feel safe at home?",
        "Tell me what you'd want to happen if things got hard again.",
        "I'm not going to promise something I can't keep. I will listen.",
        "It sounds like you're worried. What's on your mind?",
        "If you want, we can look at it together. What do you think?",
        "Would you be willing to tell me a bit about the voices?",
        "I promise to listen and to be honest with you. What happened?",
        "You have every right to be angry. What made it worse?",
        "Is it okay if we talk about Monday? What worries you most?",
        "What would make the apartment feel like yours, if you moved?",
        "You said you must keep the job at Hendry's. What would help with that?",
        "It sounds like you feel you have to prove yourself. How is that for you?",
    ],
)
def test_replies_that_listen_are_not_read_as_pushing(text: str) -> None:
    assert read_manner(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("If you don't take it, I'll have to tell Dr Mehra.", "threat"),
        ("You know the CTO means we can bring you back in.", "threat"),
        ("It would be a shame if you ended up back on the ward.", "threat"),
        ("You'll lose the flat if you carry on like this.", "threat"),
        ("The team will recall you if you miss Monday.", "threat"),
        ("We can only support the job if you have the injection.", "threat"),
        ("Just take the injection and we can talk about Hendry's after.", "pressure"),
        ("Everyone else manages to take theirs.", "pressure"),
        ("Remember what happened last time you stopped.", "pressure"),
    ],
)
def test_veiled_threats_and_pressure_are_named(text: str, kind: str) -> None:
    assert kind in [p.kind for p in read_manner(text)]


@pytest.mark.parametrize(
    "text",
    [
        "I'll be there if you don't feel up to it.",
        "It would help if you told me more.",
        "I want to be honest: the CTO means the team could recall you, and I would tell you "
        "first. What is the injection doing?",
    ],
)
def test_conditionals_that_offer_or_are_honest_are_not_threats(text: str) -> None:
    assert read_manner(text) == []
