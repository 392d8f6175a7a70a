"""What each page says about itself in <head>: JSON-LD, Highwire `citation_*`, Open Graph, Twitter.

Pure functions of the build context and the page's own facts (title, description, canonical URL). The
plugin puts the result on `page.meta`; `overrides/main.html` writes it out.

Choices, and why:
- Highwire tags describe the page itself (a page of this versioned site), not the journal article:
  Zotero and Google Scholar take `citation_*` tags as "this URL is that work", so tagging our page as
  the JCO article would make Zotero save a journal article whose URL is our page, and Scholar could
  list our page as the article. The page's author is the site's publisher (Scholar needs one
  `citation_author`). The article goes in `citation_reference` (how Highwire names a work cited) with
  what is known of it (its known authors, never "et al." as a name; its DOI, volume and pages once a
  correction adds them).
- JSON-LD, every type and property checked against the schema.org vocabulary by the tests:
  `MedicalTrial` for the study on Home, Results and Design, with the article under `subjectOf` (a
  MedicalTrial is not a CreativeWork, so it has no `citation`); `Dataset` (the downloads, with
  `distribution`, `license`, `creator` and `publisher`, each figure in `variableMeasured`) on Results
  and Cite, citing the article and the news release. The article's authors are given as `creditText`
  ("Wieduwilt MJ, et al."), not as an `author` list, which would read as the complete list.
  `creditText`, `variableMeasured`, `correction` and `CorrectionComment` are "pending" terms in the
  schema.org release the tests check against (12.0).
"""

from __future__ import annotations

import json
import re
from typing import Any

from trialsite.context import BuildContext
from trialsite.data.kinds import cited_kind, source_kind
from trialsite.data.model import Author, Dataset, Figure, Source, Study
from trialsite.data.targets import FigureTarget
from trialsite.outputs.citations import page_range, person_text, releases
from trialsite.pages.embed import oembed_file
from trialsite.urls import (
    CITE,
    DESIGN,
    FIGURES_CSV,
    FIGURES_DIR,
    FIGURES_JSON,
    HOME,
    REPORTS_CSV,
    RESULTS,
    preview_image,
)
from trialsite.words.citing import authors_short, figures_scope, provenance, source_short
from trialsite.words.corrections import correction_note, correction_notice
from trialsite.words.reports import also_reported_text
from trialsite.words.values import value_text

# The preview image the presentation kit publishes; the og:image tag appears only when it exists.
PREVIEW_ALT = "The key reported results of the study, each with its source"
TRIAL_PAGES = (HOME, RESULTS, DESIGN)
DATASET_PAGES = (RESULTS, CITE)

_MIME = {
    "bib": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "json": "application/vnd.citationstyles.csl+json",
}


def script_safe_json(value: Any) -> str:
    """JSON that cannot end a <script> element or open a comment or CDATA section in it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(ch, esc)
    return text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _schema_type(source: Source) -> str:
    """The schema.org type of a cited source, from the one table of kinds (trialsite/data/kinds.py)."""
    cited_as = source_kind(source.kind).cited_as
    if cited_as is None:
        raise ValueError(f"source {source.id}: a {source.kind} is not cited as a reference")
    return cited_kind(cited_as).schema_org


def article_jsonld(source: Source, ident: str) -> dict[str, Any]:
    """The article, with an @id (its entry on the Cite page) that a second mention can point to."""
    out: dict[str, Any] = {"@type": _schema_type(source), "@id": ident, "name": source.title}
    credit = authors_short(source)
    if credit:
        out["creditText"] = credit
    out["isPartOf"] = {"@type": "Periodical", "name": source.container}
    if source.issued:
        out["datePublished"] = source.issued
    if source.doi:
        out["identifier"] = f"https://doi.org/{source.doi}"
        out["sameAs"] = f"https://doi.org/{source.doi}"
    if source.url:
        out["url"] = source.url
    return out


def release_jsonld(source: Source, subject: str) -> dict[str, Any]:
    """The news release: a web page of its distributor, by its issuer when known."""
    name = source.title or f"News release on {subject} (headline not reported)"
    out: dict[str, Any] = {"@type": _schema_type(source), "name": name}
    if source.authors:
        out["author"] = [_author(a) for a in source.authors]
    out["publisher"] = {"@type": "Organization", "name": source.container}
    if source.number:
        out["identifier"] = source.number
    if source.issued:
        out["datePublished"] = source.issued
    if source.url:
        out["url"] = source.url
    return out


def _agent(name: str) -> dict[str, str]:
    return {"@type": "Organization", "name": name}


def _author(a: Author) -> dict[str, str]:
    """schema.org's Person (familyName, givenName, honorificSuffix) or Organization, from the CSL name."""
    name = a.csl()
    if "literal" in name:
        return _agent(name["literal"])
    person = {
        "@type": "Person",
        "name": " ".join(name[k] for k in ("given", "family", "suffix") if k in name),
    }
    person |= {"familyName": name["family"], "givenName": name["given"]}
    if "suffix" in name:
        person["honorificSuffix"] = name["suffix"]
    return person


