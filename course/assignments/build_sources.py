"""Write the four nbgrader source notebooks from the text in this file.

Run ``.venv/bin/python course/assignments/build_sources.py`` after editing, and commit the
notebooks it writes (``course/assignments/<id>/<id>.ipynb``). The notebooks are committed
without outputs. A test checks that they match this file.

The manual rubrics follow two published plan-quality measures: the PCCP-AM (Stanhope, Tondora
et al. 2021), whose items are rated 1-4 with 3 as competent, and the Wisconsin person-centred
planning fidelity checklist (F-01339, 2016). Here each item scores 0-3 (PCCP-AM's 1-4, less
one), and each level says what a marker must be able to point to, so two markers agree.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbformat

HERE = Path(__file__).resolve().parent


def _nb(
    grade_id: str, *, locked: bool = True, points: float | None = None, **flags: bool
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": flags.get("grade", False),
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": flags.get("solution", False),
        "task": flags.get("task", False),
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def text(grade_id: str, source: str) -> Any:
    """Instructions: read-only."""
    return nbformat.v4.new_markdown_cell(source.strip(), metadata=_nb(grade_id))


def setup(grade_id: str, source: str) -> Any:
    """A read-only code cell whose code learners do not need to see."""
    meta = _nb(grade_id)
    meta["jupyter"] = {"source_hidden": True}
    return nbformat.v4.new_code_cell(source.strip(), metadata=meta)


def answer(grade_id: str, kind: str, template: str) -> Any:
    """An answer cell: a '%%answer' line, then a template the learner replaces."""
    source = f"%%answer {kind}\n{template.strip()}\n### BEGIN SOLUTION\n### END SOLUTION"
    return nbformat.v4.new_code_cell(source, metadata=_nb(grade_id, locked=False, solution=True))


def check(grade_id: str, points: float, visible: str, hidden: str | None = None) -> Any:
    """An autograded check. The last value is the score; hidden parts run only at grading."""
    source = visible.strip()
    if hidden:
        source += f"\n### BEGIN HIDDEN TESTS\n{hidden.strip()}\n### END HIDDEN TESTS"
    meta = _nb(grade_id, points=points, grade=True)
    meta["jupyter"] = {"source_hidden": True}
    return nbformat.v4.new_code_cell(source, metadata=meta)


def rubric(grade_id: str, points: float, title: str, source_note: str, levels: list[str]) -> Any:
    """A manually graded task: the rubric text the marker scores against."""
    lines = [f"### Marked by your trainer: {title} ({points:g} points)", "", source_note, ""]
    lines += ["| points | what the marker can point to in your answer |", "|---|---|"]
    lines += [f"| {n} | {level} |" for n, level in enumerate(levels)]
    return nbformat.v4.new_markdown_cell(
        "\n".join(lines), metadata=_nb(grade_id, points=points, task=True)
    )


def start(assignment: str) -> Any:
    return setup(
        "setup",
        f"""
from goalstudio import grading

work = grading.start("{assignment}")
work
""",
    )


PRIVACY = (
    "*Everyone in these cases is fictional. Never type details of a real person "
    "(names with dates of birth, NHS or social security numbers, addresses, phone numbers).*"
)

HOW_TO_ANSWER = """
**How to answer.** Answer cells start with a line like `%%answer plan`. Leave that first line
as it is and write under it in plain words: no quotation marks around your answer, no code.
Replace every part in `[square brackets]`. Lines that start with `#` are notes to yourself and
are ignored. Run the cell (Shift + Enter) to save your answer and see whether the studio can read
it. Then run the check cells below it.
"""

EXAMPLE_PLAN = """
**An example** (a different person, so you can see the format):

```
Person: Priya
Goal: "I want to get back to singing in the choir by Christmas." (Priya)
  Strengths: strong voice, knows the choir leader
  Barriers: panic on buses
  Objective: Priya goes to two rehearsals a month by October.
    - Priya: chooses which rehearsals to try first
    - Sister (Ana): lifts to rehearsal on Tuesdays
      When: every Tuesday in September
    - Care co-ordinator: weekly session practising her breathing plan for the bus
      When: until the end of September
Deferred: weight gain on her medication (Priya will raise it with the psychiatrist in January)
Review: 1 December 2026
```

