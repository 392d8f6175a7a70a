"""The line each "Copy citation" button should copy, spelled out from the data and site_url
independently of present.figure_sentence, so the tests check that function instead of repeating it."""

from __future__ import annotations

import yaml
from conftest import ROOT

from trialsite import wording as present
from trialsite.data.model import Dataset


def expected_citation_lines(data: Dataset) -> dict[str, str]:
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["site_url"]
    lines = {}
    for study in data.studies:
        for f in study.figures:
            source = data.source(f.cite.source)
            via = f", reporting {present.source_short(data.source(source.reports))}" if source.reports else ""
            lines[f.id] = (
                f"{f.label}: {present.value_text(f)}. {f.measures} {study.title} ({study.registry_id}). "
                f"Source: {present.source_short(source)}{via}. {site_url}results/#{f.id}"
            )
    return lines
