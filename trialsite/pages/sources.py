"""The Sources page: every source, numbered, with what is and is not known of each."""

from __future__ import annotations

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import markdown_env


def render(ctx: BuildContext) -> str:
    return (
        markdown_env()
        .get_template("sources.md.j2")
        .render(
            sources=ctx.data.sources,
            nr=wording.or_not_reported,
            field=wording.field_text,
            applies=wording.applies,
            authors=wording.authors_short,
            short=wording.source_short,
            data=ctx.data,
            snote=Fragments(ctx).source_correction_md,
        )
    )
