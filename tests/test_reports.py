"""Several reports of one figure: the model, how each page and download shows them, how the site says
it knows each value, and the corrections guard over every reported value (in one study and two)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from citehelpers import site_context
from conftest import copy_project
from corrections_helpers import STUDY, element, resnapshot, run_correct, text_of

from trialsite.build import build_site
from trialsite.data.dataset import load_dataset
from trialsite.data.model import Dataset
from trialsite.data.targets import FigureTarget, ReportTarget, parse_target
from trialsite.outputs.downloads import REPORT_COLUMNS
from trialsite.words.citing import provenance, source_short
from trialsite.words.reports import agreement, also_reported_text
from trialsite.words.values import interval_text, report_value_text, value_text

# The figures whose reports the issue asks to show side by side, each with why they differ.
COMPARED = ("remission", "relapse-free-1y", "survival-1y")
ABSTRACT = "jco-2023-abstract-7006"
RELEASE = "eurekalert-1102627"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return site_context().data


def _rows(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


# --- the model -----------------------------------------------------------------------------------


def test_every_figure_has_its_own_fields_as_its_first_report(data: Dataset) -> None:
    for f in data.figures_by_id.values():
        assert f.reports and f.primary.primary and not any(r.primary for r in f.other_reports)
        assert f.primary.value == f.value and f.primary.cite == f.cite
        assert f.primary.target == FigureTarget(f.id)
        sources = [r.source for r in f.reports]
        assert len(sources) == len(set(sources)), f"{f.id}: one report per source"
        for r in f.other_reports:
            assert r.target == ReportTarget(f.id, r.source)
            assert parse_target(str(r.target)) == r.target
        assert (f.comparison is None) == (len(f.reports) == 1), f.id


def test_the_compared_figures_have_both_reports_and_say_why_they_differ(data: Dataset) -> None:
    for fid in COMPARED:
        f = data.figure(fid)
        assert f.cite.source == RELEASE, "the release's figure stays the figure's own"
        assert ABSTRACT in {r.source for r in f.other_reports}, fid
        assert f.comparison is not None and f.comparison.reasons and f.comparison.explanation
        assert f.comparison.same_measure is not True, fid
    # The release's "alive and free of relapse" is not the abstract's event-free survival: the same
    # number, kept as two reports of one figure with the difference stated, never merged.
    efs = next(r for r in data.figure("relapse-free-1y").other_reports if r.source == ABSTRACT)
    assert efs.value == data.figure("relapse-free-1y").value
    assert data.figure("relapse-free-1y").comparison.same_measure is False
    assert "event-free" in (efs.label or "").lower() and efs.measures and efs.defined_at
    assert [i.level for i in efs.intervals] == [95, 90]


def test_confidence_intervals_contain_their_values(data: Dataset) -> None:
    for f in data.figures_by_id.values():
        for r in f.reports:
            for i in r.intervals:
                assert i.low <= r.value <= i.high, (f.id, r.source, i)  # type: ignore[operator]


def test_provenance_labels(data: Dataset) -> None:
    remission = data.figure("remission")
    by_source = {r.source: provenance(data, r) for r in remission.reports}
    assert by_source[RELEASE] == "news release about the article"
    assert by_source[ABSTRACT] == "conference abstract, read in one secondary copy"
    assert by_source["bloodcancerstoday-2023"] == "news report"
    age = next(r for r in data.figure("age-range").reports if r.source == ABSTRACT)
    assert provenance(data, age) == "conference abstract, read in two independent copies"


def test_values_read_in_one_copy_name_a_copy_of_their_source(data: Dataset) -> None:
    for f in data.figures_by_id.values():
        for r in f.reports:
            source = data.source(r.source)
            assert {c for c in r.read_in} <= {c.id for c in source.copies}
            assert bool(r.read_in) == bool(source.copies), (f.id, r.source)


# --- pages ---------------------------------------------------------------------------------------


def test_each_figure_page_shows_every_report_and_why_they_differ(built_site: Path, data: Dataset) -> None:
    """Issue 20: every report of a figure sits side by side on the figure's own page (it was under
    its Results row); Results keeps one short source line and says how many more sources report it."""
    results = (built_site / "results/index.html").read_text("utf-8")
    for f in data.figures_by_id.values():
        page = (built_site / "figures" / f.id / "index.html").read_text("utf-8")
        table = re.search(r'<table class="figure-table figure-compare">.*?</table>', page, re.S)
        assert table, f.id
        text = text_of(table.group(0))
        for r in f.reports:
            assert report_value_text(f, r) in text
            assert source_short(data.source(r.source)) in text
            assert provenance(data, r) in text
            if r.wording:
                assert r.wording in text
        if f.comparison:
            assert f.comparison.explanation in text_of(page)
        row = text_of(element(results, f.id, "tr"))
        assert source_short(data.source(f.cite.source)) in row
        assert (f"and {len(f.reports) - 1} more" in row) == (len(f.reports) > 1), f.id
        assert "How this site knows it" not in row
    for fid in COMPARED:
        page = text_of((built_site / "figures" / fid / "index.html").read_text("utf-8"))
        assert "Why they differ" in page


def test_home_cards_keep_the_release_figure_and_lead_to_every_report(built_site: Path, data: Dataset) -> None:
    """Issue 20: a card names its figure, then its value (the release's), one short source and a link
    to the figure's page, where every report stands; the ~60-word "Also reported as" line is gone."""
    page = (built_site / "index.html").read_text("utf-8")
    for f in (f for s in data.studies for f in s.figures if f.headline):
        card_html = element(page, f.id, "article")
        card = text_of(card_html)
        assert card.startswith(f.label) and value_text(f) in card
        assert "Also reported as" not in card
        assert f'href="figures/{f.id}/"' in card_html
        if f.other_reports:
            assert "Every report and why they differ" in card or "Every detail" in card


def test_glossary_cites_the_definitions_a_source_gives(built_site: Path, data: Dataset) -> None:
    page = text_of((built_site / "glossary/index.html").read_text("utf-8"))
    cited = [t for t in data.terms if t.cite]
    assert any(t.id == "event-free-survival" for t in cited)
    for t in cited:
        assert t.cite.locator in page  # type: ignore[union-attr]
    assert page.count("A general explanation by this site") == len(data.terms) - len(cited)


# --- downloads and metadata ----------------------------------------------------------------------


def test_reports_csv_has_one_row_per_report(built_site: Path, data: Dataset) -> None:
    rows = _rows((built_site / "downloads/reports.csv").read_bytes())
    assert list(rows[0]) == list(REPORT_COLUMNS)
    expected = [(f.id, r.source) for s in data.studies for f in s.figures for r in f.reports]
    assert [(r["figure_id"], r["source_id"]) for r in rows] == expected
    for row in rows:
        f = data.figure(row["figure_id"])
        r = next(x for x in f.reports if x.source == row["source_id"])
        assert row["report"] == ("primary" if r.primary else "also reported")
        assert row["value_text"] == report_value_text(f, r)
        assert row["provenance"] == provenance(data, r)
        # The words say why a cell is empty ('not reported' and 'not applicable' stay different).
        copies = [data.source(r.source).copy(c).url for c in r.read_in]
        assert row["read_in"] == (" ".join(copies) if copies else "not applicable")
        ci = "; ".join(interval_text(f, i) for i in r.intervals)
        assert row["ci"] == (ci or "not reported")
        assert row["timepoint"] == (r.timepoint or "not reported")
        assert row["denominator"] == ("" if r.denominator is None else str(r.denominator))
        assert row["denominator_status"] == ("not reported" if r.denominator is None else "")
        assert row["locator"] == r.cite.locator


def test_figures_csv_and_json_carry_provenance_and_reports(built_site: Path, data: Dataset) -> None:
    rows = {r["id"]: r for r in _rows((built_site / "downloads/figures.csv").read_bytes())}
    doc = json.loads((built_site / "downloads/figures.json").read_text("utf-8"))
    records = {r["id"]: r for r in doc["figures"]}
    for fid, f in data.figures_by_id.items():
        assert rows[fid]["provenance"] == records[fid]["provenance"] == provenance(data, f.primary)
        assert rows[fid]["report_count"] == str(len(f.reports))
        assert [r["source_id"] for r in records[fid]["reports"]] == [r.source for r in f.reports]
        also = rows[fid]["also_reported"]
        assert (None if also == "not applicable" else also) == also_reported_text(data, f)
    efs = next(r for r in records["relapse-free-1y"]["reports"] if r["source_id"] == ABSTRACT)
    assert efs["intervals"][0]["level"] == 95 and efs["same_measure"] == "false"


def test_json_ld_says_how_each_value_is_known(built_site: Path, data: Dataset) -> None:
    page = (built_site / "results/index.html").read_text("utf-8")
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    graph = json.loads(m.group(1))["@graph"]  # type: ignore[union-attr]
    dataset = next(n for n in graph if n["@type"] == "Dataset")
    by_name = {v["name"]: v for v in dataset["variableMeasured"]}
    for f in data.figures_by_id.values():
        description = by_name[f.label]["description"]
        assert f"How this site knows it: {provenance(data, f.primary)}." in description
    assert any(d["contentUrl"].endswith("downloads/reports.csv") for d in dataset["distribution"])


# --- the guard over every reported value ---------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose data, every report included, is accepted as published."""
    root = copy_project(tmp_path_factory.mktemp("reports-published"))
    resnapshot(root)
    return root


def _report_line(root: Path, figure_id: str, source_id: str) -> tuple[int, str]:
    """The line number and text of a report's `value:` line in the study file."""
    lines = (root / STUDY).read_text("utf-8").splitlines()
    start = lines.index(f"  - id: {figure_id}")
    at = next(i for i in range(start, len(lines)) if lines[i] == f"      - source: {source_id}")
    return at + 2, lines[at + 1]


def test_a_report_value_edited_by_hand_is_refused_then_recorded(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "p")
    shutil.copyfile(published / "data/published.yaml", root / "data/published.yaml")
    data = load_dataset(root / "data", root)
    figure = data.figure("survival-1y")
    report = next(r for r in figure.other_reports if r.source == ABSTRACT)
    new = int(report.value) - 1  # type: ignore[call-overload]
    line, text = _report_line(root, figure.id, ABSTRACT)
    assert text == f"        value: {report.value}"
    study = root / STUDY
    study.write_text(study.read_text("utf-8").replace(f"\n{text}\n", f"\n        value: {new}\n", 1), "utf-8")

    assert build_site(root, root / "site") == 1
    err = capsys.readouterr().err
    assert f"{STUDY}:{line}:16: figures[6].also_reported[0].value: the report of figure 'survival-1y'" in err
    assert f"make correct-report FIGURE=survival-1y REPORT={ABSTRACT} VALUE={new} REASON=" in err

    done = run_correct(
        root,
        "report",
        "survival-1y",
        ABSTRACT,
        str(new),
        *("--reason", "Test: misread.", "--source", ABSTRACT, "--locator", "Results, tenth sentence"),
        *("--date", "2026-11-25"),
    )
    assert done.returncode == 0, done.stderr
    assert build_site(root, root / "site") == 0
    notice = f"Corrected on 2026-11-25; previously {report_value_text(figure, report)}"
    results = text_of((root / "site/results/index.html").read_text("utf-8"))
    assert notice in results
    # Issue 20: the other reports (and their notices) stand on the figure's own page, not the card.
    own = (root / "site/figures/survival-1y/index.html").read_text("utf-8")
    table = text_of(own[own.index('<table class="figure-table figure-compare">') :].split("</table>")[0])
    assert f"{new}%" in table and notice in table
    rows = _rows((root / "site/downloads/reports.csv").read_bytes())
    row = next(r for r in rows if r["figure_id"] == "survival-1y" and r["source_id"] == ABSTRACT)
    assert row["value_text"] == f"{new}%" and row["correction_notice"] == notice
    corrections = text_of((root / "site/corrections/index.html").read_text("utf-8"))
    assert f"Alive at one year, as reported by {source_short(data.source(ABSTRACT))}" in corrections


def test_a_report_the_snapshot_published_cannot_be_removed(published: Path, tmp_path: Path, capsys) -> None:
    root = copy_project(tmp_path / "p")
    shutil.copyfile(published / "data/published.yaml", root / "data/published.yaml")
    text = (root / STUDY).read_text("utf-8")
    start = text.index("  - id: survival-1y\n")
    block = text[start : text.index("\n  - id: ", start + 1)]
    cut = block[block.index("    also_reported:\n") : block.index("    related:")]
    (root / STUDY).write_text(text.replace(block, block.replace(cut, "")), "utf-8")
    assert build_site(root, root / "site") == 1
    err = capsys.readouterr().err
    assert f"'figures/survival-1y/reports/{ABSTRACT}' was published in version" in err


# --- two studies ---------------------------------------------------------------------------------

SECOND_STUDY = """\
study:
  id: a041703-cohort-2
  name: Alliance A041703
  cohort: Cohort 2
  short_title: A second cohort, made up for a test
  registration:
    registry_id: NCT03739814
    source: nct03739814
  publication: jco-2025-wieduwilt
  chair:
    name: Made up
    role: Made up for a test
    affiliation: unknown
    source: eurekalert-1102627
    locator: body text
  groups: []
  population:
    summary: A made-up population for a test
    criteria:
      - Made up for a test
    source: eurekalert-1102627
    locator: body text
  regimen:
    summary: A made-up regimen for a test
    steps:
      - drug: made-up drug
        figure: cohort-2-cycles
    source: eurekalert-1102627
    locator: body text

figures:
  - id: cohort-2-cycles
    label: Cycles in the second cohort
    kind: cycles
    value:
      min: 1
      max: 2
    unit: cycles
    measures: Made up for a test.
    timepoint: unknown
    denominator: unknown
    basis: schedule
    source: eurekalert-1102627
    locator: body text
    group: treatment
    headline: true
    notes: unknown

  - id: cohort-2-survival
    label: Survival in the second cohort
    kind: percent
    value: 70
    unit: percent
    measures: Made up for a test.
    timepoint: unknown
    denominator: unknown
    basis: estimate
    source: eurekalert-1102627
    locator: body text
    group: survival
    headline: false
    notes: unknown
    also_reported:
      - source: jco-2023-abstract-7006
        value: 68
        wording: Made up for a test.
        ci:
          - level: 95
            low: 60
            high: 76
        locator: body text
        read_in: [paperexplained]
    comparison:
      same_measure: true
      reasons: []
      explanation: Made up for a test.
    related: [cohort-2-cycles]
"""


@pytest.fixture(scope="module")
def two_studies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("two-studies"))
    (root / "data/studies/z-cohort-2.yaml").write_text(SECOND_STUDY, "utf-8")
    assert build_site(root, root / "site") == 0
    return root


