"""How fast a practice audit is: 1,000 plans of about 300 words, beside the bare rubric.

Writes the plans to a temporary folder (three in four in the studio's plan format, one in four
as free text with headings), then measures, in this one run:

- the bare rubric: ``review()`` of each plan's text, read from memory;
- the audit: ``run_audit`` on the folder into a new SQLite records store (reading each file,
  the privacy check, structuring free text, review, chart review, writing the round).

Target (issue 18): the audit of 1,000 plans in under 10 s on a 2-core machine. Prints the
times, their ratio, and the peak memory (the files are streamed one at a time).

Then the facilitators' dashboard page: ``audit_history`` over two rounds of these plans (each
round's profile and the change between them with its bootstrap interval), beside reading the
two rounds' plans from the store alone.

Run: ``.venv/bin/python benchmarks/audit.py [--plans N]``.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from goalstudio.audit import audit_history, run_audit
from goalstudio.records import RecordStore
from goalstudio.rubric import review

NAMES = ["Priya", "Sam", "Kit", "Amira", "Joel", "Mei", "Tariq", "Ruth", "Dev", "Lena"]
AIMS = [
    "get back to singing in the choir",
    "find a part-time job in a bakery",
    "swim with my daughter at the leisure centre",
    "cook Sunday dinner for my brother",
    "finish the woodwork course at college",
    "walk the dog on the canal path without panicking",
    "move into a flat of my own near my mum",
    "play five-a-side football on Saturdays",
]
SUPPORT = ["Sister (Ana)", "Friend (Joy)", "Brother (Ray)", "Peer support worker (Tom)"]
STAFF = ["Care co-ordinator", "Employment specialist", "Occupational therapist", "Nurse (Jo)"]
DEFICIT = [
    "To be compliant with medication and engage with services.",
    "To maintain stability and prevent relapse.",
    "To attend all appointments and gain insight into illness.",
    "To reduce challenging behaviour on the ward.",
]


def studio_plan(rng: random.Random, n: int) -> str:
    name = rng.choice(NAMES)
    lines = [f"Person: {name}"]
    for g in range(2):
        aim = rng.choice(AIMS)
        lines += [
            f'Goal: "I want to {aim} by month {n % 12 + 1}, and feel like myself again." ({name})',
            f"  Strengths: {rng.choice(['loyal friends', 'good sense of humour'])}, "
            f"{rng.choice(['early riser', 'knows the area well'])}, {n + g} years of experience",
            f"  Barriers: {rng.choice(['panic on buses', 'tired in the mornings'])}, "
            f"{rng.choice(['worries about money', 'a gap in the CV'])}",
        ]
        for o in range(2):
            lines += [
                f"  Objective: {name} takes step {o + 1} towards this {rng.randint(1, 4)} times "
                f"a month by week {rng.randint(4, 20)}.",
                f"    - {name}: chooses when to start and tells {rng.choice(SUPPORT)} "
                "how it went each week",
                f"    - {rng.choice(SUPPORT)}: goes along the first {rng.randint(2, 5)} "
                "times so that the first visits feel easier",
                f"    - {rng.choice(STAFF)}: meets {name} fortnightly to plan the next step "
                f"together, until week {rng.randint(6, 24)}",
            ]
    lines += [
        f"Crisis plan: in {name}'s words, agreed with {rng.choice(SUPPORT)}",
        f"Review: {rng.randint(1, 28)} March 2027",
    ]
    return "\n".join(lines) + "\n"


def free_text_plan(rng: random.Random, n: int) -> str:
    name = rng.choice(NAMES)
    parts = ["# Care plan", "", "## Needs"]
    parts += [f"- {rng.choice(DEFICIT)}" for _ in range(3)]
    parts += ["", "## Goals", f"- {rng.choice(DEFICIT)}", f"- {name} to {rng.choice(AIMS)}."]
    parts += ["", "## Interventions"]
    parts += [
        f"{i}. {rng.choice(STAFF)} to monitor mental state and review risk every "
        f"{rng.randint(1, 4)} weeks, and to encourage {name} to attend groups."
        for i in range(1, 9)
    ]
    parts += ["", "## Notes"]
    parts += [
        f"{name} was seen at home on day {n % 28 + 1}. The client remains unsettled at times "
        "and staff will continue to monitor compliance with the plan."
        for _ in range(4)
    ]
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(18)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans"
        folder.mkdir()
        texts = []
        for n in range(args.plans):
            free = n % 4 == 3
            text = free_text_plan(rng, n) if free else studio_plan(rng, n)
            (folder / f"plan-{n:04d}.{'md' if free else 'txt'}").write_text(text, "utf-8")
            texts.append(text)
        words = [len(re.findall(r"\w+", t)) for t in texts]
        print(f"{args.plans} plans, {sum(words) / len(words):.0f} words on average")

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        inputs = [t if n % 4 != 3 else _structured(folder, n) for n, t in enumerate(texts)]
        del texts
        wall, cpu = time.perf_counter(), time.process_time()
        for text in inputs:
            review(text)
        bare = time.process_time() - cpu, time.perf_counter() - wall
        del inputs

        wall, cpu = time.perf_counter(), time.process_time()
        with RecordStore(Path(tmp) / "records.sqlite") as store:
            run = run_audit(folder, "baseline", store)
        audit = time.process_time() - cpu, time.perf_counter() - wall
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        with RecordStore(Path(tmp) / "records.sqlite") as store:
            # A second round: the same plans with every other one's language findings halved.
            again = [
                {**asdict(plan), "summary": _fewer_findings(plan.summary, n)}
                for n, plan in enumerate(store.audit_plans("baseline"))
            ]
            store.add_audit_plans("follow-up", again)
            wall, cpu = time.perf_counter(), time.process_time()
            for name in ("baseline", "follow-up"):
                store.audit_plans(name)
            loading = time.process_time() - cpu, time.perf_counter() - wall
            wall, cpu = time.perf_counter(), time.process_time()
            history = audit_history(store)
            page = time.process_time() - cpu, time.perf_counter() - wall

    print("times are CPU time of this process (wall-clock time, which a busy machine inflates)")
    print(
        f"bare rubric (review of each plan's text, in memory): {bare[0]:6.2f} s ({bare[1]:.2f} s)"
    )
    print(
        f"audit run (read, privacy, structure, review, chart review, store): {audit[0]:6.2f} s "
        f"({audit[1]:.2f} s)"
    )
    print(f"ratio audit / bare rubric: {audit[0] / bare[0]:.2f}")
    print(f"plans stored: {run.added}; read in part: {len(run.partial)}")
    print(f"peak memory: {rss_after / 1024:.0f} MB (before the audit: {rss_before / 1024:.0f} MB)")
    verdict = "met" if audit[0] < 10 else "NOT met"
    print(f"target: under 10 s (CPU) for 1,000 plans -> {verdict}")
    print(
        f"dashboard, two rounds of {args.plans} plans: reading them {loading[0]:.2f} s "
        f"({loading[1]:.2f} s); audit_history with {len(history.changes)} comparison "
        f"{page[0]:.2f} s ({page[1]:.2f} s); ratio {page[0] / max(loading[0], 1e-9):.1f}"
    )


def _fewer_findings(summary: dict[str, object], n: int) -> dict[str, object]:
    language = dict(summary.get("language", {}))  # type: ignore[call-overload]
    if n % 2:
        language["count"] = int(language.get("count", 0)) // 2
    return {**summary, "language": language}


def _structured(folder: Path, n: int) -> str:
    """The studio plan text the audit makes of a free-text plan (its bare rubric input)."""
    from goalstudio.audit import structure

    text = (folder / f"plan-{n:04d}.md").read_text("utf-8")
    return structure(text)[0]


if __name__ == "__main__":
    main()
