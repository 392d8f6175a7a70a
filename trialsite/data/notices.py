"""Which correction a value's notice tells of: a rule about the corrections log, the same for every
page and file that shows the value (its wording is `trialsite.words.corrections`)."""

from __future__ import annotations

from dataclasses import dataclass

from trialsite.data.model import Correction, Dataset
from trialsite.data.targets import FigureTarget, Target


def latest_correction(data: Dataset, target: Target) -> Correction | None:
    """The newest log entry for a target, if it was corrected."""
    return next((c for c in reversed(data.corrections) if c.target == target), None)


def is_addition(correction: Correction) -> bool:
    """True when the entry fills in a value that was not reported (a DOI, the authors): it is then
    worded "added", not "corrected; previously not reported"."""
    return correction.previous is None or correction.previous == ()


@dataclass(frozen=True)
class Applicable:
    """The log entry a target's notice tells of, and the denominator figure's id when that entry
    corrected the figure's denominator rather than the figure itself."""

    correction: Correction
    denominator: str | None = None


def applicable_correction(data: Dataset, target: Target) -> Applicable | None:
    """The entry a target's notice tells of; None if it was never corrected. A figure whose
    denominator figure was corrected later than the figure itself carries that correction's notice:
    its value still stands, but what it is a share of changed."""
    own = latest_correction(data, target)
    figure = data.figures_by_id.get(target.figure_id) if isinstance(target, FigureTarget) else None
    base = figure.denominator_figure if figure else None
    via = latest_correction(data, FigureTarget(base)) if base else None
    if via is not None and (own is None or data.corrections.index(via) > data.corrections.index(own)):
        return Applicable(via, base)
    if own is None:
        return None
    return Applicable(own)
