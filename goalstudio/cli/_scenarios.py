"""``goalstudio scenarios``: list, check, start and preview case scenarios.

- ``list`` shows every scenario, filtered by ``--tag`` (repeatable: all must match) and
  ``--locale``; ``--format json`` for scripts.
- ``validate`` reports every problem at once. Structural problems and a model rewrite that
  fails the rubric are errors (exit 1); a deficit-led plan that is not deficit-led enough is a
  warning (exit 0, or 1 with ``--strict``).
- ``new ID`` writes a commented template a peer trainer fills in; it never overwrites a file.
- ``preview ID --out FILE.html`` writes a self-contained page for facilitators.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from goalstudio._scenarios import (
    ENV_VAR,
    PLACEHOLDER,
    ScenarioError,
    ScenarioProblem,
    ScenarioSummary,
    check_paths,
    survey_scenarios,
)
from goalstudio._vocabulary import LOCALES
from goalstudio.cli import CliError

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


def register(sub: Any) -> None:
    scenarios = sub.add_parser("scenarios", help="list, check, start and preview case scenarios")
    actions = scenarios.add_subparsers(dest="scenarios_command", metavar="ACTION")

    listing = actions.add_parser(
        "list",
        help="list every scenario you can use",
        description=(
            f"List the built-in scenarios and those in the folders named in {ENV_VAR}. "
            "Pick a set for a workshop with --tag and --locale, for example: "
            "goalstudio scenarios list --tag risk --locale en-US"
        ),
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only scenarios with this tag; give it more than once and all must match",
    )
    listing.add_argument(
        "--locale", choices=LOCALES, help="only UK (en-GB) or only US (en-US) scenarios"
    )
    listing.set_defaults(handler=_list)

    validate = actions.add_parser(
        "validate",
        help="check scenario files and list every problem",
        description=(
            "Check scenario files or folders, and list every problem with its file, line, "
            "field and fix. With no PATH, checks every scenario the studio knows, including "
            f"the folders in {ENV_VAR}. Problems are errors (the scenario cannot be used as "
            "it is) or warnings (it works, but will teach less well)."
        ),
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", help="a scenario file or folder")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="hold each scenario to the standard for the built-in library (the guide, section "
        "7, lists it) and treat warnings as problems too (exit code 1)",
    )
    validate.set_defaults(handler=_validate)

    new = actions.add_parser(
        "new",
        help="start a new scenario from a commented template",
        description=(
            "Write ID.yaml: a template that explains every field in plain words. Fill in "
            f"each {PLACEHOLDER}, then check it with 'goalstudio scenarios validate'. "
            "An existing file is never overwritten."
        ),
    )
    new.add_argument("id", metavar="ID", help="a short name, e.g. femi-discharge")
    new.add_argument(
        "--out",
        metavar="DIR",
        default=".",
        help="the folder to write it in (default: the current folder)",
    )
    new.set_defaults(handler=_new)

    preview = actions.add_parser(
        "preview",
        help="write a scenario as one web page for facilitators",
        description=(
            "Write a self-contained HTML page: the story, the two plans side by side, the "
            "four perspectives, the risks, the facilitator notes and the conversation as a "
            "walk-through and a map. It shows the model rewrite and facilitator notes, so "
            "keep it for facilitators. ID is a scenario id or the path of a .yaml file."
        ),
    )
    preview.add_argument("id", metavar="ID", help="a scenario id, or a scenario file")
    preview.add_argument("--out", metavar="FILE.html", required=True, help="the page to write")
    preview.set_defaults(handler=_preview)

    guide = actions.add_parser(
        "guide",
        help="read the guide for scenario authors (shipped with the studio)",
        description="Print the guide for scenario authors, with a worked example. "
        "--format shows every field instead; --path prints where the file is, to open it in "
        "an editor or a Markdown viewer.",
    )
    guide.add_argument(
        "--format",
        dest="which",
        action="store_const",
        const="scenario-format.md",
        default="writing-scenarios.md",
        help="the field reference instead of the guide",
    )
    guide.add_argument("--path", action="store_true", help="print the file's location only")
    guide.set_defaults(handler=_guide)

    scenarios.set_defaults(handler=lambda _args: _usage(scenarios))


def guide_file(name: str = "writing-scenarios.md") -> Path:
    """An authoring guide as installed with the package (it works after a pip install)."""
    return Path(str(resources.files("goalstudio.docs") / name))


def _guide(args: argparse.Namespace) -> int:
    path = guide_file(args.which)
    if not path.is_file():
        raise CliError(
            f"the guide is missing from {path}; reinstall goal-discovery-studio "
            "(pip install --force-reinstall goal-discovery-studio)."
        )
    print(path if args.path else path.read_text(encoding="utf-8"))
    return 0


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 1


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _print_problems(problems: list[ScenarioProblem]) -> None:
    errors = [p for p in problems if not p.is_warning]
    warnings = [p for p in problems if p.is_warning]
    if errors:
        print(f"{_plural(len(errors), 'problem')} to fix:", file=sys.stderr)
        for problem in errors:
            print(f"  {problem}", file=sys.stderr)
        todo = sum(1 for p in errors if p.message.startswith("still to fill in"))
        if todo:
            which = "All of these are" if todo == len(errors) else f"{todo} of these are"
            print(
                f"{which} {PLACEHOLDER}s from the template: replace each {PLACEHOLDER} and the "
                "hint after it with your own words.",
                file=sys.stderr,
            )
    if warnings:
        print(
            f"{_plural(len(warnings), 'warning')} (the scenario works, but will teach less well):",
            file=sys.stderr,
        )
        for problem in warnings:
            print(f"  {problem}", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# list


def select(
    summaries: list[ScenarioSummary], tags: list[str], locale: str | None
) -> list[ScenarioSummary]:
    """The scenarios that carry every tag in ``tags`` (any case) and, if given, the locale."""
    wanted = {t.strip().lower() for t in tags if t.strip()}
    return [
        s
        for s in summaries
        if wanted <= {t.lower() for t in s.tags} and (locale is None or s.locale == locale)
    ]


def _list(args: argparse.Namespace) -> int:
    summaries, problems = survey_scenarios()
    code = _report_unusable(problems)
    chosen = select(summaries, args.tag, args.locale)
    if args.format == "json":
        print(json.dumps([s.to_dict() for s in chosen], indent=2, ensure_ascii=False))
        return code
    if not chosen:
        if summaries:
            known = sorted({t for s in summaries for t in s.tags})
            print(
                "No scenarios match. Tags in use: " + ", ".join(known) + ".",
                file=sys.stderr,
            )
        else:
            print("No scenarios found.")
        return code
    width = max(len(s.id) for s in chosen)
    for s in chosen:
        tags = f"  [{', '.join(s.tags)}]" if s.tags else ""
        print(f"{s.id:<{width}}  {s.locale}  {s.setting:<28}  {s.title}{tags}")
    print(f"{_plural(len(chosen), 'scenario')}.")
    return code


def _report_unusable(problems: list[ScenarioProblem]) -> int:
    """One line per file that cannot be listed, so it does not hide the others. Exit code."""
    if not problems:
        return 0
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.path] = counts.get(problem.path, 0) + 1
    print(
        f"Left out of the list ({_plural(len(counts), 'file')} with problems):",
        file=sys.stderr,
    )
    for path, count in counts.items():
        print(
            f"  {path}: {_plural(count, 'problem')}. See them with: goalstudio scenarios "
            f"validate {path}",
            file=sys.stderr,
        )
    return 1


# --------------------------------------------------------------------------------------------
# validate


def _validate(args: argparse.Namespace) -> int:
    count, problems = check_paths(args.paths)
    if args.strict:
        # The library standard (docs/writing-scenarios.md, section 7) on every file that loads.
        from goalstudio._scenarios import library_problems

        problems += library_problems(args.paths)
    errors = [p for p in problems if not p.is_warning]
    warnings = [p for p in problems if p.is_warning]
    if problems:
        _print_problems(problems)
    if errors or (warnings and args.strict):
        if warnings and args.strict:
            print("Warnings count as problems with --strict.", file=sys.stderr)
        return 1
    note = f", with {_plural(len(warnings), 'warning')}" if warnings else ""
    print(f"{_plural(count, 'scenario')} valid{note}.")
    return 0


# --------------------------------------------------------------------------------------------
# new


def template(scenario_id: str, file_name: str) -> str:
    """The commented template for a new scenario with this id."""
    return _TEMPLATE.replace("@@ID@@", scenario_id).replace("@@FILE@@", file_name)


def _new(args: argparse.Namespace) -> int:
    scenario_id: str = args.id
    if scenario_id.endswith((".yaml", ".yml")):
        scenario_id = scenario_id.rsplit(".", 1)[0]
    if not ID_PATTERN.match(scenario_id):
        raise CliError(
            f"'{args.id}' cannot be used as a scenario id. Use 2 to 64 lower-case letters, "
            "digits and hyphens, starting with a letter or digit, for example "
            "'femi-discharge'. The id is also the file name."
        )
    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise CliError(f"{folder}: this is a file, not a folder. Give a folder after --out.")
    target = folder / f"{scenario_id}.yaml"
    for existing in (target, folder / f"{scenario_id}.yml"):
        if existing.exists():
            raise CliError(
                f"{existing} already exists, and 'new' never overwrites a scenario. Open it "
                "to carry on, choose another id, or move the old file away first."
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(template(scenario_id, str(target)))
    except FileExistsError:
        raise CliError(f"{target} already exists, and 'new' never overwrites it.") from None
    except OSError as exc:
        raise CliError(f"{target}: cannot be written ({exc.strerror or exc}).") from None
    print(f"Wrote {target}.")
    print(
        f"Next: open it in a text editor and replace every {PLACEHOLDER}. Check it with "
        f"'goalstudio scenarios validate {target}'. Read the guide with "
        "'goalstudio scenarios guide'."
    )
    return 0


# --------------------------------------------------------------------------------------------
# preview


def _preview(args: argparse.Namespace) -> int:
    from goalstudio._scenarios import load, load_file
    from goalstudio._scenarios.preview import write_preview

    try:
        if args.id.endswith((".yaml", ".yml")) or Path(args.id).is_file():
            scenario = load_file(args.id)
        else:
            scenario = load(args.id)
    except ScenarioError as exc:
        _print_problems(exc.problems)
        print("Fix these, then preview again.", file=sys.stderr)
        return 1
    out = Path(args.out)
    if out.is_dir():
        raise CliError(f"{out}: this is a folder. Give a file name, e.g. {scenario.id}.html.")
    try:
        write_preview(scenario, out)
    except OSError as exc:
        raise CliError(f"{out}: cannot be written ({exc.strerror or exc}).") from None
    print(f"Wrote {out}. Open it in a web browser; it is for facilitators only.")
    return 0


_TEMPLATE = """\
# ============================================================================================
# A new Goal Discovery Studio scenario: @@ID@@
#
# How to use this file
#   - Lines that start with # (like this one) are notes for you. The studio ignores them, and
#     you can delete them when you have finished.
#   - Every "TODO" marks something for you to write. Replace the word TODO and the hint after
#     it with your own words, and keep the quote marks around the text.
#   - Keep the spaces at the start of each line exactly as they are: they show what belongs
#     to what. Use the space bar, never the Tab key.
#   - Check your work at any time with:   goalstudio scenarios validate @@FILE@@
#     It lists every TODO that is left and every other problem, with its line number.
#   - Everyone and everything in a scenario must be made up: no real names, places, phone
#     numbers or ID numbers.
#
# The guide, with a worked example: goalstudio scenarios guide
# Every field explained:            goalstudio scenarios guide --format
# ============================================================================================

