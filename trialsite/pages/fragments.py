"""Pieces that several pages share: inline citations, correction notices, a figure's permalink and
"Copy citation" button, the key-results cards, and what `[[...]]` references in prose become.

Pure functions of the build context; nothing here reads files or knows about MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from trialsite.context import BuildContext
from trialsite.data.groups import result_groups
from trialsite.data.model import Citation, Dataset, Figure, Report, Study, Term
from trialsite.data.targets import FigureTarget, SourceFieldTarget, Target
from trialsite.outputs.figure_cite import CopyText, copy_texts, for_figure
from trialsite.pages.markup import (
    Md,
    html_env,
    html_markup,
    inline_html_for_markdown,
    md_escape,
    slug,
    url_link,
)
from trialsite.urls import CORRECTIONS, HOME, RESULTS, SOURCES, figure_src, group_anchor
from trialsite.words.citing import NOT_REPORTED, source_short
from trialsite.words.citing import provenance as report_provenance
from trialsite.words.corrections import correction_notice
from trialsite.words.values import derived_text, interval_text, report_value_text, value_text


@dataclass(frozen=True)
class Fragments:
    """Binds the build context so templates can ask for values and citations by id."""

    ctx: BuildContext

    @property
    def data(self) -> Dataset:
        return self.ctx.data

    # --- citations ---------------------------------------------------------------------------

    def cite_md(self, cite: Citation, *, locator: bool = True, from_src: str = RESULTS) -> Md:
        """'[EurekAlert! news release 1102627 [2]](sources.md#id), section ...' in Markdown."""
        source = self.data.source(cite.source)
        text = md_escape(f"{source_short(source)} [{source.number_in_list}]")
        link = f"[{text}]({self.ctx.urls.md_link(from_src, SOURCES, source.id)})"
        return Md(f"{link}, {md_escape(cite.locator)}" if locator else link)

    def cite_html(self, cite: Citation, from_src: str) -> str:
        urls = self.ctx.urls
        source = self.data.source(cite.source)
        reports = self.data.source(source.reports) if source.reports else None
        return (
            html_env()
            .get_template("cite.html.j2")
            .render(
                source=source,
                short=source_short(source),
                cite=cite,
                href=urls.href(from_src, SOURCES, source.id),
                reports=reports,
                reports_short=source_short(reports) if reports else "",
                reports_href=urls.href(from_src, SOURCES, reports.id) if reports else "",
                abs_href=urls.source(source.id),
                reports_abs_href=urls.source(reports.id) if reports else "",
            )
        )

    def source_mark(self, cite: Citation, from_src: str, *, long: bool = False) -> Markup:
        """The compact source of a card: 'Source [2]', linking to the source; the locator is on the
        figure's own page, one click away. `long`: the source's short name instead of 'Source'."""
        source = self.data.source(cite.source)
        return _macros().source_mark(
            href=self.ctx.urls.href(from_src, SOURCES, source.id),
            absolute=self.ctx.urls.source(source.id),
            name=source_short(source),
            number=source.number_in_list,
            long=long,
        )

    def source_link(self, source_id: str, from_src: str) -> Markup:
        """A report's source on its figure's page: its short name and number, linking to it."""
        source = self.data.source(source_id)
        return _macros().source_mark(
            href=self.ctx.urls.href(from_src, SOURCES, source.id),
            absolute=None,
            name=source_short(source),
            number=source.number_in_list,
            long=True,
        )

    @cached_property
    def _glossary(self) -> tuple[re.Pattern[str], dict[str, str]] | None:
        """Every glossary spelling, longest first, as one pattern of whole words; spelling -> definition."""
        spellings = {m: " ".join(t.definition.split()) for t in self.data.terms for m in t.matches}
        if not spellings:
            return None
        alternatives = "|".join(re.escape(m) for m in sorted(spellings, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])"), spellings

    def glossed(self, text: str, seen: set[str] | None = None) -> Markup:
        """Text for raw HTML (cards, tables), escaped, with glossary terms as <abbr> tooltips, as the
        abbr extension does in Markdown: the first use of each term in `seen`'s scope, focusable so a
        keyboard reaches its tooltip (later uses stay plain text, which keeps a long table light)."""
        glossary = self._glossary
        if glossary is None:
            return Markup(escape(text))
        pattern, definitions = glossary
        pieces: list[tuple[str, str, str | None, bool]] = []
        last = 0
        for m in pattern.finditer(text):
            word = m.group(1)
            definition: str | None = definitions[word]
            if seen is not None and definition in seen:
                definition = None  # once per scope: a long table stays light
            elif seen is not None:
                seen.add(definitions[word])
            pieces.append((text[last : m.start()], word, definition, seen is not None))
            last = m.end()
        pieces.append((text[last:], "", None, False))
        return _macros().glossed(pieces)

    def terms_in(self, text: str) -> list[Term]:
        """The glossary terms a text uses, in glossary order (a figure page defines them)."""
        glossary = self._glossary
        if glossary is None:
            return []
        found = {m.group(1) for m in glossary[0].finditer(text)}
        return [t for t in self.data.terms if found & set(t.matches)]

    def limits_html(self, study: Study, from_src: str, *, compact: bool = False) -> Markup:
        """What the results can and cannot tell: each point in our words, with its source (or none,
        for a general explanation) and the figure it is about. `compact`: the points alone, linking
        to the full list on Home (Results, which must stay light, repeats them without their sources
        and figures, and out of the search index)."""
        urls = self.ctx.urls
        items = []
        seen: set[str] = set()
        for limit in study.limits:
            figure = self.data.figure(limit.figure) if limit.figure else None
            items.append(
                {
                    # Compact (Results, inside a closed <details>): no tooltips, which a
                    # keyboard could not open there; Home's full list has them.
                    "text": Markup(escape(limit.text)) if compact else self.glossed(limit.text, seen),
                    "figure": figure,
                    "value": value_text(figure) if figure else "",
                    "figure_href": urls.href(from_src, RESULTS, figure.id) if figure else "",
                    "source": self.source_mark(limit.cite, from_src) if limit.cite else None,
                }
            )
        return Markup(
            html_env()
            .get_template("limits.html.j2")
            .render(
                study=study,
                items=items,
                indexed=not compact,
                compact=compact,
                full_href=self.ctx.urls.href(from_src, HOME, "limits"),
            )
        )

    def not_reported_html(self, study: Study, from_src: str) -> Markup:
        """What no source held reports (`study.not_reported`), each with a link to its group of
        results: the data says it once, and Home and Results both show it from there."""
        groups = {g.id: g for g in result_groups()}
        items = [
            {
                "text": text,
                "group": groups[group],
                "href": self.ctx.urls.href(from_src, RESULTS, group_anchor(study.id, group)),
            }
            for group, text in study.not_reported
        ]
        return Markup(html_env().get_template("not-reported.html.j2").render(items=items))

    def copy_texts(self, figure: Figure) -> tuple[CopyText, ...]:
        """What a figure's "Copy citation" menu copies: APA 7, AMA 11 and Vancouver references to the
        figure's page in this version, and a slide credit (figure_cite.py; no address in a preview)."""
        return copy_texts(for_figure(self.ctx, figure.id))

    def figure_actions(
        self,
        figure: Figure,
        from_src: str,
        *,
        permalink: str | None = None,
        link_text: str = "Permalink",
        scope: str = "",
        compact: bool = False,
        cite_href: str | None = None,
    ) -> Markup:
        """A figure's visible permalink and its "Copy citation" menu (the texts are in the data).
        `scope` keeps the menu's id unique where one page shows a figure twice; `compact` (a Results
        row) labels the menu's button "Cite"; `cite_href` (Study design) links to the figure page's
        menu instead of carrying the four texts again."""
        return Markup(
            html_env()
            .get_template("figure-actions.html.j2")
            .render(
                f=figure,
                permalink=permalink
                if permalink is not None
                else self.ctx.urls.href(from_src, RESULTS, figure.id),
                texts=() if cite_href else self.copy_texts(figure),
                cite_href=cite_href,
                menu_id=f"cite-{figure.id}" + (f"-{scope}" if scope else ""),
                link_text=link_text,
                compact=compact,
            )
        )

    # --- correction notices --------------------------------------------------------------------

    def correction_html(self, figure_id: str, from_src: str) -> str:
        """The notice beside a corrected figure in raw HTML, linking to its log entry; '' if none."""
        return self.target_correction_html(FigureTarget(figure_id), from_src)

    def target_correction_html(self, target: Target, from_src: str) -> str:
        """The notice beside any corrected value (a figure, one of its reports) in raw HTML."""
        notice = correction_notice(self.data, target)
        if notice is None:
            return ""
        return str(
            _macros().correction_note(
                href=self.ctx.urls.href(from_src, CORRECTIONS, notice.entry_id), note=notice.text
            )
        )

    def _correction_link_md(self, target: Target, prefix: str = "", from_src: str = RESULTS) -> Md:
        """A notice in Markdown, linking to its log entry; empty for a target never corrected."""
        notice = correction_notice(self.data, target)
        if notice is None:
            return Md("")
        href = self.ctx.urls.md_link(from_src, CORRECTIONS, slug(notice.entry_id))
        return Md(prefix + f"[{md_escape(notice.text)}]({href}){{: .correction-note }}")

    def correction_md(self, figure_id: str) -> Md:
        """The notice in Markdown (prose, Study design); empty for a figure never corrected."""
        return self._correction_link_md(FigureTarget(figure_id))

    def source_correction_md(self, source_id: str, field_name: str) -> Md:
        """The notice beside a corrected field of a source on the Sources page; empty if none."""
        return self._correction_link_md(SourceFieldTarget(source_id, field_name), prefix=" ")

    # --- references in prose -------------------------------------------------------------------

    def source_inline(self, source_id: str, from_src: str, *, address: bool = False) -> Md:
        """What `[[source:ID]]` in prose becomes: 'source N', linked to its entry on the Sources page.
        `[[source:ID|address]]`: its own address written out, or that no source we hold gives one."""
        source = self.data.source(source_id)
        href = self.ctx.urls.md_link(from_src, SOURCES, slug(source.id))
        if address:
            entry = f"[source {source.number_in_list}]({href})"
            if source.url:
                return Md(f"{url_link(source.url)} ({entry})")
            return Md(f"its address is not reported in the sources we hold ({entry})")
        return Md(f"[source {source.number_in_list}]({href})")

    def figure_inline(self, figure: Figure, what: str = "value", from_src: str = RESULTS) -> Md:
        """What a `[[fig:ID]]` reference in prose becomes: the value, a link to its source and one to
        the figure's own page (its details). `bare`: the value with its unit only; `number`: the
        value without its unit ('[[fig:patients-treated|number]] patients')."""
        if what == "label":
            return md_escape(figure.label)
        if what == "measures":
            return md_escape(figure.measures)
        value = md_escape(value_text(figure, with_unit=what != "number"))
        note = self.correction_md(figure.id)
        if what in ("bare", "number"):
            return Md(f"{value} {note}") if note else value
        source = self.data.source(figure.cite.source)
        urls = self.ctx.urls
        return Md(
            f"**{value}** [\\[{source.number_in_list}\\]]({urls.md_link(from_src, SOURCES, source.id)}) "
            f"([details]({urls.md_link(from_src, figure_src(figure.id))}))" + (f" {note}" if note else "")
        )

    def key_results(self, from_src: str) -> Md:
        """The Home page cards: headline figures, each with its citation. With more than one study,
        each study's cards come under its own heading, so no figure reads as another study's."""
        seen: set[str] = set()
        groups = []
        for study in self.data.studies:
            cards = [self._card(f, from_src, seen) for f in study.figures if f.headline]
            if cards:
                groups.append({"study": study, "cards": cards})
        text = html_env().get_template("cards.html.j2").render(groups=groups, grouped=len(groups) > 1)
        return Md(text)

    def _card(self, figure: Figure, from_src: str, seen: set[str]) -> dict[str, object]:
        """One headline card's ready values; `seen` keeps each tooltip to its first use on Home."""
        return {
            "f": figure,
            "label": self.glossed(figure.label, seen),
            "value": value_text(figure),
            "percent": figure.value if figure.kind == "percent" else None,
            "note": html_markup(self.correction_html(figure.id, from_src)),
            "measures": self.glossed(figure.measures, seen),
            "derived": derived_text(figure),
            "source": self.source_mark(figure.cite, from_src, long=True),
            "href": self.ctx.urls.href(from_src, figure_src(figure.id)),
            "differ": self.reports_differ(figure),
            "actions": self.figure_actions(figure, from_src),
        }

    def tooltips(self) -> dict[str, str]:
        """Each glossary spelling with its definition, for the abbr extension's `glossary` option,
        which makes the <abbr title> tooltips. Given as data, never as `*[spelling]: definition`
        lines of Markdown: a spelling or definition holding a newline or a `]` ended such a line, and
        the rest of it was read as Markdown and raw HTML on every page."""
        return {m: " ".join(term.definition.split()) for term in self.data.terms for m in term.matches}

    def reports_differ(self, figure: Figure) -> bool:
        """Whether a figure's reports give different values or may not measure the same thing."""
        c = figure.comparison
        values = {report_value_text(figure, r) for r in figure.reports}
        return c is not None and (len(values) > 1 or c.same_measure is not True)

    # --- reports of a figure ------------------------------------------------------------------

    def provenance(self, report: Report) -> str:
        return report_provenance(self.data, report)

    def intervals(self, figure: Figure, report: Report | None = None) -> list[dict[str, str | None]]:
        report = report or figure.primary
        return [{"text": interval_text(figure, i), "note": i.note} for i in report.intervals]

    def stated_intervals(self, figure: Figure) -> list[str]:
        """The figure's own interval; else the first interval another source states, named by it
        with its value (that source's report may measure something else: its page says)."""
        own = [str(i["text"]) for i in self.intervals(figure)]
        if own:
            return own
        for report in figure.other_reports:
            if report.intervals:
                value = report_value_text(figure, report)
                short = source_short(self.data.source(report.source))
                texts = "; ".join(str(i["text"]) for i in self.intervals(figure, report))
                return [f"{short}: {value}, {texts}"]
        return []

    def at_a_glance(self, study: Study, from_src: str) -> Markup:
        """A clinician's summary: the design as the sources state it, then the study's chosen
        figures (study.at_a_glance), each with its interval and one short source."""
        urls = self.ctx.urls
        rows = [
            {
                "f": self.data.figure(fid),
                "href": urls.href(from_src, figure_src(fid)),
                "value": value_text(self.data.figure(fid)),
                "note": html_markup(self.correction_html(fid, from_src)),
                "intervals": self.stated_intervals(self.data.figure(fid)),
                "source": self.source_mark(self.data.figure(fid).cite, from_src, long=True),
            }
            for fid in study.at_a_glance
        ]
        design = [(s.text, self.source_mark(s.cite, from_src, long=True)) for s in study.design]
        if not rows and not design:
            return Markup("")
        return Markup(
            html_env().get_template("at-a-glance.html.j2").render(study=study, rows=rows, design=design)
        )

    def at_a_glance_all(self, from_src: str) -> Md:
        """What `[[at-a-glance]]` in prose becomes: each study's summary (its caption names it)."""
        return Md(
            "\n\n".join(
                inline_html_for_markdown(str(self.at_a_glance(s, from_src))) for s in self.data.studies
            )
        )

    def related(self, figure: Figure, from_src: str) -> list[tuple[str, str]]:
        """(label, link) of the figures a reader should see with this one."""
        urls = self.ctx.urls
        return [(self.data.figure(i).label, urls.href(from_src, RESULTS, i)) for i in figure.related]


def _macros() -> Any:
    """The shared HTML pieces of fragments.html.j2, each a macro returning escaped Markup."""
    return html_env().get_template("fragments.html.j2").module


def denominator_text(study: Study, item: Figure | Report) -> str:
    """A figure's or a report's denominator, saying when the site took it from another figure."""
    if item.denominator is None:
        return NOT_REPORTED
    if item.denominator_figure:
        label = study.figure(item.denominator_figure).label.lower()
        taken = "taken by this site from that figure, not stated for this one"
        return f"{item.denominator} ({label}; {taken})"
    return str(item.denominator)
