"""Print the language lexicon's size and matching throughput.

    .venv/bin/python benchmarks/lexicon.py

Figures: entries and variants per locale, the time to load (compile) the lexicon, and the
throughput of ``Lexicon.find`` on about 10 KB and 1 MB of plan-like text (median of several
runs), with the ratio of the two times. Linear matching gives a ratio close to 100.
"""

from __future__ import annotations

import random
import statistics
import time

from goalstudio.rubric import load_lexicon

# Plan-like sentences: most are person-centred, a few carry words the lexicon flags, and some
# use the same words in contexts that are fine (so the exception checks are exercised too).
SENTENCES = [
    "Priya wants to get back to singing in the choir by Christmas.",
    "She keeps her flat clean and tidy and likes to cook for her sister on Sundays.",
    "Care co-ordinator: weekly session practising her breathing plan for the bus.",
    "Tom is a person living with schizophrenia who loves fixing bikes.",
    "Client is non-compliant with medication and lacks insight.",
    "He has been clean for three months and goes to Narcotics Anonymous on Tuesdays.",
    "History of domestic abuse; she is a survivor and wants a safe home.",
    "DNA'd twice in May; difficult to engage.",
    "Amir would like to find paid work in a garden centre by the spring.",
    "Sister (Ana): lifts to rehearsal on Tuesdays.",
    "Deferred: weight gain on current medication (raise with the psychiatrist in January).",
    "Her brother died by suicide in 2019 and the anniversary is hard.",
    "Zoë’s goal: “I want to see my kids every weekend” 🙂",
    "Manipulative and attention-seeking on the ward, frequent flyer in A&E.",
    "He chose not to take the depot because of weight gain.",
    "مرحبا — a greeting Yusuf uses with his neighbours.",
]


def _text(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        total += len(sentence) + 1
    return " ".join(parts)[:size]


def _times(func: object, text: str, runs: int) -> list[float]:
    assert callable(func)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func(text)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    started = time.perf_counter()
    load_lexicon.cache_clear()
    lexicon = load_lexicon("en-GB")
    load_seconds = time.perf_counter() - started
    us = load_lexicon("en-US")

    print("Language lexicon")
    print(f"  entries (en-GB): {len(lexicon)}   (en-US): {len(us)}")
    forms = sum(len(entry.forms()) for entry in lexicon)
    print(f"  written forms (en-GB): {forms}")
    print(f"  variants matched after expansion (en-GB): {lexicon.variant_count}")
    print(f"  variants matched after expansion (en-US): {us.variant_count}")
    print(f"  load and compile: {load_seconds * 1000:.0f} ms")

    small = _text(10_000)
    large = _text(1_000_000)
    lexicon.find(small)  # warm up
    # Interleave the two sizes so that load from other processes affects both alike; report the
    # best run (least disturbed) and the median.
    small_times: list[float] = []
    large_times: list[float] = []
    for _ in range(7):
        small_times += _times(lexicon.find, small, runs=10)
        large_times += _times(lexicon.find, large, runs=1)
    found = len(lexicon.find(large))
    print("Matching throughput (best run; median in brackets)")
    for label, text, times in (("10 KB", small, small_times), ("1 MB ", large, large_times)):
        best, median = min(times), statistics.median(times)
        print(
            f"  {label}: {best * 1000:.2f} ms ({median * 1000:.2f} ms)  ->  "
            f"{len(text) / best / 1e6:.2f} MB/s ({len(text) / median / 1e6:.2f} MB/s)"
        )
    ratio_best = min(large_times) / min(small_times)
    ratio_median = statistics.median(large_times) / statistics.median(small_times)
    print(
        f"  ratio time(1 MB) / time(10 KB): {ratio_best:.1f} ({ratio_median:.1f})  (linear = 100)"
    )
    print(f"  findings in 1 MB: {found}  (MB here means a million characters)")

    adversarial = {
        "'non-' x 100k": "non-" * 100_000,
        "'a ' x 100k": "a " * 100_000,
        "'clean ' x 50k": "clean " * 50_000,
        # Context rules read the sentence around each match (bounded window): many matches in
        # one long sentence is the worst case for them.
        "'the deaf ' x 30k": "the deaf " * 30_000,
        "'I chose medication-assisted treatment ' x 10k": (
            "I chose medication-assisted treatment " * 10_000
        ),
    }
    print("Adversarial input (single run; CPU time of this process, wall clock in brackets)")
    for name, text in adversarial.items():
        cpu = time.process_time()
        seconds = _times(lexicon.find, text, runs=1)[0]
        cpu = time.process_time() - cpu
        print(
            f"  {name}: {cpu * 1000:.0f} ms ({seconds * 1000:.0f} ms) for {len(text) / 1e6:.2f} MB"
        )


if __name__ == "__main__":
    main()
