"""Every figure as a download, with its data contract: figures.csv for spreadsheets, figures.json for
programs, datapackage.json (a Frictionless Data Package: the CSV's Table Schema, with types, enums and
missing values) and figures.schema.json (a JSON Schema for figures.json, one shape per kind).

Each table (figures.csv, reports.csv, and the figures and their reports in figures.json) is one row
model, a `Table` of `Column`s, from which the CSV header, the Table Schema, the JSON Schema and the
column notes on Results are all derived.

"Not reported" and "not applicable" are different everywhere. A numeric column holds a number or
nothing, so spreadsheets, pandas and R read it as numbers; its `<name>_status` column says why a cell is
empty. A text cell says which in words (Table Schema `missingValues`, so validators see both as
missing), and a column keeps its type whether or not a figure was corrected. In the JSON, `null` means
no source we hold reports the value; a key that is absent does not apply to that figure (a range has
no single number, an uncorrected figure no correction date).

reports.csv has one row for each source's report of each figure (figures.json lists them under
`reports`). Permalinks name the version's own folder, not latest/.

The CSV is written with the csv module, in UTF-8 with a byte-order mark: without the BOM, Excel on
Windows reads UTF-8 as the local code page and garbles any non-ASCII letter; LibreOffice, pandas and
Python's csv (encoding 'utf-8-sig') all read the BOM correctly. Text that a spreadsheet would take for
a formula (OWASP "CSV injection") is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, get_args

from trialsite.context import BuildContext, SiteInfo
from trialsite.data.model import Basis, CyclesValue, Figure, RangeValue, Report, Study
from trialsite.data.targets import FigureTarget
from trialsite.data.values import FIGURE_KINDS, structured
from trialsite.urls import DATAPACKAGE, FIGURES_SCHEMA, RESULTS
from trialsite.urls import FIGURES_CSV as CSV_PATH
from trialsite.urls import FIGURES_JSON as JSON_PATH
from trialsite.urls import REPORTS_CSV as REPORTS_PATH
from trialsite.urls import figure_files as one_figure_paths
from trialsite.words.citing import NOT_REPORTED, provenance, source_short
from trialsite.words.corrections import correction_notice
from trialsite.words.reports import agreement, also_reported_text, reasons_text, report_label, report_measures
from trialsite.words.values import interval_text, number, report_value_text, value_text

# NOT_REPORTED ("not reported", from words.citing): no source we hold states it
NOT_APPLICABLE = "not applicable"  # the field does not apply to this figure


class _Missing:
    """A missing value, and why: the CSV writes its words; the JSON writes null or leaves the key out."""

    def __init__(self, words: str) -> None:
        self.words = words

    def __repr__(self) -> str:
        return self.words


REPORTED_BY_NONE = _Missing(NOT_REPORTED)
DOES_NOT_APPLY = _Missing(NOT_APPLICABLE)


@dataclass(frozen=True)
class Column:
    """One column of a download table: the CSV header, the Table Schema field, the JSON Schema
    property and the note on the Results page all come from it."""

    name: str
    type: str  # Table Schema type
    description: str
    missing: str = ""  # which missing values it may hold, in words, for the data dictionary
    enum: tuple[str, ...] = ()
    in_json: bool = True
    group: str = ""  # columns explained together on the Results page
    # A number that may be missing: its CSV cell is then empty and `<name>_status` says why, so a
    # spreadsheet, pandas or R reads the column as numbers.
    status: bool = False
    json: dict[str, Any] | None = None  # more of its JSON Schema (minimum, format, items...)
    in_csv: bool = True

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "number")


STATUS_WORDS = (NOT_REPORTED, NOT_APPLICABLE)


def _status_column(c: Column) -> Column:
    return Column(
        f"{c.name}_status",
        "string",
        f"Why {c.name} is empty: {NOT_REPORTED} or {NOT_APPLICABLE}; empty when it holds a number.",
        "empty when the number is there",
        enum=STATUS_WORDS,
        in_json=False,
    )


@dataclass(frozen=True)
class Table:
    """One download table (one row model): its columns in order, then a status column for each
    number that may be missing (appended, so columns keep their positions)."""

    name: str
    path: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()

    @property
    def csv_columns(self) -> tuple[Column, ...]:
        own = tuple(c for c in self.columns if c.in_csv)
        return own + tuple(_status_column(c) for c in own if c.status)

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.csv_columns)

    def table_schema(self, enums: dict[str, list[str]]) -> dict[str, Any]:
        """The CSV's Table Schema (Data Package 2.0): a type per column, enums, and which missing
        values each may hold (a number: only an empty cell; text: the two words)."""
        fields = []
        for c in self.csv_columns:
            field: dict[str, Any] = {"name": c.name, "type": c.type, "description": c.description}
            constraints: dict[str, Any] = {}
            enum = enums.get(c.name) or list(c.enum)
            if enum:
                constraints["enum"] = enum
            if not c.missing:
                constraints["required"] = True
            if self.primary_key == (c.name,):
                constraints["unique"] = True
            if c.numeric:
                constraints["minimum"] = (c.json or {}).get("minimum", 0)
            if constraints:
                field["constraints"] = constraints
            if c.numeric or c.name.endswith("_status") or (c.type == "string" and not c.missing):
                field["missingValues"] = [{"value": "", "label": "Empty"}]
            fields.append(field)
        schema: dict[str, Any] = {"fields": fields}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        schema["missingValues"] = [
            {
                "value": "",
                "label": "Empty: a number that is missing (its status column says why), or no text",
            },
            {"value": NOT_REPORTED, "label": "No source this site holds reports the value"},
            {"value": NOT_APPLICABLE, "label": "The field does not apply to this row"},
        ]
        return schema

    def json_properties(self) -> dict[str, Any]:
        """The JSON Schema of a row in figures.json: null for a value not reported; a key that
        does not apply is absent."""
        kinds = {"string": "string", "integer": "integer", "number": "number", "date": "string"}
        props: dict[str, Any] = {}
        for c in self.columns:
            if not c.in_json:
                continue
            prop: dict[str, Any] = {"description": c.description}
            if c.enum:
                prop["enum"] = list(c.enum)
            else:
                kind = kinds[c.type]
                prop["type"] = [kind, "null"] if NOT_REPORTED in c.missing else kind
            if c.type == "date":
                prop["format"] = "date"
            if c.numeric:
                prop["minimum"] = 0
            prop.update(c.json or {})
            props[c.name] = prop
        return props

    def json_required(self) -> list[str]:
        """Keys every row has: those that are never missing, and those null when not reported."""
        return [c.name for c in self.columns if c.in_json and (not c.missing or c.missing == NOT_REPORTED)]


BASES: tuple[str, ...] = get_args(Basis)

# The columns a figure and a report of it share after their value: one declaration for both tables.
RANGE_AND_UNIT = (
    Column(
        "value_low",
        "number",
        "The low end of a range, or the fewest cycles of a schedule.",
        "not reported (a schedule given only as 'up to'); not applicable for other kinds",
        in_json=False,
        status=True,
    ),
    Column(
        "value_high",
        "number",
        "The high end of a range, or the most cycles of a schedule.",
        "not applicable for other kinds",
        in_json=False,
        status=True,
    ),
    Column(
        "unit", "string", "The unit of the value.", "not reported; not applicable for a statement in words"
    ),
)
FIGURE_COLUMNS = (
    Column("id", "string", "The figure's permanent id; its address is the Results page with #id."),
    Column("study", "string", "The id of the study the figure belongs to."),
    Column("label", "string", "The figure's name, in the site's words."),
    Column(
        "kind",
        "string",
        "What sort of value it is; in the JSON it decides the shape of value.",
        enum=FIGURE_KINDS,
    ),
    Column("value_text", "string", "The value in words, as the site writes it, with its unit."),
    Column(
        "value_number",
        "number",
        "The value of a count, a percent or a number (such as a median).",
        "not applicable for the other kinds",
        in_json=False,
        status=True,
    ),
    *RANGE_AND_UNIT,
    Column("measures", "string", "What exactly the figure measures, in the site's words."),
    Column("timepoint", "string", "When it was measured.", "not reported"),
    Column("denominator", "integer", "How many patients the figure is out of.", "not reported", status=True),
    Column("basis", "string", "How the value was arrived at, as the source gives it.", enum=BASES),
    Column(
        "derived_count",
        "integer",
        "A count this site computed from a percent and its denominator: derived, not reported.",
        "not applicable when no count was derived",
        status=True,
    ),
    Column("source_id", "string", "The id of the source the value was taken from (Sources page)."),
    Column("source_short", "string", "That source, cited briefly."),
    Column("locator", "string", "Where in the source the value stands."),
    Column("notes", "string", "What the source leaves out, in the site's words.", "empty when there is none"),
    Column("permalink", "string", "The figure's permanent address, in this version's own folder."),
    Column(
        "correction_notice",
        "string",
        "The notice shown beside a corrected or added value.",
        "not applicable if never corrected",
        group="correction",
    ),
    Column(
        "corrected_on",
        "date",
        "The day of the latest correction.",
        "not applicable if never corrected",
        group="correction",
    ),
    Column(
        "previous_value",
        "string",
        "The value before the latest correction, as the site wrote it.",
        "not applicable if never corrected",
        group="correction",
    ),
    Column(
        "correction_url",
        "string",
        "The correction's entry on this version's Corrections page.",
        "not applicable if never corrected",
        group="correction",
    ),
    # Added with the reports of a figure (one row each in reports.csv): appended, so older readers
    # of this file that take columns by position still find theirs.
    Column(
        "provenance", "string", "How this site knows the value: the source itself or a copy of it, and which."
    ),
    Column(
        "read_in",
        "string",
        "The addresses of the copies the value was read in, separated by spaces.",
        "not applicable when it was read in the source itself",
        json={"type": "array", "items": {"type": "string"}},
    ),
    Column("report_count", "integer", "How many sources report this figure.", json={"minimum": 1}),
    Column(
        "also_reported",
        "string",
        "The other sources' reports of the figure, in words.",
        "not applicable when one source reports it",
    ),
    Column(
        "comparison",
        "string",
        "Whether the reports agree and, where they differ, why as far as the sources say.",
    ),
)

# reports.csv, and each figure's `reports` in figures.json: one row per source's report of a figure.
REPORT_COLUMNS_SPEC = (
    Column("figure_id", "string", "The id of the figure reported."),
    Column("study", "string", "The id of the study the figure belongs to."),
    Column(
        "report",
        "string",
        "primary: the figure's own report; also reported: another source's.",
        enum=("primary", "also reported"),
    ),
    Column("source_id", "string", "The id of the source of this report (Sources page)."),
    Column("source_short", "string", "That source, cited briefly."),
    Column(
        "provenance", "string", "How this site knows the value: the source itself or a copy of it, and which."
    ),
    Column(
        "read_in",
        "string",
        "The addresses of the copies the value was read in, separated by spaces.",
        "not applicable when it was read in the source itself",
        json={"type": "array", "items": {"type": "string"}},
    ),
    Column("label", "string", "The name this source gives the measure."),
    Column("value_text", "string", "The value in words, with its unit."),
    Column(
        "value_number",
        "number",
        "The value of a count, a percent or a number.",
        "not applicable for the other kinds",
        in_json=False,
        status=True,
    ),
    *RANGE_AND_UNIT,
    Column(
        "wording",
        "string",
        "How this source words the figure, in the site's words.",
        "not applicable when none is recorded",
    ),
    Column("measures", "string", "What this source's figure measures."),
    Column("defined_at", "string", "Where the source defines the measure.", "not reported"),
    Column("timepoint", "string", "When it was measured.", "not reported"),
    Column("denominator", "integer", "How many patients the figure is out of.", "not reported", status=True),
    Column("basis", "string", "How the value was arrived at, as the source gives it.", enum=BASES),
    Column(
        "derived_count",
        "integer",
        "A count this site computed from a percent and its denominator: derived, not reported.",
        "not applicable when no count was derived",
        status=True,
    ),
    Column("ci", "string", "The confidence intervals the source gives, in words.", "not reported"),
    Column("data_cut", "string", "The date of the data the source reports.", "not reported"),
    Column("locator", "string", "Where in the source the value stands."),
    Column("notes", "string", "What the source leaves out, in the site's words.", "empty when there is none"),
    Column(
        "same_measure",
        "string",
        "Whether the reports measure the same thing: true, false or unknown.",
        "not applicable when one source reports the figure",
        enum=("true", "false", "unknown"),
    ),
    Column(
        "differences",
        "string",
        "Whether the reports agree and, where they differ, why as far as the sources say.",
    ),
    Column("permalink", "string", "The figure's permanent address, in this version's own folder."),
    Column(
        "correction_notice",
        "string",
        "The notice shown beside a corrected or added value.",
        "not applicable if never corrected",
    ),
)

FIGURES_TABLE = Table(
    "figures",
    CSV_PATH,
    "One row per figure; the Results page explains each column.",
    FIGURE_COLUMNS,
    ("id",),
)
REPORTS_TABLE = Table(
    "reports",
    REPORTS_PATH,
    "One row per source's report of each figure, the figure's own first.",
    REPORT_COLUMNS_SPEC,
    ("figure_id", "source_id"),
)
COLUMNS_SPEC = FIGURES_TABLE.csv_columns
COLUMNS = FIGURES_TABLE.header
REPORT_COLUMNS = REPORTS_TABLE.header


# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """OWASP's advice: a leading apostrophe makes the spreadsheet show the cell as text."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _or(value: Any, missing: _Missing) -> Any:
    return missing if value is None else value


