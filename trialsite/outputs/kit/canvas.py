"""A 1920x1080 drawing addressed in pixels from the top left: boxes and one-line texts, written as SVG
by a Jinja template (autoescaped) and rasterised to PNG by resvg (the `resvg-py` wheel, no system
library).

Text is measured with the font it is drawn in: DejaVu Sans, vendored under fonts/ with its licence,
measured by Pillow and loaded explicitly into resvg (system fonts are skipped), so every machine lays
out and draws the same thing. Widths use Pillow's basic layout, which leaves out kerning: a measured
width is never less than the drawn one (resvg kerns), so a line that fits when measured fits drawn.
SVG text stays text, so its words can be searched and checked; output is deterministic.
"""

from __future__ import annotations

import functools
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

WIDTH, HEIGHT, DPI = 1920, 1080, 100
FONTS = Path(__file__).with_name("fonts")
FONT_FILES = {"normal": FONTS / "DejaVuSans.ttf", "bold": FONTS / "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu Sans"
TEMPLATES = Path(__file__).with_name("templates")
_UNITS = 1000  # fonts are measured at this size in pixels and scaled: widths are linear in size
# Characters XML 1.0 cannot hold (a control character in the data would make the SVG unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@functools.cache
def _font(weight: str) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_FILES[weight]), _UNITS, layout_engine=ImageFont.Layout.BASIC)


@functools.cache
def _advance(text: str, weight: str) -> float:
    """Width of `text` at _UNITS pixels (memoised: wrapping measures the same words again and again)."""
    return float(_font(weight).getlength(text))


@functools.cache
def _vertical(weight: str) -> tuple[float, float]:
    """Height of 'l' above the baseline and depth of 'p' below it, per pixel of size: where a line's
    top and bottom are when it is placed by its top (as a designer lays it out) or its middle."""
    font = _font(weight)
    top = -font.getbbox("l", anchor="ls")[1] / _UNITS
    bottom = font.getbbox("p", anchor="ls")[3] / _UNITS
    return top, bottom


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Text:
    """One line of text; `box` is where its letters stand (x0, y0, x1, y1), for the layout checks."""

    x: float
    baseline: float
    text: str
    size: float
    weight: str
    fill: str
    anchor: str
    url: str | None
    box: tuple[float, float, float, float]


_ANCHOR = {"left": "start", "center": "middle", "right": "end"}


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["n"] = lambda v: f"{v:.2f}".rstrip("0").rstrip(".")
    return env.get_template("kit.svg.j2")


