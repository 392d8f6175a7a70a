"""How a figure's reports read and compare: their labels, whether they agree and why they differ."""

from __future__ import annotations

from dataclasses import replace

from trialsite.data.model import (
    Comparison,
    Dataset,
    Figure,
    Report,
)
from trialsite.words.citing import source_short
from trialsite.words.corrections import correction_notice
from trialsite.words.titles import lower_first
from trialsite.words.values import count_words, report_value_text, value_text


def report_label(figure: Figure, report: Report) -> str:
    return report.label or figure.label


def report_measures(figure: Figure, report: Report) -> str:
    return report.measures or figure.measures


REASON_WORDS = {
    "lay-wording": "lay wording of a named endpoint",
    "definition": "different definitions",
    "time-point": "different time points",
    "starting-point": "different starting points",
    "data-cut": "different analyses or data cuts",
}


def agreement(figure: Figure) -> str:
    """One sentence on how a figure's reports relate: one source only, or agreement and difference."""
    if len(figure.reports) < 2:
        return "Stated by one source only."
    values = {value_text(replace(figure, value=r.value)) for r in figure.reports}
    n = len(figure.reports)
    count = count_words(n)
    c = figure.comparison
    if figure.kind == "qualitative":
        if c is None or c.same_measure is True:
            return f"The {count} reports say much the same, each in its own words."
        if c.same_measure is False:
            return f"The {count} reports, each in its own words, do not describe the same thing."
        return (
            f"The {count} reports, each in its own words; the sources do not say enough to tell "
            "whether they describe the same thing."
        )
    if len(values) == 1:
        said = f"All {count} reports give the same value" if n > 2 else "Both reports give the same value"
    else:
        said = f"The {count} reports give different values"
    if c is None or c.same_measure is True:
        if len(values) == 1:
            return f"{said}, for the same measure."
        return f"{said}." if c and c.reasons else f"{said}; the sources do not say why."
    if c.same_measure is False:
        return f"{said}, but not for the same measure."
    return f"{said}; the sources do not say enough to tell whether they measure the same thing."


def reasons_text(comparison: Comparison) -> str:
    return "; ".join(REASON_WORDS[r] for r in comparison.reasons)


def also_reported_text(data: Dataset, figure: Figure) -> str | None:
    """'Also reported as 97% for complete remission through course II by Wieduwilt MJ, et al. ...':
    the other reports, for a card or a download; None when one source states the figure."""
    if not figure.other_reports:
        return None
    parts = []
    for r in figure.other_reports:
        label = f" for {lower_first(r.label)}" if r.label else ""
        notice = correction_notice(data, r.target)
        corrected = f" ({notice.text})" if notice else ""
        by = source_short(data.source(r.source))
        parts.append(f"{report_value_text(figure, r)}{corrected}{label} by {by}")
    return "Also reported as " + "; ".join(parts)
