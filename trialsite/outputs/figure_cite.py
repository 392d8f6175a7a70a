"""What a presenter copies for one figure: an APA 7, an AMA 11 and a Vancouver reference to the
figure's own page in this version (`<version>/figures/<id>/`, never latest/), and a slide credit of at
most CREDIT_MAX characters naming the figure, its value, its source, the site and the version.

Pure functions of the data and the site's description, so the figure pages, the embed card and the
tests all use the same text. The styles' rules are in styles.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from trialsite.context import BuildContext, SiteInfo
from trialsite.data.model import Author, Dataset, Figure
from trialsite.outputs.citations import Cited, bibtex_of, ris_of
from trialsite.outputs.kit.spec import shorten
from trialsite.outputs.styles import STYLES, Work, reference
from trialsite.words.citing import source_short
from trialsite.words.corrections import correction_note
from trialsite.words.values import value_text

CREDIT_MAX = 120
FIGURES_DIR = "figures"


def figure_page_path(figure_id: str) -> str:
    """The figure's page, relative to a version's folder: 'figures/remission/'."""
    return f"{FIGURES_DIR}/{figure_id}/"


def figure_page_url(ctx: BuildContext, figure_id: str) -> str | None:
    """The figure's page in the version this build shows; None in a preview (nothing to cite)."""
    return ctx.urls.this_version(figure_page_path(figure_id))


@dataclass(frozen=True)
class FigureCitation:
    """Everything the copied texts say about one figure on one version's page."""

    label: str
    value: str  # as the site writes it, '97%'
    corrected: bool
    source: str  # its source, cited briefly: 'EurekAlert! news release 1102627'
    site_title: str
    publisher: str
    version: str
    released: str | None
    url: str | None


def figure_citation(data: Dataset, figure: Figure, site: SiteInfo, url: str | None) -> FigureCitation:
    return FigureCitation(
        label=figure.label,
        value=value_text(figure),
        corrected=correction_note(data, figure.id) is not None,
        source=source_short(data.source(figure.cite.source)),
        site_title=site.title,
        publisher=site.publisher,
        version=site.version,
        released=site.released or None,
        url=url,
    )


def for_figure(ctx: BuildContext, figure_id: str) -> FigureCitation:
    """The figure's citation data in this build (the site's own description, this version's page)."""
    site = ctx.site
    if site is None:
        raise ValueError("no site description (data/site.yaml) to cite the figure's page by")
    return figure_citation(ctx.data, ctx.data.figure(figure_id), site, figure_page_url(ctx, figure_id))


def figure_work(c: FigureCitation) -> Work:
    """The figure's page as a work: a part of the site's versioned data set."""
    return Work(
        kind="figure",
        authors=(),
        authors_complete=True,
        title=c.label,
        container=c.site_title or None,
        publisher=c.publisher or None,
        issued=c.released,
        version=c.version or None,
        url=c.url,
    )


def figure_references(c: FigureCitation, *, as_html: bool = False) -> dict[str, str]:
    """Style id -> the reference to the figure's page, in APA 7, AMA 11 and Vancouver."""
    work = figure_work(c)
    return {style: reference(work, style, as_html=as_html) for style in STYLES}


def slide_credit(c: FigureCitation, limit: int = CREDIT_MAX) -> str:
    """'Remission: 97%. Source: EurekAlert! news release 1102627. A041703 Cohort 1: reported results,
    v0.1.0' within `limit` characters: shorter forms first drop 'Source: ' and 'corrected', then cut
    the site's title, the source and the figure's name; the value and the version are cut only when
    they alone are longer than `limit` (the last cut, of the whole line)."""
    version = f"v{c.version}" if c.version else ""
    value = c.value + (" (corrected)" if c.corrected else "")
    for with_prefix, with_note in ((True, True), (False, True), (False, False)):
        shown = value if with_note else c.value
        source = f"Source: {c.source}" if with_prefix else c.source
        text = f"{c.label}: {shown}. {source}. {c.site_title}, {version}".rstrip(", ")
        if len(text) <= limit:
            return text
    # Cut the longest of the three names until it fits, keeping the value and the version whole.
    fixed = len(f": {c.value}. . , {version}")
    room = max(limit - fixed, 3)
    parts = [c.label, c.source, c.site_title]
    while sum(len(p) for p in parts) > room:
        i = max(range(3), key=lambda k: len(parts[k]))
        excess = sum(len(p) for p in parts) - room
        shorter = shorten(parts[i], max(len(parts[i]) - excess, 1))
        if len(shorter) >= len(parts[i]):  # a cut that saved nothing: halve it instead
            shorter = shorten(parts[i], max(len(parts[i]) // 2, 1))
        if len(shorter) >= len(parts[i]):  # nothing shorter to be had: the final cut below decides
            break
        parts[i] = shorter
    label, source, site = parts
    text = f"{label}: {c.value}. {source}. {site}, {version}".rstrip(", ")
    return text if len(text) <= limit else shorten(text, limit)


@dataclass(frozen=True)
class CopyText:
    """One entry of a figure's "Copy citation" menu: what the button says and the text it copies."""

    id: str  # 'apa', 'ama', 'vancouver', 'credit'
    label: str  # 'APA 7'
    text: str
    # The same reference in HTML when it has italics (APA's title): copied as text/html beside the
    # plain text, so a paste into a word processor keeps them. '' when the plain text is all.
    html: str = ""


CREDIT_LABEL = "Slide credit"


def copy_texts(c: FigureCitation) -> tuple[CopyText, ...]:
    """The menu's entries, in order: the three references (plain text, as pasted), then the credit."""
    refs, marked = figure_references(c), figure_references(c, as_html=True)
    out = [
        CopyText(style, name, refs[style], marked[style] if "<i>" in marked[style] else "")
        for style, name in STYLES.items()
    ]
    out.append(CopyText("credit", CREDIT_LABEL, slide_credit(c)))
    return tuple(out)


# --- reference-manager files of one figure ---------------------------------------------------------


def figure_record(c: FigureCitation) -> Work:
    """The same work the copied references describe, for reference managers: the site's publisher is
    its (group) author, as in the Cite page's record of the site (citations.site_work)."""
    work = figure_work(c)
    return replace(work, authors=(Author(c.publisher, organisation=True),) if c.publisher else ())


def figure_files_of(ctx: BuildContext, figure_id: str) -> dict[str, str]:
    """{'ris': text, 'bib': text} for one figure's page in this version."""
    cited = [Cited(f"trialsite-{figure_id}", figure_id, figure_record(for_figure(ctx, figure_id)))]
    return {"ris": ris_of(cited, ctx.site), "bib": bibtex_of(cited, ctx.site)}


def figure_citation_files(ctx: BuildContext) -> dict[str, str | bytes]:
    """Generator for outputs.GENERATORS: figures/<id>/<id>.ris and .bib for every figure."""
    out: dict[str, str | bytes] = {}
    if ctx.site is None:
        return out
    for study in ctx.data.studies:
        for f in study.figures:
            paths = ctx.urls.figure_citation_files(f.id)
            for fmt, text in figure_files_of(ctx, f.id).items():
                out[paths[fmt]] = text
    return out
