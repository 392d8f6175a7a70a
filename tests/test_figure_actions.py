"""Every figure, wherever it is shown, has its permalink and a button holding its one-line citation."""

from __future__ import annotations

import html.parser
from pathlib import Path

import pytest
from citelines import expected_citation_lines
from conftest import ROOT

from trialsite.data.dataset import load_dataset
from trialsite.data.model import Dataset


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(ROOT / "data", ROOT)


@pytest.fixture(scope="module")
def lines(data: Dataset) -> dict[str, str]:
    return expected_citation_lines(data)


class _Actions(html.parser.HTMLParser):
    """Collects each copy button's citation and each permalink's target, in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.citations: list[str] = []
        self.permalinks: list[str] = []
        self.live_regions = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "button" and "copy-citation" in classes:
            assert a.get("type") == "button"
            self.citations.append(a.get("data-citation") or "")
        if tag == "a" and "figure-permalink" in classes:
            self.permalinks.append(a.get("href") or "")
        if "copy-status" in classes and a.get("aria-live") == "polite":
            self.live_regions += 1


def _actions(built_site: Path, page: str) -> _Actions:
    parser = _Actions()
    parser.feed((built_site / page).read_text("utf-8"))
    return parser


def test_each_figure_page_has_a_permalink_and_its_citation(
    built_site: Path, data: Dataset, lines: dict[str, str]
) -> None:
    """Issue 20: the copy button and permalink of a figure moved from its Results row to its own
    page, under "Cite and share"; the permalink still names its Results anchor (0.1.0's address)."""
    for f in (f for s in data.studies for f in s.figures):
        found = _actions(built_site, f"figures/{f.id}/index.html")
        assert found.citations == [lines[f.id]]
        assert found.permalinks == [f"../../results/#{f.id}"]
        assert found.live_regions == 1


def test_home_cards_each_have_a_permalink_and_their_citation(
    built_site: Path, data: Dataset, lines: dict[str, str]
) -> None:
    found = _actions(built_site, "index.html")
    headline = [f for s in data.studies for f in s.figures if f.headline]
    assert found.citations == [lines[f.id] for f in headline]
    assert found.permalinks == [f"results/#{f.id}" for f in headline]


def test_design_regimen_steps_have_their_citation(
    built_site: Path, data: Dataset, lines: dict[str, str]
) -> None:
    found = _actions(built_site, "design/index.html")
    steps = [step.figure for s in data.studies for step in s.regimen_steps]
    steps += [fid for s in data.studies for fid in s.regimen_figures]
    assert found.citations == [lines[fid] for fid in steps]
    assert found.permalinks == [f"../results/#{fid}" for fid in steps]
