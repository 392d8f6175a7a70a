"""A source's author list is corrected like any published value: a hand edit is refused with the command
that records it, that command (run exactly as printed, through make) changes the list in every output,
and marking the list complete takes away every mark of incompleteness. Authors the article's
disclosure statement names are used here, in a copy of the project, as test values only."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from conftest import ROOT, copy_project
from corrections_helpers import text_of

from trialsite.build import build_site, check
from trialsite.data.corrections import current_values
from trialsite.data.load import load_document
from trialsite.data.values import parse_authors

ARTICLE = "jco-2025-wieduwilt"
LEAD = (
    "      - family: Wieduwilt\n        given: Matthew J.\n"
    "        affiliation: Wake Forest University School of Medicine\n"
)
ADDED = "      - family: Yin\n        given: Jun\n        affiliation: unknown\n"
REASON = 'REASON="Test: a second author added from the disclosure statement"'
WHERE = 'SOURCE=eurekalert-1102627 LOCATOR="COI statement"'


@dataclass(frozen=True)
class Corrected:
    root: Path
    refused: str  # what the build said about the hand edit
    recorded: str  # what the command printed
    site: Path


def _make(root: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, cwd=root, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Corrected:
    root = copy_project(tmp_path_factory.mktemp("authors"))
    # `make` as a maintainer runs it, with the project's environment.
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    (root / ".venv").symlink_to(ROOT / ".venv")
    shutil.copy2(ROOT / "CITATION.cff", root / "CITATION.cff")
    sources = root / "data/sources.yaml"
    text = sources.read_text("utf-8")
    assert LEAD in text
    sources.write_text(text.replace(LEAD, LEAD + ADDED, 1), "utf-8")  # a hand edit
    problems = check(root)
    refused = "\n".join(str(p) for p in problems)
    command = re.search(r"make correct-source ID=\S+ FIELD=authors VALUE=.*? REASON=\"WHY\" SOURCE=SOURCE-ID "
                        r"LOCATOR=\"WHERE IN THE SOURCE\"", refused)  # fmt: skip
    assert command, refused
    printed = command.group(0).replace('REASON="WHY"', REASON)
    printed = printed.replace('SOURCE=SOURCE-ID LOCATOR="WHERE IN THE SOURCE"', WHERE)
    done = _make(root, printed)
    assert done.returncode == 0, done.stdout + done.stderr
    site = root / "site"
    assert build_site(root, site) == 0
    return Corrected(root, refused, done.stdout, site)


def test_a_hand_edit_of_an_author_is_refused_with_the_command(corrected: Corrected) -> None:
    where = r"data/sources\.yaml:\d+:\d+: sources\[0\]\.authors: "
    assert re.match(where + "source 'jco-2025-wieduwilt' authors is ", corrected.refused)
    assert "data/corrections.yaml records no correction" in corrected.refused
    assert (
        "VALUE='Wieduwilt, Matthew J. (Wake Forest University School of Medicine); Yin, Jun'"
        in corrected.refused
    )


def test_the_command_as_printed_records_it(corrected: Corrected) -> None:
    assert "recorded 2026-" in corrected.recorded or "recorded " in corrected.recorded
    assert "CITATION.cff" in corrected.recorded
    log = load_document(corrected.root / "data/corrections.yaml", "log").data["entries"]
    entry = log[-1]
    assert entry["corrects"] == f"sources/{ARTICLE}/authors"
    assert [a["family"] for a in entry["previous"]] == ["Wieduwilt"]
    assert [a["family"] for a in entry["new"]] == ["Wieduwilt", "Yin"]
    assert check(corrected.root) == []


def test_the_new_author_list_reaches_every_output(corrected: Corrected) -> None:
    site = corrected.site
    cite_page = text_of((site / "cite/index.html").read_text("utf-8"))
    assert "Wieduwilt, M. J., & Yin, J. [author list incomplete]. (2025)." in cite_page  # APA
    assert "Wieduwilt MJ, Yin J [author list incomplete]." in cite_page  # AMA
    assert "Wieduwilt MJ, Yin J, et al." in cite_page  # Vancouver
    assert "authors: Corrected on" in cite_page
    bib = bibtexparser.parse_string((site / "cite/a041703-cohort-1.bib").read_text("utf-8"))
    article = next(e for e in bib.entries if e.key == ARTICLE)
    assert article.fields_dict["author"].value == "Wieduwilt, Matthew J. and Yin, Jun and others"
    ris = rispy.loads((site / "cite/a041703-cohort-1.ris").read_text("utf-8"))
    assert ris[0]["authors"] == ["Wieduwilt, Matthew J.", "Yin, Jun"]
    csl = json.loads((site / "cite/a041703-cohort-1.json").read_text("utf-8"))
    assert [a["family"] for a in csl[0]["author"]] == ["Wieduwilt", "Yin"]
    cff = yaml.safe_load((corrected.root / "CITATION.cff").read_text("utf-8"))
    assert [a["family-names"] for a in cff["preferred-citation"]["authors"]] == ["Wieduwilt", "Yin"]
    sources = text_of((site / "sources/index.html").read_text("utf-8"))
    assert "Wieduwilt MJ, Yin J, et al." in sources
    results = (site / "results/index.html").read_text("utf-8")
    assert "citation_author=Yin, Jun" in results  # Highwire citation_reference
    assert "&#34;creditText&#34;" not in results and '"creditText": "Wieduwilt MJ, Yin J, et al."' in results
    # The figure's own page names the article (its reports, its reference list) by the new list.
    figure_page = text_of((site / "figures/remission/index.html").read_text("utf-8"))
    assert "Wieduwilt MJ, Yin J, et al. J Clin Oncol 2025" in figure_page
    assert "Wieduwilt MJ, et al. J Clin Oncol 2025" not in figure_page
    corrections = text_of((site / "corrections/index.html").read_text("utf-8"))
    assert "Previously: Wieduwilt MJ Corrected to: Wieduwilt MJ, Yin J" in corrections
    feed = ET.parse(site / "corrections.xml").getroot()
    assert any("authors corrected" in (t.text or "") for t in feed.iter("{http://www.w3.org/2005/Atom}title"))
    from pptx import Presentation

    deck = Presentation(str(site / "kit/a041703-cohort-1-key-results.pptx"))
    assert all("Wieduwilt MJ, Yin J, et al." in s.notes_slide.notes_text_frame.text for s in deck.slides)


def test_marking_the_list_complete_removes_every_mark(corrected: Corrected, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(corrected.root, root, symlinks=True, ignore=shutil.ignore_patterns("site"))
    done = _make(root, f"make correct-source ID={ARTICLE} FIELD=authors_complete VALUE=true {REASON} {WHERE}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert build_site(root, root / "site") == 0
    html = (root / "site/cite/index.html").read_text("utf-8")
    page = text_of(html)
    # The article's, the release's and the site's references (not the earlier reports', whose own
    # author lists are incomplete).
    ours = html.split('id="other-reports', 1)[0]
    refs = " ".join(text_of(r) for r in re.findall(r'<p class="cite-text">(.*?)</p>', ours, re.S))
    assert "Wieduwilt" in refs and "[author list incomplete]" not in refs and "et al." not in refs
    assert "The author list below is incomplete" not in page
    # The change itself is shown, linked to the log, in readers' words (issue 20).
    assert "author list complete: Author list marked complete on" in page
    assert "Wieduwilt, M. J., & Yin, J. (2025)." in page
    bib = (root / "site/cite/a041703-cohort-1.bib").read_text("utf-8")
    assert "and others" not in bib
    assert "Author list incomplete" not in (root / "CITATION.cff").read_text("utf-8")


def test_the_author_text_form_reads_back() -> None:
    """What the command takes is what the guard prints: people, affiliations, organisations."""
    doc = load_document(ROOT / "data/sources.yaml", "data/sources.yaml")
    from trialsite.data import values

    for cur in current_values([], doc).values():
        if cur.kind == values.AUTHORS:
            assert parse_authors(values.text_form(cur.kind, cur.value)) == cur.value
    assert parse_authors("Doe, Jane (Some Hospital); Example Group") == [
        {"family": "Doe", "given": "Jane", "affiliation": "Some Hospital"},
        {"name": "Example Group"},
    ]
    assert parse_authors("none") == []
