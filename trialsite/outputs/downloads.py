"""Every figure as a download: figures.csv for spreadsheets, figures.json for programs.

The CSV is written with the csv module, in UTF-8 with a byte-order mark: without the BOM, Excel on
Windows reads UTF-8 as the local code page and garbles any non-ASCII letter; LibreOffice, pandas and
Python's csv (encoding 'utf-8-sig') all read the BOM correctly. Text that a spreadsheet would take for
a formula (OWASP "CSV injection") is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from trialsite import wording
from trialsite.context import BuildContext, SiteInfo
from trialsite.data.model import CyclesValue, Figure, RangeValue, Study
from trialsite.data.targets import FigureTarget
from trialsite.data.values import structured
from trialsite.urls import FIGURES_CSV as CSV_PATH
from trialsite.urls import FIGURES_JSON as JSON_PATH

COLUMNS = (
    "id",
    "study",
    "label",
    "kind",
    "value_text",
    "value_number",
    "value_low",
    "value_high",
    "unit",
    "measures",
    "timepoint",
    "denominator",
    "basis",
    "derived_count",
    "source_id",
    "source_short",
    "locator",
    "notes",
    "permalink",
    "correction_notice",
    "corrected_on",
    "previous_value",
    "correction_url",
)

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """OWASP's advice: a leading apostrophe makes the spreadsheet show the cell as text."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def figure_record(ctx: BuildContext, study: Study, figure: Figure) -> dict[str, Any]:
    """One figure with everything needed to use it elsewhere; None where nothing is reported."""
    data = ctx.data
    source = data.source(figure.cite.source)
    v = figure.value
    low = high = number = None
    if isinstance(v, RangeValue):
        low, high = v.low, v.high
    elif isinstance(v, CyclesValue):
        low, high = v.min, v.max
    elif isinstance(v, int | float):
        number = v
    notice = wording.correction_notice(data, FigureTarget(figure.id))
    return {
        "id": figure.id,
        "study": study.id,
        "label": figure.label,
        "kind": figure.kind,
        "value_text": wording.value_text(figure),
        "value": structured(figure.value),
        "value_number": number,
        "value_low": low,
        "value_high": high,
        "unit": figure.unit,
        "measures": figure.measures,
        "timepoint": figure.timepoint,
        "denominator": figure.denominator,
        "basis": figure.basis,
        "derived_count": figure.derived.count if figure.derived else None,
        "source_id": source.id,
        "source_short": wording.source_short(source),
        "locator": figure.cite.locator,
        "notes": figure.notes,
        "permalink": ctx.urls.figure(figure.id),
        # A corrected figure carries the site's notice and its parts; null (empty) for any other.
        "correction_notice": notice.text if notice else None,
        "corrected_on": notice.date if notice else None,
        "previous_value": notice.previous if notice else None,
        "correction_url": ctx.correction_url(figure.id),
    }


def figure_records(ctx: BuildContext) -> list[dict[str, Any]]:
    return [figure_record(ctx, study, f) for study in ctx.data.studies for f in study.figures]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return wording.number(value)  # a number we formatted cannot hold a formula
    return spreadsheet_safe(" ".join(str(value).split()))


def figures_csv(ctx: BuildContext, records: list[dict[str, Any]] | None = None) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in figure_records(ctx) if records is None else records:
        writer.writerow([_cell(record[c]) for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def _licence(site: SiteInfo | None) -> dict[str, str] | None:
    if site is None:
        return None
    return {"id": site.licence.id, "name": site.licence.name, "url": site.licence.url}


def figures_json(ctx: BuildContext, records: list[dict[str, Any]] | None = None) -> str:
    site = ctx.site
    doc = {
        "site_version": site.version if site else None,
        "site_released": site.released if site else None,
        # The terms of reuse of these figures (the site's own data), from data/site.yaml.
        "licence": _licence(site),
        "note": (
            "Transcribed from the news release that reports the journal article; null means not reported."
        ),
        "figures": figure_records(ctx) if records is None else records,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def figure_files(ctx: BuildContext) -> dict[str, str | bytes]:
    """Generator for outputs.GENERATORS: both files from one set of records."""
    records = figure_records(ctx)
    return {CSV_PATH: figures_csv(ctx, records), JSON_PATH: figures_json(ctx, records)}
