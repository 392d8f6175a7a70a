"""The trial schema: who was treated, what they got in what order, and what was measured when, as
far as the sources report it. One description per study, built from the data; drawn as SVG and
1920x1080 PNG for the Study design page and the kit, and as a slide in the deck.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.data.model import Dataset, Study
from trialsite.outputs.kit.spec import INK, MUTED, OKABE_ITO, TRACK, licence_line
from trialsite.urls import DESIGN


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
    licence_url: str = ""
    address: str = ""  # the Study design page's public address ('' in a preview)

    @property
    def short_alt(self) -> str:
        """The text alternative on a page (at most 150 characters); `alt` is the full description."""
        return wording.short_text(self.alt)

    def inputs(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "heading": self.heading,
            "boxes": tuple((b.title, b.lines, b.colour) for b in self.boxes),
            "source_lines": self.source_lines,
            "alt": self.alt,
            "licence": (self.licence_line, self.licence_url),
            "address": self.address,
        }


def schema_name(study: Study) -> str:
    return f"{study.id}-schema"


def _when(timepoint: str | None) -> str:
    return f"when: {timepoint}" if timepoint else f"when: {wording.NOT_REPORTED}"


def schema_spec(ctx: BuildContext, study: Study) -> SchemaSpec:
    data: Dataset = ctx.data
    patients = next((f for f in study.figures if f.kind == "count" and f.headline), None)
    who = list(study.population_criteria)
    if patients is not None:
        who.append(f"{patients.label}: {wording.value_text(patients)}")
    boxes = [Box("Who was treated", tuple(who), OKABE_ITO[0])]
    for i, step in enumerate(study.regimen_steps):
        cycles = study.figure(step.figure)
        first = "First" if i == 0 else "Then"
        boxes.append(
            Box(
                f"{first}: {step.drug}",
                (f"{wording.value_text(cycles)}, as the release reports it",),
                OKABE_ITO[(i + 1) % len(OKABE_ITO)],
            )
        )
    measured = tuple(
        f"{f.label} ({_when(f.timepoint)})" for f in study.figures if f.headline and f.kind != "count"
    )
    boxes.append(Box("What was measured", measured, OKABE_ITO[3]))
    shorts: list[str] = []
    for c in (study.population_cite, study.regimen_cite):
        short = wording.source_short(data.source(c.source))
        if short not in shorts:
            shorts.append(short)
    design = ctx.urls.page_public(DESIGN)  # no address at all in a preview
    lines = (f"Source: {'; '.join(shorts)} (where in it: on the Study design page).",)
    if design:
        lines += (design,)
    steps = " ".join(f"{b.title}: {'; '.join(b.lines)}." for b in boxes)
    alt = f"Trial schema of {study.title} ({study.registry_id}). {steps} " + " ".join(lines)
    return SchemaSpec(
        name=schema_name(study),
        title=f"Trial schema: {study.title}",
        heading=f"{study.title} ({study.registry_id})",
        boxes=tuple(boxes),
        source_lines=lines,
        alt=alt,
        licence_line=licence_line(data),
        licence_url=data.release.licence.url if data.release else "",
        address=design or "",
    )


def render(spec: SchemaSpec, fmt: str) -> bytes:
    """The schema as SVG or PNG: boxes left to right, joined by arrows, the source at the foot."""
    import matplotlib

    from trialsite.outputs.kit.images import _RC, MARGIN, WIDTH, _Canvas, _footer

    with matplotlib.rc_context(_RC):
        c = _Canvas()
        c.text(MARGIN, 40, spec.title, c.fit(spec.title, 56, WIDTH - 2 * MARGIN), fontweight="bold")
        n = len(spec.boxes)
        gap = 70
        width = (WIDTH - 2 * MARGIN - gap * (n - 1)) / n
        top = 170.0
        # Lay every box out first, so all share the height of the tallest.
        laid = []
        for box in spec.boxes:
            titles = c.wrap(box.title, 40, width - 40, weight="bold")[:3]
            items = [c.wrap(item, 28, width - 40)[:4] for item in box.lines]
            height = 40 + 50 * len(titles) + 20 + sum(34 * len(lines) + 12 for lines in items) + 20
            laid.append((box, titles, items, height))
        bottom = top + max(h for *_, h in laid)
        for i, (box, titles, items, _h) in enumerate(laid):
            x = MARGIN + i * (width + gap)
            c.rect(x, top, width, bottom - top, TRACK)
            c.rect(x, top, width, 14, box.colour)
            y = top + 40.0
            for line in titles:
                c.text(x + 20, y, line, 40, fontweight="bold")
                y += 50
            y += 20
            for lines in items:
                for line in lines:
                    c.text(x + 20, y, line, 28, color=INK)
                    y += 34
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
        _footer(c, spec.source_lines + ((spec.licence_line,) if spec.licence_line else ()))
        return c.save(fmt, spec)  # type: ignore[arg-type]