# Always 1. It tells the studio which version of the format this file uses.
schema_version: 1

# The scenario's short name. It must be the same as the file name (without .yaml).
id: @@ID@@

# A short title that trainers will recognise in a list.
title: "TODO a short title, for example: Femi wants to cook for his daughter again"

# en-GB for a UK scenario (care co-ordinator, carer, CPA) or en-US for a US one (case
# manager, family member, Medicaid). The exercises use that country's words.
locale: TODO en-GB or en-US

# Where the story happens.
setting:
  # One of: community_mental_health, substance_use, inpatient_discharge,
  # early_intervention_psychosis, older_adult_dementia, youth_to_adult_transition,
  # learning_disability, forensic_community_treatment, perinatal, homelessness,
  # declines_services, family_decides_together, other
  kind: TODO one of the settings listed above
  # The service, in that country's own words.
  service: "TODO e.g. Community mental health team, on CPA; or Outpatient program, Medicaid"
  # A made-up place, described lightly.
  place: "TODO for example: Marlow Green, a fictional seaside town"

# Words that help trainers pick scenarios for a workshop: the setting, and themes such as
# carers, risk, substance-use, culture, transitions, faith, lgbtq. One per line, each
# starting with "- ". Lower-case, with hyphens instead of spaces.
tags:
  - TODO-first-tag
  - TODO-second-tag

