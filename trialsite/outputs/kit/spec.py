"""What the presentation kit shows: one plain description per image, built from the data.

Images and slides are drawn from these descriptions only (see images.py and slides.py), so a
description's content is also what decides whether a cached image can be reused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.data.model import Dataset, Figure, Study
from trialsite.urls import RESULTS

KEY_RESULTS = "key-results"

# Okabe-Ito colours (safe for the common colour-vision deficiencies), used only as accents: every
# word and number is drawn in near-black on white.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
INK = "#1A1A1A"
MUTED = "#3D3D3D"
TRACK = "#E3E3E3"


@dataclass(frozen=True)
class Panel:
    """One figure as drawn: the big value, its name, what it measures and where it was reported."""

    figure_id: str
    big: str
    value_text: str
    label: str
    measures: str
    percent: float | None
    colour: str
    locator: str
    # "Corrected on DATE; previously VALUE" and its entry's address, for a corrected figure. Part of
    # the description, so a correction also changes the cache key and the image is drawn again.
    correction: str | None = None
    correction_url: str | None = None


@dataclass(frozen=True)
class ImageSpec:
    """Everything an image shows, as text; `name` is its file stem under kit/."""

    name: str
    title: str
    heading: str
    panels: tuple[Panel, ...]
    source_lines: tuple[str, ...]
    alt: str

    def inputs(self) -> dict[str, object]:
        """What the image shows, as plain data for the cache key. By hand, not dataclasses.asdict,
        which deep-copies every value and was most of the kit's time in a large build."""
        return {
            "name": self.name,
            "title": self.title,
            "heading": self.heading,
            "panels": tuple(dict(vars(panel)) for panel in self.panels),
            "source_lines": self.source_lines,
            "alt": self.alt,
        }


# The address of a figure's entry on the Corrections page (BuildContext.correction_url), by figure id.
CorrectionUrl = Callable[[str], "str | None"]


def _no_url(_figure_id: str) -> str | None:
    return None


def headline_figures(data: Dataset) -> list[tuple[Study, Figure]]:
    return [(s, f) for s in data.studies for f in s.figures if f.headline]


def big_value(figure: Figure) -> str:
    """The value as printed large: '97%', or a bare count whose unit the label already says."""
    if figure.kind == "count" and isinstance(figure.value, int | float):
        return wording.number(figure.value)
    return wording.value_text(figure)


def _panel(figure: Figure, colour: str, data: Dataset, correction_url: CorrectionUrl) -> Panel:
    percent = (
        float(figure.value) if figure.kind == "percent" and isinstance(figure.value, int | float) else None
    )
    note = wording.correction_note(data, figure.id)
    return Panel(
        figure_id=figure.id,
        big=big_value(figure),
        value_text=wording.value_text(figure),
        label=figure.label,
        measures=figure.measures,
        percent=percent,
        colour=colour,
        locator=figure.cite.locator,
        correction=note,
        correction_url=correction_url(figure.id) if note else None,
    )


def _heading(study: Study) -> str:
    return f"{study.title} ({study.registry_id})"


def figure_spec(
    study: Study,
    figure: Figure,
    colour: str,
    data: Dataset,
    url: str,
    correction_url: CorrectionUrl = _no_url,
) -> ImageSpec:
    transcribed = wording.transcribed_from(figure.cite, data)
    lines = [wording.source_with_locator(figure.cite, data) + "."]
    if transcribed:
        lines.append(transcribed + ".")
    lines.append(url)
    panel = _panel(figure, colour, data, correction_url)
    value = f"{panel.value_text} ({panel.correction})" if panel.correction else panel.value_text
    alt = f"{figure.label}: {value}. {figure.measures} {_heading(study)}. " + " ".join(lines)
    return ImageSpec(
        name=figure.id,
        title=figure.label,
        heading=_heading(study),
        panels=(panel,),
        source_lines=tuple(lines),
        alt=alt,
    )


def key_results_spec(
    data: Dataset, figures: list[tuple[Study, Figure]], url: str, correction_url: CorrectionUrl = _no_url
) -> ImageSpec:
    """The summary image: every headline figure of the (first) study, with one shared source line."""
    study = figures[0][0]
    panels = tuple(
        _panel(f, OKABE_ITO[i % len(OKABE_ITO)], data, correction_url) for i, (_, f) in enumerate(figures)
    )
    sources: list[str] = []
    transcribed: list[str] = []
    for _, f in figures:
        short = wording.source_short(data.source(f.cite.source))
        if short not in sources:
            sources.append(short)
        t = wording.transcribed_from(f.cite, data)
        if t and t not in transcribed:
            transcribed.append(t)
    lines = [f"Source: {'; '.join(sources)} (where in it: under each figure)."]
    lines.extend(t + "." for t in transcribed)
    lines.append(url)
    listed = "; ".join(
        f"{p.label}: {p.value_text} ({'; '.join(filter(None, (p.correction, p.locator)))})" for p in panels
    )
    alt = f"Key results of {_heading(study)}. {listed}. " + " ".join(lines)
    return ImageSpec(
        name=KEY_RESULTS,
        title=f"Key results: {study.title}",
        heading=_heading(study),
        panels=panels,
        source_lines=tuple(lines),
        alt=alt,
    )


def kit_specs(ctx: BuildContext) -> list[ImageSpec]:
    """The key-results image first, then one image per headline figure."""
    data = ctx.data
    figures = headline_figures(data)
    if not figures:
        return []
    results_url = ctx.urls.page_absolute(RESULTS)
    specs = [key_results_spec(data, figures, results_url, ctx.correction_url)]
    specs.extend(
        figure_spec(study, f, OKABE_ITO[i % len(OKABE_ITO)], data, ctx.urls.figure(f.id), ctx.correction_url)
        for i, (study, f) in enumerate(figures)
    )
    return specs


def slides_name(data: Dataset) -> str:
    """The slide deck's file name: the study id, so another study gets its own deck."""
    study = headline_figures(data)[0][0]
    return f"{study.id}-key-results.pptx"
