"""How a value reads in words: one function per question, shared by every page and output."""

from __future__ import annotations

from dataclasses import dataclass, replace

from trialsite.data.model import (
    Citation,
    Correction,
    CyclesValue,
    Dataset,
    Figure,
    RangeValue,
    Source,
    Study,
)
from trialsite.data.targets import FigureTarget, SourceFieldTarget, Target

NOT_REPORTED = "not reported"


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def value_text(figure: Figure) -> str:
    """The value with its unit, as a reader says it: '97%', '33 patients', '60 to 84 years'."""
    v = figure.value
    unit = f" {figure.unit}" if figure.unit else ""
    if figure.kind == "percent":
        return f"{number(v)}%"  # type: ignore[arg-type]
    if isinstance(v, RangeValue):
        return f"{number(v.low)} to {number(v.high)}{unit}"
    if isinstance(v, CyclesValue):
        if v.min is None:
            return f"up to {v.max}{unit}"
        if v.min == v.max:
            return f"{v.max}{unit}"
        joiner = " or " if v.max == v.min + 1 else " to "
        return f"{v.min}{joiner}{v.max}{unit}"
    if isinstance(v, str):
        return v
    return f"{number(v)}{unit}"


def derived_text(figure: Figure) -> str | None:
    """The count the build derived from a percent, worded so it is never taken for a reported one."""
    d = figure.derived
    if d is None:
        return None
    return f"{d.count} of {d.denominator} (derived by this site: {d.explanation})"


def or_not_reported(value: str | None) -> str:
    return value if value else NOT_REPORTED


def authors_short(source: Source) -> str | None:
    """'Wieduwilt MJ, et al.': never presents a partial author list as complete."""
    if not source.authors:
        return None
    names = [f"{a.family} {''.join(p[0] for p in a.given.replace('.', ' ').split())}" for a in source.authors]
    text = ", ".join(names)
    return text if source.authors_complete else f"{text}, et al."


def source_short(source: Source) -> str:
    """A short citation for inline use."""
    if source.kind == "journal-article":
        year = source.issued[:4] if source.issued else "n.d."
        who = authors_short(source) or source.container_short
        return f"{who} {source.container_short} {year}"
    if source.kind == "news-release":
        num = f" {source.number}" if source.number else ""
        return f"{source.container} news release{num}"
    return f"{source.container} {source.number or ''}".strip()


def figure_sentence(figure: Figure, study: Study, data: Dataset, url: str | None = None) -> str:
    """One line a presenter can paste: value (with its correction notice, if any), what it measures,
    study, short source and, when given, the figure's absolute address."""
    source = data.source(figure.cite.source)
    via = f", reporting {source_short(data.source(source.reports))}" if source.reports else ""
    where = f" {url}" if url else ""
    note = correction_note(data, figure.id)
    corrected = f" ({note})" if note else ""
    return (
        f"{figure.label}: {value_text(figure)}{corrected}. {figure.measures} "
        f"{study.title} ({study.registry_id}). Source: {source_short(source)}{via}.{where}"
    )


# --- corrections -----------------------------------------------------------------------------
# Every output (pages, downloads, images, citations) asks these functions, so a corrected value
# carries the same notice wherever it is shown.


def latest_correction(data: Dataset, target: Target) -> Correction | None:
    """The newest log entry for a target, if it was corrected."""
    return next((c for c in reversed(data.corrections) if c.target == target), None)


def correction_value_text(data: Dataset, correction: Correction, which: str = "previous") -> str:
    """A corrected value ('previous' or 'new') worded as the site words the value itself."""
    value = correction.previous if which == "previous" else correction.new
    figure_id = correction.figure_id
    if figure_id is not None and figure_id in data.figures_by_id:
        return value_text(replace(data.figure(figure_id), value=value))  # type: ignore[arg-type]
    return or_not_reported(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Notice:
    """The notice of a corrected value, and its parts for formats that keep them in separate fields
    (figures.csv, JSON-LD, slides): every output takes all of them from `correction_notice`."""

    text: str  # "Corrected on 2026-11-25; previously 97%"
    date: str
    previous: str  # the previous value, worded as the site words the value
    entry_id: str  # the entry's anchor on the Corrections page


def correction_notice(data: Dataset, target: Target) -> Notice | None:
    """The notice for a target; None if it was never corrected. A figure whose denominator figure
    was corrected later than the figure itself carries that correction's notice: its value still
    stands, but what it is a share of changed."""
    own = latest_correction(data, target)
    figure = data.figures_by_id.get(target.figure_id) if isinstance(target, FigureTarget) else None
    base = figure.denominator_figure if figure else None
    via = latest_correction(data, FigureTarget(base)) if base else None
    if via is not None and (own is None or data.corrections.index(via) > data.corrections.index(own)):
        label = data.figure(base).label.lower() if base in data.figures_by_id else base
        before = correction_value_text(data, via)
        return Notice(
            f"Denominator corrected on {via.date}: {label} previously {before}", via.date, "", via.id
        )
    if own is None:
        return None
    previous = correction_value_text(data, own)
    return Notice(f"Corrected on {own.date}; previously {previous}", own.date, previous, own.id)


def correction_note(data: Dataset, figure_id: str) -> str | None:
    """'Corrected on 2026-11-25; previously 97%' for a corrected figure; None for any other."""
    notice = correction_notice(data, FigureTarget(figure_id))
    return notice.text if notice else None


def correction_subject(data: Dataset, correction: Correction) -> str:
    """What an entry corrected, in words: 'Remission' or 'J Clin Oncol 2025: DOI'."""
    figure_id = correction.figure_id
    if figure_id is not None:
        return data.figure(figure_id).label if figure_id in data.figures_by_id else figure_id
    target = correction.target
    assert isinstance(target, SourceFieldTarget)
    source_id = target.source_id
    label = target.field.replace("_", " ")
    label = label.upper() if label == "doi" else label
    try:
        return f"{source_short(data.source(source_id))}: {label}"
    except StopIteration:
        return f"{source_id}: {label}"


KIND_WORDS = {
    "news-release": "news release",
    "journal-article": "article",
    "registry-record": "registry record",
}


def source_with_locator(cite: Citation, data: Dataset) -> str:
    """'Source: EurekAlert! news release 1102627, section ...': the short citation and where in it."""
    return f"Source: {source_short(data.source(cite.source))}, {cite.locator}"


def transcribed_from(cite: Citation, data: Dataset) -> str | None:
    """Says that a figure was copied from a secondary source, and what that source reports."""
    source = data.source(cite.source)
    if not source.reports:
        return None
    reported = data.source(source.reports)
    return f"Transcribed from the {KIND_WORDS[source.kind]} reporting {source_short(reported)}"
