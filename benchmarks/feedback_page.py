"""How tall is the feedback page a learner reads for assignment 2?

Builds a workshop in a temporary folder, hands in a typical partly rewritten plan for each
case (the model rewrite with the old deficit-led goals still beneath it, as
``goalstudio.grading._simulate.partial_plan`` writes it), grades it with the studio's real
autograde and writes the feedback pages as ``goalstudio workshop feedback`` does. Each page is
then rendered in headless Chromium (Debian's, started as the browser tests start it) at a
laptop's viewport, and its height is printed in pixels and in screens, with the number of
findings the rubric raised and how many "Why it matters" paragraphs the page holds (before
issue 13 one per finding and again in each check; now one per kind of finding, and only the
two or three changes that matter most show theirs unfolded).

Measured 2026-12-06 on the development machine: before (plan order, one "Why it matters" per
finding, repeated in each check), Samira's case 16,881 px (21.1 screens) and the median over the
12 cases 17,992 px; after, with the rubric's findings as of that evening, Samira's 2,632 px
(3.3 screens), median 2,820 px (3.5 screens), largest 3,031 px (3.8 screens).

Target (issue 13, item 10): about three screens for a typical partly rewritten plan.

    .venv/bin/python benchmarks/feedback_page.py [--case ID ...] [--screenshot PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ASSIGNMENT = "02-rewrite-the-plan"
VIEWPORT = {"width": 1280, "height": 800}  # a common laptop browser window
DEFAULT_CASE = "samira-camhs-to-adult-architecture"  # the case the issue measured


def make_pages(root: Path, cases: list[str]) -> dict[str, Path]:
    """One graded, partly rewritten submission per case; returns each case's feedback page."""
    from goalstudio import load_scenario
    from goalstudio.grading import (
        assign,
        autograde,
        feedback,
        init_course,
        open_course,
    )
    from goalstudio.grading._simulate import partial_plan, simulate_submission

    init_course(root, "benchmark", timeout=60)
    course = open_course(root)
    assign(course, ASSIGNMENT)
    learners = {}
    for number, case_id in enumerate(cases):
        learner = f"learner-{number:02d}"
        learners[case_id] = learner
        # The plan names its person, so the checks grade it on this case.
        simulate_submission(
            course, ASSIGNMENT, learner, {"plan": partial_plan(load_scenario(case_id))}
        )
    report = autograde(course, ASSIGNMENT, workers=2)
    failed = [r.line() for r in report.results if r.status != "graded"]
    if failed:
        raise SystemExit("autograde failed:\n" + "\n".join(failed))
    feedback(course, ASSIGNMENT)
    return {
        case: course.path("feedback", learner, ASSIGNMENT) / f"{ASSIGNMENT}.html"
        for case, learner in learners.items()
    }


def findings_raised(case_id: str) -> int:
    from goalstudio import load_scenario
    from goalstudio.grading._simulate import partial_plan
    from goalstudio.rubric import review

    case = load_scenario(case_id)
    return len(review(partial_plan(case), case.locale, case).findings)


def measure(pages: dict[str, Path], screenshot: Path | None) -> dict[str, int]:
    from playwright.sync_api import sync_playwright

    from tests.browser._chromium import launch_chromium

    heights = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport=VIEWPORT)
        for case, path in pages.items():
            page.goto(path.resolve().as_uri())
            heights[case] = int(page.evaluate("document.documentElement.scrollHeight"))
            if screenshot is not None and case == next(iter(pages)):
                page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return heights


def main() -> None:
    from goalstudio import list_scenarios

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", help="a case id (default: every case)")
    parser.add_argument("--screenshot", type=Path, help="save the first case's full page here")
    args = parser.parse_args()
    every = [s.id for s in list_scenarios()]
    cases = args.case or [DEFAULT_CASE, *(c for c in every if c != DEFAULT_CASE)]
    with tempfile.TemporaryDirectory() as tmp:
        pages = make_pages(Path(tmp) / "workshop", cases)
        texts = {case: path.read_text(encoding="utf-8") for case, path in pages.items()}
        heights = measure(pages, args.screenshot)
    screen = VIEWPORT["height"]
    print(
        f"Feedback page for a partly rewritten plan, {ASSIGNMENT}, viewport "
        f"{VIEWPORT['width']}x{screen}"
    )
    print(f"{'case':<40} {'findings':>8} {'why-paras':>9} {'height px':>10} {'screens':>8}")
    for case, height in heights.items():
        whys = texts[case].count("Why it matters")
        print(
            f"{case:<40} {findings_raised(case):>8} {whys:>9} {height:>10} {height / screen:>8.1f}"
        )
    values = list(heights.values())
    print(
        f"median height: {statistics.median(values):.0f} px "
        f"({statistics.median(values) / screen:.1f} screens); "
        f"largest {max(values)} px ({max(values) / screen:.1f} screens); target about 3 screens"
    )


if __name__ == "__main__":
    main()
