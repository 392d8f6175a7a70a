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

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.data.model import Source, Study
from trialsite.outputs.kit.spec import INK, MUTED, ImageSpec, Panel, headline_figures
from trialsite.urls import DESIGN

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
TEMPLATE_W_IN = 10.0  # python-pptx's template is 4:3; its layouts are widened to 16:9
FOOTER_NAME = "Source footer"
LICENCE_NAME = "Licence"
# python-pptx's template layouts, by name (indexes differ between templates).
TITLE_ONLY, TWO_CONTENT = "Title Only", "Two Content"


@dataclass(frozen=True)
class PopulationSlide:
    """Who was treated and how, as bullet points, with where each part was reported."""

    title: str
    heading: str
    population: tuple[str, ...]
    regimen: tuple[str, ...]
    source_lines: tuple[str, ...]
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
    issuer = f" ({wording.authors_list(source.authors)})" if source.authors else ""
    return f"{wording.source_short(source)}{issuer}"


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
        note = wording.correction_note(data, figure_id)
        return wording.value_text(f) + (f" ({note})" if note else "")

    population = [study.population_summary]
    population += list(study.population_criteria)
    # Counts and ranges describe who was treated (how many, what ages); each is named by its label.
    counts = [f for f in study.figures if f.kind in ("count", "range")]
    population += [f"{f.label}: {shown(f.id)}" for f in counts]
    regimen = [study.regimen_summary]
    regimen += [
        f"{step.drug[:1].upper()}{step.drug[1:]}: {shown(step.figure)}" for step in study.regimen_steps
    ]
    steps = [data.figure(step.figure) for step in study.regimen_steps]
    cites = [study.population_cite, *(f.cite for f in counts), study.regimen_cite, *(f.cite for f in steps)]
    by_source: dict[str, list[str]] = {}
    for c in cites:  # one line a source, each place in it once
        places = by_source.setdefault(c.source, [])
        if c.locator not in places:
            places.append(c.locator)
    lines = [
        f"Source: {wording.source_short(data.source(sid))}, {'; '.join(places)}."
        for sid, places in by_source.items()
    ]
    transcribed = wording.transcribed_from(study.regimen_cite, data)
    if transcribed:
        lines.append(transcribed + ".")
    url = ctx.urls.page_absolute(DESIGN)
    lines.append(url)
    source = data.source(study.regimen_cite.source)
    article = data.source(source.reports) if source.reports else source
    parts = [f"{study.title} ({study.registry_id})."]
    if article.kind == "journal-article":
        parts.append(f"Reported in: {wording.article_short(article)}.")
    if source.reports:
        parts.append(f"Transcribed from: {_release_words(source)}.")
    parts.append(", ".join(p for p in (f"Site: {site_named}" if site_named else None, url) if p))
    return PopulationSlide(
        title="Who was treated, and how",
        heading=f"{study.title} ({study.registry_id})",
        population=tuple(population),
        regimen=tuple(regimen),
        source_lines=tuple(lines),
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
    figure_citations = []
    for spec in specs[1:]:
        figure = data.figure(spec.panels[0].figure_id)
        figure_study = ctx.study_of(figure.id)
        url = ctx.urls.figure_public(figure.id)
        figure_citations.append(wording.figure_sentence(figure, figure_study, data, url=url, site=named))
    article = data.source(study.publication)
    key_citation = [f"{study.title} ({study.registry_id}). Reported in: {wording.article_short(article)}."]
    for s in data.sources:
        if s.reports == article.id:
            key_citation.append(f"Transcribed from: {_release_words(s)}.")
    key_citation.append(
        ", ".join(p for p in (f"Site: {named}" if named else None, specs[0].source_lines[-1]) if p)
    )
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
        figures=tuple(specs[1:]),
        citations=(" ".join(key_citation), *figure_citations),
    )


# --- drawing --------------------------------------------------------------------------------------


def _rgb(hex_colour: str) -> object:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#"))


def _style_run(run: object, pt: int, **kw: object) -> None:
    from pptx.util import Pt

    font = run.font  # type: ignore[attr-defined]
    font.size = Pt(pt)
    font.bold = bool(kw.get("bold"))
    font.color.rgb = _rgb(str(kw.get("colour", INK)))
    font.name = "Calibri"
    if kw.get("link"):
        run.hyperlink.address = str(kw["link"])  # type: ignore[attr-defined]


def _fill(frame: object, text: str, pt: int, **kw: object) -> None:
    """Text into a text frame, one paragraph a line, every run styled alike."""
    frame.word_wrap = True  # type: ignore[attr-defined]
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()  # type: ignore[attr-defined]
        if i == 0:
            para.clear()
        run = para.add_run()
        run.text = line
        _style_run(run, pt, **kw)


def _box(slide: object, x: float, y: float, w: float, h: float, text: str, pt: int, **kw: object) -> object:
    from pptx.util import Inches

    shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))  # type: ignore[attr-defined]
    _fill(shape.text_frame, text, pt, **kw)
    if kw.get("name"):
        shape.name = str(kw["name"])
    return shape


