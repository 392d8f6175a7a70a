"""What a reader of a study's pages may cite, in every form: the journal article, the news release its
figures were transcribed from, and this site. Formatted references (APA, AMA, Vancouver: styles.py),
and for reference managers CSL-JSON, BibTeX and RIS.

Every output is a pure function of the build context, with only what the data states: a field no
source reports is left out, never filled in. An author list that is not known in full is never given
an author named "et al.": BibTeX has its own marker (`and others`); CSL-JSON, RIS and CITATION.cff
carry a note; the formatted styles mark it their own way (styles.py).
"""

from __future__ import annotations

import functools
import io
import json
from dataclasses import dataclass, replace
from typing import Any

import bibtexparser
import rispy
from bibtexparser import model as bib

from trialsite.context import BuildContext, SiteInfo
from trialsite.data.kinds import cited_kind, source_kind
from trialsite.data.model import Author, Dataset, Source, Study
from trialsite.outputs import styles
from trialsite.outputs.styles import STYLES, Work
from trialsite.words.citing import source_short
from trialsite.words.titles import PUNCTUATION, sentence_case, title_pieces

__all__ = ["SITE_ITEM_ID", "STYLES", "Cited", "bibtex", "citation_files", "csl_json", "formatted", "ris"]

SITE_ITEM_ID = "trialsite"
INCOMPLETE_AUTHORS_NOTE = (
    "Author list incomplete: only the authors listed are known to the site that made this reference."
)
NO_AUTHORS_NOTE = "Authors not reported."
UNTITLED_RELEASE_NOTE = "Headline not reported in the copy this site holds; the title is a description."
UNDATED_NOTE = "Release date not reported."


@dataclass(frozen=True)
class Cited:
    """One work a reader may cite, as the site describes it."""

    id: str
    label: str  # 'The journal article', for the Cite page
    work: Work


def _source_work(source: Source, subject: str | None = None) -> Work:
    # How each kind is cited (trialsite/data/kinds.py), with only what its text states.
    kind = source_kind(source.kind).cited_as
    if kind is None:
        raise ValueError(f"source {source.id}: a {source.kind} is not cited as a reference")
    return Work(
        kind=kind,
        authors=source.authors,
        authors_complete=source.authors_complete,
        title=source.title,
        proper_nouns=source.proper_nouns,
        subject=subject,
        container=source.container,
        container_short=source.container_short,
        publisher=source.publisher,
        issued=source.issued,
        volume=source.volume,
        issue=source.issue,
        pages=source.pages,
        doi=source.doi,
        url=source.url,
        number=source.number,
    )


def site_work(site: SiteInfo) -> Work:
    """The site as a versioned data set; its publisher is its author (a group author)."""
    return Work(
        kind="site",
        authors=(Author(site.publisher, organisation=True),),
        authors_complete=True,
        title=site.title or "Untitled site",
        publisher=site.publisher,
        issued=site.released,
        url=site.url,
        version=site.version,
    )


def releases(data: Dataset, study: Study) -> list[Source]:
    """The news releases that report the study's article (the figures were transcribed from them)."""
    return [s for s in data.sources if s.reports == study.publication and s.kind == "news-release"]


def cited_works(ctx: BuildContext, study: Study) -> list[Cited]:
    """The article, the releases that report it, and this site, in that order."""
    data = ctx.data
    out = [Cited(study.publication, "The journal article", _source_work(data.source(study.publication)))]
    subject = f"the {study.title} results"
    out += [Cited(s.id, "The news release", _source_work(s, subject)) for s in releases(data, study)]
    if ctx.site is None:
        raise ValueError("the dataset has no site information (data/site.yaml)")
    out.append(Cited(SITE_ITEM_ID, "This site", site_work(ctx.site)))
    return out


# --- the study's other reports (conference abstract, news report, review) --------------------------
# Additional works, in their own files: cited with only what their copies state, each with a note
# saying where it was read.

REPORT_KINDS = ("conference-abstract", "news-article", "journal-article")


def report_sources(data: Dataset, study: Study) -> list[Source]:
    """The sources of the study's figures other than its article and the release that reports it:
    the works a presenter may cite for a figure the article's release does not give."""
    cited = {r.source for f in study.figures for r in f.reports}
    return [s for s in data.sources if s.id in cited and s.id != study.publication and s.kind in REPORT_KINDS]


