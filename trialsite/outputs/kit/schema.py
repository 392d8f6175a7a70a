"""The trial schema: who was treated, what they got in what order, and what was measured when, as
far as the sources report it. One description per study, built from the data; drawn as SVG and
1920x1080 PNG for the Study design page and the kit, and as a slide in the deck.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialsite.context import BuildContext
from trialsite.data.model import Dataset, Study
from trialsite.outputs.kit.canvas import Canvas
from trialsite.outputs.kit.spec import (
    ALT_MAX,
    INK,
    MUTED,
    OKABE_ITO,
    TRACK,
    drawn_for,
    licence_line,
    release_words,
    shorten,
)
from trialsite.urls import DESIGN
from trialsite.words.citing import NOT_REPORTED, source_short
from trialsite.words.values import value_text


@dataclass(frozen=True)
class Box:
    title: str
    lines: tuple[str, ...]
    colour: str


@dataclass(frozen=True)
class SchemaSpec:
    name: str
    title: str
    heading: str
    boxes: tuple[Box, ...]
    source_lines: tuple[str, ...]
    alt: str
    licence_line: str = ""
    description: str = ""  # the long description shown under the image on the Kit page
    licence_url: str = ""
    address: str = ""  # the Study design page's public address ('' in a preview)

    def inputs(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "heading": self.heading,
            "boxes": tuple((b.title, b.lines, b.colour) for b in self.boxes),
            "source_lines": self.source_lines,
            "alt": self.alt,
            "description": self.description,
            "licence": (self.licence_line, self.licence_url),
            "address": self.address,
        }


def schema_name(study: Study) -> str:
    return f"{study.id}-schema"


def _when(timepoint: str | None) -> str:
    return f"when: {timepoint}" if timepoint else f"when: {NOT_REPORTED}"


def schema_spec(ctx: BuildContext, study: Study) -> SchemaSpec:
    data: Dataset = ctx.data
    patients = next((f for f in study.figures if f.kind == "count" and f.headline), None)
    who = list(study.population_criteria)
    if patients is not None:
        who.append(f"{patients.label}: {value_text(patients)}")
    boxes = [Box("Who was treated", tuple(who), OKABE_ITO[0])]
    for i, step in enumerate(study.regimen_steps):
        cycles = study.figure(step.figure)
        first = "First" if i == 0 else "Then"
        boxes.append(
            Box(
                f"{first}: {step.drug}",
                (f"{value_text(cycles)}, as the release reports it",),
                OKABE_ITO[(i + 1) % len(OKABE_ITO)],
            )
        )
    measured = tuple(
        f"{f.label} ({_when(f.timepoint)})" for f in study.figures if f.headline and f.kind != "count"
    )
    boxes.append(Box("What was measured", measured, OKABE_ITO[3]))
    shorts: list[str] = []
    for c in (study.population_cite, study.regimen_cite):
        short = source_short(data.source(c.source))
        if short not in shorts:
            shorts.append(short)
    # This version's own Study design page (no address at all in a preview), where each part's
    # place in its source is given.
    design = ctx.urls.this_version(ctx.urls.page(DESIGN))
    lines = (f"Source: {'; '.join(shorts)}.",)
    address = drawn_for(release_words(ctx), design)
    if address:
        lines += (address,)
    steps = " ".join(f"{b.title}: {'; '.join(b.lines)}." for b in boxes)
    description = f"Trial schema of {study.title} ({study.registry_id}). {steps} " + " ".join(lines)
    order = ", then ".join(b.title.split(": ", 1)[-1] for b in boxes[1:-1])
    alt = f"Trial schema of {study.title}: who was treated; first {order}; what was measured and when."
    alt = shorten(alt, ALT_MAX)
    return SchemaSpec(
        name=schema_name(study),
        title=f"Trial schema: {study.title}",
        heading=f"{study.title} ({study.registry_id})",
        boxes=tuple(boxes),
        source_lines=lines,
        alt=alt,
        description=description,
        licence_line=licence_line(data),
        licence_url=data.release.licence.url if data.release else "",
        address=design or "",
    )


def render(spec: SchemaSpec, fmt: str, bare: bool = False) -> bytes:
    """The schema as SVG or PNG: boxes left to right, joined by arrows, the source at the foot.
    `bare` leaves out the title and the footer, for the slide that has its own."""
    return layout(spec, bare).save(fmt, spec)


def layout(spec: SchemaSpec, bare: bool = False) -> Canvas:
    """The schema as boxes and lines of text, before it is written out."""
    from trialsite.outputs.kit.images import HEIGHT, MARGIN, WIDTH, _footer

    c = Canvas()
    footer = () if bare else spec.source_lines + ((spec.licence_line,) if spec.licence_line else ())
    floor = _footer(c, footer) - 20 if footer else HEIGHT - 40
    if not bare:
        c.line(MARGIN, 40, spec.title, 56, WIDTH - 2 * MARGIN, weight="bold")
    n = len(spec.boxes)
    gap = 70
    width = (WIDTH - 2 * MARGIN - gap * (n - 1)) / n
    top = 60.0 if bare else 170.0
    # Lay every box out first, so all share the height of the tallest.
    laid = []
    # On a slide (bare) the picture is shown smaller: larger type, the boxes centred.
    tpx, ipx = (40, 30) if bare else (40, 28)
    for box in spec.boxes:
        titles = c.wrap_most(box.title, tpx, width - 40, 3, weight="bold")
        items = [c.wrap_most(item, ipx, width - 40, 6 if bare else 4) for item in box.lines]
        height = 40 + tpx * 1.25 * len(titles) + 20 + sum(ipx * 1.2 * len(lines) + 12 for lines in items) + 20
        laid.append((box, titles, items, height))
    tallest = max(h for *_, h in laid)
    if bare:
        top = max(20.0, (HEIGHT - tallest) / 2)
    bottom = min(top + tallest, floor)
    for i, (box, titles, items, _h) in enumerate(laid):
        x = MARGIN + i * (width + gap)
        c.rect(x, top, width, bottom - top, TRACK)
        c.rect(x, top, width, 14, box.colour)
        y = top + 40.0
        for line in titles:
            if y + tpx * 1.25 > bottom:
                break
            c.text(x + 20, y, line, tpx, fontweight="bold")
            y += tpx * 1.25
        y += 20
        for lines in items:
            room = int((bottom - y) // (ipx * 1.2))  # never below the box (nor over the footer)
            if room <= 0:
                break
            if len(lines) > room:  # cut short: the last line shown says the text goes on
                lines = [*lines[: room - 1], c.run_on(lines[room - 1], ipx, width - 40)]
            for line in lines:
                c.text(x + 20, y, line, ipx, color=INK)
                y += ipx * 1.2
            y += 12
        if i < n - 1:  # the arrow to the next box
            c.text(
                x + width + gap / 2,
                (top + bottom) / 2,
                "\u2192",
                60,
                color=MUTED,
                ha="center",
                va="center",
            )
    return c
