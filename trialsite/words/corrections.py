"""A correction in words: the notice beside a corrected value, what an entry corrected and how.
Which correction a value's notice tells of is a rule about the data (`trialsite.data.notices`);
every output (pages, downloads, images, citations) asks these functions, so a corrected value
carries the same notice wherever it is shown."""

from __future__ import annotations

from dataclasses import dataclass, replace

from trialsite.data.model import (
    Correction,
    Dataset,
)
from trialsite.data.notices import applicable_correction, is_addition
from trialsite.data.targets import FigureTarget, ReportTarget, SourceFieldTarget, Target
from trialsite.words.citing import authors_list, or_not_reported, source_short
from trialsite.words.values import value_text


def correction_value_text(data: Dataset, correction: Correction, which: str = "previous") -> str:
    """A corrected value ('previous' or 'new') worded as the site words the value itself."""
    value = correction.previous if which == "previous" else correction.new
    figure_id = correction.figure_id
    if figure_id is not None and figure_id in data.figures_by_id:
        return value_text(replace(data.figure(figure_id), value=value))  # type: ignore[arg-type]
    if isinstance(value, bool):
        return "complete" if value else "incomplete"  # the one flag: authors_complete
    if isinstance(value, tuple):
        return authors_list(value)
    return or_not_reported(value)  # type: ignore[arg-type]


def correction_verb(correction: Correction) -> str:
    """'added', 'corrected', or for the author list's flag 'marked complete' / 'marked incomplete'."""
    if isinstance(correction.new, bool):
        return "marked complete" if correction.new else "marked incomplete"
    return "added" if is_addition(correction) else "corrected"


@dataclass(frozen=True)
class Notice:
    """The notice of a corrected value, and its parts for formats that keep them in separate fields
    (figures.csv, JSON-LD, slides): every output takes all of them from `correction_notice`."""

    text: str  # "Corrected on 2026-11-25; previously 97%", or "Added on 2026-11-25" for a filled-in value
    date: str
    previous: str  # the previous value, worded as the site words the value
    entry_id: str  # the entry's anchor on the Corrections page


def correction_notice(data: Dataset, target: Target) -> Notice | None:
    """The notice for a target, in words; None if it was never corrected. Which entry it tells of
    (the target's own, or its denominator figure's) is `trialsite.data.notices`."""
    applicable = applicable_correction(data, target)
    if applicable is None:
        return None
    entry, base = applicable.correction, applicable.denominator
    if base is not None:
        label = data.figure(base).label.lower() if base in data.figures_by_id else base
        before = correction_value_text(data, entry)
        return Notice(
            f"Denominator corrected on {entry.date}: {label} previously {before}", entry.date, "", entry.id
        )
    previous = correction_value_text(data, entry)
    if isinstance(entry.new, bool):  # the author list's flag: said as what happened, for readers
        text = f"Author list {correction_verb(entry)} on {entry.date}"
    elif is_addition(entry):
        text = f"Added on {entry.date}"
    else:
        text = f"Corrected on {entry.date}; previously {previous}"
    return Notice(text, entry.date, previous, entry.id)


def correction_note(data: Dataset, figure_id: str) -> str | None:
    """'Corrected on 2026-11-25; previously 97%' for a corrected figure; None for any other."""
    notice = correction_notice(data, FigureTarget(figure_id))
    return notice.text if notice else None


def correction_subject(data: Dataset, correction: Correction) -> str:
    """What an entry corrected, in words: 'Remission' or 'J Clin Oncol 2025: DOI'."""
    figure_id = correction.figure_id
    target = correction.target
    if isinstance(target, ReportTarget):
        label = data.figure(target.figure_id).label if target.figure_id in data.figures_by_id else figure_id
        try:
            by = source_short(data.source(target.source_id))
        except StopIteration:
            by = target.source_id
        return f"{label}, as reported by {by}"
    if figure_id is not None:
        return data.figure(figure_id).label if figure_id in data.figures_by_id else figure_id
    assert isinstance(target, SourceFieldTarget)
    source_id = target.source_id
    label = target.field.replace("_", " ")
    label = label.upper() if label == "doi" else label
    label = "author list" if target.field == "authors_complete" else label
    try:
        return f"{source_short(data.source(source_id))}: {label}"
    except StopIteration:
        return f"{source_id}: {label}"