def _article_id(ctx: BuildContext, source: Source) -> str:
    return ctx.urls.page_absolute(CITE, f"article-{source.id}")


def trial_jsonld(ctx: BuildContext, study: Study) -> dict[str, Any]:
    data = ctx.data
    article = data.source(study.publication)
    registry = data.source(study.registration.source)
    out: dict[str, Any] = {
        "@type": "MedicalTrial",
        "name": study.title,
        "description": study.short_title,
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": registry.container,
            "value": study.registry_id,
        },
        "subjectOf": article_jsonld(article, _article_id(ctx, article)),
    }
    if registry.url:
        out["url"] = registry.url
    return out


def dataset_jsonld(ctx: BuildContext, study: Study, *, article_described: bool = False) -> dict[str, Any]:
    """The downloads as a Dataset. With `article_described` (the page's MedicalTrial describes the
    article) the article is cited by its @id alone: the page carries it once."""
    data, site, urls = ctx.data, ctx.site, ctx.urls
    article = data.source(study.publication)
    ident = _article_id(ctx, article)
    # The data (the figures, the citation files); datapackage.json and figures.schema.json describe it.
    downloads = [(FIGURES_CSV, "text/csv"), (FIGURES_JSON, "application/json"), (REPORTS_CSV, "text/csv")]
    downloads += [(path, _MIME[fmt]) for fmt, path in urls.citation_files(study.id).items()]
    out: dict[str, Any] = {
        "@type": "Dataset",
        "name": f"Reported figures of {study.title}",
        "description": (
            f"Every figure for {study.title} ({study.registry_id}) in {figures_scope(study, data)}, "
            "with what it measures, "
            "its time point, denominator, source and where in the source it stands."
        ),
        "url": urls.page_absolute(RESULTS),
        "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "contentUrl": urls.absolute(path), "encodingFormat": mime}
            for path, mime in downloads
        ],
        "variableMeasured": [
            {
                "@type": "PropertyValue",
                "name": f.label,
                "value": value_text(f),
                "description": _with_notice(data, f.id, f.measures + _provenance_text(data, f)),
            }
            for f in study.figures
        ],
        "citation": [
            {"@id": ident} if article_described else article_jsonld(article, ident),
            *(release_jsonld(s, f"the {study.title} results") for s in releases(data, study)),
        ],
    }
    corrections = [_correction_jsonld(ctx, f.id) for f in study.figures]
    if any(corrections):
        out["correction"] = [c for c in corrections if c]
    if site:
        out["version"] = site.version
        out["datePublished"] = site.released
        out["license"] = site.licence.url
        out["creator"] = _agent(site.publisher)
    return out


def _provenance_text(data: Dataset, figure: Figure) -> str:
    """' How this site knows it: ... Also reported as ...': the provenance of a figure's value and
    its other reports, after its description."""
    also = also_reported_text(data, figure)
    return f" How this site knows it: {provenance(data, figure.primary)}." + (f" {also}." if also else "")


def _with_notice(data: Dataset, figure_id: str, text: str) -> str:
    """Text about a figure's value, followed by its correction notice when it was corrected."""
    note = correction_note(data, figure_id)
    return f"{text} ({note})" if note else text


def _correction_jsonld(ctx: BuildContext, figure_id: str) -> dict[str, Any] | None:
    """schema.org's CorrectionComment for a corrected figure: the notice, its date and its entry."""
    notice = correction_notice(ctx.data, FigureTarget(figure_id))
    if notice is None:
        return None
    return {
        "@type": "CorrectionComment",
        "text": f"{ctx.data.figure(figure_id).label}: {notice.text}",
        "datePublished": notice.date,
        "url": ctx.urls.correction(notice.entry_id),
    }


def headline_description(data: Dataset) -> str:
    """A preview text that carries the headline figures (and any correction notice), from the data."""
    parts = []
    for study in data.studies:
        headline = [f for f in study.figures if f.headline]
        shown = "; ".join(_with_notice(data, f.id, f"{f.label}: {value_text(f)}") for f in headline)
        parts.append(f"{study.title} ({study.registry_id}): {shown}.")
    return " ".join(parts) + " Every figure with its source."


# Highwire has no escape inside `citation_reference`: a pair ends at the '; ' that opens the next
# 'citation_KEY='. Values keep every other ';' (a DOI may hold one), so only that sequence is changed.
_NEXT_KEY = re.compile(r";(?=\s*citation_[a-z_]+=)")


