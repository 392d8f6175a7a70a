"""Pure functions from the model to page text. Nothing here reads files or knows about MkDocs."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from markupsafe import Markup

from trialsite import kit, present
from trialsite.markup import (
    Md,
    html_env,
    html_markup,
    inline_html_for_markdown,
    markdown_env,
    md_escape,
    slug,
)
from trialsite.model import Citation, Dataset, Figure, Study

HOME = "index.md"
RESULTS = "results.md"
DESIGN = "design.md"
SOURCES = "sources.md"
GLOSSARY = "glossary.md"
CITE = "cite.md"
CORRECTIONS = "corrections.md"
CORRECTIONS_FEED = "corrections.xml"
KIT = "kit.md"

# Generated pages, in navigation order, with the title each shows.
GENERATED_PAGES = {
    RESULTS: "Results",
    KIT: "Presentation kit",
    DESIGN: "Study design",
    SOURCES: "Sources",
    GLOSSARY: "Glossary",
    CITE: "Cite",
    CORRECTIONS: "Corrections",
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
    # The published site's address (mkdocs.yml `site_url`), for links that must work when copied.
    site_url: str = ""

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
                abs_href=self.absolute(SOURCES, source.id),
                reports_abs_href=self.absolute(SOURCES, source.reports) if source.reports else "",
            )
        )

    def absolute(self, src: str, anchor: str = "") -> str:
        """A page's address on the published site (site-relative when no site_url is set)."""
        path = page_url(src) + (f"#{anchor}" if anchor else "")
        return f"{self.site_url.rstrip('/')}/{path}" if self.site_url else path

    def figure_url(self, figure: Figure) -> str:
        """Where a figure stands for good: its row on the Results page."""
        return self.absolute(RESULTS, figure.id)

    def correction_url(self, figure_id: str) -> str | None:
        """The address of a corrected figure's entry on the Corrections page; None if never corrected."""
        notice = present.correction_notice(self.data, f"figures/{figure_id}")
        return self.absolute(CORRECTIONS, notice.entry_id) if notice else None

    def citation_line(self, figure: Figure) -> str:
        """The one line the "Copy citation" button copies."""
        study = next(s for s in self.data.studies if s.id == figure.study_id)
        return present.figure_sentence(figure, study, self.data, url=self.figure_url(figure))

    def figure_actions(
        self, figure: Figure, from_src: str, *, permalink: str | None = None, link_text: str = "Permalink"
    ) -> Markup:
        """A figure's visible permalink and its "Copy citation" button (the text is in the data)."""
        return Markup(
            html_env()
            .get_template("figure-actions.html.j2")
            .render(
                f=figure,
                permalink=permalink if permalink is not None else href(from_src, RESULTS, figure.id),
                citation=self.citation_line(figure),
                link_text=link_text,
            )
        )

    def correction_html(self, figure_id: str, from_src: str) -> str:
        """The notice beside a corrected figure in raw HTML, linking to its log entry; '' if none."""
        notice = present.correction_notice(self.data, f"figures/{figure_id}")
        if notice is None:
            return ""
        return (
            html_env()
            .from_string('<a class="correction-note" href="{{ href }}">{{ note }}</a>')
            .render(href=href(from_src, CORRECTIONS, notice.entry_id), note=notice.text)
        )

    def _correction_link_md(self, target: str, prefix: str = "") -> Md:
        """A notice in Markdown, linking to its log entry; empty for a target never corrected."""
        notice = present.correction_notice(self.data, target)
        if notice is None:
            return Md("")
        link = f"[{md_escape(notice.text)}]({CORRECTIONS}#{slug(notice.entry_id)}){{: .correction-note }}"
        return Md(prefix + link)

    def correction_md(self, figure_id: str) -> Md:
        """The notice in Markdown (prose, Study design); empty for a figure never corrected."""
        return self._correction_link_md(f"figures/{figure_id}")

    def source_correction_md(self, source_id: str, field_name: str) -> Md:
        """The notice beside a corrected field of a source on the Sources page; empty if none."""
        return self._correction_link_md(f"sources/{source_id}/{field_name}", prefix=" ")

    def source_inline(self, source_id: str) -> Md:
        """What `[[source:ID]]` in prose becomes: 'source N', linked to its entry on the Sources page."""
        source = self.data.source(source_id)
        return Md(f"[source {source.number_in_list}]({SOURCES}#{slug(source.id)})")

    def figure_inline(self, figure: Figure, what: str = "value") -> Md:
        """What a `[[fig:ID]]` reference in prose becomes: the value and a link to its source."""
        if what == "label":
            return md_escape(figure.label)
        if what == "measures":
            return md_escape(figure.measures)
        value = md_escape(present.value_text(figure))
        note = self.correction_md(figure.id)
        if what == "bare":
            return Md(f"{value} {note}") if note else value
        source = self.data.source(figure.cite.source)
        return Md(
            f"**{value}** [\\[{source.number_in_list}\\]]({SOURCES}#{source.id}) "
            f"([details]({RESULTS}#{figure.id}))" + (f" {note}" if note else "")
        )

    # --- pages ---------------------------------------------------------------------------------

    def key_results(self, from_src: str) -> Md:
        """The Home page cards: headline figures, each with its citation. With more than one study,
        each study's cards come under its own heading, so no figure reads as another study's."""
        groups = [(s, [f for f in s.figures if f.headline]) for s in self.data.studies]
        groups = [(s, figures) for s, figures in groups if figures]
        text = (
            html_env()
            .get_template("cards.html.j2")
            .render(
                groups=groups,
                grouped=len(groups) > 1,
                value=present.value_text,
                derived=present.derived_text,
                cite=lambda c: html_markup(self.cite_html(c, from_src)),
                results_href=lambda fid: href(from_src, RESULTS, fid),
                note=lambda fid: html_markup(self.correction_html(fid, from_src)),
                actions=lambda f: self.figure_actions(f, from_src, link_text="Permalink and details"),
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
                    note=lambda fid: html_markup(self.correction_html(fid, RESULTS)),
                    actions=lambda f: self.figure_actions(f, RESULTS, permalink=f"#{f.id}"),
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
            label = study.figure(figure.denominator_figure).label.lower()
            taken = "taken by this site from that figure, not stated for this one"
            return f"{figure.denominator} ({label}; {taken})"
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
                note=self.correction_md,
                actions=lambda f: inline_html_for_markdown(str(self.figure_actions(f, DESIGN))),
            )
        )

    def kit_page(self) -> str:
        """The presentation kit: every kit image with its alt text, its files and the deck."""
        specs = kit.kit_specs(self.data, self.figure_url, self.absolute(RESULTS), self.correction_url)
        base = page_url(KIT) or "."
        items = [
            {
                "spec": spec,
                "anchor": f"kit-{spec.name}",
                "figure_html": Md(
                    html_env()
                    .get_template("kit-image.html.j2")
                    .render(spec=spec, src=posixpath.relpath(f"{kit.KIT_DIR}/{spec.name}.svg", base))
                ),
                "png": Md(f"{kit.KIT_DIR}/{spec.name}.png"),
                "svg": Md(f"{kit.KIT_DIR}/{spec.name}.svg"),
            }
            for spec in specs
        ]
        deck = kit.slides_name(self.data) if specs else ""
        publication = self.data.source(self.data.studies[0].publication) if self.data.studies else None
        headline = kit.headline_figures(self.data)
        citation = ""
        if publication and headline:
            cite = headline[0][1].cite
            via = present.source_short(self.data.source(cite.source))
            citation = f"{present.source_short(publication)}, figures as reported in {via}"
        return (
            markdown_env()
            .get_template("kit.md.j2")
            .render(items=items, deck=deck, deck_path=Md(f"{kit.KIT_DIR}/{deck}"), citation=citation)
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
                snote=self.source_correction_md,
            )
        )

    def cite_version_md(self) -> Md:
        """The paragraph saying which version and date to cite (the Cite page may include it too)."""
        text = markdown_env().get_template("cite-version.md.j2").render(release=self.data.release)
        return Md(text.strip())

    def corrections_page(self) -> str:
        """Every correction, newest first, each with its anchor; and which version to cite."""
        entries = list(reversed(self.data.corrections))
        return (
            markdown_env()
            .get_template("corrections.md.j2")
            .render(
                entries=entries,
                release=self.data.release,
                subject=lambda c: present.correction_subject(self.data, c),
                value=lambda c, which: present.correction_value_text(self.data, c, which),
                cite=self.cite_md,
                feed=CORRECTIONS_FEED,
                cite_version=self.cite_version_md(),
                results=RESULTS,
                sources=SOURCES,
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
            CORRECTIONS: self.corrections_page,
            KIT: self.kit_page,
        }[src]()
