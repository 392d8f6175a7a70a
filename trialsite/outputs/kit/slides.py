"""The kit's slide deck (16:9, python-pptx): the key results, who was treated and how, then one slide
per headline figure.

Made as a careful person makes a deck: every slide is on a layout with a real title placeholder (what
screen readers and PowerPoint's accessibility checker use to name and order slides); values are slide
text, not pictures, so a presenter can restyle them; each slide's footer carries its source line and
the licence, and its speaker notes say what the slide shows and give one citation to paste. The file's
properties come from the site (title, author, subject, version, licence), not from python-pptx's
template, whose leftovers ("Steve Canny", 2013, "generated using python-pptx", a 4:3 format in
docProps/app.xml) are all replaced.

Everything the deck shows is in its DeckSpec, so the spec is also the deck's cache key.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import asdict, dataclass
from xml.sax.saxutils import escape

from trialsite.context import BuildContext
from trialsite.data.model import Source, Study
from trialsite.outputs.kit.spec import INK, MUTED, ImageSpec, Panel, headline_figures, shorten, source_line
from trialsite.urls import DESIGN
from trialsite.words.citing import article_short, authors_list, source_short, transcribed_from
from trialsite.words.corrections import correction_note
from trialsite.words.sentence import figure_sentence
from trialsite.words.values import value_text

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
# PowerPoint's widescreen size in EMU (13.333 x 7.5 in), written with no 4:3 `type`.
SLIDE_W_EMU, SLIDE_H_EMU = 12192000, 6858000
MAX_BULLETS = 6  # on any slide
FONT = "Arial"  # metric-compatible Liberation Sans in LibreOffice: the same line breaks everywhere
TEMPLATE_W_IN = 10.0  # python-pptx's template is 4:3; its layouts are widened to 16:9
FOOTER_NAME = "Source footer"
LICENCE_NAME = "Licence"
# python-pptx's template layouts, by name (indexes differ between templates).
TITLE_ONLY, TWO_CONTENT = "Title Only", "Two Content"


@dataclass(frozen=True)
class PopulationSlide:
    """Who took part and how they were treated (no outcomes), as at most MAX_BULLETS bullet points;
    every criterion, and where each part was reported, in the speaker notes."""

    title: str
    heading: str
    population: tuple[str, ...]
    regimen: tuple[str, ...]
    source_line: str
    notes: str
    citation: str


@dataclass(frozen=True)
class DeckSpec:
    """Everything the deck shows and says about itself."""

    title: str
    author: str
    subject: str
    keywords: str
    comments: str
    version: str
    licence_line: str
    key_results: ImageSpec
    population: PopulationSlide | None
    figures: tuple[ImageSpec, ...]
    citations: tuple[str, ...]  # the key-results slide's, then each figure slide's
    released: str = ""  # the site version's date: the deck's created and modified time

    def inputs(self) -> dict[str, object]:
        """The cache key's content, the version's date included (the deck's time)."""
        return {
            "title": self.title,
            "author": self.author,
            "subject": self.subject,
            "keywords": self.keywords,
            "comments": self.comments,
            "version": self.version,
            "licence_line": self.licence_line,
            "key_results": self.key_results.inputs(),
            "population": asdict(self.population) if self.population else None,
            "figures": [s.inputs() for s in self.figures],
            "citations": list(self.citations),
            "released": self.released,
        }


def _release_words(source: Source) -> str:
    """'EurekAlert! news release 1102627 (Alliance for Clinical Trials in Oncology)'."""
    issuer = f" ({authors_list(source.authors)})" if source.authors else ""
    return f"{source_short(source)}{issuer}"


def _population_slide(
    ctx: BuildContext, site_named: str | None, study: Study | None = None
) -> PopulationSlide | None:
    data = ctx.data
    figures = headline_figures(data)
    if not figures:
        return None
    study = study or figures[0][0]

    def shown(figure_id: str) -> str:
        f = data.figure(figure_id)
        note = correction_note(data, figure_id)
        return value_text(f) + (f" ({note})" if note else "")

    # Who: the summary, then the figures reported where the population is (how many were treated,
    # their ages): counts and ranges only, never an outcome. How: the plan, then each step's cycles.
    pop = study.population_cite
    about_who = [
        f
        for f in study.figures
        if f.kind in ("count", "range")
        and f.cite.source == pop.source
        and f.cite.locator in pop.locator
        and (f.headline or f.denominator_figure)
    ]
    regimen = [study.regimen_summary]
    regimen += [
        f"{step.drug[:1].upper()}{step.drug[1:]}: {shown(step.figure)}" for step in study.regimen_steps
    ]
    regimen = regimen[: MAX_BULLETS // 2]
    population = [study.population_summary, *(f"{f.label}: {shown(f.id)}" for f in about_who)]
    population = population[: MAX_BULLETS - len(regimen)]
    steps = [data.figure(step.figure) for step in study.regimen_steps]
    cites = [pop, *(f.cite for f in about_who), study.regimen_cite, *(f.cite for f in steps)]
    by_source: dict[str, list[str]] = {}
    for c in cites:  # one line a source, each place in it once
        places = by_source.setdefault(c.source, [])
        if c.locator not in places:
            places.append(c.locator)
    where = " ".join(
        f"{source_short(data.source(sid))}: {'; '.join(places)}." for sid, places in by_source.items()
    )
    transcribed = transcribed_from(study.regimen_cite, data)
    url = ctx.urls.page_absolute(DESIGN)
    source = data.source(study.regimen_cite.source)
    article = data.source(source.reports) if source.reports else source
    parts = [f"{study.title} ({study.registry_id})."]
    if article.kind == "journal-article":
        parts.append(f"Reported in: {article_short(article)}.")
    if source.reports:
        parts.append(f"Transcribed from: {_release_words(source)}.")
    parts.append(", ".join(p for p in (f"Site: {site_named}" if site_named else None, url) if p))
    criteria = "; ".join(study.population_criteria)
    notes = (
        f"{study.title} ({study.registry_id}). Who took part: {study.population_summary} "
        f"(criteria: {criteria}). How they were treated: {'; '.join(regimen)}. "
        f"Where in the source: {where}" + (f" {transcribed}." if transcribed else "")
    )
    return PopulationSlide(
        title="Who took part, and how they were treated",
        heading=f"{study.title} ({study.registry_id})",
        population=tuple(population),
        regimen=tuple(regimen),
        source_line=source_line(cites, data),
        notes=notes,
        citation=" ".join(parts),
    )


def deck_spec(ctx: BuildContext, specs: list[ImageSpec], study: Study | None = None) -> DeckSpec:
    """The deck of one study's kit images (the key-results image first): its slides and properties."""
    data, site = ctx.data, ctx.site
    study = study or headline_figures(data)[0][0]
    named = f"{site.title}, version {site.version}" if site and site.title else None
    licence = (
        f"Slides: {named}. Licence: {site.licence.name} ({site.licence.id}), {site.licence.url}"
        if site and named
        else ""
    )
    # One slide a headline result; the headline count (how many were treated) is on the key-results
    # slide and the who-took-part slide instead.
    results = [s for s in specs[1:] if data.figure(s.panels[0].figure_id).kind != "count"]
    figure_citations = []
    for spec in results:
        figure = data.figure(spec.panels[0].figure_id)
        figure_study = ctx.study_of(figure.id)
        url = spec.address or None  # the figure in this version, not latest/
        figure_citations.append(figure_sentence(figure, figure_study, data, url=url, site=named))
    article = data.source(study.publication)
    key_citation = [f"{study.title} ({study.registry_id}). Reported in: {article_short(article)}."]
    for s in data.sources:
        if s.reports == article.id:
            key_citation.append(f"Transcribed from: {_release_words(s)}.")
    key_citation.append(", ".join(p for p in (f"Site: {named}" if named else None, specs[0].address) if p))
    return DeckSpec(
        title=specs[0].title,
        author=site.publisher if site else "",
        subject=f"{study.title} ({study.registry_id}): reported results, each with its source",
        keywords="; ".join([study.registry_id, study.name, study.title, "reported results"]),
        comments=licence,
        version=site.version if site else "",
        licence_line=licence,
        key_results=specs[0],
        population=_population_slide(ctx, named, study),
        released=site.released if site else "",
        figures=tuple(results),
        citations=(" ".join(key_citation), *figure_citations),
    )


# --- drawing --------------------------------------------------------------------------------------


def _rgb(hex_colour: str) -> object:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#"))


def _style_run(run: object, pt: float, **kw: object) -> None:
    from pptx.util import Pt

    font = run.font  # type: ignore[attr-defined]
    font.size = Pt(pt)
    font.bold = bool(kw.get("bold"))
    font.color.rgb = _rgb(str(kw.get("colour", INK)))
    font.name = FONT
    if kw.get("link"):
        run.hyperlink.address = str(kw["link"])  # type: ignore[attr-defined]


def _lines_needed(text: str, pt: float, width_in: float, bold: bool = False) -> int:
    """How many lines `text` takes in a box `width_in` wide, from Arial's widths (about 0.52 em a
    character, 0.54 bold, with room to spare): enough to choose a size, the rendered check does the rest."""
    per_line = max(1, int(width_in * 72 / (pt * (0.54 if bold else 0.5))))
    total = 0
    for para in text.split("\n"):
        line, count = 0, 1
        for word in para.split():
            need = len(word) + (1 if line else 0)
            if line and line + need > per_line:
                count, line = count + 1, len(word)
            else:
                line += need
        total += count
    return total


def _size_to_fit(
    text: str, sizes: tuple[float, ...], width_in: float, height_in: float, bold: bool = False
) -> float:
    """The largest of `sizes` at which `text` fits the box (1.2 line spacing); else the smallest."""
    for pt in sizes:
        if _lines_needed(text, pt, width_in, bold) * pt * 1.2 <= height_in * 72 - 8:
            return pt
    return sizes[-1]


def _fill(frame: object, text: str, pt: float, **kw: object) -> None:
    """Text into a text frame, one paragraph a line, every run styled alike; the frame wraps its
    text and never grows past its box."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches

    frame.word_wrap = True  # type: ignore[attr-defined]
    frame.auto_size = MSO_AUTO_SIZE.NONE  # type: ignore[attr-defined]
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.04))
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()  # type: ignore[attr-defined]
        if i == 0:
            para.clear()
        run = para.add_run()
        run.text = line
        _style_run(run, pt, **kw)


def _box(slide: object, x: float, y: float, w: float, h: float, text: str, pt: float, **kw: object) -> object:
    """A text box whose text fits it: the size comes down (to `min_pt`), then the text is cut at a
    word with an ellipsis, so it is never drawn over what lies below."""
    from pptx.util import Inches

    bold = bool(kw.get("bold"))
    floor = float(kw.pop("min_pt", min(pt, 10)))  # type: ignore[arg-type]
    sizes = tuple(
        sorted(
            {pt, *(q for q in (60, 44, 36, 28, 24, 20, 18, 16, 14, 12, 11, 10) if floor <= q < pt)},
            reverse=True,
        )
    )
    size = _size_to_fit(text, sizes, w - 0.08, h, bold)
    if _lines_needed(text, size, w - 0.08, bold) * size * 1.2 > h * 72 - 8:
        most = max(1, int((h * 72 - 8) / (size * 1.2)))
        per_line = max(1, int((w - 0.08) * 72 / (size * (0.54 if bold else 0.5))))
        text = shorten(text.replace("\n", " "), most * per_line - 2)
    shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))  # type: ignore[attr-defined]
    _fill(shape.text_frame, text, size, **kw)
    if kw.get("name"):
        shape.name = str(kw["name"])
    return shape


TITLE_BOX = (0.5, 0.3, 12.3, 0.9)  # x, y, width, height in inches


def _title(slide: object, text: str, pt: float) -> None:
    """The slide's title in its title placeholder, placed and sized for this deck, whole: smaller
    type for a long title, two lines at most."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches

    x, y, w, h = TITLE_BOX
    title = slide.shapes.title  # type: ignore[attr-defined]
    title.left, title.top, title.width, title.height = Inches(x), Inches(y), Inches(w), Inches(h)
    size = _size_to_fit(text, tuple(q for q in (40, 36, 32, 28, 24, 20) if q <= pt), w - 0.08, h, bold=True)
    if _lines_needed(text, size, w - 0.08, True) * size * 1.2 > h * 72 - 8:
        text = shorten(text, 2 * int((w - 0.08) * 72 / (size * 0.54)) - 2)
    _fill(title.text_frame, text, size, bold=True)
    title.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    for para in title.text_frame.paragraphs:
        para.alignment = PP_ALIGN.LEFT


def _context(slide: object, text: str) -> None:
    """Under the title: the study, how many patients, its design and the time point."""
    _box(slide, 0.5, 1.2, 12.3, 0.65, text, 18, colour=MUTED, name="Context", min_pt=14)


def _notice(
    slide: object, x: float, y: float, w: float, h: float, p: Panel, pt: int, *, narrow: bool = False
) -> None:
    """A corrected figure's notice as slide text, linked to its entry on the Corrections page. In a
    narrow column it breaks after its date rather than wherever the line runs out."""
    if p.correction:
        text = p.correction.replace("; ", ";\n", 1) if narrow else p.correction
        _box(slide, x, y, w, h, text, pt, link=p.correction_url, name="Correction notice")


def _accent(slide: object, x: float, y: float, h: float, colour: str) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(x), Inches(y), Inches(0.1), Inches(h))  # type: ignore[attr-defined]
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(colour)
    bar.line.fill.background()
    bar.name = "Accent (decorative)"


def _finish(slide: object, source: str, licence: str, shown: str, where: str, citation: str) -> None:
    """Footer (one short source line, at most two lines, and the licence) and speaker notes: what
    the slide shows, where in the source each part stands, and one full citation."""
    _box(slide, 0.5, 6.45, 12.3, 0.5, source, 12, colour=MUTED, name=FOOTER_NAME, min_pt=10)
    if licence:
        _box(slide, 0.5, 7.08, 12.3, 0.32, licence, 9, colour=MUTED, name=LICENCE_NAME, min_pt=7)
    notes = slide.notes_slide.notes_text_frame  # type: ignore[attr-defined]
    notes.text = f"{shown}\n\nWhere in the source: {where}\n\nCitation: {citation}"


def _panel_words(p: Panel) -> str:
    corrected = f" ({p.correction})" if p.correction else ""
    when = f" ({p.timepoint})" if p.timepoint else ""
    return f"{p.label}: {p.value_text}{corrected}{when}. {p.measures}"


def _layout(prs: object, name: str) -> object:
    return next(layout for layout in prs.slide_layouts if layout.name == name)  # type: ignore[attr-defined]


KEY_PANELS = 4  # on the key-results slide; the others on their own slides


def _key_results_slide(prs: object, deck: DeckSpec) -> None:
    spec = deck.key_results
    slide = prs.slides.add_slide(_layout(prs, TITLE_ONLY))  # type: ignore[attr-defined]
    _title(slide, spec.title, 36)
    _context(slide, f"{spec.heading}: {spec.context}" if spec.context else spec.heading)
    panels = spec.panels[:KEY_PANELS]
    n = len(panels)
    width = 12.3 / max(n, 1)
    inner = width - 0.35

    def common(texts: list[str], sizes: tuple[float, ...], h: float, bold: bool = False) -> float:
        """One size for a row of boxes: the largest at which every panel's text fits."""
        return min((_size_to_fit(t, sizes, inner - 0.08, h, bold) for t in texts if t), default=sizes[0])

    label_pt = common([p.label for p in panels], (22, 20, 18, 16, 14), 1.15, bold=True)
    when_pt = common([p.timepoint for p in panels], (14, 13, 12, 11), 0.58)
    measures_pt = common([p.measures for p in panels], (13, 12, 11, 10), 0.88)
    for i, p in enumerate(panels):
        x = 0.5 + i * width
        _accent(slide, x, 1.95, 4.1, p.colour)
        _box(slide, x + 0.2, 1.85, inner, 1.15, p.big, 60, bold=True, min_pt=24)
        _notice(slide, x + 0.2, 2.95, inner, 0.55, p, 12, narrow=True)
        _box(slide, x + 0.2, 3.4, inner, 1.15, p.label, label_pt, bold=True, min_pt=label_pt)
        if p.timepoint:
            when = p.timepoint[:1].upper() + p.timepoint[1:]
            _box(slide, x + 0.2, 4.6, inner, 0.58, when, when_pt, colour=MUTED, min_pt=when_pt)
        _box(slide, x + 0.2, 5.22, inner, 0.88, p.measures, measures_pt, colour=MUTED, min_pt=measures_pt)
    more = len(spec.panels) - n
    if more:
        _box(slide, 0.5, 6.12, 12.3, 0.28, f"{more} more on the following slides.", 11, colour=MUTED)
    shown = f"{spec.heading}. {spec.context}. " + " ".join(_panel_words(p) for p in spec.panels)
    where = " ".join(f"{p.label}: {p.locator}." for p in spec.panels)
    _finish(slide, _footer_line(spec), deck.licence_line, shown, where, deck.citations[0])


def _footer_line(spec: ImageSpec) -> str:
    return f"{spec.source_lines[0]} Full citation in the notes."


def _population(prs: object, deck: DeckSpec) -> None:
    pop = deck.population
    if pop is None:
        return
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(_layout(prs, TWO_CONTENT))  # type: ignore[attr-defined]
    _title(slide, pop.title, 36)
    _context(slide, pop.heading)
    bodies = [ph for ph in slide.placeholders if ph.placeholder_format.idx in (1, 2)]
    for i, (ph, heading, items) in enumerate(
        zip(bodies, ("Who took part", "How they were treated"), (pop.population, pop.regimen), strict=True)
    ):
        x = 0.5 + i * 6.25
        _box(slide, x, 1.85, 6.0, 0.5, heading, 22, bold=True, name=f"{heading} (heading)")
        ph.left, ph.top, ph.width, ph.height = Inches(x), Inches(2.4), Inches(6.0), Inches(3.9)
        frame = ph.text_frame
        text = "\n".join(items)
        size = _size_to_fit(text, (20, 18, 16, 14), 5.5, 3.9 - 0.1 * len(items))
        frame.word_wrap = True
        for k, item in enumerate(items):
            para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            para.level = 1
            para.space_before = Pt(4)
            run = para.add_run()
            run.text = item
            _style_run(run, size)
    shown = f"{pop.heading}. Who took part: {'; '.join(pop.population)}. How: {'; '.join(pop.regimen)}."
    _finish(
        slide,
        f"{pop.source_line} Full citation in the notes.",
        deck.licence_line,
        shown,
        pop.notes,
        pop.citation,
    )


def _figure_slide(prs: object, spec: ImageSpec, deck: DeckSpec, citation: str) -> None:
    p = spec.panels[0]
    slide = prs.slides.add_slide(_layout(prs, TITLE_ONLY))  # type: ignore[attr-defined]
    _title(slide, p.label, 40)
    context = "; ".join(q for q in (spec.context, p.timepoint) if q)
    _context(slide, f"{spec.heading}: {context}" if context else spec.heading)
    _accent(slide, 0.5, 2.0, 4.1, p.colour)
    _box(slide, 0.8, 1.85, 12.0, 2.6, p.big, 140, bold=True, min_pt=40)
    _box(slide, 0.8, 4.5, 12.0, 1.0, p.measures, 24, colour=MUTED, min_pt=14)
    _notice(slide, 0.8, 5.55, 12.0, 0.6, p, 20)
    _finish(
        slide,
        _footer_line(spec),
        deck.licence_line,
        f"{spec.heading}. {context}. {_panel_words(p)}",
        f"{p.label}: {p.locator}.",
        citation,
    )


def _widen_layouts(prs: object) -> None:
    """The template's master and layouts are drawn for 4:3: stretch their shapes across 16:9."""
    ratio = SLIDE_W_IN / TEMPLATE_W_IN
    master = prs.slide_master  # type: ignore[attr-defined]
    for holder in (master, *master.slide_layouts):
        for shape in holder.shapes:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = int(shape.left * ratio), int(shape.width * ratio)


def _made_at(released: str) -> dt.datetime:
    """The deck's time: SOURCE_DATE_EPOCH for a reproducible build, else the date of the site's
    version (so the same data gives the same bytes), else now (UTC, whole seconds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    elif released:
        when = dt.datetime.combine(dt.date.fromisoformat(released), dt.time(0, 0), tzinfo=dt.UTC)
    else:
        when = dt.datetime.now(dt.UTC)
    return when.replace(microsecond=0, tzinfo=None)


def _fit(text: str) -> str:
    """A core property: python-pptx refuses more than 255 characters."""
    return text if len(text) <= 255 else text[:254] + "\u2026"


def _set_properties(prs: object, deck: DeckSpec, slides: int) -> None:
    props = prs.core_properties  # type: ignore[attr-defined]
    made = _made_at(deck.released)
    props.title = _fit(deck.title)
    props.author = _fit(deck.author)
    props.last_modified_by = _fit(deck.author)
    props.subject = _fit(deck.subject)
    props.keywords = _fit(deck.keywords)
    props.comments = _fit(deck.comments)
    props.category = "Presentation kit"
    props.content_status = ""
    props.identifier = ""
    props.language = "en"
    props.version = _fit(deck.version)
    props.revision = 1
    props.created = made
    props.modified = made
    # docProps/app.xml is the template's ("Microsoft Macintosh PowerPoint", "On-screen Show (4:3)",
    # 0 slides): python-pptx leaves it alone, so it is written here with what is true of this deck.
    app = next(p for p in prs.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml")  # type: ignore[attr-defined]
    app._blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<TotalTime>0</TotalTime><Application>python-pptx</Application>"
        "<PresentationFormat>On-screen Show (16:9)</PresentationFormat>"
        f"<Slides>{slides}</Slides><Notes>{slides}</Notes><HiddenSlides>0</HiddenSlides>"
        f"<Company>{escape(deck.author)}</Company>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def _drop_template_extras(prs: object) -> None:
    """The template's thumbnail (a blank 4:3 slide) and its Mac printer settings describe nothing of
    this deck: their relationships go, so the parts are not written."""
    package = prs.part.package  # type: ignore[attr-defined]
    for rels in (package._rels, prs.part.rels):  # type: ignore[attr-defined]
        for rel in list(rels.values()):
            if rel.reltype.endswith(("/metadata/thumbnail", "/printerSettings")):
                rels.pop(rel.rId)


def _schema_slide(prs: object, deck: DeckSpec, spec: object, png: bytes) -> None:
    """The trial schema as a picture (drawn without its own title and footer) under the slide's
    one title, with the deck's footer, licence and notes; its words are the picture's description."""
    from pptx.util import Inches

    slide = prs.slides.add_slide(_layout(prs, TITLE_ONLY))  # type: ignore[attr-defined]
    _title(slide, spec.title, 36)  # type: ignore[attr-defined]
    top, bottom = Inches(1.3), Inches(6.35)
    height = bottom - top
    width = int(height * 16 / 9)
    left = int((prs.slide_width - width) / 2)  # type: ignore[attr-defined]
    picture = slide.shapes.add_picture(io.BytesIO(png), left, top, width=width, height=height)
    picture.name = "Trial schema"
    picture._element.nvPicPr.cNvPr.set("descr", spec.alt)  # type: ignore[attr-defined]
    source = f"{spec.source_lines[0]} Full citation in the notes."  # type: ignore[attr-defined]
    where = "the Study design page" + (f", {spec.address}" if spec.address else "")  # type: ignore[attr-defined]
    shown = f"{spec.alt} {spec.description}"  # type: ignore[attr-defined]
    _finish(slide, source, deck.licence_line, shown, where, deck.citations[0])


def render_deck(deck: DeckSpec, schema: tuple[object, bytes] | None = None) -> bytes:
    """The deck: key results, who was treated and how, one slide per headline figure, then the
    study's trial schema."""
    from pptx import Presentation
    from pptx.oxml.ns import qn
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width = Emu(SLIDE_W_EMU)
    prs.slide_height = Emu(SLIDE_H_EMU)
    size = prs.part._element.find(qn("p:sldSz"))  # type: ignore[attr-defined]
    if size is not None and "type" in size.attrib:
        del size.attrib["type"]  # python-pptx's template says screen4x3
    _widen_layouts(prs)
    _drop_template_extras(prs)
    _key_results_slide(prs, deck)
    _population(prs, deck)
    for spec, citation in zip(deck.figures, deck.citations[1:], strict=True):
        _figure_slide(prs, spec, deck, citation)
    if schema is not None:
        _schema_slide(prs, deck, *schema)
    _set_properties(prs, deck, len(prs.slides))
    buf = io.BytesIO()
    prs.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(deck: bytes) -> bytes:
    """The same deck with every part dated 1980-01-01 in the zip (python-pptx stamps each part with
    the time of saving): the same slides give the same bytes, so a second study, or a rebuild, leaves
    a study's deck exactly as it was."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(deck)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info))
    return out.getvalue()
