"""figures.csv and figures.json: every figure with its details, safe to open in a spreadsheet, and
their data contract (datapackage.json checked by frictionless, figures.schema.json by jsonschema)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from citehelpers import CORRECTED_FIGURE, HOSTILE_FIGURE, HOSTILE_LABEL, HOSTILE_NOTES, site_context

from trialsite.outputs.downloads import (
    COLUMNS,
    CSV_PATH,
    FIGURES_TABLE,
    JSON_PATH,
    NOT_APPLICABLE,
    NOT_REPORTED,
    REPORTS_PATH,
    REPORTS_TABLE,
    data_dictionary,
    figures_csv,
    spreadsheet_safe,
)
from trialsite.urls import DATAPACKAGE, FIGURES_SCHEMA
from trialsite.words.citing import source_short
from trialsite.words.values import number, value_text

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


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
        assert row["value_text"] == value_text(f)
        assert row["measures"] == f.measures
        assert row["timepoint"] == (f.timepoint or NOT_REPORTED)
        # A number or nothing; its status column says why it is missing.
        assert row["denominator"] == ("" if f.denominator is None else str(f.denominator))
        assert row["denominator_status"] == (NOT_REPORTED if f.denominator is None else "")
        assert row["basis"] == f.basis
        assert row["derived_count"] == (str(f.derived.count) if f.derived else "")
        assert row["derived_count_status"] == ("" if f.derived else NOT_APPLICABLE)
        assert row["source_id"] == source.id
        assert row["source_short"] == source_short(source)
        assert row["locator"] == f.cite.locator
        assert row["notes"] == " ".join((f.notes or "").split())
        # In a preview build (the suite's own) the permalink is the site-relative path.
        assert row["permalink"] == ctx.urls.figure(f.id) == f"results/#{f.id}"
        if f.kind in ("count", "percent", "number"):
            assert row["value_number"] == number(f.value) and row["value_number_status"] == ""
        else:
            assert (row["value_number"], row["value_number_status"]) == ("", NOT_APPLICABLE)
        assert row["unit"] == (NOT_APPLICABLE if f.kind == "qualitative" else f.unit or NOT_REPORTED)
    remission = next(r for r in rows if r["id"] == "remission")
    # The release does not say of how many patients: no count is derived.
    assert (remission["derived_count"], remission["derived_count_status"]) == ("", NOT_APPLICABLE)


def test_json_matches_the_data(built_site: Path, ctx, data) -> None:
    doc = json.loads((built_site / JSON_PATH).read_text("utf-8"))
    assert doc["site_version"] == ctx.site.version
    by_id = {r["id"]: r for r in doc["figures"]}
    assert len(by_id) == len(data.figures_by_id)
    for fid, f in data.figures_by_id.items():
        rec = by_id[fid]
        assert rec["value_text"] == value_text(f)
        if f.kind == "qualitative":
            assert "unit" not in rec  # a statement in words has no unit: the key does not apply
        else:
            assert rec["unit"] == f.unit
        assert rec["timepoint"] == f.timepoint  # None (null) when not reported
        assert rec.get("notes") == (f.notes or None)  # absent when there is none
        assert ("derived_count" in rec) == (f.derived is not None)
        assert not {"value_number", "value_low", "value_high", "correction_notice"} & set(rec)
    age = data.figure("age-range").value
    assert by_id["age-range"]["value"] == {"low": age.low, "high": age.high}
    cycles = data.figure("inotuzumab-cycles").value
    assert by_id["inotuzumab-cycles"]["value"] == {"min": None, "max": cycles.max}
    assert by_id["tolerability"]["value"] == data.figure("tolerability").value


def test_results_page_links_both_downloads_and_explains_every_column(built_site: Path) -> None:
    html = (built_site / "results" / "index.html").read_text("utf-8")
    for name in ("figures.csv", "figures.json", "datapackage.json", "figures.schema.json"):
        assert f'href="../downloads/{name}"' in html
    for column in COLUMNS:
        assert f"<code>{column}</code>" in html
    assert "<strong>not reported</strong>" in html and "<strong>not applicable</strong>" in html


def test_not_reported_and_not_applicable_are_different_values(built_site: Path) -> None:
    rows = _csv_rows((built_site / CSV_PATH).read_bytes())
    cells = [cell for row in rows for cell in row.values()]
    assert NOT_REPORTED in cells and NOT_APPLICABLE in cells
    numeric = {c.name for c in FIGURES_TABLE.columns if c.status}
    for row in rows:
        for column, cell in row.items():
            if column in numeric:  # empty only with its reason beside it
                assert (cell == "") == (row[f"{column}_status"] in (NOT_REPORTED, NOT_APPLICABLE)), column
            elif column != "notes" and not column.endswith("_status"):
                assert cell != "", column
    cycles = next(r for r in rows if r["id"] == "inotuzumab-cycles")  # 'up to 2': the fewest not reported
    assert (cycles["value_low_status"], cycles["value_number_status"]) == (NOT_REPORTED, NOT_APPLICABLE)
    doc = json.loads((built_site / JSON_PATH).read_text("utf-8"))
    rec = next(r for r in doc["figures"] if r["id"] == "inotuzumab-cycles")
    assert rec["value"]["min"] is None and rec["timepoint"] is None and "derived_count" not in rec


def _frictionless(folder: Path) -> dict:
    done = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    assert (done.returncode == 0) == report["valid"]
    return report


def test_frictionless_validates_the_data_package(built_site: Path, ctx) -> None:
    """The Table Schema gives each column a type, enums and the two missing values; frictionless reads
    figures.csv with it, row by row."""
    folder = built_site / "downloads"
    report = _frictionless(folder)
    assert report["valid"], json.dumps(report["tasks"], indent=1)[:3000]
    assert [t["name"] for t in report["tasks"]] == ["figures", "reports", "figures-json"]
    package = json.loads((built_site / DATAPACKAGE).read_text("utf-8"))
    for resource, table in zip(package["resources"], (FIGURES_TABLE, REPORTS_TABLE), strict=False):
        schema = resource["schema"]
        assert [f["name"] for f in schema["fields"]] == list(table.header)
        assert {m["value"] for m in schema["missingValues"]} == {"", NOT_REPORTED, NOT_APPLICABLE}
        for field in schema["fields"]:  # a number column takes only an empty cell as missing
            if field["type"] in ("number", "integer") or field["name"].endswith("_status"):
                assert [m["value"] for m in field["missingValues"]] == [""], field["name"]
    assert package["licenses"][0]["path"] == ctx.site.licence.url
    assert package["version"] == ctx.site.version


def test_frictionless_refuses_a_cell_of_the_wrong_type(built_site: Path, tmp_path: Path) -> None:
    """The contract can fail: a word in a number column, or a kind outside the enum."""
    import shutil

    folder = tmp_path / "downloads"
    shutil.copytree(built_site / "downloads", folder)
    text = (folder / "figures.csv").read_bytes().decode("utf-8-sig")
    rows = text.split("\r\n")
    rows[1] = rows[1].replace(",count,", ",tally,", 1)
    (folder / "figures.csv").write_bytes("\r\n".join(rows).encode("utf-8-sig"))
    report = _frictionless(folder)
    assert not report["valid"]
    errors = [e["type"] for t in report["tasks"] for e in t["errors"]]
    assert "constraint-error" in errors
    # Words in a number column are a type error, not a missing value.
    shutil.copytree(built_site / "downloads", folder, dirs_exist_ok=True)
    table = list(csv.reader(io.StringIO((folder / REPORTS_PATH.rsplit("/", 1)[-1]).read_text("utf-8-sig"))))
    table[1][table[0].index("denominator")] = NOT_REPORTED
    with open(folder / "reports.csv", "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out, lineterminator="\r\n").writerows(table)
    report = _frictionless(folder)
    assert "type-error" in [e["type"] for t in report["tasks"] for e in t["errors"]]


@pytest.mark.parametrize("table", [FIGURES_TABLE, REPORTS_TABLE], ids=lambda t: t.name)
def test_each_csv_loads_as_numbers_with_the_standard_library(built_site: Path, table) -> None:
    """As an analyst's script reads it: every cell of a numeric column is a number or empty, and an
    empty one has its reason ('not reported' or 'not applicable') in the column's status column."""
    rows = _csv_rows((built_site / table.path).read_bytes())
    assert rows and list(rows[0]) == list(table.header)
    numeric = [c for c in table.csv_columns if c.numeric]
    assert {"value_number", "value_low", "value_high", "denominator", "derived_count"} <= {
        c.name for c in numeric
    }
    parsed = 0
    for row in rows:
        for c in numeric:
            cell = row[c.name]
            status = row.get(f"{c.name}_status", "")
            if cell == "":
                assert status in (NOT_REPORTED, NOT_APPLICABLE), (c.name, row)
                continue
            number = int(cell) if c.type == "integer" else float(cell)
            assert number >= 0 and status == "", (c.name, cell, status)
            parsed += 1
    assert parsed > len(rows)  # numbers were there to parse