# The person at the centre of the story.
person:
  name: "TODO a made-up full name"
  # How old they are.
  age: TODO a whole number, with no quote marks
  pronouns: "TODO for example: she/her, he/him, they/them"
  # Culture, faith, family and identity, as the person would describe them. The ">-" after
  # the colon lets you write a paragraph over several lines, indented like this.
  background: >-
    TODO a few sentences about who they are and who is in their life.
  # The heart of the scenario: a paragraph in the person's own voice ("I ..."). The "|"
  # keeps your line breaks.
  in_their_words: |
    TODO what they would say about themselves and what they want, in the first person.
  # What matters to the person. Aim for three or more lines.
  what_matters:
    - "TODO something that matters to them"
    - "TODO something else that matters to them"
    - "TODO and another"
  # Their strengths, skills, people and interests. Aim for three or more.
  strengths:
    - "TODO a strength"
    - "TODO another strength"
    - "TODO and another"
  # Their history in brief, including their contact with services.
  history: >-
    TODO a short history, including contact with services.

# The plan the person has now, written the way real deficit-led plans are written: goals in
# staff words ("Maintain mental state"), service outputs ("attend all appointments"), actions
# only for staff, and clinical labels. Learners rewrite it, so make it realistic, not a
# caricature. The checker asks for at least 3 of the 5 rubric criteria to be missed.
# Plan lines: "Goal:", then "Objective:" indented under it, then action steps that start
# with "- WHO:" and a "When:" line under each. docs/plan-format.md explains every plan line.
# Use your country's words for staff roles: Care co-ordinator (UK), Case manager (US).
deficit_plan: |
  Person: TODO the person's name

  Goal: TODO a goal in staff words, for example: Maintain mental state and prevent relapse
    Objective: TODO for example: to be compliant with medication and attend all appointments
      - TODO staff role, e.g. Care co-ordinator or Case manager: TODO e.g. monitor mental state
        When: TODO for example: fortnightly

  Crisis plan: TODO for example: to contact the crisis team if unwell
  Review: TODO for example: CPA review in 6 months, or 90-day treatment plan review

