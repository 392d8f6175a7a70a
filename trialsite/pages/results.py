"""The Results page: each study's figures in the site's result groups (data/groups.py), one compact
row a figure, its name linking to the figure's own page where every detail is. Each row keeps the
figure's permanent anchor, the address published since 0.1.0 (results/#<id>)."""

from __future__ import annotations

from typing import Any

from trialsite.context import BuildContext
from trialsite.data.groups import ResultGroup, result_groups
from trialsite.data.model import Figure, Study
from trialsite.outputs import downloads
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import Md, html_env, html_markup, inline_html_for_markdown, markdown_env
from trialsite.urls import RESULTS, figure_src, group_anchor
from trialsite.words.citing import or_not_reported
from trialsite.words.values import value_text

# Values longer than this (in characters) do not fit beside a figure's name on a phone.
_SHORT_VALUE = 20


def _row(parts: Fragments, figure: Figure, seen: set[str]) -> dict[str, Any]:
    value = value_text(figure)
    intervals = parts.stated_intervals(figure)
    return {
        "f": figure,
        "href": parts.ctx.urls.href(RESULTS, figure_src(figure.id)),
        "value": value,
        # On a phone a long value, or one with other reports' intervals, takes its own full line
        # under the name instead of a column half the width, where it ran to three or four lines.
        "wide": bool(intervals) or len(value) > _SHORT_VALUE,
        "note": html_markup(parts.correction_html(figure.id, RESULTS)),
        "intervals": intervals,
        "measures": parts.glossed(figure.measures, seen),
        "timepoint": or_not_reported(figure.timepoint),
        "source": parts.source_mark(figure.cite, RESULTS, long=True),
        "reports": len(figure.reports),
        # The row is the figure's permalink already: only the citation menu.
        "actions": parts.figure_actions(figure, RESULTS, link_text="", compact=True),
    }


def study_groups(study: Study) -> list[tuple[ResultGroup, tuple[Figure, ...]]]:
    """The groups a study has figures in, in the site's order (an empty group is not shown)."""
    return [(g, study.figures_in(g.id)) for g in result_groups() if study.figures_in(g.id)]


def render(ctx: BuildContext) -> str:
    parts = Fragments(ctx)
    seen: set[str] = set()
    template = html_env().get_template("result-group.html.j2")
    studies = [
        {
            "study": study,
            "glance": inline_html_for_markdown(str(parts.at_a_glance(study, RESULTS))),
            "groups": [
                {
                    "group": group,
                    "anchor": group_anchor(study.id, group.id),
                    "not_reported": [text for g, text in study.not_reported if g == group.id],
                    "table": inline_html_for_markdown(
                        template.render(
                            study=study, group=group, rows=[_row(parts, f, seen) for f in figures]
                        )
                    ),
                }
                for group, figures in study_groups(study)
            ],
        }
        for study in ctx.data.studies
    ]
    return (
        markdown_env()
        .get_template("results.md.j2")
        .render(
            studies=studies,
            dictionary=[
                (Md(", ".join(f"`{n}`" for n in names)), ", ".join(types), meaning)
                for names, types, meaning in downloads.data_dictionary()
            ],
            shapes=[(Md(f"`{k}`"), shape) for k, shape in downloads.value_shapes()],
            # The same points as on Home, where search finds them: not indexed twice.
            limits={s.id: Md(str(parts.limits_html(s, RESULTS, compact=True))) for s in ctx.data.studies},
        )
    )
