"""Text at the edges (issue 19, items 5, 6 and 15): table cells, Highwire values, exact numbers and
figure references in code, each from one copy of the project with the attack in its data or docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_project
from hostile import _resnapshot
from htmlscan import parse_page

from trialsite.build import build_site

# A title, a copy's address and the registry record's address with every character a Markdown table
# or a Highwire value could misread; a DOI with the ';' that DOIs may hold.
TITLE_EDGE = "Alliance a|b `c` <d> & e; citation_x=1 f"
URL_EDGE = "https://clinicaltrials.gov/study/NCT03739814?a=1|b=2`x`&y=3;z"
DOI_EDGE = "10.1200/JCO;25.0001"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("edge") / "project")
    sources = project / "data" / "sources.yaml"
    _edit(sources, "    doi: unknown\n", f"    doi: {DOI_EDGE}\n")
    _edit(sources, "    evidence:\n", "    evidence:\n      doi: A test's own DOI.\n")
    _edit(sources, "url: https://clinicaltrials.gov/study/NCT03739814", f"url: {URL_EDGE}")
    _edit(
        sources,
        'title: "Inotuzumab Ozogamicin Then Blinatumomab for Older Adults',
        f'title: "{TITLE_EDGE} Inotuzumab Ozogamicin Then Blinatumomab for Older Adults',
    )
    _resnapshot(project)
    out = project / "site"
    assert build_site(project, out) == 0
    return out


def _sources_rows(site: Path) -> list[list[str]]:
    page = parse_page(site / "sources/index.html")
    return [[td.text() for td in tr.find_all("td")] for tr in page.find_all("tr") if tr.find_all("td")]


def test_every_sources_table_row_keeps_two_cells_whatever_its_field_holds(edge: Path) -> None:
    rows = _sources_rows(edge)
    assert rows and all(len(r) == 2 for r in rows), [r for r in rows if len(r) != 2]
    fields = {(r[0], r[1]) for r in rows}
    assert ("Address", URL_EDGE) in fields
    assert ("DOI", DOI_EDGE) in fields
    assert any(name == "Title" and value.startswith(TITLE_EDGE) for name, value in fields)


def test_an_address_in_a_table_links_to_the_same_resource(edge: Path) -> None:
    page = parse_page(edge / "sources/index.html")
    hrefs = [a.attrs["href"] for a in page.find_all("a") if "NCT03739814?" in a.attrs.get("href", "")]
    assert hrefs and set(hrefs) == {"https://clinicaltrials.gov/study/NCT03739814?a=1%7Cb=2%60x%60&y=3;z"}


def _highwire_pairs(content: str) -> dict[str, list[str]]:
    pairs: dict[str, list[str]] = {}
    for pair in re.split(r"; (?=citation_[a-z_]+=)", content):
        key, _, value = pair.partition("=")
        pairs.setdefault(key, []).append(value)
    return pairs


def test_citation_reference_keeps_a_doi_and_a_title_as_written(edge: Path) -> None:
    page = parse_page(edge / "results/index.html")
    refs = [m.attrs["content"] for m in page.find_all("meta", name="citation_reference")]
    assert len(refs) == 1
    pairs = _highwire_pairs(refs[0])
    assert pairs["citation_doi"] == [DOI_EDGE]
    # The one sequence Highwire cannot hold in a value ('; citation_KEY=') loses its ';' only.
    assert pairs["citation_title"][0].startswith(TITLE_EDGE.replace("; citation_x", ", citation_x"))
    assert "citation_x" not in pairs
