"""Practice audits (issue 18 §1): reading a mixed folder, the privacy gate, rounds kept by file
digest, the offline report with its two-round comparison, and the CSV."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from goalstudio import cli
from goalstudio.audit import Refusal, read_file, run_audit, structure
from goalstudio.audit._measures import MEASURES, common_phrases, compare, value
from goalstudio.audit._report import csv_report, load_rounds, render_html, summary_sentences
from goalstudio.records import AuditPlan, RecordStore
from tests._records_support import store_url

__all__ = ["store_url"]  # the fixture, imported for pytest

FIXTURES = Path(__file__).parent / "fixtures" / "audit"


def _docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_heading("Recovery plan", level=1)
    document.add_heading("Goals", level=2)
    document.add_paragraph(
        "Amira wants to swim at the leisure centre with her daughter again.", style="List Bullet"
    )
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Objective"
    table.cell(0, 1).text = "Amira swims two lengths on a Sunday morning by June."
    table.cell(1, 0).text = "Action"
    table.cell(1, 1).text = "Daughter (Lina) to book the family swim each Friday."
    document.save(str(path))
    return path


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(FIXTURES, folder)
    _docx(folder / "06-word.docx")
    return folder


def test_each_kind_of_file_is_read_and_structured_where_it_can_be(plans: Path) -> None:
    studio = read_file(plans / "01-studio-format.txt")
    assert not isinstance(studio, Refusal)
    assert (studio.kind, studio.read) == ("plan", "full")

    headings = read_file(plans / "02-headings.md")
    assert not isinstance(headings, Refusal)
    assert headings.read == "part"  # the Notes section has no place in a plan
    assert "Goal: To be compliant with medication." in headings.plan_text
    assert "Barriers: Poor engagement with services" in headings.plan_text
    assert "- Patient: attend depot clinic." in headings.plan_text
    assert headings.statements == [
        "Client has a history of non-compliance.",
        "She is resistant to support.",
    ]

    labels = read_file(plans / "03-labels.txt")
    assert not isinstance(labels, Refusal)
    assert labels.read == "full"
    assert "- Cousin (Dev): go along to the first session." in labels.plan_text

    prose = read_file(plans / "04-prose.txt")
    assert not isinstance(prose, Refusal)
    assert (prose.read, prose.plan_text) == ("statements", "")
    assert "Staff will monitor risk." in prose.statements

    word = read_file(plans / "06-word.docx")
    assert not isinstance(word, Refusal)
    assert (word.kind, word.read) == ("docx", "full")
    assert "Goal: Amira wants to swim" in word.plan_text
    assert "Daughter (Lina): book the family swim each Friday." in word.plan_text


def test_an_identifying_file_is_refused_with_its_line_and_kind(plans: Path) -> None:
    refused = read_file(plans / "05-identifying.txt")
    assert isinstance(refused, Refusal)
    assert (refused.line, refused.kind) == (2, "email")
    assert "05-identifying.txt, line 2" in str(refused)
    assert "nothing of it was stored" in str(refused)


def test_free_text_with_no_goal_is_read_statement_by_statement() -> None:
    plan_text, statements = structure("Seen at home. Remains unsettled!\n- Staff to monitor.")
    assert plan_text == ""
    assert statements == ["Seen at home.", "Remains unsettled!", "Staff to monitor."]


def test_a_round_keeps_each_plan_once_and_nothing_of_a_refused_file(
    plans: Path, store_url: str
) -> None:
    with RecordStore(store_url) as store:
        first = run_audit(plans, "baseline", store)
        assert (first.read, first.added) == (5, 5)
        assert [r.source for r in first.refused] == ["05-identifying.txt"]
        assert sorted(first.partial) == ["02-headings.md", "04-prose.txt"]
        again = run_audit(plans, "baseline", store)
        assert (again.read, again.added, again.already_there) == (5, 0, 5)
        (audit_round,) = store.audit_rounds()
        assert (audit_round.name, audit_round.plans) == ("baseline", 5)
        stored = store.audit_plans("baseline")
        assert "05-identifying.txt" not in {p.source for p in stored}
        assert all("gmail" not in str(p.summary) for p in stored)
        prose = next(p for p in stored if p.source == "04-prose.txt")
        assert prose.read == "statements" and prose.summary["verdicts"] == {}
        assert prose.summary["language"]["count"] >= 3
        # A second round reads the same files afresh: rounds are independent.
        assert run_audit(plans, "follow-up", store).added == 5


def test_a_round_read_in_another_locale_is_refused_not_mixed(plans: Path, tmp_path: Path) -> None:
    from goalstudio.records import RecordInputError

    with RecordStore(tmp_path / "r.sqlite") as store:
        run_audit(plans, "baseline", store, locale="en-GB")
        with pytest.raises(RecordInputError, match="--locale en-GB"):
            run_audit(plans, "baseline", store, locale="en-US")


def _plan(verdict: str, words: int = 300, findings: int = 0) -> AuditPlan:
    summary = {
        "verdicts": {"outcomes": verdict},
        "goals": {"person_centred": 1 if verdict == "met" else 0, "deficit_led": 0, "mixed": 0},
        "labels": {},
        "language": {"count": findings, "phrases": []},
        "chart": {},
    }
    return AuditPlan("r", "p.txt", "0" * 64, "plan", "full", words, "", summary)


def test_the_bootstrap_interval_covers_no_change_and_excludes_a_clear_one() -> None:
    outcomes = next(m for m in MEASURES if m.id == "criterion:outcomes")
    language = next(m for m in MEASURES if m.id == "language:per_1000")
    same = [_plan("met"), _plan("not_met")] * 20
    (d,) = compare(same, list(same), [outcomes])
    assert d.difference == 0 and d.low is not None and d.high is not None
    assert d.low <= 0 <= d.high and not d.clear

    before = [_plan("not_met", findings=6)] * 30 + [_plan("met", findings=3)] * 10
    after = [_plan("met", findings=0)] * 30 + [_plan("not_met", findings=3)] * 10
    rise, fall = compare(before, after, [outcomes, language])
    assert rise.difference == pytest.approx(0.5)
    assert rise.clear and rise.low is not None and 0 < rise.low < 0.5
    # 6 findings in 300 words is 20 per 1,000 words; the rate falls from 17.5 to 2.5.
    assert value(before, language) == pytest.approx(17.5)
    assert fall.difference == pytest.approx(-15.0) and fall.clear
    sentences = summary_sentences("baseline", "follow-up", [rise, fall])
    assert "got better where outcomes, not just outputs went from 25% to 75%" in sentences[0]
    assert "not proof that the training caused them" in sentences[-1]


def _external_resources(page: str) -> list[str]:
    """Every script, stylesheet, image or frame that the page would fetch from elsewhere."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, link in attrs:
                if name in ("src", "href") and link and not link.startswith("#"):
                    found.append(f"<{tag} {name}={link}>")

    Parser().feed(page)
    return found


