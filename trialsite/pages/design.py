"""The Study design page: who was treated, with what, who runs and funds the study."""

from __future__ import annotations

from typing import Any

from trialsite.context import BuildContext
from trialsite.data.model import Citation, Figure, Statement, Study
from trialsite.outputs.kit.schema import schema_spec
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import Md, html_env, inline_html_for_markdown, markdown_env
from trialsite.urls import DESIGN, figure_src
from trialsite.words.citing import or_not_reported, statement_provenance
from trialsite.words.values import value_text


def schema_html(ctx: BuildContext, study_id: str, from_src: str) -> Md:
    """The trial schema image with its text alternative (built from the data) as its caption too."""
    study = next(s for s in ctx.data.studies if s.id == study_id)
    spec = schema_spec(ctx, study)
    src = ctx.urls.file_href(from_src, ctx.urls.kit_file(f"{spec.name}.svg"))
    return Md(html_env().get_template("schema.html.j2").render(spec=spec, src=src))


def _figure(parts: Fragments, figure: Figure) -> dict[str, Any]:
    """A figure in the treatment plan: its value, correction notice, source and citation menu."""
    return {
        "f": figure,
        "value": value_text(figure),
        "note": parts.correction_md(figure.id),
        "cite": parts.cite_md(figure.cite, from_src=DESIGN),
        # The permalink and a link to the figure page's "Cite and share": the menu is on the
        # figure's card, row and page (issue 21); four texts again on each step weighed ~4 KB.
        "actions": inline_html_for_markdown(
            str(
                parts.figure_actions(
                    figure,
                    DESIGN,
                    cite_href=parts.ctx.urls.href(DESIGN, figure_src(figure.id), "cite-and-share"),
                )
            )
        ),
    }


def _study(ctx: BuildContext, parts: Fragments, study: Study) -> dict[str, Any]:
    """One study's section as ready values: each citation, notice and menu already rendered."""

    def cite(c: Citation, *, locator: bool = True) -> Md:
        return parts.cite_md(c, locator=locator, from_src=DESIGN)

    def details(items: tuple[Statement, ...]) -> list[dict[str, Any]]:
        return [
            {"text": d.text, "cite": cite(d.cite), "provenance": statement_provenance(ctx.data, d)}
            for d in items
        ]

    return {
        "study": study,
        "schema": schema_html(ctx, study.id, DESIGN),
        "population_cite": cite(study.population_cite),
        "population_details": details(study.population_details),
        "regimen_steps": [
            {"drug": step.drug} | _figure(parts, study.figure(step.figure)) for step in study.regimen_steps
        ],
        "regimen_details": details(study.regimen_details),
        "regimen_figures": [_figure(parts, study.figure(fid)) for fid in study.regimen_figures],
        "groups": [{"g": g, "cite": cite(g.cite)} for g in study.groups],
        "chair_affiliation": or_not_reported(study.chair_affiliation),
        "chair_cite": cite(study.chair_cite),
        "disclosures_cite": cite(study.disclosures.cite) if study.disclosures else None,
        "registration": cite(study.registration, locator=False),
    }


def render(ctx: BuildContext) -> str:
    parts = Fragments(ctx)
    return (
        markdown_env()
        .get_template("design.md.j2")
        .render(studies=[_study(ctx, parts, s) for s in ctx.data.studies])
    )
