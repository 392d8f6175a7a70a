"""Pure functions from the model to page text. Nothing here reads files or knows about MkDocs."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from trialsite import present
from trialsite.markup import Md, html_env, html_markup, markdown_env, md_escape
from trialsite.model import Citation, Dataset, Figure, Study

HOME = "index.md"
RESULTS = "results.md"
DESIGN = "design.md"
SOURCES = "sources.md"
GLOSSARY = "glossary.md"
CITE = "cite.md"

# Generated pages, in navigation order, with the title each shows.
GENERATED_PAGES = {
    RESULTS: "Results",
    DESIGN: "Study design",
    SOURCES: "Sources",
    GLOSSARY: "Glossary",
    CITE: "Cite",
}


def page_url(src: str) -> str:
    """The URL path of a page with MkDocs' directory URLs: 'results.md' -> 'results/'."""
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_src: str, to_src: str, anchor: str = "") -> str:
    """A relative link from one page to another, for raw HTML that MkDocs does not rewrite."""
    base = page_url(from_src) or "."
    target = page_url(to_src) or "."
    rel = posixpath.relpath(target, base)
    rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True)
class Renderer:
    """Binds the dataset so templates can ask for values and citations by id."""

    data: Dataset

    # --- shared pieces -----------------------------------------------------------------------

    def source_number(self, source_id: str) -> int:
        return self.data.source(source_id).number_in_list

    def cite_md(self, cite: Citation, *, locator: bool = True) -> Md:
        """'[EurekAlert! news release 1102627 [2]](sources.md#id), section ...' in Markdown."""
        source = self.data.source(cite.source)
        text = md_escape(f"{present.source_short(source)} [{source.number_in_list}]")
        link = f"[{text}]({SOURCES}#{source.id})"
        return Md(f"{link}, {md_escape(cite.locator)}" if locator else link)

    def cite_html(self, cite: Citation, from_src: str) -> str:
        source = self.data.source(cite.source)
        return (
            html_env()
            .get_template("cite.html.j2")
            .render(
                source=source,
                short=present.source_short(source),
                cite=cite,
                href=href(from_src, SOURCES, source.id),
                reports=self.data.source(source.reports) if source.reports else None,
                reports_short=present.source_short(self.data.source(source.reports))
                if source.reports
                else "",
                reports_href=href(from_src, SOURCES, source.reports) if source.reports else "",
            )
        )

    def figure_inline(self, figure: Figure, what: str = "value") -> Md:
        """What a `[[fig:ID]]` reference in prose becomes: the value and a link to its source."""
        if what == "label":
            return md_escape(figure.label)
        if what == "measures":
            return md_escape(figure.measures)
        value = md_escape(present.value_text(figure))
        if what == "bare":
            return value
        source = self.data.source(figure.cite.source)
        return Md(
            f"**{value}** [\\[{source.number_in_list}\\]]({SOURCES}#{source.id}) "
            f"([details]({RESULTS}#{figure.id}))"
        )

    # --- pages ---------------------------------------------------------------------------------

    def key_results(self, from_src: str) -> Md:
        """The Home page cards: headline figures, each with its citation."""
        cards = [(study, f) for study in self.data.studies for f in study.figures if f.headline]
        text = (
            html_env()
            .get_template("cards.html.j2")
            .render(
                cards=cards,
                value=present.value_text,
                derived=present.derived_text,
                cite=lambda c: html_markup(self.cite_html(c, from_src)),
                results_href=lambda fid: href(from_src, RESULTS, fid),
            )
        )
        return Md(text)

    def results_page(self) -> str:
        tables = {
            study.id: Md(
                html_env()
                .get_template("figures-table.html.j2")
                .render(
                    study=study,
                    value=present.value_text,
                    derived=present.derived_text,
                    nr=present.or_not_reported,
                    denominator=self._denominator_text,
                    cite=lambda c: html_markup(self.cite_html(c, RESULTS)),
                )
            )
            for study in self.data.studies
        }
        return (
            markdown_env()
            .get_template("results.md.j2")
            .render(
                studies=self.data.studies,
                tables=tables,
                cite=self.cite_md,
            )
        )

    def _denominator_text(self, study: Study, figure: Figure) -> str:
        if figure.denominator is None:
            return present.NOT_REPORTED
        if figure.denominator_figure:
            return f"{figure.denominator} ({study.figure(figure.denominator_figure).label.lower()})"
        return str(figure.denominator)

    def design_page(self) -> str:
        return (
            markdown_env()
            .get_template("design.md.j2")
            .render(
                studies=self.data.studies,
                cite=self.cite_md,
                value=present.value_text,
                sources=self.data,
                nr=present.or_not_reported,
            )
        )

    def sources_page(self) -> str:
        return (
            markdown_env()
            .get_template("sources.md.j2")
            .render(
                sources=self.data.sources,
                nr=present.or_not_reported,
                authors=present.authors_short,
                short=present.source_short,
                data=self.data,
            )
        )

    def glossary_page(self) -> str:
        return markdown_env().get_template("glossary.md.j2").render(terms=self.data.terms)

    def abbreviations(self) -> str:
        """Markdown abbreviation definitions: the abbr extension turns them into tooltips."""
        lines = []
        for term in self.data.terms:
            definition = " ".join(term.definition.replace("]", ")").replace("[", "(").split())
            lines.extend(f"*[{m}]: {definition}" for m in term.matches)
        return "\n".join(lines)

    def cite_page(self) -> str:
        from trialsite.citepage import cite_page  # imported here: citepage builds on this module

        return cite_page(self.data)

    def page(self, src: str) -> str:
        return {
            RESULTS: self.results_page,
            DESIGN: self.design_page,
            SOURCES: self.sources_page,
            GLOSSARY: self.glossary_page,
            CITE: self.cite_page,
        }[src]()
