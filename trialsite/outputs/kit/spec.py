"""What the presentation kit shows: one plain description per image, built from the data.

Images and slides are drawn from these descriptions only (see images.py and slides.py), so a
description's content is also what decides whether a cached image can be reused. Each study has its
own group: a key-results image of its own headline figures, one image per headline figure and a
slide deck, described from that study alone, so adding a study never changes another's files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from trialsite.context import BuildContext
from trialsite.data.model import Dataset, Figure, Study
from trialsite.urls import RESULTS, key_results_name
from trialsite.words.citing import NOT_REPORTED, source_short, source_with_locator, transcribed_from
from trialsite.words.corrections import correction_note
from trialsite.words.titles import lower_first
from trialsite.words.values import number, value_text

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
    # 'time point: one year after treatment' (or 'time point: not reported'): the result's context.
    timepoint: str = ""
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
    # Who and how many, as the sources state it: '33 patients treated; one group, no comparison group'.
    context: str = ""
    # The long description (what it measures, the source and where in it), shown under the image on
    # the Kit page and written into the file's metadata; `alt` is its short form (ALT_MAX).
    description: str = ""
    # The terms of reuse, as printed under the source lines and written into the file's metadata.
    licence_line: str = ""
    licence_url: str = ""
    # The public address of what the image shows ('' in a preview), for the file's metadata.
    address: str = ""

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
            "context": self.context,
            "description": self.description,
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
        return number(figure.value)
    return value_text(figure)


# A text alternative is read out in one breath: at most this many characters (the long description
# is shown beside the image and kept in the file's metadata).
ALT_MAX = 150


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word to at most `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    if " " in cut[1:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "\u2026"


def fit_parts(parts: list[str], limit: int, sep: str = " ") -> str:
    """The first part, then each further part in order while the whole stays within `limit`; the
    first part alone is shortened if it does not fit."""
    out = shorten(parts[0], limit) if parts else ""
    for part in parts[1:]:
        if part and len(out) + len(sep) + len(part) <= limit:
            out = f"{out}{sep}{part}"
    return out


def _alt(first: str, context: list[str]) -> str:
    """`first`, then the context in one sentence if it fits, else as much of it as fits (the time
    point first, then the number of patients, then the design)."""
    sentence = "; ".join(context)
    whole = f"{first} {sentence[:1].upper()}{sentence[1:]}." if context else first
    if len(whole) <= ALT_MAX:
        return whole
    pieces = [q for p in reversed(context) for q in p.split("; ")]
    return fit_parts([first, *(f"{q[:1].upper()}{q[1:]}." for q in pieces)], ALT_MAX)


def patients_phrase(study: Study) -> str | None:
    """'33 patients treated': the study's headline count, named by its label."""
    count = patients_figure(study)
    if count is None or not isinstance(count.value, int | float):
        return None
    return f"{number(count.value)} {count.label[:1].lower()}{count.label[1:]}"


def patients_figure(study: Study) -> Figure | None:
    """The study's headline count (how many were treated), if it has one."""
    return next((f for f in study.figures if f.kind == "count" and f.headline), None)


def study_context(study: Study, without: str | None = None) -> str:
    """'33 patients treated; one group, no comparison group': how many and in what design, as the
    sources state it (the study's `design`); the number left out on that figure's own image."""
    design = study.design[0].text if study.design else None
    count = patients_figure(study)
    patients = patients_phrase(study) if count is not None and count.id != without else None
    if patients and design:
        design = lower_first(design)  # one sentence: '33 patients treated; one group, ...'
    return "; ".join(p for p in (patients, design) if p)


def timepoint_phrase(figure: Figure) -> str:
    return f"time point: {figure.timepoint or NOT_REPORTED}"


def source_line(cites: list, data: Dataset) -> str:  # type: ignore[type-arg]
    """One short line naming the sources (not where in them: that is in the notes and on the site):
    'Source: EurekAlert! news release 1102627, reporting Wieduwilt MJ, et al. J Clin Oncol 2025.'"""
    names: list[str] = []
    for cite in cites:
        source = data.source(cite.source)
        name = source_short(source)
        if source.reports:
            name += f", reporting {source_short(data.source(source.reports))}"
        if name not in names:
            names.append(name)
    return f"Source: {'; '.join(names)}."


def drawn_for(release_words: str, url: str | None) -> str:
    """'A041703 Cohort 1: reported results, version 0.1.0: https://.../0.1.0/results/#remission'."""
    return ": ".join(p for p in (release_words, url) if p)