def test_common_phrases_count_plans_not_repeats_and_break_ties_alphabetically() -> None:
    def plan(*phrases: str) -> AuditPlan:
        summary = {"language": {"count": len(phrases), "phrases": list(phrases)}}
        return AuditPlan("r", "p.txt", "0" * 64, "text", "full", 100, "", summary)

    plans = [plan("client", "client", "client"), plan("non-compliant", "client"), plan("lacks")]
    assert common_phrases(plans) == [("client", 2), ("lacks", 1), ("non-compliant", 1)]
    assert common_phrases(plans, top=1) == [("client", 2)]


def _second_round(tmp_path: Path) -> Path:
    folder = tmp_path / "after"
    folder.mkdir()
    for n in range(4):
        (folder / f"plan-{n}.txt").write_text(
            f'Goal: "I want to cook for my brother on Sundays again." (Kit {n})\n'
            f"  Objective: Kit {n} cooks one Sunday meal a month by May.\n"
            f"    - Kit {n}: picks the recipes <b>and</b> shops for them\n"
            "    - Brother (Ray): comes round on the first Sunday\n",
            encoding="utf-8",
        )
    return folder


def test_the_report_is_offline_escaped_and_compares_two_rounds(plans: Path, tmp_path: Path) -> None:
    with RecordStore(tmp_path / "r.sqlite") as store:
        run_audit(plans, "baseline", store)
        run_audit(_second_round(tmp_path), "follow-up", store)
        rounds = load_rounds(store, ["baseline", "follow-up"])
    page = render_html(rounds)
    assert _external_resources(page) == []
    assert "Plotly" in page  # plotly.js itself is inline
    assert "What changed from baseline to follow-up" in page
    assert "95% interval" in page and "not proof" in page
    assert "Read only in part" in page and "02-headings.md, 04-prose.txt" in page
    for phrase, _count in common_phrases(rounds[0][1]):  # the baseline's common deficit phrases
        assert f'<td class="quote">{phrase}</td>' in page
    assert "Inclusion of the person&#39;s views" in page  # a COCAPP item, escaped
    assert "Statements that most need work (follow-up)" in page
    # The statements needing work are those of the last round, with the rubric's message.
    single = render_html(rounds[:1])
    assert "He continues to be non-compliant with medication and lacks insight." in single
    assert "What changed" not in single


