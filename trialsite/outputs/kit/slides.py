"""The kit's slide deck (16:9, python-pptx): a key-results slide and one slide per headline figure.

Values are slide text, not pictures, so a presenter can restyle them; each slide's footer and
speaker notes carry the source line, so the citation travels with every slide that is reused.
"""

from __future__ import annotations

import io

from trialsite.outputs.kit.spec import INK, MUTED, ImageSpec, Panel

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
FOOTER_NAME = "Source footer"


def _rgb(hex_colour: str) -> object:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#"))


def _box(slide: object, x: float, y: float, w: float, h: float, text: str, pt: int, **kw: object) -> object:
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))  # type: ignore[attr-defined]
    frame = shape.text_frame
    frame.word_wrap = True
    lines = text.split("\n")
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.size = Pt(pt)
        run.font.bold = bool(kw.get("bold"))
        run.font.color.rgb = _rgb(str(kw.get("colour", INK)))
        run.font.name = "Calibri"
        if kw.get("link"):
            run.hyperlink.address = str(kw["link"])
    if kw.get("name"):
        shape.name = str(kw["name"])
    return shape


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


def _finish(slide: object, spec: ImageSpec) -> None:
    _box(slide, 0.5, 6.45, 12.3, 0.9, "\n".join(spec.source_lines), 12, colour=MUTED, name=FOOTER_NAME)
    notes = slide.notes_slide.notes_text_frame  # type: ignore[attr-defined]
    notes.text = f"{spec.alt}\n\nCite as: " + " ".join(spec.source_lines)


def _key_results_slide(prs: object, spec: ImageSpec) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # type: ignore[attr-defined]
    _box(slide, 0.5, 0.3, 12.3, 0.8, spec.title, 32, bold=True)
    n = len(spec.panels)
    width = 12.3 / max(n, 1)
    for i, p in enumerate(spec.panels):
        x = 0.5 + i * width
        _accent(slide, x, 1.5, 4.5, p.colour)
        _box(slide, x + 0.2, 1.4, width - 0.3, 1.6, p.big, 66, bold=True)
        _notice(slide, x + 0.2, 2.4, width - 0.3, 0.6, p, 14, narrow=True)
        _box(slide, x + 0.2, 3.0, width - 0.3, 1.2, p.label, 22, bold=True)
        _box(slide, x + 0.2, 4.3, width - 0.3, 1.1, p.measures, 14, colour=MUTED)
        _box(slide, x + 0.2, 5.45, width - 0.3, 0.9, f"Where: {p.locator}", 10, colour=MUTED)
    _finish(slide, spec)


def _figure_slide(prs: object, spec: ImageSpec) -> None:
    p = spec.panels[0]
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # type: ignore[attr-defined]
    _box(slide, 0.5, 0.3, 12.3, 0.6, spec.heading, 20, colour=MUTED)
    _accent(slide, 0.5, 1.1, 4.9, p.colour)
    _box(slide, 0.8, 0.9, 12.0, 2.6, p.big, 150, bold=True)
    _box(slide, 0.8, 3.6, 12.0, 1.0, p.label, 40, bold=True)
    _box(slide, 0.8, 4.6, 12.0, 1.4, p.measures, 22, colour=MUTED)
    _notice(slide, 0.8, 5.55, 12.0, 0.6, p, 20)
    _finish(slide, spec)


def render_deck(specs: list[ImageSpec]) -> bytes:
    """The deck: the first spec is the key-results slide, the others one figure each."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width = Inches(SLIDE_W_IN)
    prs.slide_height = Inches(SLIDE_H_IN)
    prs.core_properties.title = specs[0].title
    prs.core_properties.author = "Generated from the site's data"
    _key_results_slide(prs, specs[0])
    for spec in specs[1:]:
        _figure_slide(prs, spec)
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
