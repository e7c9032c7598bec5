"""Load on one workshop host: N learners on a real JupyterHub, autosaving while the board refreshes.

    sudo .venv/bin/python benchmarks/hub_load.py [--learners 30] [--seconds 60]

Starts the trial hub of tests/_trial_hub.py (the configuration `goalstudio hub config` writes:
an account per learner, PostgreSQL records with a role per learner), spawns a server per learner
and one for a facilitator. Each learner is a client process that opens a kernel over the hub's
websocket and autosaves a growing draft every 2 s through the records store, then fetches and
submits the assignment through the nbgrader exchange. Meanwhile the facilitator's kernel
refreshes the live workshop board every 5 s. Prints the autosave latency (p50/p95/max), the
errors, the memory and CPU used per learner (server plus kernel), whether every save is in the
records, and how many learners one 24 GB / 2-core host can hold.

Needs what the real-hub test needs (root, configurable-http-proxy, PostgreSQL); says what is
missing otherwise. Everything it makes is removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import pwd
import random
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests._trial_hub import (  # noqa: E402
    ASSIGNMENT,
    COURSE,
    FACILITATOR_RUNS,
    hc,
    missing_requirement,
    running_hub,
)

INTERVAL = 2.0
BOARD_EVERY = 5.0
HOST_MEMORY_GIB = 24.0
HOST_CORES = 2
# Kept back for the system, the hub, the proxy and PostgreSQL when counting learners per host.
RESERVED_GIB = 3.0
# Leave CPU headroom: the host is full when the learners' steady load reaches this share.
CPU_TARGET = 0.7
ACTIVITY, SCENARIO = "m4-write-the-plan", "priya"

SETUP = """
import os
from goalstudio.records import RecordStore
me = os.environ["JUPYTERHUB_USER"]
store = RecordStore()
print(store.dialect)
"""
SAVE = "store.save_draft(me, {activity!r}, {text!r}, scenario={scenario!r})"
BOARD_SETUP = """
from goalstudio.widgets.dashboards import workshop_board
board = workshop_board(every=0)
"""
COUNT = """
import json
from goalstudio.records import RecordStore
with RecordStore() as store:
    print(json.dumps({{n: len(store.draft_history(n, {activity!r}, scenario={scenario!r}))
                      for n in {names!r}}}))