def test_one_row_model_gives_header_schemas_and_notes(built_site: Path) -> None:
    """The CSV header, the Table Schema, the JSON Schema and the Results page's column notes are all
    read from the same table description."""
    package = json.loads((built_site / DATAPACKAGE).read_text("utf-8"))
    by_name = {r["name"]: r for r in package["resources"]}
    assert [f["name"] for f in by_name["reports"]["schema"]["fields"]] == list(REPORTS_TABLE.header)
    schema = json.loads((built_site / FIGURES_SCHEMA).read_text("utf-8"))
    figure = schema["$defs"]["figure"]["properties"]
    assert set(figure) == {c.name for c in FIGURES_TABLE.columns if c.in_json} | {"value", "reports"}
    report = figure["reports"]["items"]["properties"]
    assert set(report) == {c.name for c in REPORTS_TABLE.columns if c.in_json} | {"value", "intervals"}
    noted = [name for names, _types, _text in data_dictionary() for name in names]
    assert noted == list(FIGURES_TABLE.header)


def test_figures_json_follows_its_json_schema(built_site: Path) -> None:
    schema = json.loads((built_site / FIGURES_SCHEMA).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = json.loads((built_site / JSON_PATH).read_text("utf-8"))
    checker = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in checker.iter_errors(doc)] == []
    # One shape per kind: a range's value given as a number is refused.
    bad = json.loads(json.dumps(doc))
    age = next(r for r in bad["figures"] if r["kind"] == "range")
    age["value"] = 60
    assert list(checker.iter_errors(bad))


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
            if column not in {c.name for c in FIGURES_TABLE.columns if c.numeric}:
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


def test_hostile_downloads_keep_their_contract(changed_site: tuple[Path, int]) -> None:
    site, _ = changed_site
    assert _frictionless(site / "downloads")["valid"]