def _title(slide: object, text: str, pt: int, y: float = 0.3, h: float = 0.9) -> None:
    """The slide's title in its title placeholder, placed and sized for this deck."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    title = slide.shapes.title  # type: ignore[attr-defined]
    title.left, title.top, title.width, title.height = Inches(0.5), Inches(y), Inches(12.3), Inches(h)
    _fill(title.text_frame, text, pt, bold=True)
    for para in title.text_frame.paragraphs:
        para.alignment = PP_ALIGN.LEFT


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


def _finish(slide: object, source_lines: tuple[str, ...], licence: str, shown: str, citation: str) -> None:
    """Footer (source lines and licence) and speaker notes: what the slide shows, and one citation."""
    _box(slide, 0.5, 6.3, 12.3, 0.85, "\n".join(source_lines), 11, colour=MUTED, name=FOOTER_NAME)
    if licence:
        _box(slide, 0.5, 7.1, 12.3, 0.3, licence, 9, colour=MUTED, name=LICENCE_NAME)
    notes = slide.notes_slide.notes_text_frame  # type: ignore[attr-defined]
    notes.text = f"{shown}\n\nCitation: {citation}"


def _panel_words(p: Panel) -> str:
    corrected = f" ({p.correction})" if p.correction else ""
    return f"{p.label}: {p.value_text}{corrected}. {p.measures}"


def _layout(prs: object, name: str) -> object:
    return next(layout for layout in prs.slide_layouts if layout.name == name)  # type: ignore[attr-defined]


def _key_results_slide(prs: object, deck: DeckSpec) -> None:
    spec = deck.key_results
    slide = prs.slides.add_slide(_layout(prs, TITLE_ONLY))  # type: ignore[attr-defined]
    _title(slide, spec.title, 32)
    n = len(spec.panels)
    width = 12.3 / max(n, 1)
    for i, p in enumerate(spec.panels):
        x = 0.5 + i * width
        _accent(slide, x, 1.5, 4.5, p.colour)
        _box(slide, x + 0.2, 1.4, width - 0.3, 1.6, p.big, 66, bold=True)
        _notice(slide, x + 0.2, 2.4, width - 0.3, 0.6, p, 14, narrow=True)
        _box(slide, x + 0.2, 3.0, width - 0.3, 1.2, p.label, 22, bold=True)
        _box(slide, x + 0.2, 4.3, width - 0.3, 1.1, p.measures, 14, colour=MUTED)
        _box(slide, x + 0.2, 5.45, width - 0.3, 0.8, f"Where: {p.locator}", 10, colour=MUTED)
    shown = f"{spec.heading}. " + " ".join(_panel_words(p) for p in spec.panels)
    _finish(slide, spec.source_lines, deck.licence_line, shown, deck.citations[0])


def _population(prs: object, deck: DeckSpec) -> None:
    pop = deck.population
    if pop is None:
        return
    slide = prs.slides.add_slide(_layout(prs, TWO_CONTENT))  # type: ignore[attr-defined]
    _title(slide, pop.title, 36, h=0.8)
    _box(slide, 0.5, 1.05, 12.3, 0.5, pop.heading, 18, colour=MUTED)
    from pptx.util import Inches

    bodies = [ph for ph in slide.placeholders if ph.placeholder_format.idx in (1, 2)]
    for i, (ph, heading, items) in enumerate(
        zip(bodies, ("Who was treated", "How they were treated"), (pop.population, pop.regimen), strict=True)
    ):
        ph.left, ph.top, ph.width, ph.height = Inches(0.5 + i * 6.25), Inches(1.65), Inches(6.0), Inches(4.55)
        frame = ph.text_frame
        _fill(frame, heading, 22, bold=True)
        for item in items:
            para = frame.add_paragraph()
            para.level = 1
            run = para.add_run()
            run.text = item
            _style_run(run, 16)
    shown = f"{pop.heading}. Who was treated: {'; '.join(pop.population)}. How: {'; '.join(pop.regimen)}."
    _finish(slide, pop.source_lines, deck.licence_line, shown, pop.citation)


def _figure_slide(prs: object, spec: ImageSpec, deck: DeckSpec, citation: str) -> None:
    p = spec.panels[0]
    slide = prs.slides.add_slide(_layout(prs, TITLE_ONLY))  # type: ignore[attr-defined]
    _title(slide, p.label, 40, h=0.8)
    _box(slide, 0.5, 1.05, 12.3, 0.5, spec.heading, 18, colour=MUTED)
    _accent(slide, 0.5, 1.75, 3.75, p.colour)
    _box(slide, 0.8, 1.55, 12.0, 2.4, p.big, 140, bold=True)
    _box(slide, 0.8, 4.1, 12.0, 1.3, p.measures, 22, colour=MUTED)
    _notice(slide, 0.8, 5.45, 12.0, 0.6, p, 20)
    _finish(slide, spec.source_lines, deck.licence_line, f"{spec.heading}. {_panel_words(p)}", citation)


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
    """The trial schema as a picture under a real title placeholder, with the deck's footer,
    licence and notes; its words are the picture's description and the notes."""
    from pptx.util import Inches

    slide = prs.slides.add_slide(_layout(prs, TITLE_ONLY))  # type: ignore[attr-defined]
    slide.shapes.title.text = spec.title  # type: ignore[attr-defined]
    top, bottom = Inches(1.3), Inches(6.25)
    height = bottom - top
    width = int(height * 16 / 9)
    left = int((prs.slide_width - width) / 2)  # type: ignore[attr-defined]
    picture = slide.shapes.add_picture(io.BytesIO(png), left, top, width=width, height=height)
    picture.name = "Trial schema"
    picture._element.nvPicPr.cNvPr.set("descr", spec.alt)  # type: ignore[attr-defined]
    _finish(slide, spec.source_lines, deck.licence_line, spec.alt, deck.citations[0])  # type: ignore[attr-defined]


def render_deck(deck: DeckSpec, schema: tuple[object, bytes] | None = None) -> bytes:
    """The deck: key results, who was treated and how, one slide per headline figure, then the
    study's trial schema."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width = Inches(SLIDE_W_IN)
    prs.slide_height = Inches(SLIDE_H_IN)
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
