"""Criterion 2: personalised rather than generic.

Stock phrases ("engage in meaningful activity", "promote recovery") could sit in anyone's
plan. Personal detail (people, places, roles, the things the person loves) makes a plan theirs.
"""

from __future__ import annotations

from collections.abc import Iterator

from goalstudio._vocabulary import Verdict
from goalstudio.rubric._aim import AIM_WORDS
from goalstudio.rubric._context import Context, Rule, Statement
from goalstudio.rubric._data import rubric_data
from goalstudio.rubric._types import CriterionResult, Finding

TEACHES = "03-from-deficits-to-outcomes#personalised"
WHY = (
    "A phrase that fits every plan tells no one what to do for this person. Plans that name "
    "the people, places and activities that matter to someone are the ones they recognise "
    "as theirs and come back to."
)


def _detail(statement: Statement) -> bool:
    analysis = statement.analysis
    return bool(
        analysis.proper_nouns or analysis.life_domains or analysis.first_person or analysis.quoted
    )


def about_life(statement: Statement) -> bool:
    """The statement's aim is (or leads to) the person's life, or cannot be typed at all.

    A name, a quote or the first person in a sentence whose aim is a service, a symptom,
    abstinence or a slogan ("Kofi will stick with his depot") is not detail about a life.
    """
    aim = statement.analysis.aim
    return aim.kind in ("life", "unclear") or "life" in (aim.link, aim.also)


def has_personal_detail(statement: Statement) -> bool:
    """Detail about the person's life: people, places, roles and activities, or their voice,
    in a statement whose aim is their life."""
    return _detail(statement) and about_life(statement)


def stock_hits(statement: Statement) -> list[tuple[str, int, int]]:
    """(stock phrase key, start, end) for each stock phrase in the statement."""
    data = rubric_data()
    out: list[tuple[str, int, int]] = []
    taken_until = -1
    for hit in data.stock_index.scan(statement.analysis.tokens):
        if hit.start < taken_until:
            continue
        out.append((hit.key, hit.start, hit.end))
        taken_until = hit.end
    return out


def _stock_phrases(context: Context) -> Iterator[Finding]:
    data = rubric_data()
    for statement in context.statements:
        for key, start, end in stock_hits(statement):
            stock = data.stock[key]
            words = statement.text[start:end]
            yield context.finding(
                "personalised.stock-phrase",
                "personalised",
                "warning" if statement.kind != "action_step" else "info",
                f"'{words}' is a stock phrase: it could sit in anyone's "
                f"{context.term('care_plan')}.",
                statement=statement,
                start=start,
                end=end,
                suggestion=stock.ask,
                why=WHY,
                teaches=TEACHES,
            )


def _detail_not_about_life(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        if not _detail(goal) or about_life(goal) or stock_hits(goal):
            continue
        aim = goal.analysis.aim
        what = AIM_WORDS[aim.kind]
        words = aim.head or goal.text[aim.start : aim.end]
        yield context.finding(
            "personalised.detail-not-about-life",
            "personalised",
            "warning",
            f"{goal.location.capitalize()} aims at '{words}': {what}, not something in "
            f"{context.pronouns.their} life. A name in a sentence like this does not make "
            f"the goal {context.possessive}, and nor do quotation marks or the first person.",
            statement=goal,
            suggestion=(
                f"Ask {context.name} what {context.pronouns.they} would like to be doing, with "
                "whom and where, and put that detail in the goal."
            ),
            why=WHY,
            teaches=TEACHES,
        )


def _goal_without_detail(context: Context) -> Iterator[Finding]:
    for goal in context.goals():
        if _detail(goal) or stock_hits(goal):
            continue
        yield context.finding(
            "personalised.goal-without-detail",
            "personalised",
            "info",
            f"{goal.location.capitalize()} has nothing in it that makes it "
            f"{context.possessive}: no people, places, roles or things "
            f"{context.pronouns.they} {context.pronouns.verb('love', 'loves')}.",
            statement=goal,
            suggestion=(
                f"Add the detail {context.name} gave you: who, where, which activity, "
                f"and why it matters to {context.pronouns.them}."
            ),
            why=WHY,
            teaches=TEACHES,
        )


RULES = (
    Rule(
        "personalised.stock-phrase",
        "personalised",
        "A stock phrase that fits any plan",
        _stock_phrases,
    ),
    Rule(
        "personalised.detail-not-about-life",
        "personalised",
        "Names or voice in a goal whose aim is not the person's life",
        _detail_not_about_life,
    ),
    Rule(
        "personalised.goal-without-detail",
        "personalised",
        "A goal with no personal detail",
        _goal_without_detail,
    ),
)


def assess(context: Context) -> CriterionResult:
    goals_and_objectives = [s for s in context.statements if s.kind != "action_step"]
    evidence: list[str] = []
    personal = 0
    stock_count = 0
    for statement in goals_and_objectives:
        hits = stock_hits(statement)
        stock_count += len(hits)
        for _key, start, end in hits:
            evidence.append(f"{statement.location}: stock phrase '{statement.text[start:end]}'")
        if has_personal_detail(statement) and not hits:
            personal += 1
            details = [t.text for t in statement.analysis.proper_nouns][:3] or [
                e.words for e in statement.analysis.evidence if e.family == "life"
            ][:3]
            shown = ", ".join(details) if details else "in the person's own voice"
            evidence.append(f"{statement.location}: personal detail ({shown})")
    goals = context.goals()
    personal_goals = [g for g in goals if has_personal_detail(g) and not stock_hits(g)]
    verdict: Verdict
    if goals and len(personal_goals) == len(goals) and stock_count == 0:
        verdict = "met"
    elif not personal_goals and personal == 0:
        verdict = "not_met"
    else:
        verdict = "partly"
    if not evidence:
        evidence.append("no personal detail and no stock phrases found")
    return CriterionResult("personalised", verdict, tuple(evidence))
