"""How fast the rubric is: latency of a typical review, linear scaling, and import cost.

Prints figures; asserts nothing (the targets are in the issue: a ~300-word plan reviews in
under 5 ms median; time for 1 MB / time for 10 KB is about 100, within 2x; importing
``goalstudio.rubric`` adds under 300 ms to a bare ``python -c pass``).

Times are CPU time of this process (``time.process_time``) and, for imports, CPU time of the
child interpreters, so other work on a busy machine disturbs them less than wall-clock time
would; wall-clock medians are printed alongside.

It also prints how often whole plans in the adversarial suite
(``tests/fixtures/adversarial/plans.yaml``: plans written to game surface features) get the
verdicts an expert would give, criterion by criterion, and every disagreement.

Run: ``.venv/bin/python benchmarks/rubric.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from goalstudio import MAX_PLAN_BYTES
from goalstudio._scenarios import load_file
from goalstudio.rubric import chart_review, classify, review
from goalstudio.rubric._analysis import _analyse_cached

TYPICAL_PLAN = """\
Person: Priya
Goal: "I want to get back to singing in the choir by Christmas, and to feel like myself again \
when I am with my sister's family at weekends." (Priya)
  Strengths: strong voice, knows the choir leader, loyal friends, good with her nephews
  Barriers: panic on buses, tired in the mornings on current medication
  Objective: Priya goes to two choir rehearsals a month by the end of October.
    - Priya: chooses which rehearsals to try first and tells the choir leader she is coming
    - Sister (Ana): gives Priya a lift to rehearsal on Tuesdays while the bus feels too much
    - Care co-ordinator: meets Priya weekly to practise her breathing plan for the bus, so \
that she can travel on her own by November
  Objective: By the end of September, Priya travels two stops on the bus with her friend Joy.
    - Friend (Joy): rides the number 12 with Priya on Saturday mornings
    - Priya: uses her playlist and breathing plan on the bus, every Saturday
Goal: "I'd like a part-time job in a bakery so I have my own money again." (Priya)
  Strengths: worked in a bakery for six years, early riser before she was unwell
  Barriers: gap in her CV, worries about what to say about her time in hospital
  Objective: Within eight weeks, Priya updates her CV and applies for two bakery jobs.
    - Employment specialist: helps Priya update her CV at the library on Thursdays, so that \
she can apply for the jobs she picks
    - Priya: picks two bakeries she would like to work in by the end of the month
    - Peer support worker (Sam): talks through with Priya how she might explain the gap, \
before her first interview
Deferred: weight gain on current medication (Priya wants to raise it with the psychiatrist \
in January)
Crisis plan: in Priya's words, in her WRAP, agreed with Ana
Review: 1 December 2026
"""

_BLOCK = """\
Goal: "I want to visit my cousin {n} in Leeds and cook her a meal by spring." (Priya)
  Strengths: good cook, loves her cousin
  Barriers: long train journeys
  Objective: By March, Priya books train tickets {n} and plans the menu.
    - Priya: looks up train times on Sunday evenings
    - Cousin (Mina): phones Priya every Friday to plan the visit number {n}
