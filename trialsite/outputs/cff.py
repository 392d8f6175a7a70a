"""CITATION.cff (Citation File Format 1.2.0) for the repository, from the same data as the site.

The site is cited as a data set whose author is its publisher (data/site.yaml), with its version and
licence. `preferred-citation` is the journal article with only what is known: its known authors and,
when the list is incomplete, a note saying so (CFF has no marker for an incomplete list, and a person
named "et al." would be imported as an author). `references` holds the news release the figures were
transcribed from.
"""

from __future__ import annotations

from typing import Any

import yaml

from trialsite.context import BuildContext
from trialsite.data.model import Author, Source
from trialsite.outputs import citations as cite

CFF_FILE = "CITATION.cff"

CFF_VERSION = "1.2.0"
HEADER = (
    "# Generated from data/ and mkdocs.yml by scripts/write_citation_cff.py (`make citation`); do not\n"
    "# edit by hand. tests/test_cite.py fails when this file and a fresh generation disagree.\n"
)


def _person(a: Author) -> dict[str, str]:
    """CFF's person (family-names, given-names, name-suffix) or entity, from the CSL name."""
    name = a.csl()
    if "literal" in name:
        return {"name": name["literal"]}
    person = {"family-names": name["family"], "given-names": name["given"]}
    if "suffix" in name:
        person["name-suffix"] = name["suffix"]
    if a.affiliation:
        person["affiliation"] = a.affiliation
    return person


def _authors(source: Source) -> list[dict[str, str]]:
    # CFF requires at least one author; its documentation's word for an unknown one is 'anonymous'.
    return [_person(a) for a in source.authors] or [{"name": "anonymous"}]


def _notes(source: Source) -> list[str]:
    notes = []
    if not source.authors_complete:
        notes.append(cite.INCOMPLETE_AUTHORS_NOTE if source.authors else cite.NO_AUTHORS_NOTE)
    if source.kind == "news-release" and not source.title:
        notes.append(cite.UNTITLED_RELEASE_NOTE)
    if source.kind == "news-release" and not source.issued:
        notes.append(cite.UNDATED_NOTE)
    return notes


def _dated(out: dict[str, Any], source: Source) -> None:
    if source.issued:
        parts = cite.date_parts(source.issued)
        out["year"] = parts[0]
        if len(parts) > 1:
            out["month"] = parts[1]
        if len(parts) == 3:  # CFF's date-published is a full date
            out["date-published"] = source.issued


def _article(source: Source) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "article", "title": source.title, "authors": _authors(source)}
    out["journal"] = source.container
    _dated(out, source)
    for key, value in (("doi", source.doi), ("volume", source.volume), ("issue", source.issue)):
        if value:
            out[key] = value
    if source.pages:
        first, last = cite.page_range(source.pages)
        out["start"] = first
        if last:
            out["end"] = last
    return _with_url_and_notes(out, source)


def _release(source: Source, subject: str) -> dict[str, Any]:
    title = source.title or f"[News release on {subject}]"
    out: dict[str, Any] = {"type": "generic", "title": title, "authors": _authors(source)}
    out["medium"] = "Press release"
    out["publisher"] = {"name": source.container}
    if source.number:
        out["number"] = source.number
    _dated(out, source)
    return _with_url_and_notes(out, source)


def _with_url_and_notes(out: dict[str, Any], source: Source) -> dict[str, Any]:
    """What every reference ends with: the source's address, and the notes on what is not known."""
    if source.url:
        out["url"] = source.url
    notes = _notes(source)
    if notes:
        out["notes"] = " ".join(notes)
    return out


def citation_cff_data(ctx: BuildContext) -> dict[str, Any]:
    data, site, description = ctx.data, ctx.site, ctx.settings.description
    if site is None or not site.title:
        raise ValueError("the site's title (site_name) and data/site.yaml are needed")
    out: dict[str, Any] = {
        "cff-version": CFF_VERSION,
        "message": (
            "To cite the reported results, cite the journal article (preferred-citation). "
            "To cite this site's collection of the figures, cite it with its version."
        ),
        "type": "dataset",
        "title": site.title,
        "authors": [{"name": site.publisher}],
        "version": site.version,
        "date-released": site.released,
        "license": site.licence.id,
    }
    if site.url:
        out["url"] = site.url
    if description:
        out["abstract"] = " ".join(description.split())
    if data.studies:
        study = data.studies[0]
        out["keywords"] = sorted({s.registry_id for s in data.studies})
        out["preferred-citation"] = _article(data.source(study.publication))
        released = cite.releases(data, study)
        if released:
            out["references"] = [_release(s, f"the {study.title} results") for s in released]
    return out


def citation_cff(ctx: BuildContext) -> str:
    body = yaml.safe_dump(citation_cff_data(ctx), sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body
