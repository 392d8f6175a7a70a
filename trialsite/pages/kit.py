"""The Presentation kit page: every kit image with its alt text, its files and the slide decks,
grouped by study when there is more than one."""

from __future__ import annotations

from typing import Any

from trialsite.context import BuildContext
from trialsite.outputs.kit.schema import SchemaSpec, schema_spec
from trialsite.outputs.kit.spec import ImageSpec, KitGroup, kit_groups
from trialsite.pages.markup import Md, html_env, markdown_env
from trialsite.urls import KIT
from trialsite.words.citing import source_short


def _item(ctx: BuildContext, spec: ImageSpec | SchemaSpec) -> dict[str, Any]:
    urls = ctx.urls
    return {
        "spec": spec,
        "anchor": f"kit-{spec.name}",
        "figure_html": Md(
            html_env()
            .get_template("kit-image.html.j2")
            .render(spec=spec, src=urls.file_href(KIT, urls.kit_file(f"{spec.name}.svg")))
        ),
        "png": Md(urls.md_file(KIT, urls.kit_file(f"{spec.name}.png"))),
        "svg": Md(urls.md_file(KIT, urls.kit_file(f"{spec.name}.svg"))),
    }


def _citation(ctx: BuildContext, group: KitGroup) -> str:
    """How to cite one study's figures: its article, and the source the figures were taken from."""
    data = ctx.data
    publication = data.source(group.study.publication)
    article = source_short(publication).rstrip(".")  # the page adds the full stop
    first = next(f for f in group.study.figures if f.headline)
    if first.cite.source == publication.id:
        return article
    via = source_short(data.source(first.cite.source)).rstrip(".")
    return f"{article}, figures as reported in {via}"


def render(ctx: BuildContext) -> str:
    groups = kit_groups(ctx)
    return (
        markdown_env()
        .get_template("kit.md.j2")
        .render(
            grouped=len(groups) > 1,
            groups=[
                {
                    "study": group.study,
                    "anchor": f"kit-study-{group.study.id}",
                    "images": [
                        *(_item(ctx, spec) for spec in group.images),
                        _item(ctx, schema_spec(ctx, group.study)),
                    ],
                    "deck": group.deck,
                    "deck_path": Md(ctx.urls.md_file(KIT, ctx.urls.kit_file(group.deck))),
                    "citation": _citation(ctx, group),
                }
                for group in groups
            ],
        )
    )
