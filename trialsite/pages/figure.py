"""One page per figure (figures/<id>/): everything about one figure, the unit readers cite, link and
search. The value large, what it measures, every report side by side, why they differ, where each
stands, its glossary terms, related figures, its limits and its downloads; then a place for citing
and sharing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trialsite.context import BuildContext
from trialsite.data.groups import result_groups
from trialsite.data.model import Figure, Study
from trialsite.outputs.kit.spec import headline_figures
from trialsite.pages import embed
from trialsite.pages.fragments import Fragments, denominator_text
from trialsite.pages.markup import Md, html_env, html_markup, inline_html_for_markdown, markdown_env
from trialsite.problems import Problem
from trialsite.urls import (
    CITE,
    FIGURES_DIR,
    HOME,
    RESERVED_FIGURE_IDS,
    RESULTS,
    figure_files,
    figure_src,
)
from trialsite.words.citing import or_not_reported
from trialsite.words.reports import agreement, reasons_text, report_label
from trialsite.words.values import derived_text, report_value_text, value_text


def sources(ctx: BuildContext) -> list[str]:
    """The source path of every figure's page, in the studies' order."""
    return [figure_src(f.id) for s in ctx.data.studies for f in s.figures]


def _figure_of(ctx: BuildContext, src: str) -> Figure:
    return ctx.data.figure(src.removeprefix(f"{FIGURES_DIR}/").removesuffix(".md"))


def data_file(ctx: BuildContext, src: str) -> str:
    return _figure_of(ctx, src).data_file


def path_problems(docs_dir: Path, ctx_data: Any) -> list[Problem]:
    """A figure id that would be the path of another page under figures/ (a name the folder keeps
    for itself, or a hand-written page there) fails the build at the id, before anything is built."""
    problems = []
    for study in ctx_data.studies:
        for i, f in enumerate(study.figures):
            src = figure_src(f.id)
            written = [p for p in (docs_dir / src, docs_dir / FIGURES_DIR / f.id / "index.md") if p.exists()]
            if f.id in RESERVED_FIGURE_IDS or written:
                page = f"{docs_dir.name}/{written[0].relative_to(docs_dir).as_posix()}" if written else ""
                what = (
                    f"the page {page} already has that path"
                    if written
                    else f"'{FIGURES_DIR}/{f.id}' is kept for the {FIGURES_DIR}/ folder's own page"
                )
                problems.append(
                    Problem(
                        f.data_file,
                        f.line,
                        5,
                        f"figures[{i}].id: '{f.id}' would be the address {FIGURES_DIR}/{f.id}/ of its own "
                        f"page, but {what}; expected an id that is no page's path under {FIGURES_DIR}/",
                    )
                )
    return problems


def group_title(group_id: str) -> str:
    return next(g.title for g in result_groups() if g.id == group_id)


def meta(ctx: BuildContext, src: str) -> tuple[str, str]:
    """The page's title and description as plain text (the plugin escapes them where they go): its
    heading is the figure's name, which MkDocs makes the page's title, escaped."""
    figure = _figure_of(ctx, src)
    study = ctx.study_of(figure.id)
    return f"{figure.label}, {study.title}", description(figure, study)


def description(figure: Figure, study: Study) -> str:
    """What search results and link previews show: the figure, its value and what it measures."""
    text = f"{figure.label} in {study.title}: {value_text(figure)}. {figure.measures}"
    return " ".join(text.split())


def _reports(parts: Fragments, study: Study, figure: Figure, src: str) -> list[dict[str, Any]]:
    rows = []
    for r in figure.reports:
        rows.append(
            {
                "r": r,
                "source": parts.source_link(r.source, src),
                "value": report_value_text(figure, r),
                "note": html_markup(parts.target_correction_html(r.target, src)),
                "label": report_label(figure, r),
                "intervals": [i["text"] for i in parts.intervals(figure, r)],
                # Only where this source measures something else: the figure's own is stated above.
                "measures": r.measures,
                "wording": r.wording,
                "timepoint": or_not_reported(r.timepoint),
                "data_cut": or_not_reported(r.data_cut),
                "denominator": denominator_text(study, r),
                "provenance": parts.provenance(r),
                "locator": html_markup(parts.cite_html(r.cite, src)),
                "defined_at": r.defined_at,
            }
        )
    return rows


def render(ctx: BuildContext, src: str) -> str:
    parts = Fragments(ctx)
    urls = ctx.urls
    figure = _figure_of(ctx, src)
    study = ctx.study_of(figure.id)
    seen: set[str] = set()
    headline = {f.id for _, f in headline_figures(ctx.data)}
    kit = (
        {
            "png": Md(urls.md_file(src, urls.kit_file(f"{figure.id}.png"))),
            "svg": Md(urls.md_file(src, urls.kit_file(f"{figure.id}.svg"))),
        }
        if figure.id in headline
        else None
    )
    own_files = {fmt: Md(urls.md_file(src, path)) for fmt, path in figure_files(figure.id).items()}
    limits = [limit for limit in study.limits if limit.figure == figure.id]
    c = figure.comparison
    share = html_env().get_template("figure-share.html.j2").module
    hero = (
        html_env()
        .get_template("figure-hero.html.j2")
        .render(
            f=figure,
            value=value_text(figure),
            note=html_markup(parts.correction_html(figure.id, src)),
            derived=derived_text(figure),
            intervals=[i["text"] for i in parts.intervals(figure)],
            source=parts.source_mark(figure.cite, src, long=True),
            provenance=parts.provenance(figure.primary),
        )
    )
    table = (
        html_env()
        .get_template("figure-compare.html.j2")
        .render(f=figure, rows=_reports(parts, study, figure, src))
    )
    return (
        markdown_env()
        .get_template("figure-page.md.j2")
        .render(
            f=figure,
            study=study,
            group=group_title(figure.group),
            group_href=Md(urls.md_link(src, RESULTS, f"group-{study.id}-{figure.group}")),
            results_href=Md(urls.md_link(src, RESULTS, figure.id)),
            hero=inline_html_for_markdown(hero),
            measures=inline_html_for_markdown(str(parts.glossed(figure.measures, seen))),
            timepoint=or_not_reported(figure.timepoint),
            denominator=denominator_text(study, figure),
            derived=derived_text(figure),
            table=inline_html_for_markdown(table),
            several=len(figure.reports) > 1,
            agreement=agreement(figure),
            comparison=c,
            differ=parts.reports_differ(figure),
            reasons=reasons_text(c) if c else "",
            terms=parts.terms_in(f"{figure.label} {figure.measures}"),
            related=[
                (ctx.data.figure(i).label, Md(urls.md_link(src, figure_src(i)))) for i in figure.related
            ],
            limits=[
                (
                    limit.text,
                    inline_html_for_markdown(str(parts.source_mark(limit.cite, src))) if limit.cite else None,
                )
                for limit in limits
            ],
            limits_href=Md(urls.md_link(src, HOME, "limits")),
            kit=kit,
            own_files=own_files,
            csv=Md(urls.md_file(src, "downloads/figures.csv")),
            json_file=Md(urls.md_file(src, "downloads/figures.json")),
            reports_csv=Md(urls.md_file(src, "downloads/reports.csv")),
            actions=inline_html_for_markdown(str(parts.figure_actions(figure, src, scope="page"))),
            cite_files={
                fmt: Md(urls.md_file(src, p)) for fmt, p in urls.figure_citation_files(figure.id).items()
            },
            version=ctx.site.version if ctx.site else "",
            cite_page=Md(urls.md_link(src, CITE)),
            embed_href=Md(urls.md_file(src, embed.embed_page(figure.id) + "index.html")),
            cite_address=Md(
                share.cite_address(
                    version=ctx.site.version if ctx.site else None,
                    version_url=urls.this_version(urls.page(src)),
                    current_url=urls.latest(urls.page(src)),
                )
            ),
            embed_code=Md(share.embed_code(iframe=str(embed.iframe(ctx, figure)), label=figure.label)),
        )
    )
