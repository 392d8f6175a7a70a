"""The Study design page: who was treated, with what, who runs and funds the study."""

from __future__ import annotations

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import inline_html_for_markdown, markdown_env
from trialsite.urls import DESIGN


def render(ctx: BuildContext) -> str:
    parts = Fragments(ctx)
    return (
        markdown_env()
        .get_template("design.md.j2")
        .render(
            studies=ctx.data.studies,
            cite=lambda c, locator=True: parts.cite_md(c, locator=locator, from_src=DESIGN),
            value=wording.value_text,
            sources=ctx.data,
            nr=wording.or_not_reported,
            note=parts.correction_md,
            actions=lambda f: inline_html_for_markdown(str(parts.figure_actions(f, DESIGN))),
        )
    )
