"""The one line a presenter pastes under a figure: its value, the study, the source and the address."""

from __future__ import annotations

from trialsite.data.model import (
    Dataset,
    Figure,
    Study,
)
from trialsite.words.citing import article_short, provenance, source_short
from trialsite.words.corrections import correction_note
from trialsite.words.values import value_text


def figure_sentence(
    figure: Figure, study: Study, data: Dataset, url: str | None = None, *, site: str | None = None
) -> str:
    """One line a presenter can paste: the value (with its correction notice, if any), what it
    measures, the study, the article that reports it, the news release it was transcribed from (with
    how the site knows the value), the site with its version ('A041703 Cohort 1: reported results,
    version 0.1.0') and the figure's permanent address."""
    source = data.source(figure.cite.source)
    reported = data.source(source.reports) if source.reports else source
    note = correction_note(data, figure.id)
    corrected = f" ({note})" if note else ""
    parts = [f"{figure.label}: {value_text(figure)}{corrected}. {figure.measures}"]
    parts.append(f"{study.title} ({study.registry_id}).")
    # How the site knows the value ('news release about the article', 'conference abstract, read in
    # two independent copies'), in parentheses after the source it was read in.
    known = provenance(data, figure.primary) if figure.reports else None
    how = f" ({known})" if known else ""
    if reported.kind == "journal-article":
        parts.append(f"{'Reported in' if source.reports else 'Source'}: {article_short(reported)}")
    else:
        parts.append(f"Source: {source_short(reported)}")
    if source.reports:
        parts[-1] += "."
        parts.append(f"Transcribed from: {source_short(source)}")
    parts[-1] += f"{how}."
    where = ", ".join(p for p in (site, url) if p)
    if where:
        parts.append(f"{'Site: ' if site else ''}{where}")
    return " ".join(parts)