def _panel(figure: Figure, colour: str, data: Dataset, correction_url: CorrectionUrl) -> Panel:
    percent = (
        float(figure.value) if figure.kind == "percent" and isinstance(figure.value, int | float) else None
    )
    note = correction_note(data, figure.id)
    return Panel(
        figure_id=figure.id,
        big=big_value(figure),
        value_text=value_text(figure),
        label=figure.label,
        measures=figure.measures,
        percent=percent,
        colour=colour,
        locator=figure.cite.locator,
        timepoint="" if figure.kind == "count" else timepoint_phrase(figure),
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
    release_words: str = "",
) -> ImageSpec:
    """One result as drawn: its value with its context (how many patients, the design, the time
    point), one source line and the address of the version it was drawn for."""
    lines = [source_line([figure.cite], data)]
    address = drawn_for(release_words, url)
    if address:  # no address at all in a preview: a loopback or relative one means nothing on a slide
        lines.append(address)
    panel = _panel(figure, colour, data, correction_url)
    value = f"{panel.value_text} ({panel.correction})" if panel.correction else panel.value_text
    context = study_context(study, without=figure.id)
    alt = _alt(f"{figure.label}: {value}.", [p for p in (context, panel.timepoint) if p])
    where = source_with_locator(figure.cite, data)
    transcribed = transcribed_from(figure.cite, data)
    description = " ".join(
        p
        for p in (f"{figure.measures}", f"{_heading(study)}.", f"{where}.", transcribed and transcribed + ".")
        if p
    )
    return ImageSpec(
        name=figure.id,
        title=figure.label,
        heading=_heading(study),
        panels=(panel,),
        source_lines=tuple(lines),
        alt=alt,
        context=context,
        description=description,
        address=url or "",
    )


def key_results_spec(
    data: Dataset,
    study: Study,
    url: str | None,
    correction_url: CorrectionUrl = _no_url,
    release_words: str = "",
) -> ImageSpec:
    """The summary image of one study: its headline figures, with one shared source line."""
    figures = [f for f in study.figures if f.headline]
    panels = tuple(
        _panel(f, OKABE_ITO[i % len(OKABE_ITO)], data, correction_url) for i, f in enumerate(figures)
    )
    lines = [source_line([f.cite for f in figures], data)]
    address = drawn_for(release_words, url)
    if address:
        lines.append(address)
    context = study_context(study)

    count = patients_figure(study)

    def listed(short_notes: bool) -> list[str]:
        items = []
        for p in panels:
            if count is not None and p.figure_id == count.id and context:
                continue  # said in the context
            note = ("corrected" if short_notes else p.correction) if p.correction else None
            items.append(f"{p.label}: {p.value_text}" + (f" ({note})" if note else ""))
        return items

    head = f"Key results of {study.title}"
    alt = ""
    for short_notes in (False, True):
        alt = f"{head}: " + "; ".join(listed(short_notes)) + "."
        if len(alt) + len(context) + 2 <= ALT_MAX:
            break
    alt = _alt(alt, [context] if context else [])
    description = " ".join(
        f"{p.label}: {p.value_text} ({'; '.join(filter(None, (p.correction, p.timepoint, p.locator)))})."
        for p in panels
    )
    description = f"{_heading(study)}. {description} Where in the sources: under each figure."
    return ImageSpec(
        name=key_results_name(study.id),
        title=f"Key results: {study.title}",
        heading=_heading(study),
        panels=panels,
        source_lines=tuple(lines),
        alt=alt,
        context=context,
        description=description,
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
    the first figure of each study, so a study's images do not depend on the studies before it.
    Each image names the version it was drawn for, by that version's own address (not latest/)."""
    data = ctx.data
    urls = ctx.urls
    results_url = urls.this_version(urls.page(RESULTS))
    terms, licence_url = licence_line(data), data.release.licence.url if data.release else ""
    words = release_words(ctx)
    groups = []
    for study in data.studies:
        figures = [f for f in study.figures if f.headline]
        if not figures:
            continue
        images = [key_results_spec(data, study, results_url, ctx.correction_url, words)]
        images.extend(
            figure_spec(
                study,
                f,
                OKABE_ITO[i % len(OKABE_ITO)],
                data,
                figure_version_url(ctx, f.id),
                ctx.correction_url,
                words,
            )
            for i, f in enumerate(figures)
        )
        images = [replace(spec, licence_line=terms, licence_url=licence_url) for spec in images]
        groups.append(KitGroup(study, tuple(images)))
    return groups


def release_words(ctx: BuildContext) -> str:
    """'A041703 Cohort 1: reported results, version 0.1.0': the site and the version drawn for."""
    site = ctx.site
    version = ctx.data.release.version if ctx.data.release else None
    title = site.title if site and site.title else ""
    return ", ".join(p for p in (title, f"version {version}" if version else "") if p)


def figure_version_url(ctx: BuildContext, figure_id: str) -> str | None:
    """A figure's address in the version this build shows (its row on Results); None in a preview."""
    urls = ctx.urls
    return urls.this_version(f"{urls.page(RESULTS)}#{figure_id}")


def kit_specs(ctx: BuildContext) -> list[ImageSpec]:
    """Every image of the kit: each study's key-results image, then its figures' images."""
    return [spec for group in kit_groups(ctx) for spec in group.images]