"""


def _scaled_plan(target_bytes: int) -> str:
    parts = ["Person: Priya\n"]
    size = len(parts[0])
    n = 0
    while True:
        block = _BLOCK.format(n=n)
        if size + len(block.encode()) > target_bytes:
            break
        parts.append(block)
        size += len(block.encode())
        n += 1
    return "".join(parts)


def _time_review(text: str, repeat: int) -> list[float]:
    """CPU seconds per review, with every statement read afresh."""
    times = []
    for _ in range(repeat):
        _analyse_cached.cache_clear()
        start = time.process_time()
        review(text)
        times.append(time.process_time() - start)
    return times


def _subprocess_median(code: str, repeat: int) -> tuple[float, float]:
    """Median (CPU seconds, wall seconds) of a fresh interpreter running ``code``."""
    cpu, wall = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ))
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(cpu), statistics.median(wall)


ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "tests" / "fixtures" / "adversarial" / "plans.yaml"


def adversarial_plans() -> None:
    """Verdicts on the adversarial plans against an expert's, per criterion."""
    plans = yaml.safe_load(PLANS.read_text(encoding="utf-8"))["plans"]
    hits: dict[str, list[int]] = {}
    wrong: list[str] = []
    for plan in plans:
        scenario = None
        if plan.get("scenario"):
            scenario = load_file(ROOT / "scenarios" / f"{plan['scenario']}.yaml")
        result = review(plan["plan"], locale=plan["locale"], scenario=scenario)
        for criterion, expected in plan["expect"].items():
            got = result.verdict(criterion)
            tally = hits.setdefault(criterion, [0, 0])
            tally[0] += got == expected
            tally[1] += 1
            if got != expected:
                wrong.append(f"  {plan['id']}: {criterion} expected {expected}, got {got}")
    right = sum(t[0] for t in hits.values())
    total = sum(t[1] for t in hits.values())
    print(f"adversarial plans ({len(plans)} plans): {right}/{total} verdicts as an expert gives")
    print("  per criterion: " + ", ".join(f"{c} {t[0]}/{t[1]}" for c, t in hits.items()))
    print("\n".join(wrong))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="reviews of the typical plan")
    args = parser.parse_args(argv)

    adversarial_plans()
    words = len(TYPICAL_PLAN.split())
    review(TYPICAL_PLAN)  # load data files and the lexicon once
    chart_review(TYPICAL_PLAN)
    classify("warm-up")

    cold = _time_review(TYPICAL_PLAN, args.repeat)
    warm = []
    walls = []
    for _ in range(args.repeat):
        start, wall = time.process_time(), time.perf_counter()
        review(TYPICAL_PLAN)
        warm.append(time.process_time() - start)
        walls.append(time.perf_counter() - wall)
    print(f"typical plan: {words} words, {len(TYPICAL_PLAN)} characters (CPU time)")
    print(
        f"  review(), statements read afresh: median {statistics.median(cold) * 1000:.2f} ms, "
        f"p95 {sorted(cold)[int(len(cold) * 0.95) - 1] * 1000:.2f} ms (target < 5 ms median)"
    )
    print(
        f"  review(), statements cached:      median {statistics.median(warm) * 1000:.2f} ms "
        f"(wall clock {statistics.median(walls) * 1000:.2f} ms)"
    )
    chart = []
    for _ in range(max(10, args.repeat // 4)):
        start = time.process_time()
        chart_review(TYPICAL_PLAN)
        chart.append(time.process_time() - start)
    print(f"  chart_review():                   median {statistics.median(chart) * 1000:.2f} ms")

    small = _scaled_plan(10_000)
    large = _scaled_plan(MAX_PLAN_BYTES - 1_000)
    small_t = statistics.median(_time_review(small, 15))
    large_t = statistics.median(_time_review(large, 3))
    size_ratio = len(large.encode()) / len(small.encode())
    ratio = large_t / small_t
    print("scaling (review of plan text, statements read afresh):")
    print(f"  {len(small.encode()):>9,} bytes: {small_t * 1000:9.1f} ms")
    print(f"  {len(large.encode()):>9,} bytes: {large_t * 1000:9.1f} ms")
    print(
        f"  time ratio {ratio:.0f} for a size ratio of {size_ratio:.0f} "
        f"(linear = {size_ratio:.0f}; target within 2x, i.e. "
        f"{size_ratio / 2:.0f}-{size_ratio * 2:.0f})"
    )
    sentence = "Client will comply and stay stable in the community. "
    one_small = "Goal: " + sentence * 200 + "\n"
    one_large = "Goal: " + sentence * 16_000 + "\n"
    one_small_t = statistics.median(_time_review(one_small, 9))
    one_large_t = statistics.median(_time_review(one_large, 3))
    print(
        f"  one long statement: {len(one_small):,} -> {len(one_large):,} characters, time ratio "
        f"{one_large_t / one_small_t:.0f} for a size ratio of "
        f"{len(one_large) / len(one_small):.0f}"
    )
    over = "x" * (MAX_PLAN_BYTES + 1)
    try:
        review(over)
    except ValueError as exc:
        print(f"  over 1 MB is refused: {str(exc).splitlines()[0][:90]}")

    statement = "Client will comply with medication and attend all groups. " * 300
    start = time.process_time()
    classify(statement)
    print(
        f"classify() of a {len(statement):,}-character line: "
        f"{(time.process_time() - start) * 1000:.1f} ms"
    )

    base, base_wall = _subprocess_median("pass", 7)
    core, core_wall = _subprocess_median("import goalstudio", 7)
    rubric, rubric_wall = _subprocess_median("import goalstudio.rubric", 7)
    print("import cost (median of 7 fresh interpreters; CPU time, wall clock in brackets):")
    print(f"  python -c pass:            {base * 1000:6.0f} ms ({base_wall * 1000:.0f})")
    print(
        f"  import goalstudio:         {core * 1000:6.0f} ms ({core_wall * 1000:.0f}), "
        f"+{(core - base) * 1000:.0f} ms"
    )
    print(
        f"  import goalstudio.rubric:  {rubric * 1000:6.0f} ms ({rubric_wall * 1000:.0f}), "
        f"+{(rubric - base) * 1000:.0f} ms over python -c pass (target < 300 ms)"
    )
    print(f"machine load average while measuring: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
