"""More than one study: each has its own kit (key-results image and slide deck), ids stay unique
across every page's anchors, and adding a second study changes none of the first study's files.

The second study (tests/data/multistudy/) is made up and cites a made-up source; it is added to a
copy of the project, which is built beside an untouched copy.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from citehelpers import PUBLIC_URL, site_url_env
from conftest import ROOT, copy_project
from corrections_helpers import resnapshot
from htmlscan import parse_page

from trialsite.build import build_site
from trialsite.data.dataset import load_dataset
from trialsite.data.groups import result_groups
from trialsite.data.model import Dataset
from trialsite.pages.anchors import element_ids
from trialsite.urls import key_results_file, key_results_name, preview_image

SYNTHETIC = ROOT / "tests" / "data" / "multistudy"
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def add_second_study(project: Path) -> None:
    (project / "data" / "studies" / "synthetic-test-study.yaml").write_text(
        (SYNTHETIC / "synthetic-test-study.yaml").read_text("utf-8"), "utf-8"
    )
    sources = project / "data" / "sources.yaml"
    sources.write_text(sources.read_text("utf-8") + (SYNTHETIC / "sources.yaml").read_text("utf-8"), "utf-8")
    resnapshot(project)  # a study added on purpose: its figures are new, not corrections


@dataclass(frozen=True)
class Builds:
    one: Path  # the site with the project's one study
    two: Path  # the same with the synthetic second study
    data: Dataset  # the two studies' data


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    base = tmp_path_factory.mktemp("multistudy")
    one = copy_project(base / "one")
    two = copy_project(base / "two")
    add_second_study(two)
    with site_url_env(PUBLIC_URL):  # a published build: the preview image has an address
        assert build_site(one, base / "one-site") == 0
        assert build_site(two, base / "two-site") == 0
    return Builds(base / "one-site", base / "two-site", load_dataset(two / "data", two))


def _first_study_files(data: Dataset) -> list[str]:
    first = data.studies[0]
    files = [key_results_file(first.id, fmt) for fmt in ("svg", "png", "pptx")]
    files += [f"kit/{f.id}.{fmt}" for f in first.figures if f.headline for fmt in ("svg", "png")]
    files += [f"cite/{first.id}.{fmt}" for fmt in ("bib", "ris", "json")]
    return files


def test_a_second_study_changes_none_of_the_first_studys_files(builds: Builds) -> None:
    assert [s.id for s in builds.data.studies] == ["a041703-cohort-1", "synthetic-test-study"]
    files = _first_study_files(builds.data)
    assert len(files) == 3 + 2 * 4 + 3
    changed = [f for f in files if (builds.one / f).read_bytes() != (builds.two / f).read_bytes()]
    assert changed == []


def test_the_first_studys_rows_in_the_downloads_are_unchanged(builds: Builds) -> None:
    first = builds.data.studies[0].id

    def csv_rows(site: Path) -> list[list[str]]:
        rows = list(csv.reader(io.StringIO((site / "downloads/figures.csv").read_text("utf-8-sig"))))
        return [r for r in rows[1:] if r[1] == first]

    def json_rows(site: Path) -> list[dict]:
        doc = json.loads((site / "downloads/figures.json").read_text("utf-8"))
        return [r for r in doc["figures"] if r["study"] == first]

    count = len(builds.data.studies[0].figures)
    assert csv_rows(builds.one) == csv_rows(builds.two) and len(csv_rows(builds.one)) == count
    assert json_rows(builds.one) == json_rows(builds.two)
    second = [r for r in json.loads((builds.two / "downloads/figures.json").read_text("utf-8"))["figures"]]
    assert {r["study"] for r in second} == {first, "synthetic-test-study"}


def _svg_text(path: Path) -> str:
    return " ".join("".join(t.itertext()) for t in ET.parse(path).getroot().iter(SVG_TEXT))


def test_each_study_has_its_own_key_results_image_and_deck(builds: Builds) -> None:
    from pptx import Presentation

    first, second = builds.data.studies
    for study, other in ((first, second), (second, first)):
        text = _svg_text(builds.two / key_results_file(study.id, "svg"))
        headline = [f for f in study.figures if f.headline]
        assert all(f.label in text for f in headline), study.id
        assert not any(f.label in text for f in other.figures if f.headline), study.id
        assert study.title in text and other.title not in text
        deck = Presentation(str(builds.two / key_results_file(study.id, "pptx")))
        results = [f for f in headline if f.kind != "count"]
        # key results, who took part, each headline result (not the count), the schema
        assert len(deck.slides) == 2 + len(results) + 1
        slides = " ".join(
            s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame
        )
        assert not any(f.label in slides for f in other.figures if f.headline), study.id
    # No file of the old single-study names is left.
    assert not list((builds.two / "kit").glob("key-results.*"))


def test_the_preview_image_is_the_first_studys_key_results(builds: Builds) -> None:
    image = preview_image([s.id for s in builds.data.studies])
    assert image == key_results_file(builds.data.studies[0].id, "png")
    for page in ("index.html", "results/index.html", "kit/index.html"):
        metas = parse_page(builds.two / page).find_all("meta", property="og:image")
        assert [m.attrs["content"].endswith("/" + image) for m in metas] == [True], page


def test_the_kit_page_groups_images_and_decks_by_study(builds: Builds) -> None:
    page = parse_page(builds.two / "kit" / "index.html")
    ids = [i for _, i in element_ids((builds.two / "kit" / "index.html").read_text("utf-8"))]
    for study in builds.data.studies:
        heading = page.by_id(f"kit-study-{study.id}")
        assert heading is not None and heading.tag == "h2" and study.title in heading.text()
        key = page.by_id(f"kit-{key_results_name(study.id)}")
        assert key is not None and key.tag == "h3"
        # The study's images come after its heading, before the next study's.
        mine = [f"kit-{f.id}" for f in study.figures if f.headline]
        start = ids.index(f"kit-study-{study.id}")
        assert all(ids.index(m) > start for m in mine)
        links = [a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href", "").endswith(".pptx")]
        assert f"{key_results_name(study.id)}.pptx" in links
    one = parse_page(builds.one / "kit" / "index.html")
    assert not [h for h in one.find_all("h2") if h.attrs.get("id", "").startswith("kit-study-")]


def test_no_page_of_either_build_uses_an_id_twice(builds: Builds) -> None:
    for site in (builds.one, builds.two):
        for page in site.rglob("*.html"):
            ids = [i for _, i in element_ids(page.read_text("utf-8"))]
            assert len(ids) == len(set(ids)), page


# --- ids that collide with page anchors fail the build ---------------------------------------


COLLISIONS = {
    # figure id -> (the id it takes, the page where something else has it)
    "survival-1y": ("key-results", "/"),  # the Home page's "Key results" heading
    "historical-comparison": ("study-a041703-cohort-1", "/results/"),  # a study's heading
    "relapse-free-1y": ("a041703-cohort-1-key-results", "/kit/"),  # the study's key-results image
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_figure_id_that_is_also_a_page_anchor_fails_the_build_at_its_line(
    tmp_path: Path, previous_site: Path
) -> None:
    project = copy_project(tmp_path / "project")
    study = project / "data" / "studies" / "a041703-cohort-1.yaml"
    text = study.read_text("utf-8")
    lines: dict[str, int] = {}
    for old, (new, _page) in COLLISIONS.items():
        assert text.count(f"  - id: {old}\n") == 1
        lines[new] = text[: text.index(f"  - id: {old}\n")].count("\n") + 1
        text = text.replace(f"  - id: {old}\n", f"  - id: {new}\n")
        text = text.replace(f"figure: {old}\n", f"figure: {new}\n")  # a limit or step that names it
        text = text.replace(f"\n    - {old}\n", f"\n    - {new}\n")  # ... the at-a-glance list
        # ... and the figures that name it as related (`related: [a, b]`)
        text = re.sub(
            r"^(\s+related: \[.*)$",
            lambda m, old=old, new=new: re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, m[1]),
            text,
            flags=re.M,
        )
    study.write_text(text, "utf-8")
    resnapshot(project)
    before = _tree(previous_site)
    result = subprocess.run(
        [sys.executable, "scripts/build.py", "--site", str(previous_site)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    err = result.stderr
    for new, page in COLLISIONS.values():
        prefix = f"data/studies/a041703-cohort-1.yaml:{lines[new]}:9: figures["
        line = next((x for x in err.splitlines() if x.startswith(prefix)), None)
        assert line is not None, err
        assert f"'{new}'" in line and f"the page {page} " in line and "; expected " in line, line
    assert "Traceback" not in err + result.stdout
    assert _tree(previous_site) == before  # the site as it was


def test_element_ids_reads_ids_of_tags_not_of_text_or_scripts() -> None:
    html = (
        '<h2 id="a">x</h2><p>id="b" as text &lt;p id="c"&gt;</p><tr class=r id=d>'
        '<script id="e">var s = \'<p id="f">\';</script><!-- <p id="g"> --><img src=x id=\'h\'>'
        '<a data-id="i" id="j"><SCRIPT>"<b id=k>"</SCRIPT >'
    )
    assert element_ids(html) == [("h2", "a"), ("tr", "d"), ("script", "e"), ("img", "h"), ("a", "j")]


def test_each_study_has_its_own_groups_figure_pages_and_home_parts(builds: Builds) -> None:
    """Issue 20: Results groups each study's figures under its own headings (only the groups it has
    figures in), every figure of both studies has its page, and Home's at a glance and cards hold
    each study's own figures; the first study's pages say nothing of the second."""

    def text(path: Path) -> str:
        return html.unescape(re.sub(r"<(?!/?table)[^>]+>", "", path.read_text("utf-8")))

    results = (builds.two / "results/index.html").read_text("utf-8")
    home_html = (builds.two / "index.html").read_text("utf-8")
    home = text(builds.two / "index.html")
    for study in builds.data.studies:
        for group in result_groups():
            anchor = f'id="group-{study.id}-{group.id}"'
            assert (anchor in results) == bool(study.figures_in(group.id)), (study.id, group.id)
        for figure in study.figures:
            assert study.title in text(builds.two / "figures" / figure.id / "index.html")
            assert (builds.one / "figures" / figure.id).exists() == (study is builds.data.studies[0])
        assert f"At a glance: {study.title}" in home
    second = builds.data.studies[1]
    start = home_html.index(f"At a glance: {html.escape(second.title)}")
    glance = home_html[start:].split("</table>")[0]
    assert [m for m in re.findall(r'href="figures/([a-z0-9-]+)/"', glance)] == list(second.at_a_glance)
    assert "Synthetic" not in (builds.one / "index.html").read_text("utf-8")
