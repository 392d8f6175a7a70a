"""The Sources page: every source, numbered, with what is and is not known of each."""

from __future__ import annotations

from trialsite.context import BuildContext
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import markdown_env
from trialsite.words.citing import applies, authors_short, field_text, or_not_reported, source_short


def render(ctx: BuildContext) -> str:
    return (
        markdown_env()
        .get_template("sources.md.j2")
        .render(
            sources=ctx.data.sources,
            nr=or_not_reported,
            field=field_text,
            applies=applies,
            authors=authors_short,
            short=source_short,
            data=ctx.data,
            snote=Fragments(ctx).source_correction_md,
        )
    )
