"""The Cite page: how to cite the journal article and this site, and the citation downloads."""

from __future__ import annotations

from markupsafe import Markup

from trialsite.context import BuildContext
from trialsite.data.model import Source
from trialsite.outputs import citations as cite
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import Md, html_env, markdown_env, url_link
from trialsite.urls import CITE

# The article's fields a reference may print, as the page names them.
_FIELDS = (("doi", "DOI"), ("volume", "volume"), ("issue", "issue"), ("pages", "pages"))


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def missing_fields(article: Source) -> str:
    """'DOI, volume, issue and pages': the fields no source states, read from the data, so the page
    stops saying a DOI is missing once a correction has added it."""
    missing = [label for name, label in _FIELDS if not getattr(article, name)]
    return _joined(missing) if missing else ""


def corrected_fields(ctx: BuildContext, article: Source) -> list[tuple[str, Md]]:
    """(field label, its correction notice linking the log) for every corrected field of the article."""
    parts = Fragments(ctx)
    out = []
    for name in ("title", "container", "issued", *(n for n, _ in _FIELDS), "url"):
        note = parts.source_correction_md(article.id, name)
        if note:
            out.append((dict(_FIELDS).get(name, name), Md(str(note).strip())))
    return out


def _references_html(refs: dict[str, str], kind: str) -> Md:
    """The library's HTML (it escapes the data) in a raw block, so Markdown leaves it alone."""
    blocks = [(cite.STYLES[style], Markup(text)) for style, text in refs.items()]
    return Md(html_env().get_template("cite-refs.html.j2").render(blocks=blocks, kind=kind))


def render(ctx: BuildContext) -> str:
    data, urls = ctx.data, ctx.urls
    studies = []
    for study in data.studies:
        html = cite.formatted(ctx, study, html=True)
        article = data.source(study.publication)
        paths = {fmt: Md(urls.md_file(CITE, path)) for fmt, path in urls.citation_files(study.id).items()}
        studies.append(
            {
                "study": study,
                "article": article,
                "article_refs": _references_html(html[article.id], "article"),
                "site_refs": _references_html(html[cite.SITE_ITEM_ID], "site"),
                "paths": paths,
                "missing": missing_fields(article),
                "corrected": corrected_fields(ctx, article),
            }
        )
    site = ctx.site
    licence = site.licence if site else None
    return (
        markdown_env()
        .get_template("cite-page.md.j2")
        .render(
            studies=studies,
            site=site,
            placeholder=cite.ACCESSED_PLACEHOLDER,
            licence=licence,
            licence_link=url_link(licence.url, licence.name) if licence else "",
            version_link=url_link(site.url) if site and site.url else None,
            latest_link=url_link(urls.latest() or "") if urls.latest() else None,
        )
    )
