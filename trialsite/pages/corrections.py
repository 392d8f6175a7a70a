"""The Corrections page: every correction, newest first, each with its anchor; and which version to
cite."""

from __future__ import annotations

from trialsite.context import BuildContext
from trialsite.data.notices import is_addition
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import Md, markdown_env, url_link
from trialsite.urls import CORRECTIONS, FEED, RESULTS, SOURCES
from trialsite.words.corrections import correction_subject, correction_value_text


def cite_version_md(ctx: BuildContext) -> Md:
    """The paragraph saying which version and date to cite, and (once published) at what address."""
    release, urls = ctx.data.release, ctx.urls
    here = urls.version(release.version) if release else None
    latest = urls.latest()
    text = (
        markdown_env()
        .get_template("cite-version.md.j2")
        .render(
            release=release,
            version_link=url_link(here) if here else None,
            latest_link=url_link(latest) if latest else None,
        )
    )
    return Md(text.strip())


def render(ctx: BuildContext) -> str:
    data, urls = ctx.data, ctx.urls
    parts = Fragments(ctx)
    return (
        markdown_env()
        .get_template("corrections.md.j2")
        .render(
            entries=[
                {
                    "c": c,
                    "subject": correction_subject(data, c),
                    "link": Md(urls.md_link(CORRECTIONS, RESULTS, c.target.figure_id))
                    if c.figure_id
                    else Md(urls.md_link(CORRECTIONS, SOURCES, c.target.source_id)),
                    "previous": correction_value_text(data, c, "previous"),
                    "new": correction_value_text(data, c, "new"),
                    "added": is_addition(c),
                    "cite": parts.cite_md(c.cite, from_src=CORRECTIONS),
                }
                for c in reversed(data.corrections)
            ],
            release=data.release,
            feed=Md(urls.md_file(CORRECTIONS, FEED)),
            cite_version=cite_version_md(ctx),
        )
    )
