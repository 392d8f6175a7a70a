"""Lay out a kit image (SVG and 1920x1080 PNG) from its description, on the canvas of canvas.py.

Type is sized for the back of a room: values about 200 px and more, labels about 60 px. Every text
is measured in the font it is drawn in, so each line is set smaller or cut at a word to stay inside
its box.
"""

from __future__ import annotations

from trialsite.outputs.kit.canvas import HEIGHT, WIDTH, Canvas
from trialsite.outputs.kit.spec import MUTED, TRACK, ImageSpec, Panel

MARGIN = 80
# Where the single-figure image draws its value: tests look for ink in this box (x0, y0, x1, y1).
VALUE_BOX = (MARGIN, 150, WIDTH - MARGIN, 470)
GRID_MAX = 6  # panels on a key-results image; more would be too small to read from the back

__all__ = ["GRID_MAX", "HEIGHT", "MARGIN", "VALUE_BOX", "WIDTH", "layout", "render"]


def _footer(c: Canvas, lines: tuple[str, ...]) -> float:
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


def _single(c: Canvas, spec: ImageSpec) -> None:
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


def _notice(c: Canvas, x: float, y: float, width: float, p: Panel, px: float) -> float:
    """The correction notice in body ink with an accent rule under it, as the site shows it (in SVG
    a link to the entry); returns the y below it."""
    size = c.fit(p.correction or "", px, width, "normal")
    c.text(x, y, p.correction or "", size, url=p.correction_url)
    rule = min(width, c.width_of(p.correction or "", size))
    c.rect(x, y + size * 1.2, rule, max(3.0, size / 10), p.colour)
    return y + size * 1.2 + 12


def _meter(c: Canvas, x: float, y: float, width: float, p: Panel) -> None:
    """A bar filled to the percentage: the number at a glance, never the only carrier of it."""
    c.rect(x, y, width, 44, TRACK)
    c.rect(x, y, width * max(0.0, min(p.percent or 0.0, 100.0)) / 100, 44, p.colour)


def _grid(c: Canvas, spec: ImageSpec) -> None:
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


def layout(spec: ImageSpec) -> Canvas:
    """The image as boxes and lines of text, before it is written out."""
    c = Canvas()
    if spec.name and len(spec.panels) == 1 and spec.name == spec.panels[0].figure_id:
        _single(c, spec)
    else:
        _grid(c, spec)
    _footer(c, spec.source_lines + ((spec.licence_line,) if spec.licence_line else ()))
    return c


def render(spec: ImageSpec, fmt: str) -> bytes:
    """The image as SVG or PNG bytes."""
    return layout(spec).save(fmt, spec)
