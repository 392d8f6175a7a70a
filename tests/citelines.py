"""The line each "Copy citation" button should copy, spelled out from the data and the public address
independently of present.figure_sentence, so the tests check that function instead of repeating it.
A preview build (no public address: the test suite's own build) copies no address at all."""

from __future__ import annotations

from conftest import ROOT

from trialsite import wording as present
from trialsite.context import load_settings
from trialsite.data.model import Dataset
from trialsite.urls import is_preview_address


def expected_citation_lines(data: Dataset) -> dict[str, str]:
    url = load_settings(ROOT / "mkdocs.yml").url
    site_url = "" if is_preview_address(url) else f"{url.rstrip('/')}/latest/"
    lines = {}
    for study in data.studies:
        for f in study.figures:
            source = data.source(f.cite.source)
            via = f", reporting {present.source_short(data.source(source.reports))}" if source.reports else ""
            lines[f.id] = (
                f"{f.label}: {present.value_text(f)}. {f.measures} {study.title} ({study.registry_id}). "
                f"Source: {present.source_short(source)}{via}."
                + (f" {site_url}results/#{f.id}" if site_url else "")
            )
    return lines