def report_work(source: Source) -> Work:
    """Another report as a work: a group byline is an organisation author; the copies it was read in
    go in a note, for reference managers."""
    work = _source_work(source)
    notes: list[str] = []
    if source.copies:
        copies = "; ".join(f"{c.url}{' (secondary)' if c.secondary else ''}" for c in source.copies)
        where = "a copy" if len(source.copies) == 1 else "copies"
        notes.append(f"Read in {where}, not at the publisher: {copies}")
    return replace(
        work,
        authors=work.authors or ((Author(source.byline, organisation=True),) if source.byline else ()),
        authors_complete=work.authors_complete or (not work.authors and bool(source.byline)),
        genre="Abstract" if source.kind == "conference-abstract" else None,
        notes=tuple(notes),
    )


def report_works(ctx: BuildContext, study: Study) -> list[Cited]:
    return [Cited(s.id, source_short(s), report_work(s)) for s in report_sources(ctx.data, study)]


def report_csl_items(ctx: BuildContext, study: Study) -> list[dict[str, Any]]:
    return [csl_item(c.work, c.id, ctx.site) for c in report_works(ctx, study)]


def format_reference(work: Work, style: str, *, html: bool = False) -> str:
    """One reference in one style, as plain text or HTML."""
    return _reference(work, style, html)


def formatted(ctx: BuildContext, study: Study, *, html: bool = False) -> dict[str, dict[str, str]]:
    """{item id: {style: reference}} for every work in `cited_works`."""
    return {
        c.id: {style: _reference(c.work, style, html) for style in STYLES} for c in cited_works(ctx, study)
    }


@functools.lru_cache(maxsize=4096)
def _reference(work: Work, style: str, html: bool) -> str:
    """Memoised on the work: every study's pages cite the same article and site."""
    return styles.reference(work, style, as_html=html)


# --- CSL-JSON -------------------------------------------------------------------------------------


def date_parts(iso: str) -> list[int]:
    """[2025, 9, 30], [2025, 9] or [2025]: an ISO date as CSL's date-parts, which every format reads."""
    return [int(p) for p in iso.split("-")]


def page_range(pages: str) -> tuple[str, str]:
    """('e123', 'e130') or ('7006', ''): first and last page, at a range's dash of either kind."""
    first, _, last = pages.replace("\u2013", "-").partition("-")
    return first, last


def _date_parts(iso: str) -> dict[str, Any]:
    return {"date-parts": [date_parts(iso)]}


def _csl_name(a: Author) -> dict[str, str]:
    return a.csl()


def person_text(a: Author) -> str:
    """'Smith, John, Jr.' (family, given, suffix) for a person, the name as written for an
    organisation: RIS's AU form and Highwire's citation_author, from the CSL name."""
    name = a.csl()
    return name.get("literal") or ", ".join(name[k] for k in ("family", "given", "suffix") if k in name)


def _title_text(work: Work) -> str:
    """The title as reference managers should store it: sentence case (the CSL and Zotero advice:
    styles can capitalise a title but cannot lower-case one correctly), or a bracketed description."""
    if work.title:
        if work.kind == "site":
            return work.title
        return sentence_case(work.title, work.proper_nouns)
    return f"[News release on {work.subject}]" if work.subject else "[Title not reported]"


def _notes(work: Work) -> list[str]:
    notes = [] if work.authors_complete else [INCOMPLETE_AUTHORS_NOTE if work.authors else NO_AUTHORS_NOTE]
    notes += work.notes
    if work.kind == "release":
        if not work.title:
            notes.append(UNTITLED_RELEASE_NOTE)
        if not work.issued:
            notes.append(UNDATED_NOTE)
    return notes


def csl_item(work: Work, item_id: str, site: SiteInfo | None = None) -> dict[str, Any]:
    """A CSL-JSON item with only the fields the data states."""
    csl_type = cited_kind(work.kind).csl
    item: dict[str, Any] = {"id": item_id, "type": csl_type, "title": _title_text(work)}
    if work.authors:
        item["author"] = [_csl_name(a) for a in work.authors]
    if work.kind == "article":
        item["container-title"] = work.container
        item["container-title-short"] = work.container_short
    elif work.kind == "news":
        item["container-title"] = work.container  # the news site
    elif work.kind == "release":
        item["genre"] = "Press release"
        item["publisher"] = work.container  # the site that publishes the release
    elif work.kind == "figure":
        item["genre"] = "Data set figure"
        item["container-title"] = work.container  # the site
    else:
        item["genre"] = "Data set"
    optional = {
        "publisher": work.publisher if work.kind != "release" else None,
        "version": work.version,
        "number": work.number if work.kind == "release" else None,
        "DOI": work.doi,
        "volume": work.volume,
        "issue": work.issue,
        "page": work.pages,
        "URL": work.url,
    }
    item.update({k: v for k, v in optional.items() if v})
    if work.genre:
        item["genre"] = work.genre
    if work.issued:
        item["issued"] = _date_parts(work.issued)
    notes = _notes(work)
    if work.kind in ("site", "figure") and site:
        notes.append(f"Licence: {site.licence.name} ({site.licence.id}), {site.licence.url}")
    if notes:
        item["note"] = " ".join(notes)
    return item


