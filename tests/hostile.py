"""A copy of the project whose free-text fields hold markup, template code and spreadsheet formulas."""

from __future__ import annotations

from itertools import cycle
from pathlib import Path
from typing import Any

import yaml

PAYLOADS = [
    "<script>alert(1)</script>",
    "</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1))",
    "{{ 7*7 }}",
    "[[fig:remission]]",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
]

STUDY_TEXT = {
    "study": ["name", "cohort", "short_title"],
    "chair": ["name", "role", "affiliation", "locator"],
    "group": ["name", "role", "locator"],
    "population": ["summary", "locator"],
    "regimen": ["summary", "locator"],
    "step": ["drug"],
    "figure": ["label", "measures", "notes", "locator", "timepoint", "unit"],
}
SOURCE_TEXT = ["title", "container", "container_short", "publisher", "known_from", "volume", "issue", "pages"]
AUTHOR_TEXT = ["family", "given", "affiliation"]
TERM_TEXT = ["term", "definition"]


def _fill(mapping: dict[str, Any], keys: list[str], payloads: Any) -> None:
    for key in keys:
        mapping[key] = next(payloads)


def make_hostile(project: Path) -> list[str]:
    """Rewrite data/ in place; returns every payload used (each at least twice)."""
    payloads = cycle(PAYLOADS)
    study_file = next((project / "data" / "studies").glob("*.yaml"))
    study = yaml.safe_load(study_file.read_text("utf-8"))
    s = study["study"]
    _fill(s, STUDY_TEXT["study"], payloads)
    _fill(s["chair"], STUDY_TEXT["chair"], payloads)
    for group in s["groups"]:
        _fill(group, STUDY_TEXT["group"], payloads)
    _fill(s["population"], STUDY_TEXT["population"], payloads)
    s["population"]["criteria"] = list(PAYLOADS)
    _fill(s["regimen"], STUDY_TEXT["regimen"], payloads)
    for step in s["regimen"]["steps"]:
        _fill(step, STUDY_TEXT["step"], payloads)
    for figure in study["figures"]:
        _fill(figure, STUDY_TEXT["figure"], payloads)
        if figure["kind"] == "qualitative":
            figure["value"] = next(payloads)
    study_file.write_text(yaml.safe_dump(study, sort_keys=False, allow_unicode=True), "utf-8")

    sources_file = project / "data" / "sources.yaml"
    sources = yaml.safe_load(sources_file.read_text("utf-8"))
    for source in sources["sources"]:
        _fill(source, SOURCE_TEXT, payloads)
        for author in source["authors"]:
            _fill(author, AUTHOR_TEXT, payloads)
    sources_file.write_text(yaml.safe_dump(sources, sort_keys=False, allow_unicode=True), "utf-8")

    glossary_file = project / "data" / "glossary.yaml"
    glossary = yaml.safe_load(glossary_file.read_text("utf-8"))
    for term in glossary["terms"]:
        _fill(term, TERM_TEXT, payloads)
    glossary_file.write_text(yaml.safe_dump(glossary, sort_keys=False, allow_unicode=True), "utf-8")
    return list(PAYLOADS)
