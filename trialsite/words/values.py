"""A figure's value in words: the value with its unit, its intervals, a number as a reader reads it."""

from __future__ import annotations

from dataclasses import replace

from trialsite.data.model import (
    CyclesValue,
    Figure,
    Interval,
    RangeValue,
    Report,
)
from trialsite.data.values import exact

_COUNT_WORDS = {2: "two", 3: "three", 4: "four"}


def count_words(n: int) -> str:
    """A small count as a reader says it ('two', 'three', 'four'); a larger one in digits."""
    return _COUNT_WORDS.get(n, str(n))


def number(value: float) -> str:
    return exact(value)


def grouped(value: float) -> str:
    """A number as a reader reads it, thousands grouped: '3,200', '38,000'; 71 stays '71'."""
    return f"{int(value):,}" if float(value).is_integer() and abs(value) >= 1000 else number(value)


def value_text(figure: Figure, *, with_unit: bool = True) -> str:
    """The value with its unit, as a reader says it: '97%', '33 patients', '60 to 84 years'; without
    it ('97', '33', '60 to 84') for prose that writes the unit itself (`[[fig:ID|number]]`)."""
    v = figure.value
    unit = f" {figure.unit}" if figure.unit and with_unit else ""
    if figure.kind == "percent":
        return f"{number(v)}%" if with_unit else number(v)  # type: ignore[arg-type]
    if isinstance(v, RangeValue):
        return f"{grouped(v.low)} to {grouped(v.high)}{unit}"
    if isinstance(v, CyclesValue):
        if v.min is None:
            return f"up to {v.max}{unit}"
        if v.min == v.max:
            return f"{v.max}{unit}"
        joiner = " or " if v.max == v.min + 1 else " to "
        return f"{v.min}{joiner}{v.max}{unit}"
    if isinstance(v, str):
        return v
    if v == 1 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]  # '1 patient', '1 dose'
    return f"{grouped(v)}{unit}"


def derived_text(figure: Figure) -> str | None:
    """The count the build derived from a percent, worded so it is never taken for a reported one."""
    d = figure.derived
    if d is None:
        return None
    return f"{d.count} of {d.denominator} (derived by this site: {d.explanation})"


def report_value_text(figure: Figure, report: Report) -> str:
    """A report's value worded as the figure's value is ('84%', '60 to 84 years')."""
    return value_text(replace(figure, value=report.value))


def interval_text(figure: Figure, interval: Interval) -> str:
    """'95% CI 61 to 92%' or 'two-sided 90% CI 63 to 89%'."""
    unit = "%" if figure.kind == "percent" else f" {figure.unit}" if figure.unit else ""
    sided = f"{interval.sided} " if interval.sided else ""
    return f"{sided}{number(interval.level)}% CI {number(interval.low)} to {number(interval.high)}{unit}"