def test_learner_text_in_the_report_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Patient to be compliant with depot <script>alert(1)</script>.\n", encoding="utf-8"
    )
    with RecordStore(tmp_path / "r.sqlite") as store:
        run_audit(folder, "baseline", store)
        page = render_html(load_rounds(store, ["baseline"]))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_csv_has_one_row_per_plan_per_round(plans: Path, tmp_path: Path) -> None:
    with RecordStore(tmp_path / "r.sqlite") as store:
        run_audit(plans, "baseline", store)
        run_audit(_second_round(tmp_path), "follow-up", store)
        rows = list(
            csv.DictReader(io.StringIO(csv_report(load_rounds(store, ["baseline", "follow-up"]))))
        )
    assert [r["round"] for r in rows] == ["baseline"] * 5 + ["follow-up"] * 4
    studio = next(r for r in rows if r["source"] == "01-studio-format.txt")
    assert studio["verdict_outcomes"] == "met" and studio["read"] == "full"
    prose = next(r for r in rows if r["source"] == "04-prose.txt")
    assert prose["verdict_outcomes"] == "" and prose["read"] == "statements"


def test_cli_runs_an_audit_and_writes_both_reports(
    plans: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert cli.main(["audit", "run", str(plans), "--round", "baseline", "--url", url]) == 0
    out = capsys.readouterr().out
    assert "read 5 plans; 5 added, 0 already in the round" in out
    assert "Refused: 05-identifying.txt, line 2: This looks like an e-mail address." in out
    html, table = tmp_path / "report.html", tmp_path / "report.csv"
    assert cli.main(["audit", "report", "baseline", "--out", str(html), "--url", url]) == 0
    assert "<html" in html.read_text(encoding="utf-8")
    args = ["audit", "report", "baseline", "--out", str(table), "--format", "csv", "--url", url]
    assert cli.main(args) == 0
    assert table.read_text(encoding="utf-8-sig").startswith("round,source,digest")


def test_cli_names_a_missing_round_and_a_bad_round_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    out = tmp_path / "r.html"
    assert cli.main(["audit", "report", "baseline", "--out", str(out), "--url", url]) == 1
    assert "no audit round called 'baseline'" in capsys.readouterr().err
    assert cli.main(["audit", "run", str(tmp_path), "--round", "../x", "--url", url]) == 1
    assert "--round '../x'" in capsys.readouterr().err
    assert cli.main(["audit", "run", str(tmp_path / "nope"), "--round", "b", "--url", url]) == 1
    assert "no such folder" in capsys.readouterr().err


def test_a_file_that_is_not_utf8_or_not_a_word_file_is_named_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"Goal: caf\xe9 with friends\n")
    (folder / "b.docx").write_bytes(b"not a zip")
    (folder / "c.txt").write_text("Goal: Lee wants to paint again.\n", encoding="utf-8")
    with RecordStore(tmp_path / "r.sqlite") as store:
        run = run_audit(folder, "baseline", store)
    assert run.read == 1
    assert "a.txt: byte 9 is not UTF-8 text" in run.unreadable[0]
    assert "b.docx: this is not a Word document" in run.unreadable[1]
