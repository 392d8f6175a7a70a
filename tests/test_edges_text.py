"""Text at the edges (issue 19, items 5, 6 and 15): table cells, Highwire values, exact numbers and
figure references in code, each from one copy of the project with the attack in its data or docs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from corrections_helpers import as_published
from hostile import _resnapshot
from htmlscan import parse_page

from trialsite.build import build_site
from trialsite.data.dataset import load_dataset
from trialsite.data.values import exact, parse, same, text_form
from trialsite.pages.refs import check_text

ROOT = Path(__file__).resolve().parent.parent

# A title, a copy's address and the registry record's address with every character a Markdown table
# or a Highwire value could misread; a DOI with the ';' that DOIs may hold.
TITLE_EDGE = "Alliance a|b `c` <d> & e; citation_x=1 f"
URL_EDGE = "https://clinicaltrials.gov/study/NCT03739814?a=1|b=2`x`&y=3;z"
DOI_EDGE = "10.1200/JCO;25.0001"


# References where they are no references: in code, in attributes, escaped; and the unit forms.
REFS_EDGE = """

## Edge cases { #edge-cases }

Code `[[fig:remission]]` and ``a [[fig:nope]] b``. Escaped \\[[fig:remission]] and \\[[fig:nope]].
Number [[fig:patients-treated|number]] patients; bare [[fig:patients-treated|bare]].
Link <a href="x[[fig:remission]]y" title="[[fig:nope]]">here</a> and value [[fig:remission]].

    [[fig:nope]] in indented code

```
[[fig:nope]] in triple backticks
```

<div markdown data-x="[[fig:nope]]">

Inside a Markdown div: [[fig:remission|bare]]

