"""CITATION.cff (Citation File Format 1.2.0) for the repository, from the same data as the site.

The site names no people, so its author is the site itself as an entity (CFF requires one author).
`preferred-citation` is the journal article with only what is known: its lead author followed by
an "et al." entity, because CFF has no marker for an incomplete author list and the lead author must
never read as the sole author.
"""

from __future__ import annotations

from typing import Any

import yaml

from trialsite.context import BuildContext
from trialsite.data.model import Source
from trialsite.outputs import citations as cite

CFF_FILE = "CITATION.cff"

CFF_VERSION = "1.2.0"
HEADER = (
    "# Generated from data/ and mkdocs.yml by scripts/write_citation_cff.py; do not edit by hand.\n"
    "# tests/test_cite.py fails when this file and a fresh generation disagree.\n"
)


def _article(source: Source) -> dict[str, Any]:
    authors: list[dict[str, str]] = []
    for a in source.authors:
        person = {"family-names": a.family, "given-names": a.given}
        if a.affiliation:
            person["affiliation"] = a.affiliation
        authors.append(person)
    if not source.authors_complete:
        authors.append({"name": cite.ET_AL})
    out: dict[str, Any] = {"type": "article", "title": source.title, "authors": authors}
    out["journal"] = source.container
    if source.issued:
        year, month, _day = (int(p) for p in source.issued.split("-"))
        out["year"] = year
        out["month"] = month
        out["date-published"] = source.issued
    for key, value in (("doi", source.doi), ("volume", source.volume), ("issue", source.issue)):
        if value:
            out[key] = value
    if source.url:
        out["url"] = source.url
    if not source.authors_complete:
        out["notes"] = cite.INCOMPLETE_AUTHORS_NOTE
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
        "authors": [{"name": site.title}],
        "version": site.version,
        "date-released": site.released,
    }
    if site.url:
        out["url"] = site.url
    if description:
        out["abstract"] = " ".join(description.split())
    if data.studies:
        out["keywords"] = sorted({s.registry_id for s in data.studies})
        out["preferred-citation"] = _article(data.source(data.studies[0].publication))
    return out


def citation_cff(ctx: BuildContext) -> str:
    body = yaml.safe_dump(citation_cff_data(ctx), sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body
