"""A full build: anchors and citation links line up, no reference is left, edits show, failures don't."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_project
from corrections_helpers import resnapshot
from htmlscan import parse_page
from sitetree import leftover_temp_folders, tree_hash

from trialsite.build import build_site
from trialsite.data.dataset import load_dataset
from trialsite.data.model import Dataset
from trialsite.words.values import number, value_text

ROOT = Path(__file__).resolve().parent.parent
STUDY = "data/studies/a041703-cohort-1.yaml"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(ROOT / "data", ROOT)


def test_every_figure_has_an_anchor_and_a_citation_whose_target_exists(
    built_site: Path, data: Dataset
) -> None:
    results = parse_page(built_site / "results" / "index.html")
    sources = parse_page(built_site / "sources" / "index.html")
    source_ids = {e.attrs["id"] for e in sources.iter() if "id" in e.attrs}
    for figure in data.figures_by_id.values():
        row = results.by_id(figure.id)
        assert row is not None, f"no anchor for {figure.id}"
        cites = [a for a in row.iter() if a.tag == "a" and a.has_class("cite-link")]
        assert cites, f"no citation link for {figure.id}"
        first = cites[0].attrs["href"]
        assert first == f"../sources/#{figure.cite.source}"
        for a in cites:
            page, _, anchor = a.attrs["href"].partition("#")
            assert page == "../sources/"
            assert anchor in source_ids
        assert value_text(figure) in row.text()


def test_no_reference_is_left_in_any_html(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 7
    for page in pages:
        assert "[[" not in page.read_text("utf-8"), page


def test_home_shows_each_headline_figure_with_its_citation(built_site: Path, data: Dataset) -> None:
    home = parse_page(built_site / "index.html")
    headline = [f for f in data.figures_by_id.values() if f.headline]
    for figure in headline:
        card = home.by_id(figure.id)
        assert card is not None
        assert value_text(figure) in card.text()
        links = [a.attrs["href"] for a in card.iter() if a.tag == "a"]
        assert f"sources/#{figure.cite.source}" in links
        assert f"results/#{figure.id}" in links


def _value_line(text: str, figure_id: str) -> tuple[int, str]:
    lines = text.splitlines()
    start = lines.index(f"  - id: {figure_id}")
    offset = next(i for i, line in enumerate(lines[start:]) if line.startswith("    value: "))
    return start + offset, lines[start + offset]


def test_editing_a_value_changes_home_and_results_and_a_failure_changes_nothing(
    tmp_path: Path, data: Dataset
) -> None:
    # An estimate shown on Home: changing it needs no other edit to stay consistent.
    figure = next(f for f in data.figures_by_id.values() if f.headline and f.basis == "estimate")
    new_value = figure.value - 1 if figure.value > 1 else figure.value + 1  # type: ignore[operator]
    project = copy_project(tmp_path / "project")
    study_file = project / STUDY
    text = study_file.read_text("utf-8")
    index, _ = _value_line(text, figure.id)
    lines = text.splitlines()
    lines[index] = f"    value: {new_value}"
    study_file.write_text("\n".join(lines) + "\n", "utf-8")
    resnapshot(project)  # a changed copy on purpose; tests/test_corrections*.py cover the command
    site = tmp_path / "site"
    assert build_site(project, site) == 0

    new_text = f"{number(new_value)}%"
    old_text = value_text(figure)
    for page, value_class in (
        (site / "index.html", "figure-card__value"),
        (site / "results" / "index.html", "figure-value"),
    ):
        element = parse_page(page).by_id(figure.id)
        assert element is not None
        (shown,) = [e for e in element.iter() if e.has_class(value_class)]
        assert shown.text().strip() == new_text
        assert old_text != new_text

    # Now break the data: the site that was just built must stay exactly as it is.
    before = tree_hash(site)
    study_file.write_text(
        study_file.read_text("utf-8").replace(f"    value: {new_value}\n", "    value: 250\n")
    )
    assert build_site(project, site) == 1
    assert tree_hash(site) == before
    assert leftover_temp_folders(tmp_path) == []


def test_published_data_files_are_the_inputs(built_site: Path) -> None:
    for path in (ROOT / "data").rglob("*.yaml"):
        rel = path.relative_to(ROOT)
        assert (built_site / rel).read_bytes() == path.read_bytes()


def test_generated_pages_offer_to_suggest_a_correction_and_about_lists_their_data_files(
    built_site: Path,
) -> None:
    """Readers get "Suggest a correction", leading to how corrections work; maintainers find each
    generated page's data file (published with the site) listed on About."""
    for page in ("results", "sources", "glossary", "corrections"):
        html = (built_site / page / "index.html").read_text("utf-8")
        assert re.search(
            r'<a href="\.\./about/#reporting-and-correcting-an-error" title="Suggest a correction"', html
        ), page
        assert ">Suggest a correction</span>" in html
    about = (built_site / "about" / "index.html").read_text("utf-8")
    for data_file in ("data/studies/a041703-cohort-1.yaml", "data/sources.yaml", "data/glossary.yaml"):
        assert f'href="../{data_file}"' in about, data_file
