"""The Study design page: who was treated, with what, who runs and funds the study."""

from __future__ import annotations

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.outputs.kit.schema import schema_spec
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import Md, html_env, inline_html_for_markdown, markdown_env
from trialsite.urls import DESIGN, figure_src


def schema_html(ctx: BuildContext, study_id: str, from_src: str) -> Md:
    """The trial schema image with its text alternative (built from the data) as its caption too."""
    study = next(s for s in ctx.data.studies if s.id == study_id)
    spec = schema_spec(ctx, study)
    src = ctx.urls.file_href(from_src, ctx.urls.kit_file(f"{spec.name}.svg"))
    return Md(html_env().get_template("schema.html.j2").render(spec=spec, src=src))


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
            # The permalink and a link to the figure page's "Cite and share": the menu is on the
            # figure's card, row and page (issue 21); four texts again on each step weighed ~4 KB.
            actions=lambda f: inline_html_for_markdown(
                str(
                    parts.figure_actions(
                        f, DESIGN, cite_href=ctx.urls.href(DESIGN, figure_src(f.id), "cite-and-share")
                    )
                )
            ),
            schema=lambda s: schema_html(ctx, s.id, DESIGN),
            provenance=lambda d: wording.statement_provenance(ctx.data, d),
        )
    )