def _same_measure(figure: Figure) -> str | None:
    c = figure.comparison
    if c is None:
        return None
    return "unknown" if c.same_measure is None else "true" if c.same_measure else "false"


def _comparison_text(figure: Figure) -> str | None:
    """How the reports compare, in one cell: the agreement, the reasons and the explanation."""
    c = figure.comparison
    if c is None:
        return agreement(figure)
    reasons = f" Why: {reasons_text(c)}." if c.reasons else ""
    return f"{agreement(figure)}{reasons} {c.explanation}"


def _value_numbers(kind_value: Any) -> tuple[Any, Any, Any]:
    """(number, low, high) of a model value, each a number or why it is missing."""
    v = kind_value
    if isinstance(v, RangeValue):
        return DOES_NOT_APPLY, v.low, v.high
    if isinstance(v, CyclesValue):
        return DOES_NOT_APPLY, _or(v.min, REPORTED_BY_NONE), v.max
    if isinstance(v, int | float):
        return v, DOES_NOT_APPLY, DOES_NOT_APPLY
    return DOES_NOT_APPLY, DOES_NOT_APPLY, DOES_NOT_APPLY


def report_record(ctx: BuildContext, study: Study, figure: Figure, report: Report) -> dict[str, Any]:
    """One source's report of a figure, with how the site knows it and how it compares; a _Missing
    where there is no value, saying why."""
    data = ctx.data
    source = data.source(report.source)
    number, low, high = _value_numbers(report.value)
    notice = correction_notice(data, report.target)
    same = _same_measure(figure)
    return {
        "figure_id": figure.id,
        "study": study.id,
        "report": "primary" if report.primary else "also reported",
        "source_id": source.id,
        "source_short": source_short(source),
        "provenance": provenance(data, report),
        "read_in": [source.copy(c).url for c in report.read_in] or DOES_NOT_APPLY,
        "label": report_label(figure, report),
        "value_text": report_value_text(figure, report),
        "value": structured(report.value),
        "value_number": number,
        "value_low": low,
        "value_high": high,
        "unit": DOES_NOT_APPLY if figure.kind == "qualitative" else _or(figure.unit, REPORTED_BY_NONE),
        "wording": _or(report.wording, DOES_NOT_APPLY),
        "measures": report_measures(figure, report),
        "defined_at": _or(report.defined_at, REPORTED_BY_NONE),
        "timepoint": _or(report.timepoint, REPORTED_BY_NONE),
        "denominator": _or(report.denominator, REPORTED_BY_NONE),
        "basis": report.basis,
        "derived_count": report.derived.count if report.derived else DOES_NOT_APPLY,
        "ci": "; ".join(interval_text(figure, i) for i in report.intervals) or REPORTED_BY_NONE,
        "intervals": [
            {"level": i.level, "low": i.low, "high": i.high, "sided": i.sided, "note": i.note}
            for i in report.intervals
        ],
        "data_cut": _or(report.data_cut, REPORTED_BY_NONE),
        "locator": report.cite.locator,
        "notes": report.notes or "",
        "same_measure": _or(same, DOES_NOT_APPLY),
        "differences": _comparison_text(figure),
        "permalink": permalink(ctx, figure.id),
        "correction_notice": notice.text if notice else DOES_NOT_APPLY,
    }


