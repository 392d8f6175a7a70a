"""No DOI, date or other bibliographic field appears that no retrieved text states.

Two checks. Every DOI and every date the built site shows (pages, downloads, citation files, feed,
the data files it publishes) is one the data holds. And every bibliographic field the data states
says where it was read: its `evidence` entry in data/sources.yaml, or the correction that filled it
in (the build refuses one without either; tests/data/bad/sources-volume-without-evidence.yaml).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from citehelpers import site_context

from trialsite.data.model import Dataset
from trialsite.data.targets import SourceFieldTarget
from trialsite.data.values import EVIDENCED_FIELDS

FIELDS = ("doi", "issued", "volume", "issue", "pages", "url", "number")
# Dates that are not a source's: the site's own release date (data/site.yaml, set by make publish),
# its first release (data/published.yaml) and the corrections' dates, read from the data below.
# "October 2024" is the approval date printed in the footer of the GitHub copy, quoted in the
# description of that copy.
TEXT_DATES = {"October 2024"}

MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}  # fmt: skip
DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"'<>&]+")
DATES = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{4})/(\d{2})/(\d{2})\b"), ("y", "m", "d")),
    (re.compile(r"\b([A-Z][a-z]{2})[a-z]*\.? (\d{1,2}), (\d{4})\b"), ("mon", "d", "y")),
    (re.compile(r"\b(\d{1,2})[ -]([A-Z][a-z]{2})[a-z]*[ -](\d{4})\b"), ("d", "mon", "y")),
    (re.compile(r"\b(\d{4}) ([A-Z][a-z]{2}) (\d{1,2})\b"), ("y", "mon", "d")),
)
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_YEAR = re.compile(rf"\b({_MONTH_NAMES}) (\d{{4}})\b")
# Files whose dates no one wrote: MkDocs puts the build day in the sitemap (lastmod).
NOT_SCANNED = {"sitemap.xml", "sitemap.xml.gz"}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return site_context().data


def _data_dates(data: Dataset) -> set[dt.date]:
    dates = {dt.date.fromisoformat(s.issued) for s in data.sources if s.issued and len(s.issued) == 10}
    assert data.release is not None
    dates |= {dt.date.fromisoformat(d) for d in (data.release.date, data.release.first_date)}
    dates |= {dt.date.fromisoformat(c.date) for c in data.corrections}
    return dates


def _dates_in(text: str) -> list[tuple[str, dt.date | None]]:
    """Every date written in TEXT, as written and as a date (None when it is not a real date)."""
    found = []
    for pattern, order in DATES:
        for m in pattern.finditer(text):
            parts = dict(zip(order, m.groups(), strict=True))
            month = int(parts["m"]) if "m" in parts else MONTHS.get(parts["mon"].lower())
            if month is None:
                continue
            try:
                found.append((m.group(0), dt.date(int(parts["y"]), month, int(parts["d"]))))
            except ValueError:
                found.append((m.group(0), None))
    return found


def _published_files(site: Path) -> list[Path]:
    return [
        p
        for p in site.rglob("*")
        if p.is_file()
        and "assets" not in p.relative_to(site).parts
        and "search" not in p.relative_to(site).parts
        and p.name not in NOT_SCANNED
        and p.suffix in (".html", ".csv", ".json", ".bib", ".ris", ".xml", ".yaml", ".txt")
    ]


def test_every_bibliographic_field_the_data_states_says_where_it_was_read(data: Dataset) -> None:
    corrected = {
        (c.target.source_id, c.target.field)
        for c in data.corrections
        if isinstance(c.target, SourceFieldTarget)
    }
    stated_somewhere = set()
    for source in data.sources:
        evidence = dict(source.evidence)
        for field in EVIDENCED_FIELDS:
            value = getattr(source, field)
            if value:
                stated_somewhere.add(field)
                assert field in evidence or (source.id, field) in corrected, (source.id, field)
                assert len(evidence.get(field, "x").split()) >= 1
            else:
                assert field not in evidence, (source.id, field)
    # The fields this check is about are all stated by some source (the check is not vacuous).
    assert {"issued", "volume", "pages", "url", "number", "authors", "title"} <= stated_somewhere
    assert set(FIELDS) <= set(EVIDENCED_FIELDS)


def test_every_doi_and_date_the_site_shows_is_in_the_data(built_site: Path, data: Dataset) -> None:
    known_dates = _data_dates(data)
    known_dois = {s.doi for s in data.sources if s.doi}
    files = _published_files(built_site)
    assert any(p.suffix == ".bib" for p in files) and any(p.name == "reports.csv" for p in files)
    seen_dates: set[dt.date] = set()
    for path in files:
        text = path.read_text("utf-8-sig")
        where = path.relative_to(built_site)
        for doi in DOI.findall(text):
            assert doi.rstrip(".,;)") in known_dois, f"{where}: DOI {doi} is not in the data"
        for written, date in _dates_in(text):
            assert date in known_dates, f"{where}: date {written!r} is not a date the data holds"
            seen_dates.add(date)
        for month_year in (" ".join(m) for m in MONTH_YEAR.findall(text)):
            if not any(
                month_year.startswith(d.strftime("%B ")) and month_year.endswith(str(d.year))
                for d in known_dates
            ):
                assert month_year in TEXT_DATES, f"{where}: {month_year!r} is not in the data"
    # The check saw the dates it should: the article's, the news report's and the site's own.
    assert {dt.date(2025, 9, 30), dt.date(2023, 6, 5)} <= seen_dates


def test_every_date_written_in_the_data_is_allowed(data: Dataset) -> None:
    """Free text in the data (notes, descriptions of copies) holds no date but the allowed ones."""
    root = Path(__file__).resolve().parent.parent / "data"
    known = _data_dates(data)
    for path in root.rglob("*.yaml"):
        text = path.read_text("utf-8")
        for written, date in _dates_in(text):
            assert date in known, f"{path.name}: {written!r}"
        for month_year in (" ".join(m) for m in MONTH_YEAR.findall(text)):
            assert month_year in TEXT_DATES, f"{path.name}: {month_year!r}"


def test_citation_files_give_only_the_years_and_fields_of_the_data(built_site: Path, data: Dataset) -> None:
    years = {s.issued[:4] for s in data.sources if s.issued}
    assert data.release is not None
    years.add(data.release.date[:4])
    for bib in built_site.glob("cite/*.bib"):
        for entry in bibtexparser.parse_string(bib.read_text("utf-8")).entries:
            fields = entry.fields_dict
            source = next((s for s in data.sources if s.id == entry.key), None)
            if "year" in fields:
                assert fields["year"].value in years, (bib.name, entry.key)
            if source is not None:
                assert ("year" in fields) == bool(source.issued), entry.key  # an undated source: none
                assert ("doi" in fields) == bool(source.doi)
                assert ("volume" in fields) == bool(source.volume), entry.key
                assert ("pages" in fields) == bool(source.pages), entry.key
    for ris in built_site.glob("cite/*.ris"):
        for record in rispy.loads(ris.read_text("utf-8")):
            assert record.get("year", "none") in years | {"none"}, ris.name  # an undated release: none
            assert "doi" not in record
    for csl in built_site.glob("cite/*.json"):
        for item in json.loads(csl.read_text("utf-8")):
            if "issued" in item:  # an undated release has none
                assert str(item["issued"]["date-parts"][0][0]) in years
            assert "DOI" not in item


def test_a_journal_abbreviation_no_text_states_stays_the_full_name() -> None:
    """The review's journal: no retrieved NLM Catalog entry or journal page gives its abbreviation,
    so AMA and NLM print the full name rather than one typed from memory."""
    data = site_context().data
    review = data.source("clml-2024-review")
    assert review.container_short == review.container == "Clinical Lymphoma, Myeloma and Leukemia"
    assert "Ph-negative" in review.title and "Ph" in review.proper_nouns  # type: ignore[operator]
