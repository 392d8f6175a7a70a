"""The Presentation kit page: every kit image with its alt text, its files and the slide deck."""

from __future__ import annotations

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.outputs.kit.spec import headline_figures, kit_specs, slides_name
from trialsite.pages.markup import Md, html_env, markdown_env
from trialsite.urls import KIT


def render(ctx: BuildContext) -> str:
    data, urls = ctx.data, ctx.urls
    specs = kit_specs(ctx)
    items = [
        {
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
        for spec in specs
    ]
    deck = slides_name(data) if specs else ""
    publication = data.source(data.studies[0].publication) if data.studies else None
    headline = headline_figures(data)
    citation = ""
    if publication and headline:
        cite = headline[0][1].cite
        via = wording.source_short(data.source(cite.source))
        citation = f"{wording.source_short(publication)}, figures as reported in {via}"
    return (
        markdown_env()
        .get_template("kit.md.j2")
        .render(
            items=items,
            deck=deck,
            deck_path=Md(urls.md_file(KIT, urls.kit_file(deck))),
            citation=citation,
        )
    )