def _highwire_reference(source: Source) -> str:
    """A Highwire `citation_reference` value: 'key=value; key=value', split where '; citation_KEY='
    follows, so each value is kept as written. Only the known authors: Highwire has no marker for an
    incomplete list, and a name "et al." would be read as an author."""
    pairs = [("citation_title", source.title)]
    pairs += [("citation_author", person_text(a)) for a in source.authors]
    pairs += [("citation_journal_title", source.container)]
    if source.issued:
        pairs.append(("citation_publication_date", source.issued.replace("-", "/")))
    pairs += [("citation_volume", source.volume), ("citation_issue", source.issue)]
    if source.pages:
        first, last = page_range(source.pages)
        pairs += [("citation_firstpage", first), ("citation_lastpage", last)]
    pairs.append(("citation_doi", source.doi))
    return "; ".join(f"{k}={_NEXT_KEY.sub(',', _one_line(v))}" for k, v in pairs if v)


def head(
    ctx: BuildContext,
    src: str,
    title: str,
    description: str | None,
    canonical_url: str | None,
    has_preview: bool,
) -> dict[str, Any]:
    """{'meta': [(attribute, key, content)...], 'jsonld': script-safe JSON} for one page."""
    data, site, urls = ctx.data, ctx.site, ctx.urls
    site_name = (site.title if site else None) or ""
    site_url = site.url if site else None
    is_home = src == HOME
    page_title = site_name if is_home else f"{title} - {site_name}" if site_name else title
    if src in (HOME, RESULTS):
        description = headline_description(data)
    description = _one_line(description or "")

    meta: list[tuple[str, str, str]] = [("name", "citation_title", page_title)]
    if site:
        # Google Scholar indexes a page only with an author: the site's publisher is its author.
        meta.append(("name", "citation_author", site.publisher))
        meta.append(("name", "citation_publication_date", site.released.replace("-", "/")))
        meta.append(("name", "citation_publisher", site.publisher))
    meta.append(("name", "citation_language", "en"))
    for study in data.studies:
        meta.append(("name", "citation_reference", _highwire_reference(data.source(study.publication))))

    meta += [
        ("property", "og:title", page_title),
        ("property", "og:description", description),
        ("property", "og:type", "website"),
        ("property", "og:site_name", site_name),
    ]
    if canonical_url:
        meta.append(("property", "og:url", canonical_url))
    preview = preview_image([s.id for s in data.studies]) if has_preview else None
    image = urls.latest(preview) if preview else None  # absolute, so none in a preview
    if image:
        meta += [("property", "og:image", image), ("property", "og:image:alt", PREVIEW_ALT)]
    meta.append(("name", "twitter:card", "summary_large_image" if image else "summary"))
    meta += [("name", "twitter:title", page_title), ("name", "twitter:description", description)]
    if image:
        meta.append(("name", "twitter:image", image))

    webpage: dict[str, Any] = {"@type": "WebPage", "name": page_title, "description": description}
    if canonical_url:
        webpage["url"] = canonical_url
    webpage["isPartOf"] = {"@type": "WebSite", "name": site_name, **({"url": site_url} if site_url else {})}
    if site:
        webpage["version"] = site.version
    graph: list[dict[str, Any]] = [webpage]
    for study in data.studies:
        if src in TRIAL_PAGES:
            graph.append(trial_jsonld(ctx, study))
        if src in DATASET_PAGES:
            graph.append(dataset_jsonld(ctx, study, article_described=src in TRIAL_PAGES))
    jsonld = script_safe_json({"@context": "https://schema.org", "@graph": graph})
    return {
        "meta": [(a, k, _one_line(c)) for a, k, c in meta if c],
        "jsonld": jsonld,
        "oembed": _oembed_link(ctx, src, page_title),
    }


def _oembed_link(ctx: BuildContext, src: str, title: str) -> dict[str, str | None] | None:
    """oEmbed discovery (oembed.com, 4) on a figure's page: its JSON in this version's folder, by its
    absolute address when the site has one (the template makes the site path relative otherwise)."""
    figure_id = src.removeprefix(f"{FIGURES_DIR}/").removesuffix(".md")
    if not src.startswith(f"{FIGURES_DIR}/") or figure_id not in ctx.data.figures_by_id:
        return None
    path = oembed_file(figure_id)
    return {"href": ctx.urls.this_version(path), "path": path, "title": _one_line(title)}


def print_info(ctx: BuildContext, page_url: str) -> dict[str, Any] | None:
    """What a printed page carries (overrides/main.html): the site's name, version and date, the
    page's own address in this version (None in a preview) and the numbered sources with their own
    addresses. None without a release (data/site.yaml)."""
    site = ctx.site
    if site is None:
        return None
    return {
        "site": site.title,
        "version": site.version,
        "date": site.released,
        "address": ctx.urls.version(site.version, page_url),
        "references": [
            {
                "number": s.number_in_list,
                "text": f"{source_short(s)}." + (f" {s.title.rstrip('.')}." if s.title else ""),
                "url": s.url,
            }
            for s in sorted(ctx.data.sources, key=lambda s: s.number_in_list)
        ],
    }