# What the assessment found. For each need, decide: address_now (it gets in the way of the
# person's goals now) or defer (it can wait; say until when). Include at least one of each.
assessment:
  - need: "TODO a need found at assessment"
    decision: address_now
    reason: "TODO why it gets in the way of the person's goals now"
  - need: "TODO a need that can wait"
    decision: defer
    reason: "TODO why it can wait, and when it will be looked at again"

# The four views of the Exchange Model: one each for person, family, practitioner and agency.
# Give every party a reasonable point of view, the agency included (its duty of care, its
# budget, fairness to people waiting). "working", "not_working", "concerns" and
# "proposed_outcomes" are lists, like "what_matters".
perspectives:
  - party: person
    who: "TODO who speaks, for example: Femi"
    what_matters:
      - "TODO what matters most to the person"
    working:
      - "TODO what is going well, as they see it"
    not_working:
      - "TODO what is not going well"
    concerns:
      - "TODO their worries"
    proposed_outcomes:
      - "TODO what they would like to happen"
  - party: family
    who: "TODO for example: Grace, Femi's sister"
    what_matters:
      - "TODO what matters most to the family or carer"
    working:
      - "TODO what is going well"
    not_working:
      - "TODO what is not going well"
    concerns:
      - "TODO the family's or carer's fears"
    proposed_outcomes:
      - "TODO what they would like to happen"
  - party: practitioner
    who: "TODO for example: Nadia Haddad, Femi's care co-ordinator (US: case manager)"
    what_matters:
      - "TODO what matters most to the practitioner"
    working:
      - "TODO what is going well"
    not_working:
      - "TODO what is not going well"
    concerns:
      - "TODO the practitioner's worries"
    proposed_outcomes:
      - "TODO what they would like to happen"
  - party: agency
    who: "TODO for example: the team manager, for the service"
    what_matters:
      - "TODO what matters to the service: its duty of care, its budget, fairness"
    working:
      - "TODO what is going well"
    not_working:
      - "TODO what is not going well"
    concerns:
      - "TODO the service's worries"
    proposed_outcomes:
      - "TODO what the service would like to happen"

