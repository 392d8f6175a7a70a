"""The Cite page: how to cite the journal article and this site, and the citation downloads."""

from __future__ import annotations

import posixpath

from trialsite import cite
from trialsite.markup import Md, html_env, markdown_env
from trialsite.model import Dataset

CITE_PAGE = "cite.md"


def _references_html(refs: dict[str, str], kind: str) -> Md:
    """The library's HTML (it escapes the data) in a raw block, so Markdown leaves it alone."""
    from markupsafe import Markup

    blocks = [(cite.STYLES[style], Markup(text)) for style, text in refs.items()]
    return Md(html_env().get_template("cite-refs.html.j2").render(blocks=blocks, kind=kind))


def cite_page(data: Dataset) -> str:
    studies = []
    for study in data.studies:
        html = cite.formatted(data, study, html=True)
        article = data.source(study.publication)
        paths = {
            fmt: Md(posixpath.relpath(path, posixpath.dirname(CITE_PAGE) or "."))
            for fmt, path in cite.cite_paths(study).items()
        }
        studies.append(
            {
                "study": study,
                "article": article,
                "article_refs": _references_html(html[article.id], "article"),
                "site_refs": _references_html(html[cite.SITE_ITEM_ID], "site"),
                "paths": paths,
            }
        )
    return (
        markdown_env()
        .get_template("cite-page.md.j2")
        .render(studies=studies, site=data.site, placeholder=cite.ACCESSED_PLACEHOLDER)
    )
