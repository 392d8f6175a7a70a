"""figures.csv and figures.json: every figure with its details, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from citehelpers import CORRECTED_FIGURE, HOSTILE_FIGURE, HOSTILE_LABEL, HOSTILE_NOTES, site_context

from trialsite import wording as present
from trialsite.outputs.downloads import COLUMNS, CSV_PATH, JSON_PATH, figures_csv, spreadsheet_safe


def _csv_rows(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def ctx():
    return site_context()


@pytest.fixture(scope="module")
def data(ctx):
    return ctx.data


def test_csv_has_every_figure_with_values_from_the_data(built_site: Path, ctx, data) -> None:
    rows = _csv_rows((built_site / CSV_PATH).read_bytes())
    figures = [f for s in data.studies for f in s.figures]
    assert [r["id"] for r in rows] == [f.id for f in figures]
    assert list(rows[0]) == list(COLUMNS)
    for row, f in zip(rows, figures, strict=True):
        source = data.source(f.cite.source)
        assert row["label"] == f.label
        assert row["value_text"] == present.value_text(f)
        assert row["measures"] == f.measures
        assert row["timepoint"] == (f.timepoint or "")
        assert row["denominator"] == ("" if f.denominator is None else str(f.denominator))
        assert row["basis"] == f.basis
        assert row["derived_count"] == (str(f.derived.count) if f.derived else "")
        assert row["source_id"] == source.id
        assert row["source_short"] == present.source_short(source)
        assert row["locator"] == f.cite.locator
        assert row["notes"] == " ".join((f.notes or "").split())
        # In a preview build (the suite's own) the permalink is the site-relative path.
        assert row["permalink"] == ctx.urls.figure(f.id) == f"results/#{f.id}"
        if f.kind in ("count", "percent"):
            assert row["value_number"] == present.number(f.value)
    remission = next(r for r in rows if r["id"] == "remission")
    assert remission["derived_count"] == str(data.figure("remission").derived.count)


def test_json_matches_the_data(built_site: Path, ctx, data) -> None:
    doc = json.loads((built_site / JSON_PATH).read_text("utf-8"))
    assert doc["site_version"] == ctx.site.version
    by_id = {r["id"]: r for r in doc["figures"]}
    assert len(by_id) == len(data.figures_by_id)
    for fid, f in data.figures_by_id.items():
        rec = by_id[fid]
        assert rec["value_text"] == present.value_text(f)
        assert rec["unit"] == f.unit
        assert rec["timepoint"] == f.timepoint
        assert rec["notes"] == f.notes
    age = data.figure("age-range").value
    assert by_id["age-range"]["value"] == {"low": age.low, "high": age.high}
    cycles = data.figure("inotuzumab-cycles").value
    assert by_id["inotuzumab-cycles"]["value"] == {"min": None, "max": cycles.max}
    assert by_id["tolerability"]["value"] == data.figure("tolerability").value


def test_results_page_links_both_downloads(built_site: Path) -> None:
    html = (built_site / "results" / "index.html").read_text("utf-8")
    assert 'href="../downloads/figures.csv"' in html
    assert 'href="../downloads/figures.json"' in html


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_spreadsheet_safe_prefixes_formula_starts(start: str) -> None:
    assert spreadsheet_safe(start + "1+1") == "'" + start + "1+1"
    assert spreadsheet_safe("safe " + start) == "safe " + start


def test_hostile_text_is_never_a_formula_in_the_csv(changed_site: tuple[Path, int]) -> None:
    site, _ = changed_site
    rows = {r["id"]: r for r in _csv_rows((site / CSV_PATH).read_bytes())}
    assert rows[HOSTILE_FIGURE]["label"] == "'" + HOSTILE_LABEL
    for fid, note in HOSTILE_NOTES.items():
        shown = " ".join(note.split())  # cells are one line; the tab starts nothing once collapsed
        assert rows[fid]["notes"] in ("'" + shown, shown)
        assert not rows[fid]["notes"].startswith(("=", "+", "-", "@", "\t", "\r"))
    for row in rows.values():
        for column, cell in row.items():
            if column not in ("value_number", "value_low", "value_high", "denominator", "derived_count"):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)


def test_in_memory_csv_prefixes_a_carriage_return(ctx, data) -> None:
    """\\r cannot reach the data (the loader refuses control characters), so test it directly."""
    from dataclasses import replace

    f = data.figure("tolerability")
    study = replace(data.studies[0], figures=(replace(f, notes="\r=1+1"),))
    rows = _csv_rows(figures_csv(replace(ctx, data=replace(data, studies=(study,)))))
    assert rows[0]["notes"] == "'=1+1"


def test_a_corrected_value_reaches_both_downloads(changed_site: tuple[Path, int]) -> None:
    site, new_value = changed_site
    rows = {r["id"]: r for r in _csv_rows((site / CSV_PATH).read_bytes())}
    assert rows[CORRECTED_FIGURE]["value_number"] == str(new_value)
    assert rows[CORRECTED_FIGURE]["value_text"] == f"{new_value}%"
    doc = json.loads((site / JSON_PATH).read_text("utf-8"))
    rec = next(r for r in doc["figures"] if r["id"] == CORRECTED_FIGURE)
    assert rec["value"] == new_value
