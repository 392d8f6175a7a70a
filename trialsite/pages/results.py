"""The Results page: every figure of every study in one table each, with its source and details."""

from __future__ import annotations

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.outputs import downloads
from trialsite.pages.fragments import Fragments, denominator_text
from trialsite.pages.markup import Md, html_env, html_markup, markdown_env
from trialsite.urls import RESULTS


def render(ctx: BuildContext) -> str:
    parts = Fragments(ctx)
    seen: set[str] = set()
    tables = {
        study.id: Md(
            html_env()
            .get_template("figures-table.html.j2")
            .render(
                study=study,
                value=wording.value_text,
                derived=wording.derived_text,
                nr=wording.or_not_reported,
                denominator=denominator_text,
                cite=lambda c: html_markup(parts.cite_html(c, RESULTS)),
                note=lambda fid: html_markup(parts.correction_html(fid, RESULTS)),
                actions=lambda f: parts.figure_actions(f, RESULTS, permalink=f"#{f.id}"),
                gloss=lambda text: parts.glossed(text, seen),
                scope=wording.figures_scope(study, ctx.data),
                provenance=parts.provenance,
                intervals=parts.intervals,
                related=lambda f: parts.related(f, RESULTS),
                reports=lambda f: parts.reports_html(f, RESULTS),
            )
        )
        for study in ctx.data.studies
    }
    return (
        markdown_env()
        .get_template("results.md.j2")
        .render(
            studies=ctx.data.studies,
            tables=tables,
            cite=parts.cite_md,
            # Column and kind names are the site's own identifiers: shown as code, not escaped.
            dictionary=[
                (Md(", ".join(f"`{n}`" for n in names)), ", ".join(types), meaning)
                for names, types, meaning in downloads.data_dictionary()
            ],
            shapes=[(Md(f"`{k}`"), shape) for k, shape in downloads.value_shapes()],
            # The same points as on Home, where search finds them: not indexed twice.
            limits={s.id: Md(str(parts.limits_html(s, RESULTS, compact=True))) for s in ctx.data.studies},
        )
    )
