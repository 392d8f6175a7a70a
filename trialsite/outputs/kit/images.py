"""Draw a kit image (SVG and 1920x1080 PNG) from its description, with matplotlib's Agg backend.

Type is sized for the back of a room: values about 200 px and more, labels about 60 px. SVG text is
kept as text (`svg.fonttype: none`) so its words can be searched and checked; the font is the DejaVu
Sans that ships inside matplotlib, so a fresh machine draws the same thing. Output is deterministic:
no date in the metadata and a fixed salt for SVG ids.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from trialsite.outputs.kit.spec import INK, MUTED, TRACK, ImageSpec, Panel

WIDTH, HEIGHT, DPI = 1920, 1080, 100
MARGIN = 80
# Where the single-figure image draws its value: tests look for ink in this box (x0, y0, x1, y1).
VALUE_BOX = (MARGIN, 150, WIDTH - MARGIN, 470)

# SVG readers without DejaVu Sans fall back to their own sans-serif rather than a serif face.
FAMILY = ["DejaVu Sans", "sans-serif"]
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "trialsite-kit",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
}


def _pt(px: float) -> float:
    """matplotlib sizes type in points; at 100 dpi one pixel is 0.72 point."""
    return px * 72 / DPI


class _Canvas:
    """A 1920x1080 figure addressed in pixels from the top left, as a designer would lay it out."""

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        self.renderer = self.canvas.get_renderer()

    def width_of(self, text: str, px: float, weight: str = "normal") -> float:
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(family="DejaVu Sans", size=_pt(px), weight=weight)
        one_line = " ".join(text.split())  # as `text` draws it
        w, _, _ = self.renderer.get_text_width_height_descent(one_line, prop, ismath=False)
        return w

    def fit(self, text: str, px: float, max_width: float, weight: str = "bold") -> float:
        """The largest size up to `px` at which `text` fits on one line."""
        while px > 24 and self.width_of(text, px, weight) > max_width:
            px *= 0.92
        return px

    def wrap(self, text: str, px: float, max_width: float, weight: str = "normal") -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if current and self.width_of(trial, px, weight) > max_width:
                lines.append(current)
                current = word
            else:
                current = trial
        if current:
            lines.append(current)
        return lines

    def text(self, x: float, y: float, s: str, px: float, **kw: Any) -> None:
        """Text whose top-left corner (or `ha` side) sits at pixel (x, y), on one line: a newline in
        the data would otherwise start a second line over whatever is drawn below."""
        s = " ".join(s.split())
        kw.setdefault("color", INK)
        kw.setdefault("va", "top")
        self.fig.text(
            x / WIDTH, 1 - y / HEIGHT, s, fontsize=_pt(px), fontfamily=FAMILY, parse_math=False, **kw
        )

    def rect(self, x: float, y: float, w: float, h: float, colour: str) -> None:
        from matplotlib.patches import Rectangle

        self.fig.add_artist(
            Rectangle(
                (x / WIDTH, 1 - (y + h) / HEIGHT),
                w / WIDTH,
                h / HEIGHT,
                transform=self.fig.transFigure,
                facecolor=colour,
                edgecolor="none",
            )
        )

    def save(self, fmt: str, spec: ImageSpec) -> bytes:
        """The file, with its title, description, terms of reuse and address in its own metadata:
        PNG text chunks (Title, Description, Copyright, Source) or SVG Dublin Core (dc:rights,
        dc:source) with the licence as Creative Commons REL `cc:license`, as Inkscape writes it."""
        buf = io.BytesIO()
        metadata: dict[str, Any] = {"Title": spec.title, "Description": spec.alt}
        if spec.licence_line:
            metadata["Rights" if fmt == "svg" else "Copyright"] = f"{spec.licence_line} {spec.licence_url}"
        if spec.address:
            metadata["Source"] = spec.address
        if fmt == "svg":
            metadata["Date"] = None
        self.fig.savefig(buf, format=fmt, dpi=DPI, facecolor="white", metadata=metadata)
        out = buf.getvalue()
        if fmt == "svg" and spec.licence_url:
            licence = f'<cc:license rdf:resource="{escape(spec.licence_url, {chr(34): "&quot;"})}"/>'
            out = out.replace(b"</cc:Work>", f"{licence}\n   </cc:Work>".encode(), 1)
        return out


def _footer(c: _Canvas, lines: tuple[str, ...]) -> None:
    """The source block at the bottom (with the terms of reuse), above which nothing else is drawn."""
    px, leading = (30, 1.3) if len(lines) < 4 else (24, 1.25)
    y = HEIGHT - 50 - len(lines) * px * leading
    c.rect(MARGIN, y - 18, WIDTH - 2 * MARGIN, 3, TRACK)
    for line in lines:
        size = min(px, c.fit(line, px, WIDTH - 2 * MARGIN, weight="normal"))
        c.text(MARGIN, y, line, size, color=MUTED)
        y += px * leading


def _single(c: _Canvas, spec: ImageSpec) -> None:
    p = spec.panels[0]
    c.text(MARGIN, 60, spec.heading, 40, color=MUTED)
    c.rect(MARGIN, 125, 16, 609 if p.percent is not None else 560, p.colour)
    x = MARGIN + 60
    width = WIDTH - x - MARGIN
    c.text(x, VALUE_BOX[1], p.big, c.fit(p.big, 300, width), fontweight="bold")
    c.text(x, 460, p.label, c.fit(p.label, 76, width), fontweight="bold")
    y = 560.0
    for line in c.wrap(p.measures, 42, width)[:2]:
        c.text(x, y, line, 42, color=MUTED)
        y += 54
    if p.percent is not None:
        _meter(c, x, 690, min(width, 1200), p)
    if p.correction:  # under the bar, or where the bar would be
        _notice(c, x, 770 if p.percent is not None else 680, width, p, 40)


def _notice(c: _Canvas, x: float, y: float, width: float, p: Panel, px: float) -> float:
    """The correction notice in body ink with an accent rule under it, as the site shows it (in SVG
    a link to the entry); returns the y below it."""
    size = c.fit(p.correction or "", px, width, "normal")
    c.text(x, y, p.correction or "", size, url=p.correction_url)
    rule = min(width, c.width_of(p.correction or "", size))
    c.rect(x, y + size * 1.2, rule, max(3.0, size / 10), p.colour)
    return y + size * 1.2 + 12


def _meter(c: _Canvas, x: float, y: float, width: float, p: Panel) -> None:
    """A bar filled to the percentage: the number at a glance, never the only carrier of it."""
    c.rect(x, y, width, 44, TRACK)
    c.rect(x, y, width * max(0.0, min(p.percent or 0.0, 100.0)) / 100, 44, p.colour)


def _grid(c: _Canvas, spec: ImageSpec) -> None:
    c.text(MARGIN, 36, spec.title, 56, fontweight="bold")
    n = len(spec.panels)
    cols = 2 if n > 1 else 1
    rows = (n + cols - 1) // cols
    top, bottom = 118, 890
    cell_w = (WIDTH - 2 * MARGIN) / cols
    cell_h = (bottom - top) / rows
    # Room for one line of correction notice under the value, the same in every cell.
    notice_h = 56 if any(p.correction for p in spec.panels) else 0
    for i, p in enumerate(spec.panels):
        x = MARGIN + (i % cols) * cell_w
        y = top + (i // cols) * cell_h
        c.rect(x, y + 10, 14, cell_h - 40, p.colour)
        tx = x + 44
        width = cell_w - 44 - 40
        value_px = min(210.0, (cell_h - 150 - notice_h) * 0.9)
        c.text(tx, y, p.big, c.fit(p.big, value_px, width), fontweight="bold")
        label_lines = c.wrap(p.label, 60, width, weight="bold")[:2]
        ly = y + value_px * 1.02
        if p.correction:
            _notice(c, tx, ly - 6, width, p, 28)
        ly += notice_h
        for line in label_lines:
            c.text(tx, ly, line, 60, fontweight="bold")
            ly += 66
        c.text(
            tx, ly + 4, f"Where: {p.locator}", c.fit(f"Where: {p.locator}", 22, width, "normal"), color=MUTED
        )


def render(spec: ImageSpec, fmt: str) -> bytes:
    """The image as SVG or PNG bytes."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        c = _Canvas()
        if spec.name and len(spec.panels) == 1 and spec.name == spec.panels[0].figure_id:
            _single(c, spec)
        else:
            _grid(c, spec)
        _footer(c, spec.source_lines + ((spec.licence_line,) if spec.licence_line else ()))
        return c.save(fmt, spec)