`Goal:` is what the person wants in life, in their own words and in quotation marks, with their
name after it. `Objective:` is a measurable, short-term step. Each `- Owner: ...` line is an
action step and who does it: the person, family and friends, peers, or staff. `When:` says when.
The full guide is in the course's plan format page.
"""

PLAN_TEMPLATE = """
# Your plan. Replace each [bracketed] part; add more goals, objectives or steps as you need.
Person: [the person's name]
Goal: "[what they want, in their own words]" ([their name])
  Strengths: [strength], [strength]
  Barriers: [what stands in the way]
  Objective: [a measurable step, with a date]
    - [their name]: [what they will do]
    - [a supporter, e.g. Sister (Ana)]: [what they will do]
      When: [when]
    - [a staff role, e.g. Care co-ordinator]: [what they will do]
      When: [when]
Review: [a date]
"""


# --------------------------------------------------------------------------------------------
# 1. Spot the language and the outputs


def assignment_1() -> Any:
    aid = "01-spot-the-language"
    cells = [
        text(
            "intro",
            f"""
# Assignment 1: spot the language and the outputs

You will read the plan a team wrote for the person in your case, and find two things that
keep a plan from being the person's own: **language that labels them**, and **outputs**
(services the team provides or counts) written where **outcomes** (changes in a life) belong.
This assignment is graded automatically. Module 3, *From problem lists to outcomes*, teaches it.

{PRIVACY}
""",
        ),
        start(aid),
        text(
            "plan-heading",
            "## The plan as it stands\n\nRead it carefully. Staff wrote it, not the person.",
        ),
        setup("show-plan", 'work.show("plan")'),
        text(
            "part-a",
            """
## Part A: language that labels the person (3 points)

Copy each word or phrase from the plan above that labels the person, judges them, or talks about
them as a case rather than a person. Put each on its own line, exactly as it is written in the
plan. For example, from another plan you might copy:

```
non-compliant
Pt refuses
```
"""
            + HOW_TO_ANSWER,
        ),
        answer(
            "answer-phrases", "phrases", "# One phrase per line, copied from the plan:\n[a phrase]"
        ),
        check(
            "spot-language",
            3,
            '# Checks Part A; the full check runs at grading.\nwork.preview("phrases")',
            'work.check("spotted_language", "phrases", points=3)',
        ),
        text(
            "part-b",
            """
## Part B: outputs or outcomes? (3 points)

Here are some statements about the person. Some are **outputs**: something the service
provides, counts or requires (attending, complying, engaging, staying stable). Some are
**outcomes**: a change in the person's life that they would notice. Label each one by its
number, one per line, like this:

```
1: outcome
2: output
```
""",
        ),
        setup("show-statements", 'work.show("statements")'),
        answer(
            "answer-labels",
            "labels",
            "# One line per statement: NUMBER: output  or  NUMBER: outcome\n[1: output or outcome]",
        ),
        check(
            "spot-outputs",
            3,
            '# Checks Part B; the full check runs at grading.\nwork.preview("labels")',
            'work.check("labelled_outputs", "labels", points=3)',
        ),
        text(
            "end",
            "## Before you submit\n\nRun every cell from the top (*Run > Run All Cells*), read "
            "what the checks say, then save and submit.",
        ),
    ]
    return cells


# --------------------------------------------------------------------------------------------
# 2. Rewrite a deficit-led plan


MEANING_LEVELS = [
    "The goals are the team's aims (compliance, attendance, abstinence, symptom control) or "
    "are missing; nothing in the plan comes from what the person said.",
    "At least one goal names something the person wants, but it is written in staff words, "
    "or it is a service (for example 'attend the group') rather than a change in their life.",
    "Every goal is a change in the person's life that the case shows they want (a role, a "
    "relationship, a place, an activity), in their words, and each objective visibly serves "
    "that goal. The team's clinical needs appear as steps towards it or as deferred needs, "
    "with a reason.",
    "All of level 2, and the plan also records the person's vision beyond services (what "
    "life looks like when the plan is done), and uses the strengths the case names.",
]
USABLE_LEVELS = [
    "The person could not follow this plan: steps belong only to staff, or have no owner or "
    "time, or it is written in jargon or abbreviations.",
    "Some steps belong to the person, but most have no time frame or measure, or the plan "
    "still uses jargon that the person would need explained.",
    "The person could follow it alone: plain words, each objective has a date and a way to "
    "tell it is done, and the person and at least one natural support have steps of their own "
    "beside the staff steps.",
    "All of level 2, and the plan is short enough to read in two minutes, says what happens "
    "if a step does not work out, and names when the person and team will review it together.",
]


def assignment_2() -> Any:
    aid = "02-rewrite-the-plan"
    return [
        text(
            "intro",
            f"""
# Assignment 2: rewrite a deficit-led plan

Rewrite the plan for the person in your case so that it is theirs: their goals in their words,
outcomes rather than outputs, a role for them and the people around them, and steps that say
who does what and when. Modules 2 to 4 teach this. The checks below are automatic; your trainer
also marks the meaning of your plan with the rubric at the end.

{PRIVACY}
""",
        ),
        start(aid),
        setup("show-plan", 'work.show("plan")'),
        text("how", HOW_TO_ANSWER + "\n" + EXAMPLE_PLAN),
        answer("answer-plan", "plan", PLAN_TEMPLATE),
        check(
            "plan-readable",
            1,
            'work.check("plan_readable", "plan", points=1)',
        ),
        check(
            "rewritten",
            1,
            "# A rewrite, not a copy. The full check runs when your work is graded.\n"
            'work.preview("plan")',
            'work.check("rewritten", "plan", points=1)',
        ),
        check("outcomes", 2, 'work.criterion("outcomes", points=2)'),
        check("personalised", 2, 'work.criterion("personalised", points=2)'),
        check("roles", 2, 'work.criterion("roles", points=2)'),
        check("own-words", 2, 'work.criterion("own_words", points=2)'),
        check("action-oriented", 2, 'work.criterion("action_oriented", points=2)'),
        check("structure", 2, 'work.criterion("structure", points=2)'),
        rubric(
            "meaning",
            3,
            "Is this the person's goal?",
            "From PCCP-AM (personal life goals, strengths) and the Wisconsin fidelity checklist "
            "(goal in the person's own words; reflects a quality-of-life change or life role; "
            "creates a vision for the future).",
            MEANING_LEVELS,
        ),
        rubric(
            "usable",
            3,
            "Could the person use this plan?",
            "From PCCP-AM (natural supports and self-directed actions) and the Wisconsin "
            "fidelity checklist (objectives remove or lessen a barrier, with a time frame and a "
            "measure).",
            USABLE_LEVELS,
        ),
    ]


# --------------------------------------------------------------------------------------------
# 3. A negotiated plan using the Exchange Model

EXCHANGE_TEMPLATE = """
# Each party's view. Replace each [bracketed] part.
View: Person ([name])
  Matters: [what matters to them]
  Working: [what is working]
  Not working: [what is not]
  Concerns: [their worry]
  Proposes: [what they would like to happen]
View: Family ([name and relationship])
  Matters: [...]
  Concerns: [...]
View: Practitioner ([role])
  Matters: [...]
  Concerns: [...]
View: Agency ([the service])
  Matters: [...]
  Concerns: [duty of care, resources]
# Where they meet, where they differ, and what was agreed:
Agree: [common ground] (person, family)
Disagree: [the topic]
  Person: [their position]
  Practitioner: [their position]
  Handled: [how it will be handled; both views stay on record]
Outcome: [a negotiated outcome]
"""

FAIRNESS_LEVELS = [
    "One party's view (often the team's) stands for everyone, or a party is missing or a "
    "caricature.",
    "All four parties appear, but one or more views are copied from the case without saying "
    "what that party would need to agree, or the agency is described only as a barrier.",
    "Each party's view is stated as they would put it, with a concern the case gives them; the "
    "agency's duty of care and limits on resources are treated as reasonable.",
    "All of level 2, and the answer shows where each party's expertise adds something the "
    "others lack (the person on their life, family on history, staff on options, the agency "
    "on what it can fund).",
]
NEGOTIATION_LEVELS = [
    "Outcomes are the team's decisions; disagreement is absent or settled in the team's favour "
    "without the person's view recorded.",
    "There are negotiated outcomes, but they do not follow from the views, or a disagreement is "
    "written down with only one side.",
    "The outcomes start from what the person wants and show what each party will do; at least "
    "one disagreement is recorded with each position as stated and how it will be handled.",
    "All of level 2, and the plan below carries the negotiated outcomes through into objectives "
    "and steps owned by the person, family and staff, with a review to revisit the "
    "disagreement.",
]


def assignment_3() -> Any:
    aid = "03-negotiated-plan"
    return [
        text(
            "intro",
            f"""
# Assignment 3: a negotiated plan using the Exchange Model

In the Exchange Model (Smale et al., 1993), each party brings expertise: the person, their
family or carers, the practitioner and the agency. You will set out each view, find the common
ground, record where they disagree, and write the plan that follows. Module 5 teaches it.

{PRIVACY}
""",
        ),
        start(aid),
        setup("show-views", 'work.show("views")'),
        text("how", HOW_TO_ANSWER),
        answer("answer-exchange", "exchange", EXCHANGE_TEMPLATE),
        check(
            "exchange-views",
            2,
            'work.check("exchange_views", "exchange", points=2)',
        ),
        check(
            "exchange-negotiation",
            2,
            '# The full check runs when your work is graded.\nwork.preview("exchange")',
            'work.check("exchange_negotiation", "exchange", points=2)',
        ),
        text(
            "plan-how",
            "## The negotiated plan\n\nNow write the plan that follows from the exchange."
            + EXAMPLE_PLAN,
        ),
        answer("answer-plan", "plan", PLAN_TEMPLATE),
        check("plan-readable", 1, 'work.check("plan_readable", "plan", points=1)'),
        check("outcomes", 2, 'work.criterion("outcomes", points=2)'),
        check("roles", 2, 'work.criterion("roles", points=2)'),
        rubric(
            "fair-views",
            3,
            "Is every party's view fairly represented?",
            "From the Exchange Model (each party is expert in something) and PCCP-AM (natural "
            "supports included in the plan).",
            FAIRNESS_LEVELS,
        ),
        rubric(
            "negotiation",
            3,
            "Do the outcomes follow from the negotiation?",
            "From the Exchange Model (outcomes are negotiated; disagreement is recorded, never "
            "erased) and the Wisconsin fidelity checklist (the plan reflects what the person "
            "wants).",
            NEGOTIATION_LEVELS,
        ),
    ]


# --------------------------------------------------------------------------------------------
# 4. A positive-risk decision record

RISK_TEMPLATE = """
# The decision record. Replace each [bracketed] part; add options as you need.
Goal: [the goal this risk serves]
Person's view: [their view, in their own words]
Option: Do nothing ([what staying as things are means])
  Benefits: [benefit]
  Risks: [risk]
Option: [another option]
  Benefits: [benefit]
  Risks: [risk]
Strengths: [strength], [strength]
Safer: [who, e.g. Sister (Ana)]: [what they will do]
Position (person): [their position]
Position (family): [their position]
Position (practitioner): [their position]
Decision: [what was decided]
Dissent: [who disagrees, and why]
Review: [a date]
"""

BALANCE_LEVELS = [
    "Only the risks of the person's choice are weighed; doing nothing or the team's preferred "
    "option is treated as safe.",
    "Benefits and risks appear for more than one option, but the person's view is summarised "
    "by staff or the decision does not follow from the weighing.",
    "Each option, doing nothing included, has benefits and risks that the case supports; the "
    "person's view is in their words; the decision follows from the weighing and respects "
    "their right to choose.",
    "All of level 2, and the record says what the person would lose if the risk were not "
    "taken (the dignity of risk), and how their capacity to make this decision was considered.",
]
SAFETY_LEVELS = [
    "No one is named to make the plan safer, or only staff monitor the person.",
    "Safety steps exist but are vague ('monitor', 'support') or have no owner or time.",
    "Specific safety steps are shared between the person, a natural support and staff, each "
    "with an owner; dissent is recorded and there is a review date.",
    "All of level 2, and the record says what early signs would prompt a change and who the "
    "person wants contacted first, in their words.",
]


def assignment_4() -> Any:
    aid = "04-risk-decision"
    return [
        text(
            "intro",
            f"""
# Assignment 4: a positive-risk decision record

Positive risk-taking weighs the benefits of a choice against its risks, with the person, and
includes the risks of doing nothing (Morgan, 1994 onwards; Department of Health, 2007). Write
the decision record for the risk in your case. Module 6 teaches it.

{PRIVACY}
""",
        ),
        start(aid),
        setup("show-risk", 'work.show("risk")'),
        text(
            "how",
            HOW_TO_ANSWER
            + """
**An example** (a different person):

```
Goal: Priya travels to choir on her own by bus
Person's view: "I'd rather panic on a bus than stay in every Tuesday."
Option: Do nothing (Ana keeps driving her)
  Benefits: no panic on the bus
  Risks: Priya depends on Ana; stops going when Ana cannot drive
Option: Priya takes the bus with a breathing plan
  Benefits: independence; keeps her place in the choir
  Risks: a panic attack on the bus
Strengths: knows her early signs; practised breathing plan
Safer: Sister (Ana): answers her phone on Tuesday evenings
Safer: Priya: sits near the door and gets off if she needs to
Position (person): wants to try from October
Position (family): worried, but will be on call
Position (practitioner): supports a trial with a review
Decision: Priya tries the bus for four weeks from October
Dissent: Ana would prefer to keep driving until Christmas
Review: 1 November 2026
```
""",
        ),
        answer("answer-risk", "risk", RISK_TEMPLATE),
        check(
            "risk-record",
            3,
            '# The full check runs when your work is graded.\nwork.preview("risk")',
            'work.check("risk_record", "risk", points=3)',
        ),
        rubric(
            "balance",
            3,
            "Are the options weighed fairly, with the person's view at the centre?",
            "From positive risk-taking (Morgan, 1994 onwards) and Best Practice in Managing "
            "Risk (Department of Health, 2007): decisions draw on the person's own experience; "
            "the risks of not acting count too.",
            BALANCE_LEVELS,
        ),
        rubric(
            "shared-safety",
            3,
            "Is keeping safe shared, specific and reviewed?",
            "From PCCP-AM (natural supports and self-directed actions) and Best Practice in "
            "Managing Risk (collaboration; a plan that names who does what).",
            SAFETY_LEVELS,
        ),
    ]


BUILDERS = {
    "01-spot-the-language": assignment_1,
    "02-rewrite-the-plan": assignment_2,
    "03-negotiated-plan": assignment_3,
    "04-risk-decision": assignment_4,
}


def notebook(assignment_id: str) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nb.cells = BUILDERS[assignment_id]()
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"{assignment_id[:2]}-{number:02d}"
    return nb


def render(assignment_id: str) -> str:
    return nbformat.writes(notebook(assignment_id)) + "\n"


def main(argv: list[str]) -> int:
    check_only = "--check" in argv
    stale = []
    for assignment_id in BUILDERS:
        path = HERE / assignment_id / f"{assignment_id}.ipynb"
        wanted = render(assignment_id)
        if check_only:
            if not path.exists() or path.read_text(encoding="utf-8") != wanted:
                stale.append(str(path))
            continue
        path.parent.mkdir(exist_ok=True)
        path.write_text(wanted, encoding="utf-8")
        print(f"wrote {path}")
    if stale:
        print("out of date (run build_sources.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