def csl_items(ctx: BuildContext, study: Study) -> list[dict[str, Any]]:
    return [csl_item(c.work, c.id, ctx.site) for c in cited_works(ctx, study)]


def csl_json(ctx: BuildContext, study: Study) -> str:
    return json.dumps(csl_items(ctx, study), ensure_ascii=False, indent=2) + "\n"


# --- BibTeX ---------------------------------------------------------------------------------------
# bibtexparser writes the file's structure; it does not escape values, so we do it first.

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_escape(text: str) -> str:
    """Data as a BibTeX value: special characters made literal, whitespace (newlines) collapsed."""
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in " ".join(text.split()))


def bibtex_title(title: str, proper_nouns: tuple[str, ...] = ()) -> str:
    """The title as written, with braces only around what must keep its capitals ('{B}-Cell {ALL}:
    {Alliance}'): a BibTeX style that writes titles in sentence case lower-cases the rest itself."""
    out = []
    for piece, keep in title_pieces(" ".join(title.split()), proper_nouns):
        if not (keep and any(c.isupper() for c in piece)):
            out.append(bibtex_escape(piece) if piece.strip() else piece)
            continue
        core = piece.strip(PUNCTUATION)
        start = piece.index(core)
        lead, tail = piece[:start], piece[start + len(core) :]
        out.append(bibtex_escape(lead) + "{" + bibtex_escape(core) + "}" + bibtex_escape(tail))
    return "".join(out)


def _bib_name(a: Author) -> str:
    """BibTeX's 'von Last, Jr, First' form, from the CSL name; an organisation in braces."""
    name = a.csl()
    if "literal" in name:
        return "{" + bibtex_escape(name["literal"]) + "}"  # braces: one name, commas and all
    parts = [name["family"], *([name["suffix"]] if "suffix" in name else []), name["given"]]
    return ", ".join(bibtex_escape(p) for p in parts)


def _bib_fields(work: Work, site: SiteInfo | None) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    names = [_bib_name(a) for a in work.authors]
    if names and not work.authors_complete:
        names.append("others")  # BibTeX's own marker for an incomplete list ('et al.' when printed)
    if names:
        fields.append(("author", " and ".join(names)))
    if work.title:
        fields.append(("title", bibtex_title(work.title, work.proper_nouns)))
    else:
        fields.append(("title", "{" + bibtex_escape(_title_text(work)) + "}"))  # ours: kept as it is
    if work.kind == "article":
        fields.append(("journal", bibtex_escape(work.container or "")))
        if work.container_short:
            fields.append(("shortjournal", bibtex_escape(work.container_short)))
    for value, key in ((work.volume, "volume"), (work.issue, "number"), (work.pages, "pages")):
        if value:
            fields.append((key, bibtex_escape(value)))
    if work.kind == "release":
        number = f" news release {work.number}" if work.number else ""
        fields.append(("howpublished", bibtex_escape(f"{work.container}{number}")))
    if work.kind == "news" and work.container:
        fields.append(("howpublished", bibtex_escape(work.container)))
    if work.kind == "figure" and work.container:
        fields.append(("howpublished", bibtex_escape(work.container)))  # the site it is part of
    if work.kind in ("site", "figure"):
        if work.publisher:
            fields.append(("publisher", bibtex_escape(work.publisher)))
        if work.version:
            fields.append(("version", bibtex_escape(work.version)))
    if work.doi:
        fields.append(("doi", bibtex_escape(work.doi)))
    if work.issued:
        parts = date_parts(work.issued)
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", _MONTH_MACROS[parts[1] - 1]))
        fields.append(("date", work.issued))
    if work.url:
        fields.append(("url", bibtex_escape(work.url)))
    notes = [n for n in _notes(work) if n != INCOMPLETE_AUTHORS_NOTE or not names]  # `and others` says it
    if work.kind in ("site", "figure") and site:
        notes.append(f"Licence: {site.licence.name} ({site.licence.id})")
    if notes:
        fields.append(("note", bibtex_escape(" ".join(notes))))
    return fields


