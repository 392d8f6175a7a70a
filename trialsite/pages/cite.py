"""The Cite page: how to cite the journal article, the news release the figures were transcribed from,
and this site, in three styles; what is not known of each; the citation downloads."""

from __future__ import annotations

from markupsafe import Markup

from trialsite.context import BuildContext
from trialsite.data.model import Author, Source
from trialsite.outputs import citations as cite
from trialsite.outputs.styles import ACCESSED, STYLES
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import Md, html_env, markdown_env, url_link
from trialsite.urls import CITE, SOURCES

# The fields of a source a reference may print, as the page names them.
_FIELDS = (
    ("title", "headline"),
    ("issued", "date"),
    ("doi", "DOI"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("pages", "pages"),
    ("url", "address"),
)
_ARTICLE_FIELDS = ("doi", "volume", "issue", "pages")
_RELEASE_FIELDS = ("title", "issued")


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def missing_fields(source: Source, names: tuple[str, ...] = _ARTICLE_FIELDS) -> str:
    """'DOI, volume, issue and pages': the fields no source states, read from the data, so the page
    stops saying a DOI is missing once a correction has added it."""
    labels = dict(_FIELDS)
    missing = [labels[name] for name in names if not getattr(source, name)]
    return _joined(missing) if missing else ""


def corrected_fields(ctx: BuildContext, source: Source) -> list[tuple[str, Md]]:
    """(field label, its notice linking the log) for every corrected or added field of a source."""
    parts = Fragments(ctx)
    labels = {**dict(_FIELDS), "authors": "authors", "authors_complete": "author list complete"}
    out = []
    for name in ("title", "authors", "authors_complete", "container", "issued", *_ARTICLE_FIELDS, "url"):
        note = parts.source_correction_md(source.id, name)
        if note:
            out.append((labels.get(name, name), Md(str(note).strip())))
    return out


def _references_html(refs: dict[str, str], kind: str) -> Md:
    """Our HTML (data escaped, italics from the style) in a raw block, so Markdown leaves it alone."""
    blocks = [(STYLES[style], Markup(text)) for style, text in refs.items()]
    return Md(html_env().get_template("cite-refs.html.j2").render(blocks=blocks, kind=kind))


def render(ctx: BuildContext) -> str:
    data, urls = ctx.data, ctx.urls
    studies = []
    for study in data.studies:
        html = cite.formatted(ctx, study, html=True)
        article = data.source(study.publication)
        paths = {fmt: Md(urls.md_file(CITE, path)) for fmt, path in urls.citation_files(study.id).items()}
        others = [
            {
                "source": data.source(c.id),
                "short": c.label,
                "refs": _references_html(
                    {style: cite.format_reference(c.work, style, html=True) for style in cite.STYLES},
                    "report",
                ),
            }
            for c in cite.report_works(ctx, study)
        ]
        other_paths = {
            fmt: Md(urls.md_file(CITE, path)) for fmt, path in urls.report_citation_files(study.id).items()
        }
        studies.append(
            {
                "study": study,
                "article": article,
                "article_names": _short_names(article) if article.authors else "",
                "article_refs": _references_html(html[article.id], "article"),
                "releases": [
                    {
                        "source": s,
                        "names": _short_names(s) if s.authors else "",
                        "refs": _references_html(html[s.id], "release"),
                        "missing": missing_fields(s, _RELEASE_FIELDS),
                        "corrected": corrected_fields(ctx, s),
                        "sources_link": Md(urls.md_link(CITE, SOURCES, s.id)),
                    }
                    for s in cite.releases(data, study)
                ],
                "site_refs": _references_html(html[cite.SITE_ITEM_ID], "site"),
                "paths": paths,
                "missing": missing_fields(article),
                "corrected": corrected_fields(ctx, article),
                "others": others,
                "other_paths": other_paths,
            }
        )
    site = ctx.site
    licence = site.licence if site else None
    return (
        markdown_env()
        .get_template("cite-page.md.j2")
        .render(
            studies=studies,
            site=ctx.site,
            accessed=ACCESSED,
            licence=licence,
            licence_link=url_link(licence.url, licence.name) if licence else "",
            version_link=url_link(site.url) if site and site.url else None,
            latest_link=url_link(urls.latest() or "") if urls.latest() else None,
        )
    )


def _short_names(source: Source) -> str:
    """'Matthew J. Wieduwilt': the known authors by name, for a sentence."""
    return _joined([_full_name(a) for a in source.authors])


def _full_name(a: Author) -> str:
    """'Matthew J. Wieduwilt', 'John Smith Jr.'; an organisation by its name."""
    if a.organisation:
        return a.family
    return " ".join(p for p in (a.given, a.family, a.suffix) if p)