"""


_BARRIER: Any = None  # set before the learner processes are forked (they inherit it)


def learner(base: str, name: str, token: str, seconds: float, index: int) -> dict[str, Any]:
    """One simulated learner (in its own process)."""
    server = hc.Server(hc.Hub(base, ""), name, token)
    latencies: list[float] = []
    errors: list[str] = []
    retries: list[str] = []

    async def open_session() -> Any:
        # A room does not open 30 kernels in the same second: learners arrive over a minute.
        await asyncio.sleep(index * 2.0)
        for attempt in range(3):
            session = server.connect()
            try:
                await session.open()
                await session.run(SETUP, timeout=180)
                return session
            except Exception as exc:
                retries.append(f"kernel start (attempt {attempt + 1}): {exc}"[:300])
                await session.close()
        raise RuntimeError(f"no kernel after 3 attempts: {retries[-1]}")

    async def work() -> None:
        try:
            session = await open_session()
        except BaseException:
            _BARRIER.abort()  # the others stop waiting; the error is reported
            raise
        try:
            _BARRIER.wait(timeout=900)
            await asyncio.sleep(random.uniform(0, INTERVAL))  # learners do not type in step
            start = time.monotonic()
            due = start
            words = []
            while time.monotonic() - start < seconds:
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                due += INTERVAL
                words.append(random.choice(["Sam", "wants", "to", "return", "to", "college"]))
                code = SAVE.format(activity=ACTIVITY, text=" ".join(words), scenario=SCENARIO)
                began = time.perf_counter()
                try:
                    await session.run(code, timeout=60)
                    latencies.append(time.perf_counter() - began)
                except Exception as exc:  # counted and printed, never hidden
                    errors.append(f"autosave: {exc}"[:300])
        finally:
            await session.close()

    try:
        asyncio.run(work())
    except Exception as exc:
        errors.append(f"session: {exc}"[:300])
    submitted = False
    try:
        server.nbgrader("fetch", COURSE, ASSIGNMENT)
        server.nbgrader("submit", COURSE, ASSIGNMENT)
        submitted = True
    except Exception as exc:
        errors.append(f"submit: {exc}"[:300])
    return {
        "name": name,
        "latencies": latencies,
        "errors": errors,
        "retries": retries,
        "submitted": submitted,
    }


def _learner_entry(args: tuple[Any, ...]) -> dict[str, Any]:
    return learner(*args)


def _pids_of(uids: set[int]) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid in uids:
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def memory_per_learner(names: list[str]) -> list[float]:
    """Proportional set size (MiB) of each learner's processes: server plus kernel."""
    sizes = []
    for name in names:
        uid = pwd.getpwnam(name).pw_uid
        sizes.append(sum(_pss_kib(pid) for pid in _pids_of({uid})) / 1024)
    return sizes


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0, help="autosave phase length")
    args = parser.parse_args()
    reason = missing_requirement()
    if reason:
        print(f"hub_load: not run: {reason}")
        return 0
    tag = secrets.token_hex(2)
    facilitator = f"b{tag}-fac"
    names = [f"b{tag}-l{i:02d}" for i in range(args.learners)]
    started = time.monotonic()
    with running_hub(facilitator, names) as ws:
        hub = ws.hub
        hub.create_users([facilitator], admin=True)
        hub.create_users(names)
        for name in [facilitator, *names]:
            hub.request_server(name)
        for name in [facilitator, *names]:
            hub.wait_for_server(name, timeout=900)
            ws.tokens[name] = hub.user_token(name)
        spawn_seconds = time.monotonic() - started
        course_dir = str(ws.root / "srv" / "course")
        ws.as_user(
            facilitator,
            FACILITATOR_RUNS.format(course=course_dir, args=["assign", ASSIGNMENT, "--release"]),
        )
        uids = {pwd.getpwnam(n).pw_uid for n in names}
        global _BARRIER
        _BARRIER = barrier = mp.get_context("fork").Barrier(len(names) + 1)
        board_times: list[float] = []
        board_errors: list[str] = []
        stop = threading.Event()
        fac_server = ws.server(facilitator)

        def refresh_board() -> None:
            async def loop() -> None:
                session = fac_server.connect()
                await session.open()
                try:
                    await session.run(BOARD_SETUP, timeout=180)
                    while not stop.is_set():
                        began = time.perf_counter()
                        try:
                            await session.run("board.refresh()", timeout=60)
                            board_times.append(time.perf_counter() - began)
                        except Exception as exc:
                            board_errors.append(str(exc)[:300])
                        await asyncio.sleep(BOARD_EVERY)
                finally:
                    await session.close()

            asyncio.run(loop())

        jobs = [(hub.base, n, ws.tokens[n], args.seconds, i) for i, n in enumerate(names)]
        with mp.get_context("fork").Pool(len(names)) as pool:
            pending = pool.map_async(_learner_entry, jobs)
            barrier.wait(timeout=900)  # every learner has a kernel with the store open
            cpu_before, t_before = _cpu_seconds(_pids_of(uids)), time.monotonic()
            board = threading.Thread(target=refresh_board)
            board.start()
            time.sleep(args.seconds / 2)
            memory = memory_per_learner(names)
            time.sleep(max(0.0, args.seconds / 2 - 1))
            cpu_after, t_after = _cpu_seconds(_pids_of(uids)), time.monotonic()
            results = pending.get(timeout=args.seconds + 900)
        stop.set()
        board.join(120)
        counted = json.loads(
            ws.as_user(facilitator, COUNT.format(activity=ACTIVITY, scenario=SCENARIO, names=names))
        )
        collected = json.loads(
            ws.as_user(
                facilitator,
                FACILITATOR_RUNS.format(course=course_dir, args=["collect", ASSIGNMENT]),
            )
        )["out"]

    latencies = [x for r in results for x in r["latencies"]]
    errors = [e for r in results for e in r["errors"]] + board_errors
    saves = {r["name"]: len(r["latencies"]) for r in results}
    records = sum(counted.values())
    lost = sum(max(0, saves[n] - counted.get(n, 0)) for n in names)
    mean_mib = statistics.mean(memory)
    cores_per_learner = (cpu_after - cpu_before) / max(t_after - t_before, 1e-9) / len(names)
    by_memory = int((HOST_MEMORY_GIB - RESERVED_GIB) * 1024 // max(mean_mib, 1e-9))
    by_cpu = int(HOST_CORES * CPU_TARGET // max(cores_per_learner, 1e-9))
    submitted = sum(1 for r in results if r["submitted"])
    print(
        f"hub_load: {len(names)} learners, {args.seconds:.0f} s of autosave every {INTERVAL:.0f} s"
    )
    print(f"  servers started in        {spawn_seconds:.0f} s (all {len(names) + 1})")
    print(
        f"  autosave latency          p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
        f"({len(latencies)} saves)"
    )
    print(
        f"  board refresh             p95 {percentile(board_times, 0.95) * 1000:.0f} ms "
        f"({len(board_times)} refreshes)"
    )
    retries = [e for r in results for e in r["retries"]]
    print(f"  errors                    {len(errors)} (kernel starts retried: {len(retries)})")
    for line in errors[:10]:
        print(f"    {line}")
    print(
        f"  records == saves          {records} == {sum(saves.values())}: "
        f"{'yes' if records == sum(saves.values()) and lost == 0 else 'NO'} (lost {lost})"
    )
    print(f"  submitted / collected     {submitted} / {collected.count(': new')}")
    print(
        f"  memory per learner (PSS)  mean {mean_mib:.0f} MiB, max {max(memory):.0f} MiB "
        "(server + kernel)"
    )
    print(f"  CPU per active learner    {cores_per_learner * 100:.1f}% of a core")
    print(
        f"  capacity of one {HOST_MEMORY_GIB:.0f} GB / {HOST_CORES}-core host: "
        f"{min(by_memory, by_cpu)} learners (memory allows {by_memory} after "
        f"{RESERVED_GIB:.0f} GiB reserved; CPU allows {by_cpu} at {CPU_TARGET:.0%} load)"
    )
    return 0 if not errors and lost == 0 and records == sum(saves.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