# What people are worried about. For each: the risk in plain words, when and why it matters,
# the person's own view (in their words if you can), and what helps keep them safe.
risk_items:
  - risk: "TODO the risk, plainly"
    context: "TODO when and why it matters"
    person_view: "TODO the person's own view of it, in their words"
    protective_factors:
      - "TODO something that helps keep them safe"

# The risk conversation learners practise. Each node is something the person says. After it,
# the learner picks a reply ("choices"), and each reply leads ("next") to another node.
# A node with no replies is an ending. Give every node its own short id (letters, digits, _).
# For each reply: quality is good, mixed or poor; feedback tells the learner, warmly, why it
# helps or hurts; effect says what it does to trust and to understanding (-2 to 2 each).
# A complete scenario has at least 12 nodes, all three kinds of ending (shared_plan, partial,
# breakdown), and good and poor replies. This starter has three nodes: add more by copying a
# whole node (from "- id:" down to the line before the next "- id:").
conversation:
  start: opening
  nodes:
    - id: opening
      says: "TODO the first thing the person says"
      # Optional, on one or two nodes: learners may also type their own reply. It is scored
      # against these criteria (kind: key_idea, reflect, open_question or avoid) and carries
      # on by the closest scripted reply of the same quality. Remove the "# " to use it.
      # free_text: true
      # criteria:
      #   - kind: key_idea
      #     name: "TODO what a good reply does here"
      #     phrases: ["TODO a word that shows it"]
      #     advice: "TODO what to try when a reply does not do it yet"
      choices:
        - reply: "TODO a good reply the learner could choose"
          next: end_shared
          quality: good
          feedback: "TODO why this reply helps"
          effect: {trust: 1, understanding: 1}
        - reply: "TODO a poor reply the learner could choose"
          next: end_breakdown
          quality: poor
          feedback: "TODO why this reply hurts, and what would help instead"
          effect: {trust: -1, understanding: -1}
    - id: end_shared
      says: "TODO what the person says at the end of a conversation that went well"
      ending:
        kind: shared_plan
        title: "TODO a short title for this ending"
        summary: "TODO what happened, and what the learner can take from it"
    - id: end_breakdown
      says: "TODO what the person says when the conversation breaks down"
      ending:
        kind: breakdown
        title: "TODO a short title for this ending"
        summary: "TODO what happened, and what the learner can take from it"

