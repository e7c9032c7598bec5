"""No input makes the rubric raise or hang: fuzzing, adversarial strings, unicode, size limits."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalstudio import MAX_PLAN_BYTES, PlanParseError, parse_plan
from goalstudio.rubric import LABELS, chart_review, classify, review

FUZZ = settings(
    max_examples=60,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)

_WORDS = st.sampled_from(
    [
        "I",
        "want",
        "Client",
        "will",
        "comply",
        "so",
        "that",
        "my",
        "sister",
        "“quoted”",
        "'",
        "-",
        "so so",
        "to",
        "attend",
        "choir",
        "stop",
        "driving",
        "🙂",
        "مرحبا",
        "\u202e",
        "İ",
        "ﬁ",
        "e\u0301",
        "by",
        "May",
        "2026",
        "",
    ]
)
_STATEMENT = st.one_of(
    st.text(max_size=300),
    st.lists(_WORDS, max_size=40).map(" ".join),
)
_LINE = st.one_of(
    _STATEMENT.map(lambda s: "Goal: " + s),
    _STATEMENT.map(lambda s: '  Goal: "' + s + '" (Priya)'),
    _STATEMENT.map(lambda s: "  Objective: " + s),
    _STATEMENT.map(lambda s: "    - Priya: " + s),
    _STATEMENT.map(lambda s: "    - Care co-ordinator: " + s),
    _STATEMENT.map(lambda s: "    - Sister (Ana): " + s),
    _STATEMENT.map(lambda s: "  Strengths: " + s),
    _STATEMENT.map(lambda s: "Deferred: " + s),
    _STATEMENT.map(lambda s: "Crisis plan: " + s),
    _STATEMENT,
)


@FUZZ
@given(_STATEMENT)
def test_classify_never_raises(text: str) -> None:
    result = classify(text)
    assert result.label in LABELS
    assert result.reasons


@FUZZ
@given(st.lists(_LINE, min_size=1, max_size=12).map("\n".join))
def test_review_raises_only_parse_errors(text: str) -> None:
    try:
        plan = parse_plan(text)
    except PlanParseError:
        with pytest.raises(PlanParseError):
            review(text)
        return
    result = review(plan)
    chart = chart_review(plan)
    assert len(chart.items) == 11
    for finding in result.findings:
        assert finding.message
        if finding.span is not None and finding.span_in == "plan":
            start, end = finding.span
            assert 0 <= start <= end <= len(text)
            assert text[start:end] == finding.quote


ADVERSARIAL = [
    "a" * 200_000,
    "'" * 100_000,
    "a'" * 100_000,
    "-" * 100_000,
    " " * 100_000,
    "so " * 50_000,
    "so that " * 30_000,
    "I want to " * 20_000,
    "Client will comply " * 10_000,
    # Many overlapping service and life phrases in one statement: linear, not quadratic.
    "Client will comply and stay stable in the community. " * 8_000,
    "\u202e" * 50_000,
    "🙂" * 50_000,
    "e\u0301" * 50_000,
    '"' * 100_000,
    "cease " * 30_000 + "driving",
    "(" * 50_000 + ")" * 50_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: f"{t[:6]!r}x{len(t)}")
def test_adversarial_strings_finish_quickly(text: str) -> None:
    start = time.process_time()  # CPU time: a busy machine does not make it fail
    classify(text)
    with contextlib.suppress(PlanParseError):
        review("Goal: " + text.replace("\n", " ") + "\n  Objective: " + text[:5000] + "\n")
    with contextlib.suppress(PlanParseError):
        chart_review("Goal: " + text.replace("\n", " ") + "\n")
    # Catastrophic backtracking would take minutes; linear work on 200 KB takes well under this.
    assert time.process_time() - start < 10


def test_smart_quotes_emoji_and_rtl_are_read() -> None:
    text = (
        "Person: Layla\n"
        "Goal: “I want to cook for my family at Eid 🙂 — مرحبا” (Layla)\n"
        "  Objective: Layla cooks one family meal a week by June.\n"
        "    - Layla: chooses the recipes with her mum’s help, every Sunday\n"
    )
    result = review(text)
    assert result.verdict("own_words") == "met"
    assert result.verdict("outcomes") == "met"
    assert classify("“I want to cook for my family at Eid 🙂”").label == "person_centred"
    for finding in result.findings:
        if finding.span is not None and finding.span_in == "plan":
            assert text[finding.span[0] : finding.span[1]] == finding.quote


def test_text_whose_lower_case_is_longer_keeps_spans() -> None:
    text = "Goal: İİİ Client will comply with medication.\n"
    result = review(text)
    finding = next(f for f in result.findings if f.rule == "outcomes.goal-is-output")
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "comply"


def test_over_one_megabyte_is_refused_clearly() -> None:
    with pytest.raises(PlanParseError, match="over the 1 MB limit"):
        review("x" * (MAX_PLAN_BYTES + 1))


def test_just_under_one_megabyte_is_handled() -> None:
    block = (
        'Goal: "I want to visit my cousin {n} in Leeds." (Priya)\n'
        "  Objective: By March, Priya books tickets {n}.\n"
        "    - Priya: looks up train times on Sunday evenings\n"
    )
    parts: list[str] = []
    size = 0
    n = 0
    while size < MAX_PLAN_BYTES - 2_000:
        piece = block.format(n=n)
        parts.append(piece)
        size += len(piece.encode())
        n += 1
    result = review("".join(parts))
    assert result.verdict("outcomes") == "met"
    assert result.statements == 3 * n