def permalink(ctx: BuildContext, figure_id: str) -> str:
    """The figure in this version's own folder (what the download was made from); the site-relative
    address in a preview."""
    urls = ctx.urls
    path = f"{urls.page(RESULTS)}#{figure_id}"
    return urls.this_version(path) or path


def figure_record(ctx: BuildContext, study: Study, figure: Figure) -> dict[str, Any]:
    """One figure with everything needed to use it elsewhere; a _Missing where there is no value."""
    data = ctx.data
    source = data.source(figure.cite.source)
    number, low, high = _value_numbers(figure.value)
    notice = correction_notice(data, FigureTarget(figure.id))
    unit = DOES_NOT_APPLY if figure.kind == "qualitative" else _or(figure.unit, REPORTED_BY_NONE)
    return {
        "id": figure.id,
        "study": study.id,
        "label": figure.label,
        "kind": figure.kind,
        "value_text": value_text(figure),
        "value": structured(figure.value),
        "value_number": number,
        "value_low": low,
        "value_high": high,
        "unit": unit,
        "measures": figure.measures,
        "timepoint": _or(figure.timepoint, REPORTED_BY_NONE),
        "denominator": _or(figure.denominator, REPORTED_BY_NONE),
        "basis": figure.basis,
        "derived_count": figure.derived.count if figure.derived else DOES_NOT_APPLY,
        "source_id": source.id,
        "source_short": source_short(source),
        "locator": figure.cite.locator,
        "notes": figure.notes or "",
        "permalink": permalink(ctx, figure.id),
        # A corrected figure carries the site's notice and its parts.
        "correction_notice": notice.text if notice else DOES_NOT_APPLY,
        "corrected_on": notice.date if notice else DOES_NOT_APPLY,
        "previous_value": notice.previous if notice else DOES_NOT_APPLY,
        "correction_url": ctx.correction_url(figure.id) or DOES_NOT_APPLY,
        "provenance": provenance(data, figure.primary),
        "read_in": [source.copy(c).url for c in figure.primary.read_in] or DOES_NOT_APPLY,
        "report_count": len(figure.reports),
        "also_reported": _or(also_reported_text(data, figure), DOES_NOT_APPLY),
        "comparison": _comparison_text(figure),
        # JSON only: every report with its own details (reports.csv has them one row each).
        "reports": [report_record(ctx, study, figure, r) for r in figure.reports],
    }


