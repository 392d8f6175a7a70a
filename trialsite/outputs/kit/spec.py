"""What the presentation kit shows: one plain description per image, built from the data.

Images and slides are drawn from these descriptions only (see images.py and slides.py), so a
description's content is also what decides whether a cached image can be reused. Each study has its
own group: a key-results image of its own headline figures, one image per headline figure and a
slide deck, described from that study alone, so adding a study never changes another's files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.data.model import Dataset, Figure, Study
from trialsite.urls import RESULTS, key_results_name

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
    # The terms of reuse, as printed under the source lines and written into the file's metadata.
    licence_line: str = ""
    licence_url: str = ""
    # The public address of what the image shows ('' in a preview), for the file's metadata.
    address: str = ""

    @property
    def short_alt(self) -> str:
        """The text alternative on a page (at most 150 characters); `alt` is the full description."""
        return wording.short_text(self.alt)

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
            "licence_line": self.licence_line,
            "licence_url": self.licence_url,
            "address": self.address,
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
    url: str | None,
    correction_url: CorrectionUrl = _no_url,
) -> ImageSpec:
    transcribed = wording.transcribed_from(figure.cite, data)
    lines = [wording.source_with_locator(figure.cite, data) + "."]
    if transcribed:
        lines.append(transcribed + ".")
    if url:  # none in a preview: a loopback or relative address means nothing on a slide
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
        address=url or "",
    )


def key_results_spec(
    data: Dataset, study: Study, url: str | None, correction_url: CorrectionUrl = _no_url
) -> ImageSpec:
    """The summary image of one study: its headline figures, with one shared source line."""
    figures = [f for f in study.figures if f.headline]
    panels = tuple(
        _panel(f, OKABE_ITO[i % len(OKABE_ITO)], data, correction_url) for i, f in enumerate(figures)
    )
    sources: list[str] = []
    transcribed: list[str] = []
    for f in figures:
        short = wording.source_short(data.source(f.cite.source))
        if short not in sources:
            sources.append(short)
        t = wording.transcribed_from(f.cite, data)
        if t and t not in transcribed:
            transcribed.append(t)
    lines = [f"Source: {'; '.join(sources)} (where in it: under each figure)."]
    lines.extend(t + "." for t in transcribed)
    if url:
        lines.append(url)
    listed = "; ".join(
        f"{p.label}: {p.value_text} ({'; '.join(filter(None, (p.correction, p.locator)))})" for p in panels
    )
    alt = f"Key results of {_heading(study)}. {listed}. " + " ".join(lines)
    return ImageSpec(
        name=key_results_name(study.id),
        title=f"Key results: {study.title}",
        heading=_heading(study),
        panels=panels,
        source_lines=tuple(lines),
        alt=alt,
        address=url or "",
    )


def licence_line(data: Dataset) -> str:
    """The terms of reuse printed on every image: the site's licence and publisher (data/site.yaml)."""
    release = data.release
    if release is None:
        return ""
    return f"Licence: {release.licence.name} ({release.licence.id}). Publisher: {release.publisher}."


@dataclass(frozen=True)
class KitGroup:
    """One study's part of the kit: its key-results image first, then one image per headline
    figure, all in its slide deck."""

    study: Study
    images: tuple[ImageSpec, ...]

    @property
    def deck(self) -> str:
        """The deck's file name under kit/."""
        return f"{key_results_name(self.study.id)}.pptx"


def kit_groups(ctx: BuildContext) -> list[KitGroup]:
    """A group for each study that has headline figures, in the studies' order. Colours count from
    the first figure of each study, so a study's images do not depend on the studies before it."""
    data = ctx.data
    results_url = ctx.urls.page_public(RESULTS)
    terms, licence_url = licence_line(data), data.release.licence.url if data.release else ""
    groups = []
    for study in data.studies:
        figures = [f for f in study.figures if f.headline]
        if not figures:
            continue
        images = [key_results_spec(data, study, results_url, ctx.correction_url)]
        images.extend(
            figure_spec(
                study,
                f,
                OKABE_ITO[i % len(OKABE_ITO)],
                data,
                ctx.urls.figure_public(f.id),
                ctx.correction_url,
            )
            for i, f in enumerate(figures)
        )
        images = [replace(spec, licence_line=terms, licence_url=licence_url) for spec in images]
        groups.append(KitGroup(study, tuple(images)))
    return groups


def kit_specs(ctx: BuildContext) -> list[ImageSpec]:
    """Every image of the kit: each study's key-results image, then its figures' images."""
    return [spec for group in kit_groups(ctx) for spec in group.images]
