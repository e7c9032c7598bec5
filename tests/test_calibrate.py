"""Marker calibration (issue 18 §2): Krippendorff's alpha for ordinal levels, per rubric item and
overall, checked by hand and against the library's textbook example; disagreements listed."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from goalstudio import cli
from goalstudio._calibrate import (
    CalibrationError,
    Mark,
    alpha,
    calibrate,
    read_marks,
    template,
)

NAN = math.nan


def test_alpha_matches_a_hand_computed_example() -> None:
    # Two markers, three submissions: (0, 0), (1, 2), (3, 3). Pairable values n = 6 with
    # n0 = 2, n1 = 1, n2 = 1, n3 = 2. Ordinal distance d(c, k) = (sum of n from c to k
    # - (n_c + n_k) / 2) ** 2, so d(1, 2) = 1. Observed disagreement: the one split unit gives
    # o(1, 2) = o(2, 1) = 1, D_o = 2 / 6. Expected: the sum of n_c n_k d(c, k) over ordered
    # pairs is 2 * (4.5 + 12.5 + 64 + 1 + 12.5 + 4.5) = 198, D_e = 198 / (6 * 5) = 6.6.
    # alpha = 1 - (1/3) / 6.6 = 94 / 99.
    assert alpha([[0, 1, 3], [0, 2, 3]]) == pytest.approx(94 / 99)


def test_alpha_matches_the_textbook_example_in_the_library_docs() -> None:
    # Krippendorff's ordinal example, as the krippendorff package's docstring gives it: 0.815.
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
    result = alpha(data, value_domain=[1, 2, 3, 4, 5])
    assert result is not None and round(result, 3) == 0.815


def test_alpha_is_none_when_nothing_can_be_compared() -> None:
    assert alpha([[2, 2, 2], [2, 2, 2]]) is None  # no variation at all
    assert alpha([[1, NAN], [NAN, 2]]) is None  # no submission marked twice


def _marks(rows: list[tuple[str, str, str, int]]) -> list[Mark]:
    return [Mark(*row) for row in rows]


def test_calibrate_gives_alpha_per_item_and_overall_and_lists_wide_disagreements() -> None:
    marks = _marks(
        [
            ("Ana", "sam", "meaning", 0),
            ("Ben", "sam", "meaning", 0),
            ("Ana", "kit", "meaning", 1),
            ("Ben", "kit", "meaning", 2),
            ("Ana", "lee", "meaning", 3),
            ("Ben", "lee", "meaning", 3),
            ("Ana", "sam", "usable", 0),
            ("Ben", "sam", "usable", 3),
            ("Ana", "kit", "usable", 2),
            ("Ben", "kit", "usable", 2),
        ]
    )
    result = calibrate(marks, "02-rewrite-the-plan")
    assert result.markers == ("Ana", "Ben")
    assert result.alpha["meaning"] == pytest.approx(94 / 99)
    assert result.alpha["usable"] is not None and result.alpha["usable"] < 0.5
    # Overall: every (submission, item) is a unit: kit/meaning, kit/usable, lee/meaning,
    # sam/meaning, sam/usable.
    assert result.overall == pytest.approx(alpha([[1, 2, 3, 0, 0], [2, 2, 3, 0, 3]]))
    (apart,) = result.disagreements
    assert (apart.learner, apart.item, apart.levels, apart.spread) == (
        "sam",
        "usable",
        {"Ana": 0, "Ben": 3},
        3,
    )


def test_template_then_marks_round_trip_and_errors_name_the_line(tmp_path: Path) -> None:
    text = template("03-negotiated-plan", ["kit", "sam"])
    assert text.splitlines()[:3] == [
        "marker,learner,item,level",
        "YOUR NAME,kit,fair-views,",
        "YOUR NAME,kit,negotiation,",
    ]
    filled = tmp_path / "ana.csv"
    filled.write_text(text.replace("YOUR NAME", "Ana").replace("fair-views,", "fair-views,2"))
    marks = read_marks(filled, "03-negotiated-plan")
    assert marks == [Mark("Ana", "kit", "fair-views", 2), Mark("Ana", "sam", "fair-views", 2)]
    bad = tmp_path / "bad.csv"
    bad.write_text("marker,learner,item,level\nAna,kit,fair-views,4\n")
    with pytest.raises(CalibrationError, match=r"bad.csv, line 2: level '4' must be"):
        read_marks(bad, "03-negotiated-plan")
    bad.write_text("marker,learner,item,level\nAna,kit,meaning,1\n")
    with pytest.raises(CalibrationError, match="use one of fair-views, negotiation"):
        read_marks(bad, "03-negotiated-plan")
    bad.write_text("who,learner,item,level\n")
    with pytest.raises(CalibrationError, match="line 1: the columns marker are missing"):
        read_marks(bad, "03-negotiated-plan")


def test_cli_calibrate_writes_a_template_and_reports_agreement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for learner in ("kit", "sam", "lee"):
        (tmp_path / "submitted" / learner / "02-rewrite-the-plan").mkdir(parents=True)
    out = tmp_path / "marks.csv"
    args = ["workshop", "calibrate", "02-rewrite-the-plan", "--dir", str(tmp_path)]
    assert cli.main([*args, "--template", str(out)]) == 0
    assert "3 submissions" in capsys.readouterr().out
    levels = {"Ana": [0, 1, 3, 2, 2, 2], "Ben": [0, 2, 3, 2, 0, 2]}
    files = []
    for marker, given in levels.items():
        rows = out.read_text().splitlines()
        lines = [rows[0]] + [
            f"{marker},{row.split(',')[1]},{row.split(',')[2]},{level}"
            for row, level in zip(rows[1:], given, strict=True)
        ]
        path = tmp_path / f"{marker}.csv"
        path.write_text("\n".join(lines) + "\n")
        files.append(str(path))
    assert cli.main([*args, "--marks", *files]) == 0
    report = capsys.readouterr().out
    assert "2 markers (Ana, Ben), 3 submissions" in report
    assert "all items:" in report
    assert "More than one level apart (1)" in report and "Ana 2, Ben 0" in report
    assert cli.main([*args, "--marks", files[0]]) == 1
    assert "calibration needs two or more markers" in capsys.readouterr().err


def _row(
    learner: str, criterion: str, kind: str, score: float, most: float, manual: float
) -> dict[str, object]:
    return {
        "learner": learner,
        "assignment": "02-rewrite-the-plan",
        "criterion": criterion,
        "kind": kind,
        "score": score,
        "max_score": most,
        "manual_score": manual,
    }


def test_gradebook_levels_and_the_automatic_checks_compared_with_the_consensus() -> None:
    from goalstudio._calibrate import (
        automatic_shares,
        compare_automatic,
        marks_from_gradebook,
    )

    rows = [
        _row("kit", "meaning", "manual", 2, 3, 2),
        _row("kit", "usable", "manual", 0, 3, NAN),  # not marked yet: left out
        _row("kit", "outcomes", "auto", 2, 2, NAN),
        _row("kit", "roles", "auto", 1, 2, NAN),
        _row("sam", "meaning", "manual", 1, 3, 1),
        _row("sam", "outcomes", "auto", 0, 2, NAN),
        _row("lee", "meaning", "manual", 3, 3, 3),
        _row("lee", "outcomes", "auto", 2, 2, NAN),
        {**_row("lee", "meaning", "manual", 0, 3, 0), "assignment": "03-negotiated-plan"},
    ]
    marks = marks_from_gradebook(rows, "02-rewrite-the-plan", "Ana")
    assert marks == [
        Mark("Ana", "kit", "meaning", 2),
        Mark("Ana", "sam", "meaning", 1),
        Mark("Ana", "lee", "meaning", 3),
    ]
    shares = automatic_shares(rows, "02-rewrite-the-plan")
    assert shares == {"kit": 0.75, "sam": 0.0, "lee": 1.0}
    marks += [Mark("Ben", "kit", "meaning", 3), Mark("Ben", "sam", "meaning", 1)]
    comparison = compare_automatic(marks, shares)
    # Consensus (median over markers): kit 2.5, lee 3, sam 1; automatic: 0.75, 1.0, 0.0.
    assert comparison.rows == (("kit", 2.5, 0.75), ("lee", 3.0, 1.0), ("sam", 1.0, 0.0))
    assert comparison.spearman == pytest.approx(1.0)  # same order on both