# Optional: a goal-discovery conversation for the Goal Discovery exercise. Without it, the
# exercise uses the person's own words from "in_their_words". To add one, remove the "# " at
# the start of each line below and fill it in. Each turn has "ask" (what the practitioner
# asks), "answer" (what the person says), "kind" (opening, good_day, laddering, what_matters,
# closing or less_helpful), "goals" (each goal in the answer, copied from it word for word)
# and "coach" (why the question helps or not; needed for a less_helpful question).
# goal_discovery:
#   - ask: "What would a good day look like for you?"
#     answer: "Up early, the kitchen radio on, cooking for my daughter."
#     kind: good_day
#     goals:
#       - "cooking for my daughter"
#     coach: "An open question about her life, before any talk of services."

# Optional: what the decision record at the end of the conversation starts from, so its first
# draft fits the conversation. "risk" is copied word for word from one "risk:" line in
# risk_items. "decision_maker" and "capacity" follow the law of the scenario's locale. To add
# it, remove the "# " at the start of each line below and fill it in.
# risk_decision:
#   goal: "the goal the conversation was about, as the person puts it"
#   risk: "copy one risk from risk_items here"
#   other_option: "another option weighed, and whose it is (a carer's wish, say)"
#   decision_maker: "who makes this decision, and on what authority"
#   capacity: "how the person's capacity for this decision stands (presumed unless doubted)"

# The model answer, hidden from learners: the plan rewritten around the person's goals. The
# studio's rubric must find all five criteria met, with no language findings. Keep what the
# old plan had that was clinically necessary, reworded around the person's goals.
# - Goals in the person's own words, in quotes, with who said them.
# - "Strengths:" and "Barriers:" under each goal.
# - Objectives that can be measured and have a date ("by 30 April").
# - Action steps for the person, for family or friends, for a peer and for staff, each with
#   a "When:" line. Write the role first: "Sister (Grace):", "Peer support worker (Dee):".
# - "Deferred:" for each need that can wait, with the reason in brackets.
# - "Disagreement:" for each point people do not agree on: who, about what, and how it will
#   be revisited in brackets.
# - A "Crisis plan:" in the person's words (anything in quotes must be something they say in
#   this file), and a "Review:" date.
model_rewrite: |
  Person: TODO the person's name

  Goal: "TODO the goal, in the person's own words" (TODO their first name)
    Strengths: TODO strengths this goal draws on, separated by commas
    Barriers: TODO what stands in the way, separated by commas
    Objective: TODO something you could see happen, with a date
      - TODO their first name: TODO what the person does
        When: TODO when
      - TODO family or friend, role first, e.g. Sister (Grace): TODO what they do
        When: TODO when
      - Peer support worker (TODO a name): TODO what the peer does
        When: TODO when
      - TODO staff role, e.g. Care co-ordinator or Case manager: TODO what they do, and what for
        When: TODO when

  Deferred: TODO a need that can wait (TODO the reason, and when it will be looked at again)
  Crisis plan: TODO the crisis plan, in the person's words where you can
  Review: TODO a date, and who comes

# For the person running the session; hidden from learners.
facilitator_notes:
  # How many minutes the scenario takes in a session (a whole number from 5 to 480).
  minutes: TODO a whole number, for example 45
  discussion_questions:
    - "TODO a question for group discussion"
    - "TODO another question"
    - "TODO and another"
  common_mistakes:
    - "TODO a mistake learners often make with this scenario"
    - "TODO another mistake"
    - "TODO and another"
  # Anything else: timings, how to split groups, topics that may affect people in the room.
  notes: >-
    TODO notes for the facilitator.
"""
