"""The generated pages, once: where each comes from, its title, what renders it and which data file
its data comes from (listed on About). A new page is one module and one entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from trialsite import urls
from trialsite.context import BuildContext
from trialsite.pages import cite, corrections, design, figure, glossary, kit, results, sources


def _study_file(ctx: BuildContext) -> str:
    return ctx.data.studies[0].data_file if ctx.data.studies else ctx.layout.display(ctx.layout.data_dir)


def _sources_file(ctx: BuildContext) -> str:
    return next((s.data_file for s in ctx.data.sources), ctx.layout.display(ctx.layout.sources))


@dataclass(frozen=True)
class GeneratedPage:
    src: str
    title: str
    render: Callable[[BuildContext], str]
    # The data file that holds what the page shows, listed on About for maintainers.
    data_file: Callable[[BuildContext], str]


# In navigation order.
PAGES: tuple[GeneratedPage, ...] = (
    GeneratedPage(urls.RESULTS, "Results", results.render, _study_file),
    GeneratedPage(urls.KIT, "Presentation kit", kit.render, _study_file),
    GeneratedPage(urls.DESIGN, "Study design", design.render, _study_file),
    GeneratedPage(urls.SOURCES, "Sources", sources.render, _sources_file),
    GeneratedPage(urls.GLOSSARY, "Glossary", glossary.render, lambda c: c.layout.display(c.layout.glossary)),
    GeneratedPage(urls.CITE, "Cite", cite.render, _sources_file),
    GeneratedPage(
        urls.CORRECTIONS, "Corrections", corrections.render, lambda c: c.layout.display(c.layout.corrections)
    ),
)

BY_SRC = {page.src: page for page in PAGES}


@dataclass(frozen=True)
class GeneratedFamily:
    """Pages made one per item of the data, in one folder (the figure pages): never in the
    navigation, each its own entry in the search index."""

    folder: str
    title: str
    sources: Callable[[BuildContext], list[str]]
    render: Callable[[BuildContext, str], str]
    data_file: Callable[[BuildContext, str], str]
    # (title, description) as plain text: data, so never written into front matter, where MkDocs
    # and the theme would print it unescaped.
    meta: Callable[[BuildContext, str], tuple[str, str]]


FAMILIES: tuple[GeneratedFamily, ...] = (
    GeneratedFamily(
        urls.FIGURES_DIR, "Figure pages", figure.sources, figure.render, figure.data_file, figure.meta
    ),
)


def family_of(src: str) -> GeneratedFamily | None:
    """The family a generated page belongs to, from its source path."""
    return next((f for f in FAMILIES if src.startswith(f"{f.folder}/")), None)
