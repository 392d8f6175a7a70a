"""Issue 20: results grouped as a results section, and one page per figure (figures/<id>/).

The groups come from the schema's one list (trialsite/data/groups.py); each figure's page holds
everything about it; an id that would be another page's path under figures/ fails the build."""

from __future__ import annotations

import dataclasses
import json
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from corrections_helpers import text_of

from trialsite.build import build_site
from trialsite.data.dataset import load_dataset
from trialsite.data.groups import result_groups
from trialsite.data.model import Dataset
from trialsite.pages.figure import path_problems
from trialsite.words.values import value_text


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(ROOT / "data", ROOT)


def _schema_groups() -> list[str]:
    schema = json.loads((ROOT / "trialsite/data/schemas/study.schema.json").read_text("utf-8"))
    return [o["const"] for o in schema["$defs"]["result_group"]["oneOf"]]


def test_the_groups_are_the_schemas_list_in_its_order() -> None:
    assert [g.id for g in result_groups()] == _schema_groups()
    assert {"participants", "treatment", "response", "survival", "primary-endpoint", "safety"} == {
        g.id for g in result_groups()
    }


def test_results_has_a_heading_per_group_holding_its_figures_in_order(
    built_site: Path, data: Dataset
) -> None:
    page = (built_site / "results/index.html").read_text("utf-8")
    for study in data.studies:
        shown = [g for g in result_groups() if study.figures_in(g.id)]
        anchors = [f"group-{study.id}-{g.id}" for g in shown]
        positions = [page.index(f'id="{a}"') for a in anchors]
        assert positions == sorted(positions)
        for g, start, end in zip(shown, positions, [*positions[1:], len(page)], strict=True):
            section = page[start:end]
            assert g.title in text_of(section[: section.index("</h3>")])
            for f in study.figures_in(g.id):
                assert f'<tr id="{f.id}"' in section, f.id
                assert f'href="../figures/{f.id}/"' in section


def test_every_figure_has_a_page_with_its_own_title_description_and_value(
    built_site: Path, data: Dataset
) -> None:
    for f in data.figures_by_id.values():
        # As a browser reads it: HTML set into Markdown writes '_' as a character reference.
        html = unescape((built_site / "figures" / f.id / "index.html").read_text("utf-8"))
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)  # type: ignore[union-attr]
        assert title.startswith(f.label.replace("&", "&amp;")), title
        description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)  # type: ignore[union-attr]
        assert f.label in description and value_text(f) in description
        body = text_of(html)
        # The heading comes before the value, and the value stands large in its own element.
        h1 = body.index(f.label)
        assert body.index(value_text(f), h1) > h1
        assert 'class="figure-hero__value"' in html
        assert 'id="cite-and-share"' in html
        assert f"downloads/figures/{f.id}.csv" in html and f"downloads/figures/{f.id}.json" in html


def test_each_figure_has_its_own_rows_of_the_downloads(built_site: Path, data: Dataset) -> None:
    for f in data.figures_by_id.values():
        doc = json.loads((built_site / "downloads/figures" / f"{f.id}.json").read_text("utf-8"))
        assert [r["id"] for r in doc["figures"]] == [f.id]
        lines = (built_site / "downloads/figures" / f"{f.id}.csv").read_text("utf-8-sig").splitlines()
        assert (len(lines) == 2 and lines[1].startswith(f"{f.id},")) or f.id in lines[1]


def test_figure_pages_are_in_the_search_index(built_site: Path, data: Dataset) -> None:
    index = json.loads((built_site / "search/search_index.json").read_text("utf-8"))
    locations = {d["location"] for d in index["docs"]}
    for f in data.figures_by_id.values():
        assert f"figures/{f.id}/" in locations


def test_an_id_that_is_a_page_path_under_figures_is_refused(data: Dataset, tmp_path: Path) -> None:
    study = data.studies[0]
    renamed = dataclasses.replace(study.figures[1], id="index")
    fake = dataclasses.replace(
        data, studies=(dataclasses.replace(study, figures=(study.figures[0], renamed)),)
    )
    docs = tmp_path / "docs"
    (docs / "figures").mkdir(parents=True)
    (docs / "figures" / f"{study.figures[0].id}.md").write_text("# Hand-written\n", "utf-8")
    problems = [str(p) for p in path_problems(docs, fake)]
    assert len(problems) == 2
    assert problems[0].startswith(f"{study.data_file}:{study.figures[0].line}:5: figures[0].id:")
    assert f"docs/figures/{study.figures[0].id}.md already has that path" in problems[0]
    assert "'figures/index' is kept for the figures/ folder's own page" in problems[1]
    assert all("expected an id that is no page's path under figures/" in p for p in problems)


def test_a_hand_written_page_on_a_figures_path_fails_the_build(
    tmp_path: Path, previous_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs/figures").mkdir()
    (project / "docs/figures/remission.md").write_text("# Remission, by hand\n", "utf-8")
    assert build_site(project, previous_site) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"^data/studies/a041703-cohort-1\.yaml:\d+:5: figures\[4\]\.id: 'remission'", err, re.M
    ), err
    assert "Traceback" not in err


_MD_ESCAPE_IN_TEXT = re.compile(r">[^<>]*\\[\\`*_{}\[\]()#+\-.!|][^<>]*<")


def test_no_page_shows_a_markdown_escape_in_its_text(built_site: Path) -> None:
    """Data in raw HTML is HTML-escaped only: Markdown leaves a raw HTML block as it is, so a
    Markdown escape there was shown as written ('Median follow\\-up' read out by a screen reader)."""
    shown = []
    for page in sorted(built_site.rglob("*.html")):
        text = re.sub(r"<script\b.*?</script\s*>", "", page.read_text("utf-8"), flags=re.S | re.I)
        shown += [f"{page.relative_to(built_site)}: {m[0][:80]}" for m in _MD_ESCAPE_IN_TEXT.finditer(text)]
    assert not shown