def figure_records(ctx: BuildContext) -> list[dict[str, Any]]:
    return [figure_record(ctx, study, f) for study in ctx.data.studies for f in study.figures]


def _cell(value: Any) -> str:
    if isinstance(value, _Missing):
        return value.words
    if value is None:
        return ""
    if isinstance(value, list):  # addresses of copies: one cell, separated by spaces
        return spreadsheet_safe(" ".join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)  # a number we formatted cannot hold a formula
    return spreadsheet_safe(" ".join(str(value).split()))


def _row(table: Table, record: dict[str, Any]) -> list[str]:
    """A record as its table's CSV cells: a number or nothing in a numeric column, with why it is
    missing in its status column; words for missing text."""
    numeric = {c.name for c in table.columns if c.status}
    cells = []
    for c in table.csv_columns:
        if c.name.endswith("_status") and c.name.removesuffix("_status") in numeric:
            value = record[c.name.removesuffix("_status")]
            cells.append(value.words if isinstance(value, _Missing) else "")
        else:
            value = record[c.name]
            cells.append("" if c.numeric and isinstance(value, _Missing) else _cell(value))
    return cells


def _table_csv(table: Table, rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    for record in rows:
        writer.writerow(_row(table, record))
    return out.getvalue().encode("utf-8-sig")


def figures_csv(ctx: BuildContext, records: list[dict[str, Any]] | None = None) -> bytes:
    return _table_csv(FIGURES_TABLE, figure_records(ctx) if records is None else records)


def _licence(site: SiteInfo | None) -> dict[str, str] | None:
    if site is None:
        return None
    return {"id": site.licence.id, "name": site.licence.name, "url": site.licence.url}


def _json_record(record: dict[str, Any], table: Table = FIGURES_TABLE) -> dict[str, Any]:
    """The JSON form: not reported is null; a field that does not apply (or an empty note) is left out."""
    keys = [c.name for c in table.columns if c.in_json]
    keys.insert(keys.index("value_text") + 1, "value")
    keys.append("reports" if table is FIGURES_TABLE else "intervals")
    out: dict[str, Any] = {}
    for key in keys:
        value = record[key]
        if value is DOES_NOT_APPLY or (key == "notes" and not value):
            continue
        if key == "reports":
            value = [_json_record(r, REPORTS_TABLE) for r in value]
        out[key] = None if value is REPORTED_BY_NONE else value
    return out


def reports_csv(ctx: BuildContext, records: list[dict[str, Any]] | None = None) -> bytes:
    """One row per report of every figure, primary report first, in the figures' order."""
    rows = [r for record in (figure_records(ctx) if records is None else records) for r in record["reports"]]
    return _table_csv(REPORTS_TABLE, rows)


def figures_json(ctx: BuildContext, records: list[dict[str, Any]] | None = None) -> str:
    site = ctx.site
    doc: dict[str, Any] = {
        "$schema": FIGURES_SCHEMA.rsplit("/", 1)[-1],
        "site_version": site.version if site else None,
        "site_released": site.released if site else None,
        # The terms of reuse of these figures (the site's own data), from data/site.yaml.
        "licence": _licence(site),
        "note": (
            "Each figure names its source and how this site knows it (provenance); 'reports' lists "
            "every source's report of it. null: no source we hold reports the value. A key that is "
            "absent does not apply to that figure. figures.schema.json describes every field."
        ),
        "figures": [_json_record(r) for r in (figure_records(ctx) if records is None else records)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --- the data contract --------------------------------------------------------------------------


def _enums(ctx: BuildContext) -> dict[str, list[str]]:
    """The enumerations that come from the data (the other enums are on their columns)."""
    data = ctx.data
    studies = [s.id for s in data.studies]
    figures = [f.id for s in data.studies for f in s.figures]
    return {"study": studies, "source_id": [s.id for s in data.sources], "figure_id": figures}


def table_schema(ctx: BuildContext, table: Table | None = None) -> dict[str, Any]:
    """A CSV's Table Schema (Data Package 2.0), from its table's columns."""
    return (table or FIGURES_TABLE).table_schema(_enums(ctx))


def datapackage(ctx: BuildContext) -> str:
    """datapackage.json: what the downloads are, under which licence, and the CSV's Table Schema."""
    site, data = ctx.site, ctx.data
    pkg: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "-".join(s.id for s in data.studies) + "-reported-figures",
        "title": f"Reported figures: {site.title}" if site and site.title else "Reported figures",
        "description": (
            "Every figure the site reports, with what it measures, its source and where in the source "
            "it stands. 'not reported': no source this site holds states the value; 'not applicable': "
            "the field does not apply to that figure."
        ),
    }
    if site:
        pkg["version"] = site.version
        pkg["created"] = f"{site.released}T00:00:00Z"
        if site.url:
            pkg["homepage"] = site.url
        pkg["licenses"] = [{"name": site.licence.id, "path": site.licence.url, "title": site.licence.name}]
        pkg["contributors"] = [{"title": site.publisher, "roles": ["publisher"]}]
    pkg["sources"] = [{"title": source_short(s), **({"path": s.url} if s.url else {})} for s in data.sources]
    pkg["resources"] = [
        *(
            {
                "name": table.name,
                "path": table.path.rsplit("/", 1)[-1],
                "type": "table",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "description": table.description,
                "schema": table_schema(ctx, table),
            }
            for table in (FIGURES_TABLE, REPORTS_TABLE)
        ),
        {
            "name": "figures-json",
            "path": JSON_PATH.rsplit("/", 1)[-1],
            "type": "json",
            "format": "json",
            "mediatype": "application/json",
            "description": "The same figures for programs: value takes one shape per kind.",
            "jsonSchema": FIGURES_SCHEMA.rsplit("/", 1)[-1],
        },
    ]
    return json.dumps(pkg, ensure_ascii=False, indent=2) + "\n"


_VALUE_SHAPES: dict[str, dict[str, Any]] = {
    "count": {"type": "integer", "minimum": 0, "description": "A whole number"},
    "percent": {"type": "number", "minimum": 0, "maximum": 100, "description": "A number from 0 to 100"},
    "range": {
        "type": "object",
        "description": "An object with the lowest and highest value: low, high",
        "required": ["low", "high"],
        "additionalProperties": False,
        "properties": {"low": {"type": "number"}, "high": {"type": "number"}},
    },
    "cycles": {
        "type": "object",
        "description": (
            "An object with the fewest and most cycles: min, max (min is null when the source says only "
            "'up to')"
        ),
        "required": ["min", "max"],
        "additionalProperties": False,
        "properties": {
            "min": {"type": ["integer", "null"], "minimum": 0},
            "max": {"type": "integer", "minimum": 0},
        },
    },
    "number": {"type": "number", "description": "A number (such as a median), with its unit"},
    "qualitative": {"type": "string", "minLength": 1, "description": "A statement in words"},
}


def figures_schema(ctx: BuildContext) -> str:
    """figures.schema.json: JSON Schema 2020-12 for figures.json; each kind is one shape."""
    text = {"type": "string"}
    props = FIGURES_TABLE.json_properties()
    props["kind"] = {"enum": list(FIGURE_KINDS), "description": props["kind"]["description"]}
    props["value"] = {"description": "The value; its shape depends on kind (see the oneOf branches)"}
    props["unit"]["type"] = ["string", "null"]
    props["unit"]["description"] += " null: not reported; absent: a statement in words."
    report = REPORTS_TABLE.json_properties()
    report["value"] = {"description": "This source's value, in the shape its figure's kind gives"}
    report["unit"]["type"] = ["string", "null"]
    report["intervals"] = {
        "type": "array",
        "items": {"type": "object"},
        "description": "The intervals, one object each",
    }
    props["reports"] = {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": [*REPORTS_TABLE.json_required(), "value", "intervals"],
            "properties": report,
            "additionalProperties": False,
        },
        "description": "Every source's report of the figure, the figure's own first (as in reports.csv)",
    }
    required = [*FIGURES_TABLE.json_required(), "value", "reports"]
    branches = []
    for kind in FIGURE_KINDS:
        branch: dict[str, Any] = {
            "title": f"A {kind} figure",
            "properties": {"kind": {"const": kind}, "value": _VALUE_SHAPES[kind]},
        }
        if kind == "qualitative":
            branch["not"] = {"required": ["unit"]}
        else:
            branch["required"] = ["unit"]
        branches.append(branch)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "figures.json: every reported figure",
        "description": (
            "null: no source this site holds reports the value. A key that is absent does not apply to "
            "that figure."
        ),
        "type": "object",
        "required": ["site_version", "site_released", "figures"],
        "properties": {
            "$schema": text,
            "site_version": {"type": ["string", "null"]},
            "site_released": {"type": ["string", "null"], "format": "date"},
            "licence": {"type": ["object", "null"]},
            "note": text,
            "figures": {"type": "array", "items": {"$ref": "#/$defs/figure"}},
        },
        "additionalProperties": False,
        "$defs": {
            "figure": {
                "type": "object",
                "required": required,
                "properties": props,
                "additionalProperties": False,
                "oneOf": branches,
            }
        },
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


_GROUPS = {
    "correction": (
        "The latest correction of the value: the notice shown beside it, its day, the value before it "
        "and its entry on the Corrections page."
    )
}


def data_dictionary() -> list[tuple[list[str], list[str], str]]:
    """([columns], [types], what they hold and when they may be missing) for the Results page; the
    columns of one group (the correction's four) are explained together."""
    rows: list[tuple[list[str], list[str], str]] = []
    for c in FIGURES_TABLE.csv_columns:
        missing = f" Missing: {c.missing}." if c.missing else ""
        text = (_GROUPS[c.group] if c.group else c.description) + missing
        if c.group and rows and rows[-1][2] == text:
            rows[-1][0].append(c.name)
            rows[-1][1].append(c.type)
            continue
        rows.append(([c.name], [c.type], text))
    return rows


def value_shapes() -> list[tuple[str, str]]:
    """(kind, shape of `value` in figures.json) for the Results page."""
    return [(kind, str(_VALUE_SHAPES[kind]["description"])) for kind in FIGURE_KINDS]


def figure_files(ctx: BuildContext) -> dict[str, str | bytes]:
    """Generator for outputs.GENERATORS: both files from one set of records, and their contract."""
    records = figure_records(ctx)
    return {
        CSV_PATH: figures_csv(ctx, records),
        JSON_PATH: figures_json(ctx, records),
        DATAPACKAGE: datapackage(ctx),
        FIGURES_SCHEMA: figures_schema(ctx),
        REPORTS_PATH: reports_csv(ctx, records),
        **_one_figure_files(ctx, records),
    }


def _one_figure_files(ctx: BuildContext, records: list[dict[str, Any]]) -> dict[str, str | bytes]:
    """Each figure's own rows (its figures.csv row, its figures.json entry), for its page."""
    out: dict[str, str | bytes] = {}
    for record in records:
        paths = one_figure_paths(record["id"])
        out[paths["csv"]] = figures_csv(ctx, [record])
        out[paths["json"]] = figures_json(ctx, [record])
    return out