class Canvas:
    """What is drawn, in order (each element over the ones before it), and how to measure text."""

    def __init__(self) -> None:
        self.elements: list[Rect | Text] = []

    def width_of(self, text: str, px: float, weight: str = "normal") -> float:
        return _advance(" ".join(text.split()), weight) * px / _UNITS

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
        for line in self.wrap_most(s, px, width, most, weight):
            self.text(x, y, line, px, fontweight=weight, **kw)
            y += px * 1.2
        return y

    def wrap_most(self, s: str, px: float, width: float, most: int, weight: str = "normal") -> list[str]:
        """`s` wrapped into at most `most` lines, each inside `width`: the last cut with an ellipsis
        if the text runs on, and a word longer than the line cut within it."""
        wrapped = self.wrap(s, px, width, weight)
        if len(wrapped) > most:
            wrapped = [*wrapped[: most - 1], " ".join(wrapped[most - 1 :])]
        return [self.clip(line, px, width, weight) for line in wrapped]

    def run_on(self, line: str, px: float, width: float, weight: str = "normal") -> str:
        """`line` ended with an ellipsis inside `width`: the text goes on beyond what is shown."""
        words = line.removesuffix("\u2026").split(" ")
        while len(words) > 1:
            trial = " ".join(words).rstrip(" ,;:.") + "\u2026"
            if self.width_of(trial, px, weight) <= width:
                return trial
            words.pop()
        return self.clip(words[0] + " \u2026", px, width, weight)

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

    def text(
        self,
        x: float,
        y: float,
        s: str,
        px: float,
        fontweight: str = "normal",
        color: str = "#1A1A1A",
        ha: str = "left",
        va: str = "top",
        url: str | None = None,
    ) -> None:
        """Text whose top (or middle, `va`) at its left (or `ha` side) sits at pixel (x, y), on one
        line: a newline in the data would otherwise start a second line over whatever is below."""
        s = _NOT_XML.sub("", " ".join(s.split()))
        top, bottom = _vertical(fontweight)
        baseline = y + top * px if va == "top" else y + (top - bottom) / 2 * px
        width = self.width_of(s, px, fontweight)
        x0 = {"left": x, "center": x - width / 2, "right": x - width}[ha]
        box = (x0, baseline - top * px, x0 + width, baseline + bottom * px)
        self.elements.append(Text(x, baseline, s, px, fontweight, color.lower(), _ANCHOR[ha], url, box))

    def rect(self, x: float, y: float, w: float, h: float, colour: str) -> None:
        self.elements.append(Rect(x, y, w, h, colour.lower()))

    def svg(self, spec: Any, in_points: bool = True) -> str:
        """The drawing as SVG, with its title, description, terms of reuse and address in its own
        metadata: Dublin Core (dc:rights, dc:source) with the licence as Creative Commons REL
        `cc:license`, as Inkscape writes it. Sized as before (1382.4 x 777.6 pt, 1920 x 1080 px at
        100 dpi); `in_points=False` gives the size in pixels, which is what resvg-py reads."""
        rights = f"{spec.licence_line} {spec.licence_url}" if spec.licence_line else ""
        return _template().render(
            width=WIDTH,
            height=HEIGHT,
            size=(f"{WIDTH * 72 / DPI:g}pt", f"{HEIGHT * 72 / DPI:g}pt") if in_points else (WIDTH, HEIGHT),
            family=FAMILY,
            title=_NOT_XML.sub("", spec.title),
            description=_NOT_XML.sub("", _described(spec)),
            rights=_NOT_XML.sub("", rights),
            source=spec.address,
            licence_url=spec.licence_url,
            elements=self.elements,
        )

    def save(self, fmt: str, spec: Any) -> bytes:
        """SVG or PNG bytes; the PNG is the SVG rasterised, with the same metadata as PNG text chunks
        (Title, Description, Copyright, Source) and its resolution (100 dpi)."""
        if fmt == "svg":
            return self.svg(spec).encode("utf-8")
        import resvg_py

        png = resvg_py.svg_to_bytes(
            svg_string=self.svg(spec, in_points=False),
            width=WIDTH,
            height=HEIGHT,
            skip_system_fonts=True,
            font_files=[str(p) for p in FONT_FILES.values()],
            font_family=FAMILY,
            sans_serif_family=FAMILY,
        )
        chunks = {"Title": spec.title, "Description": _described(spec)}
        if spec.licence_line:
            chunks["Copyright"] = f"{spec.licence_line} {spec.licence_url}"
        if spec.address:
            chunks["Source"] = spec.address
        return _with_chunks(bytes(png), chunks)


def _described(spec: Any) -> str:
    return " ".join(p for p in (spec.alt, getattr(spec, "description", "")) if p)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _with_chunks(png: bytes, text: dict[str, str]) -> bytes:
    """`png` with a pHYs chunk (100 dpi) and one text chunk per entry after its header: tEXt when
    Latin-1 holds the text, else iTXt in UTF-8, as Pillow and matplotlib write them. No re-encoding."""
    header_end = 8 + 8 + 13 + 4  # signature, IHDR's length and type, its 13 bytes, its CRC
    per_metre = round(DPI / 0.0254)
    extra = [_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))]
    for key, value in text.items():
        value = _NOT_XML.sub("", value)
        try:
            extra.append(_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1")))
        except UnicodeEncodeError:
            extra.append(_chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")))
    return png[:header_end] + b"".join(extra) + png[header_end:]