def test_a_second_study_has_its_own_reports_on_results_and_in_the_downloads(two_studies: Path) -> None:
    data = load_dataset(two_studies / "data", two_studies)
    assert [s.id for s in data.studies] == ["a041703-cohort-1", "a041703-cohort-2"]
    figure = data.figure("cohort-2-survival")
    assert [r.source for r in figure.reports] == [RELEASE, ABSTRACT]
    # Unlike figures of the first study, its values differ with no reason given: the site says so.
    assert agreement(figure) == "The two reports give different values; the sources do not say why."
    page = (two_studies / "site/results/index.html").read_text("utf-8")
    # Each study has its own sections of results (issue 20); the row names the interval's source.
    assert 'id="study-a041703-cohort-1"' in page and 'id="study-a041703-cohort-2"' in page
    assert 'id="group-a041703-cohort-2-survival"' in page
    assert "95% CI 60 to 76%" in text_of(element(page, "cohort-2-survival", "tr"))
    own = (two_studies / "site/figures/cohort-2-survival/index.html").read_text("utf-8")
    block = text_of(own[own.index('<table class="figure-table figure-compare">') :].split("</table>")[0])
    assert "68%" in block and "conference abstract, read in one secondary copy" in block
    assert "95% CI 60 to 76%" in block
    rows = _rows((two_studies / "site/downloads/reports.csv").read_bytes())
    second = [(r["study"], r["figure_id"], r["source_id"]) for r in rows if r["study"] == "a041703-cohort-2"]
    assert second == [
        ("a041703-cohort-2", "cohort-2-cycles", RELEASE),
        ("a041703-cohort-2", "cohort-2-survival", RELEASE),
        ("a041703-cohort-2", "cohort-2-survival", ABSTRACT),
    ]
    # The abstract reports figures of both studies: one report per source is per figure, not per site.
    assert sum(1 for r in rows if r["source_id"] == ABSTRACT) == sum(
        1 for f in data.figures_by_id.values() for r in f.reports if r.source == ABSTRACT
    )


def test_the_log_refuses_a_report_no_figure_has(tmp_path: Path) -> None:
    from trialsite.problems import DataError

    root = copy_project(tmp_path / "p")
    (root / "data/corrections.yaml").write_text(
        "entries:\n"
        "  - id: 2026-11-25-remission-nobody\n"
        "    date: 2026-11-25\n"
        "    corrects: figures/remission/reports/no-such-source\n"
        "    previous: 97\n"
        "    new: 96\n"
        "    reason: r\n"
        f"    source: {ABSTRACT}\n"
        "    locator: l\n",
        "utf-8",
    )
    with pytest.raises(DataError) as exc:
        load_dataset(root / "data", root)
    problems = [str(p) for p in exc.value.problems]
    assert any(
        p.startswith("data/corrections.yaml:4:15: entries[0].corrects: no report 'figures/remission/reports/")
        and f"figures/remission/reports/{ABSTRACT}" in p
        for p in problems
    ), problems