def bibtex(ctx: BuildContext, study: Study) -> str:
    return bibtex_of(cited_works(ctx, study), ctx.site)


def bibtex_of(cited: list[Cited], site: SiteInfo | None) -> str:
    library = bibtexparser.Library()
    for c in cited:
        entry_type = cited_kind(c.work.kind).bibtex
        fields = [bib.Field(k, v) for k, v in _bib_fields(c.work, site)]
        library.add(bib.Entry(entry_type, c.id, fields))
    text = bibtexparser.write_string(library)
    # A month is a BibTeX macro (sep), not text ({sep}): bibtexparser writes every value in braces.
    for macro in _MONTH_MACROS:
        text = text.replace(f"month = {{{macro}}}", f"month = {macro}")
    return text


# --- RIS ------------------------------------------------------------------------------------------


class _RisWriter(rispy.RisWriter):
    """rispy numbers each record with a '1.' line by default; RIS readers expect 'TY' first."""

    def set_header(self, count: int) -> str:
        return ""


def _ris_text(text: str) -> str:
    """RIS is one tag per line: a newline inside a value would start a bogus line."""
    return " ".join(text.split())


def _ris_record(work: Work, site: SiteInfo | None) -> dict[str, Any]:
    ris_type = cited_kind(work.kind).ris
    rec: dict[str, Any] = {"type_of_reference": ris_type, "title": _ris_text(_title_text(work))}
    if work.authors:
        rec["authors"] = [_ris_text(person_text(a)) for a in work.authors]
    if work.kind == "article":
        rec["secondary_title"] = _ris_text(work.container or "")
        if work.container_short:
            rec["alternate_title1"] = _ris_text(work.container_short)
    elif work.kind == "news":
        rec["secondary_title"] = _ris_text(work.container or "")
    elif work.kind == "figure" and work.container:
        rec["secondary_title"] = _ris_text(work.container)  # T2: the site it is part of
    elif work.kind == "release":
        rec["secondary_title"] = _ris_text(work.container or "")
        rec["type_of_work"] = "Press release"
        if work.number:
            rec["note"] = _ris_text(work.number)  # M1: the release's number
    if work.kind in ("site", "figure"):
        if work.publisher:
            rec["publisher"] = _ris_text(work.publisher)
        if work.version:
            rec["edition"] = _ris_text(work.version)
    if work.issued:
        parts = [f"{p:02d}" if i else str(p) for i, p in enumerate(date_parts(work.issued))]
        rec["year"] = parts[0]
        rec["date"] = "/".join(parts + [""] * (3 - len(parts))) + "/"
    for value, key in ((work.volume, "volume"), (work.issue, "number"), (work.doi, "doi")):
        if value:
            rec[key] = _ris_text(value)
    if work.pages:
        first, last = page_range(work.pages)
        rec["start_page"] = _ris_text(first)
        if last:
            rec["end_page"] = _ris_text(last)
    if work.url:
        rec["urls"] = [_ris_text(work.url)]
    notes = _notes(work)
    if work.kind in ("site", "figure") and site:
        notes.append(f"Licence: {site.licence.name} ({site.licence.id}), {site.licence.url}")
    if notes:
        rec["notes"] = [_ris_text(n) for n in notes]
    return rec


def ris(ctx: BuildContext, study: Study) -> str:
    return ris_of(cited_works(ctx, study), ctx.site)


def ris_of(cited: list[Cited], site: SiteInfo | None) -> str:
    out = io.StringIO()
    records = [_ris_record(c.work, site) for c in cited]
    rispy.dump(records, out, implementation=_RisWriter)
    return out.getvalue()


# --- published files ------------------------------------------------------------------------------


def citation_files(ctx: BuildContext) -> dict[str, str | bytes]:
    """Generator for outputs.GENERATORS: BibTeX, RIS and CSL-JSON for every study."""
    out: dict[str, str | bytes] = {}
    for study in ctx.data.studies:
        paths = ctx.urls.citation_files(study.id)
        out[paths["bib"]] = bibtex(ctx, study)
        out[paths["ris"]] = ris(ctx, study)
        out[paths["json"]] = csl_json(ctx, study)
        others = report_works(ctx, study)
        if others:
            paths = ctx.urls.report_citation_files(study.id)
            out[paths["bib"]] = bibtex_of(others, ctx.site)
            out[paths["ris"]] = ris_of(others, ctx.site)
            items = [csl_item(c.work, c.id, ctx.site) for c in others]
            out[paths["json"]] = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    return out