</div>
"""


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
    about = project / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + REFS_EDGE, "utf-8")
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


def _edge_section(site: Path) -> str:
    page = (site / "about/index.html").read_text("utf-8")
    return page[page.index('id="edge-cases"') : page.index("</article>")]


def test_references_inside_code_and_attributes_stay_as_written(edge: Path) -> None:
    section = _edge_section(edge)
    assert "<code>[[fig:remission]]</code>" in section
    assert "<code>a [[fig:nope]] b</code>" in section
    assert "<pre><code>[[fig:nope]] in indented code" in section
    assert "<pre><code>[[fig:nope]] in triple backticks" in section
    assert '<a href="x[[fig:remission]]y" title="[[fig:nope]]">here</a>' in section
    assert '<div data-x="[[fig:nope]]">' in section


def test_an_escaped_reference_shows_its_brackets(edge: Path) -> None:
    text = re.sub(r"<[^>]+>", "", _edge_section(edge))
    assert "Escaped [[fig:remission]] and [[fig:nope]]." in text


def test_number_prints_no_unit_and_bare_prints_it_once(edge: Path) -> None:
    text = re.sub(r"<[^>]+>", "", _edge_section(edge))
    assert "Number 33 patients; bare 33 patients." in text
    assert "patients patients" not in text
    assert "Inside a Markdown div: 97%" in text
    # The full form still links the source and the figure's page, with no element of its own.
    assert re.search(
        r'value <strong>97%</strong> <a href="\.\./sources/#[a-z0-9-]+">\[2\]</a>', _edge_section(edge)
    )
    assert "trialsite-ref" not in (edge / "about/index.html").read_text("utf-8")


def test_no_page_the_build_writes_keeps_an_unresolved_reference(edge: Path) -> None:
    for page in edge.rglob("*.html"):
        text = page.read_text("utf-8")
        if page.parent.name == "about":
            text = text.replace(_edge_section(edge), "")
        assert not re.search(r"\[\[(fig|source):", text), page


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return load_dataset(ROOT / "data", ROOT)


@pytest.mark.parametrize(
    ("text", "line", "col", "fragment"),
    [
        ("`[[fig:nope]]` then [[fig:nope]]", 2, 21, "unknown figure id 'nope'; expected one of: "),
        ("\\[[fig:nope]] then [[fig:gone]]", 2, 20, "unknown figure id 'gone'"),
        ("a [[key-results]] b", 2, 3, "shares its line with other text; expected"),
        ("x [[fig:remission", 2, 3, "not closed on the same line; expected"),
        ('<b title="[[fig:nope]]">t</b> [[source:nope]]', 2, 31, "unknown source id 'nope'; expected"),
        ("[see [[fig:remission]]](about.md)", 2, 6, "stands inside a link's text; expected [[fig:ID|bare]]"),
    ],
)
def test_an_unresolved_reference_is_reported_where_it_stands(data, text, line, col, fragment) -> None:  # type: ignore[no-untyped-def]
    problems = check_text("line one\n" + text + "\n", "docs/x.md", data, ["md_in_html", "attr_list"])
    assert [(p.path, p.line, p.col) for p in problems] == [("docs/x.md", line, col)]
    assert fragment in problems[0].message


def test_code_and_escapes_are_no_problem_to_the_check(data) -> None:  # type: ignore[no-untyped-def]
    text = "`[[fig:nope]]` \\[[x\n\n    [[fig:nope]]\n\n<a href='[[fig:nope]]'>a</a>\n"
    assert check_text(text, "docs/x.md", data) == []


def test_a_bad_reference_fails_the_build_with_its_place(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    project = copy_project(tmp_path / "project")
    about = project / "docs" / "about.md"
    lines = about.read_text("utf-8").splitlines()
    lines[3] = "`[[fig:nope]]` and [[fig:nope]]"
    about.write_text("\n".join(lines) + "\n", "utf-8")
    assert build_site(project, project / "site") == 1
    err = capsys.readouterr().err
    assert "docs/about.md:4:20: unknown figure id 'nope'; expected one of: " in err
    assert "Traceback" not in err


# --- values shown as recorded (issue 19 item 6) --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [(99.99999, "99.99999"), (97.0000001, "97.0000001"), (1e-7, "0.0000001"), (1e3, "1000"), (97.0, "97"),
     (0.30000000000000004, "0.30000000000000004"), (1.10, "1.1"), (1234.5, "1234.5")],
)  # fmt: skip
def test_a_number_keeps_every_digit_it_holds(value: float, shown: str) -> None:
    assert exact(value) == shown
    assert text_form("number", value) == shown
    assert same(parse("number", text_form("number", value)), value)


CORRECTION = (
    "figure",
    "remission",
    "97.0000001",
    "--reason",
    "r",
    "--source",
    "eurekalert-1102627",
    "--locator",
    "l",
)


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """99.99999 recorded for a figure, and 97 -> 97.0000001 recorded by the correct command."""
    project = copy_project(tmp_path_factory.mktemp("values") / "project")
    as_published(project)
    study = next((project / "data" / "studies").glob("*.yaml"))
    _edit(study, "    kind: percent\n    value: 92\n", "    kind: percent\n    value: 99.99999\n")
    _resnapshot(project)
    done = subprocess.run(
        [sys.executable, "scripts/correct.py", *CORRECTION],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert build_site(project, project / "site") == 0
    return project


def test_a_value_is_shown_with_every_digit_on_pages_downloads_and_kit(corrected: Path) -> None:
    site = corrected / "site"
    figure_page = re.sub(r"<[^>]+>", "", (site / "figures/cd22-median/index.html").read_text("utf-8"))
    # (the embed code shown on the page says "max-width: 100%", which is CSS, not the value)
    assert "99.99999%" in figure_page and not re.search(r"(?<!width: )\b100%", figure_page)
    assert "99.99999" in (site / "downloads/figures.csv").read_text("utf-8")
    kit = "".join(p.read_text("utf-8") for p in (site / "kit").glob("*.svg"))
    assert "97.0000001%" in kit


def test_a_correction_logs_and_shows_both_values_as_written(corrected: Path) -> None:
    log = yaml.safe_load((corrected / "data" / "corrections.yaml").read_text("utf-8"))["entries"]
    assert (log[-1]["previous"], log[-1]["new"]) == (97, 97.0000001)
    page = re.sub(r"<[^>]+>", "", (corrected / "site/corrections/index.html").read_text("utf-8"))
    assert "97.0000001%" in page
    home = re.sub(r"<[^>]+>", "", (corrected / "site/index.html").read_text("utf-8"))
    assert "97.0000001%" in home
    assert "Remission: 97.0000001% (Corrected on " in home and "; previously 97%)" in home
