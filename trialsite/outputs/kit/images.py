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
GRID_MAX = 6  # panels on a key-results image; more would be too small to read from the back

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

    def clip(self, text: str, px: float, max_width: float, weight: str = "normal") -> str:
        """`text` cut at a word (with an ellipsis) to fit `max_width` at size `px`."""
        text = " ".join(text.split())
        if self.width_of(text, px, weight) <= max_width:
            return text
        words = text.split(" ")
        while len(words) > 1:
            words.pop()
            trial = " ".join(words).rstrip(" ,;:.") + "\u2026"
            if self.width_of(trial, px, weight) <= max_width:
                return trial
        while len(text) > 1 and self.width_of(text + "\u2026", px, weight) > max_width:
            text = text[:-1]  # one long word: cut within it
        return text + "\u2026"

    def line(
        self, x: float, y: float, s: str, px: float, width: float, weight: str = "normal", **kw: Any
    ) -> float:
        """One line that stays inside `width`: smaller type down to a floor, then cut at a word.
        Returns the size used."""
        size = self.fit(s, px, width, weight)
        size = max(size, min(px, 24))
        self.text(x, y, self.clip(s, size, width, weight), size, fontweight=weight, **kw)
        return size

    def lines(
        self,
        x: float,
        y: float,
        s: str,
        px: float,
        width: float,
        most: int,
        weight: str = "normal",
        **kw: Any,
    ) -> float:
        """Wrapped into at most `most` lines inside `width` (the last cut with an ellipsis if the text
        runs on); returns the y below the last line."""
        wrapped = self.wrap(s, px, width, weight)
        if len(wrapped) > most:
            wrapped = [*wrapped[: most - 1], " ".join(wrapped[most - 1 :])]
        for line in wrapped:
            self.text(x, y, self.clip(line, px, width, weight), px, fontweight=weight, **kw)
            y += px * 1.2
        return y

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
        described = " ".join(p for p in (spec.alt, getattr(spec, "description", "")) if p)
        metadata: dict[str, Any] = {"Title": spec.title, "Description": described}
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


def _footer(c: _Canvas, lines: tuple[str, ...]) -> float:
    """The source block at the bottom (one source line, the version's address, the terms of reuse),
    each line kept inside the margins; returns its top, above which everything else is drawn."""
    px, leading = (30, 1.3) if len(lines) < 4 else (24, 1.25)
    y = HEIGHT - 50 - len(lines) * px * leading
    top = y - 18
    c.rect(MARGIN, top, WIDTH - 2 * MARGIN, 3, TRACK)
    for line in lines:
        c.line(MARGIN, y, line, px, WIDTH - 2 * MARGIN, color=MUTED)
        y += px * leading
    return top


def _single(c: _Canvas, spec: ImageSpec) -> None:
    p = spec.panels[0]
    c.line(MARGIN, 60, spec.heading, 40, WIDTH - 2 * MARGIN, color=MUTED)
    x = MARGIN + 60
    width = WIDTH - x - MARGIN
    size = c.fit(p.big, 300, width)
    c.text(x, VALUE_BOX[1], c.clip(p.big, size, width, "bold"), size, fontweight="bold")
    c.line(x, 460, p.label, 76, width, weight="bold")
    # The result's context: how many patients, the design, the time point (as the sources state it).
    context = "; ".join(q for q in (spec.context, p.timepoint) if q)
    y = 560.0
    if context:
        c.line(x, y, context[:1].upper() + context[1:], 40, width, weight="bold", color=MUTED)
        y += 62
    y = c.lines(x, y, p.measures, 38, width, 2, color=MUTED)
    if p.percent is not None:
        _meter(c, x, y + 16, min(width, 1200), p)
        y += 16 + 44
    if p.correction:  # under the bar, or where the bar would be
        y = _notice(c, x, y + 20, width, p, 40)
    c.rect(MARGIN, 125, 16, y - 125, p.colour)


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
    c.line(MARGIN, 36, spec.title, 56, WIDTH - 2 * MARGIN, weight="bold")
    if spec.context:
        room = WIDTH - 2 * MARGIN - (WIDTH / 3 + 40 if len(spec.panels) > GRID_MAX else 0)
        c.line(MARGIN, 112, spec.context[:1].upper() + spec.context[1:], 32, room, color=MUTED)
    shown = spec.panels[:GRID_MAX]
    n = len(shown)
    cols = 2 if n > 1 else 1
    rows = (n + cols - 1) // cols
    top, bottom = 175, 880
    cell_w = (WIDTH - 2 * MARGIN) / cols
    cell_h = (bottom - top) / rows
    # Room for one line of correction notice under the value, the same in every cell.
    notice_h = 56 if any(p.correction for p in spec.panels) else 0
    if len(spec.panels) > n:  # the others are on their own images
        more = f"and {len(spec.panels) - n} more, each on its own image in the kit"
        c.line(WIDTH - MARGIN, 112, more, 28, WIDTH / 3, color=MUTED, ha="right")
    for i, p in enumerate(shown):
        x = MARGIN + (i % cols) * cell_w
        y = top + (i // cols) * cell_h
        c.rect(x, y + 10, 14, cell_h - 40, p.colour)
        tx = x + 44
        width = cell_w - 44 - 40
        value_px = max(24.0, min(190.0, (cell_h - 150 - notice_h) * 0.9))
        size = c.fit(p.big, value_px, width)
        c.text(tx, y, c.clip(p.big, size, width, "bold"), size, fontweight="bold")
        ly = y + value_px * 1.02
        if p.correction:
            _notice(c, tx, ly - 6, width, p, 28)
        ly += notice_h
        label_px = max(20.0, min(56.0, cell_h * 0.2))
        ly = c.lines(
            tx, ly, p.label, label_px, width, 1 if p.timepoint and cell_h < 340 else 2, weight="bold"
        )
        if p.timepoint:
            c.line(
                tx,
                ly + 2,
                p.timepoint[:1].upper() + p.timepoint[1:],
                min(30.0, label_px * 0.6),
                width,
                color=MUTED,
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
