"""One correction of a headline figure and one of a DOI, recorded with the real command, reach every
output: pages, downloads, kit images and slides, the copied citation, JSON-LD, the log's page and feed,
the citation files and CITATION.cff. The old value survives only as the notice's "previously" value.

One scenario in a temporary copy of the project, recorded and built once for the whole module.
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from citehelpers import public_context, site_dataset, site_url_env
from conftest import copy_project as _copy_project
from corrections_helpers import STUDY, SUPPORT, TEST_DOI, as_published, element, run_correct, text_of

from trialsite.build import build_site
from trialsite.context import BuildContext
from trialsite.data.model import Dataset
from trialsite.outputs import citations as cite
from trialsite.outputs.kit.spec import kit_specs
from trialsite.urls import key_results_name
from trialsite.words.corrections import correction_note
from trialsite.words.values import value_text


def copy_project(dest: Path) -> Path:
    """A copy of the project as its last published version showed it: the corrections these tests
    record and count start from an empty log, whatever the real log holds."""
    root = _copy_project(dest)
    as_published(root)
    return root


FIGURE = "remission"  # a headline figure: on Home, Results, the kit and the slides
ARTICLE = "jco-2025-wieduwilt"
DATE = "2026-11-25"
ENTRY = f"{DATE}-{FIGURE}"
ATOM = "{http://www.w3.org/2005/Atom}"
SVG_NS = "{http://www.w3.org/2000/svg}"
FILES = (STUDY, "data/sources.yaml", "data/corrections.yaml")


@dataclass(frozen=True)
class Scenario:
    root: Path
    site: Path
    ctx: BuildContext  # after the corrections, with the site's title and address from mkdocs.yml
    data: Dataset
    before: dict[str, str]  # data files before the corrections
    old: str  # the value as the site worded it before: "97%"
    new: str  # the corrected value: "94%"
    new_number: int
    note: str  # "Corrected on DATE; previously 97%"
    entry_url: str  # the entry's address on the Corrections page (in latest/: the feed, the metadata)
    version_entry_url: str  # on this version's own Corrections page: what the kit and downloads name


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = copy_project(tmp_path_factory.mktemp("everywhere"))
    figure = site_dataset(root).figure(FIGURE)
    assert figure.kind == "percent" and figure.headline
    # Three points fewer: computed from the data, never typed.
    new_number = int(figure.value) - 3  # type: ignore[arg-type]
    before = {f: (root / f).read_text("utf-8") for f in FILES}
    common = ("--reason", "Test correction: transcribed wrongly.", "--source", SUPPORT)
    common += ("--locator", 'section "What the Study Found"', "--date", DATE)
    for args in (("figure", FIGURE, str(new_number)), ("source", ARTICLE, "doi", TEST_DOI)):
        done = run_correct(root, *args, *common)
        assert done.returncode == 0, done.stderr
    site = root / "site"
    with site_url_env():  # published outputs name the public address
        assert build_site(root, site) == 0
    ctx = public_context(root)
    data = ctx.data
    note = correction_note(data, FIGURE)
    assert note is not None
    return Scenario(
        root=root,
        site=site,
        ctx=ctx,
        data=data,
        before=before,
        old=value_text(figure),
        new=value_text(data.figure(FIGURE)),
        new_number=new_number,
        note=note,
        entry_url=ctx.urls.correction(ENTRY),
        version_entry_url=ctx.urls.correction_in_version(ENTRY),
    )


# Other sources' reports of the figure keep their own values (the same number, here): they are not the
# corrected value, so they are left out of the count.
OTHER_REPORTS = re.compile(
    r'<li class="figure-report">.*?</li>|<p class="figure-card__also">.*?</p>|Also reported as [^"<]*', re.S
)


def only_as_previous(text: str, old: str) -> None:
    """Every occurrence of the old value is the notice's (or the log's) 'previously' value."""
    text = OTHER_REPORTS.sub("", text)
    total = text.count(old)
    assert total >= 1, f"{old!r} not shown at all"
    assert len(re.findall(rf"[Pp]reviously:?\s+{re.escape(old)}", text)) == total, text


def test_the_notice_is_the_one_from_the_data(scenario: Scenario) -> None:
    assert scenario.note == f"Corrected on {DATE}; previously {scenario.old}"
    assert scenario.new == f"{scenario.new_number}%" != scenario.old


def _changed(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [ln for ln in diff if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def test_the_yaml_diff_touches_only_the_changed_values_and_the_log(scenario: Scenario) -> None:
    after = {f: (scenario.root / f).read_text("utf-8") for f in FILES}
    old_number = scenario.old.rstrip("%")
    assert _changed(scenario.before[STUDY], after[STUDY]) == [
        f"-    value: {old_number}",
        f"+    value: {scenario.new_number}",
    ]
    assert _changed(scenario.before["data/sources.yaml"], after["data/sources.yaml"]) == [
        "-    doi: unknown",
        f"+    doi: {TEST_DOI}",
    ]
    log = _changed(scenario.before["data/corrections.yaml"], after["data/corrections.yaml"])
    assert log[:2] == ["-entries: []", "+entries:"]
    assert all(line.startswith("+") for line in log[1:])


# --- pages ---------------------------------------------------------------------------------------


def test_home_card_and_page(scenario: Scenario) -> None:
    page = (scenario.site / "index.html").read_text("utf-8")
    card = element(page, FIGURE, "article")
    assert scenario.new in text_of(card) and scenario.note in text_of(card)
    assert f'href="corrections/#{ENTRY}"' in card
    only_as_previous(page, scenario.old)


def test_results_row_and_page(scenario: Scenario) -> None:
    page = (scenario.site / "results/index.html").read_text("utf-8")
    row = element(page, FIGURE, "tr")
    assert scenario.new in text_of(row) and scenario.note in text_of(row)
    assert f'href="../corrections/#{ENTRY}"' in row
    only_as_previous(page, scenario.old)


def test_study_design_shows_the_notice_wherever_it_shows_the_value(scenario: Scenario) -> None:
    page = (scenario.site / "design/index.html").read_text("utf-8")
    if scenario.new in text_of(page):
        assert scenario.note in text_of(page)
    assert scenario.old not in page.replace(f"previously {scenario.old}", "")


def test_copy_citation_buttons_carry_the_notice(scenario: Scenario) -> None:
    label = scenario.data.figure(FIGURE).label
    # Issue 20: the figure's copy button stands on Home's card and on the figure's own page.
    for page, where in (("index.html", "article"), (f"figures/{FIGURE}/index.html", None)):
        text = (scenario.site / page).read_text("utf-8")
        block = element(text, FIGURE, where) if where else text
        # Issue 21: the menu's slide credit gives the corrected value and says so; its references
        # name this version's own figure page (which shows the notice), never latest/.
        m = re.search(r'data-style="credit" data-citation="([^"]*)"', block)
        assert m, page
        credit = html.unescape(m.group(1))
        assert credit.startswith(f"{label}: {scenario.new} (corrected). "), credit
        for style in ("apa", "ama", "vancouver"):
            ref = re.search(rf'data-style="{style}" data-citation="([^"]*)"', block)
            assert ref, (page, style)
            text = html.unescape(ref.group(1))
            assert "latest/" not in text and f"/figures/{FIGURE}/" in text, (style, text)


def _jsonld(page: str) -> list[dict]:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))["@graph"]


def test_json_ld_and_preview_descriptions(scenario: Scenario) -> None:
    label = scenario.data.figure(FIGURE).label
    shown = f"{label}: {scenario.new} ({scenario.note})"
    home = (scenario.site / "index.html").read_text("utf-8")
    webpage = next(n for n in _jsonld(home) if n["@type"] == "WebPage")
    assert shown in webpage["description"]
    assert re.search(rf'<meta property="og:description" content="[^"]*{re.escape(shown)}', home)
    results = (scenario.site / "results/index.html").read_text("utf-8")
    dataset = next(n for n in _jsonld(results) if n["@type"] == "Dataset")
    variable = next(v for v in dataset["variableMeasured"] if v["name"] == label)
    assert variable["value"] == scenario.new
    assert variable["description"].endswith(f"({scenario.note})")
    assert dataset["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": f"{label}: {scenario.note}",
            "datePublished": DATE,
            "url": scenario.entry_url,
        }
    ]


def test_json_ld_with_corrections_is_valid_schema_org_and_highwire_has_the_doi(scenario: Scenario) -> None:
    import extruct
    from schemaorg_vocab import vocabulary

    results = (scenario.site / "results/index.html").read_text("utf-8")
    (doc,) = extruct.extract(results, base_url=scenario.ctx.settings.url, syntaxes=["json-ld"], uniform=True)[
        "json-ld"
    ]
    pending: set[str] = set()
    for node in doc["@graph"]:
        problems, used = vocabulary().check(node)
        assert problems == []
        pending |= used
    # Pending in schema.org 12.0: CorrectionComment and correction (a corrected figure), creditText
    # and variableMeasured (every Dataset page).
    assert pending == {"creditText", "variableMeasured", "correction", "CorrectionComment"}
    trial = next(n for n in doc["@graph"] if n["@type"] == "MedicalTrial")
    assert trial["subjectOf"]["identifier"] == f"https://doi.org/{TEST_DOI}"
    refs = re.findall(r'<meta name="citation_reference" content="([^"]*)"', results)
    assert refs and all(f"citation_doi={TEST_DOI}" in r for r in refs)


def test_the_corrections_page_entry_and_the_feed_entry(scenario: Scenario) -> None:
    page = (scenario.site / "corrections/index.html").read_text("utf-8")
    text = text_of(page[page.index(f'id="{ENTRY}"') :])
    assert f"Previously: {scenario.old} Corrected to: {scenario.new}" in text
    only_as_previous(text_of(page), scenario.old)
    feed = ET.parse(scenario.site / "corrections.xml").getroot()
    entry = next(
        e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}link").get("href") == scenario.entry_url
    )
    summary = entry.find(f"{ATOM}summary").text
    assert f"previously {scenario.old}, corrected to {scenario.new}" in summary


def test_the_feed_reads_with_feedparser(scenario: Scenario) -> None:
    """feedparser, what feed readers are built on: well-formed Atom, one entry a correction, newest first."""
    import feedparser

    feed = feedparser.parse(str(scenario.site / "corrections.xml"))
    assert feed.bozo is False and feed.version == "atom10"
    assert [e.link for e in feed.entries] == [
        scenario.ctx.urls.latest(f"corrections/#{c.id}") for c in reversed(scenario.data.corrections)
    ]
    titles = [e.title for e in feed.entries]
    assert f"{DATE}: {scenario.data.figure(FIGURE).label} corrected" in titles
    assert any(t.endswith("DOI added") for t in titles)  # a field that was not reported is added


# --- downloads -----------------------------------------------------------------------------------


def test_figures_csv_and_json_carry_the_notice(scenario: Scenario) -> None:
    raw = (scenario.site / "downloads/figures.csv").read_bytes().decode("utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(raw))}
    doc = json.loads((scenario.site / "downloads/figures.json").read_text("utf-8"))
    records = {r["id"]: r for r in doc["figures"]}
    expected = {
        "value_text": scenario.new,
        "correction_notice": scenario.note,
        "corrected_on": DATE,
        "previous_value": scenario.old,
        "correction_url": scenario.version_entry_url,
    }
    for got in (rows[FIGURE], records[FIGURE]):
        assert {k: got[k] for k in expected} == expected
    assert rows[FIGURE]["value_number"] == str(scenario.new_number)
    assert records[FIGURE]["value"] == scenario.new_number
    # The old value stands only in the two fields that say it is the previous one (and in other
    # sources' reports of the figure, which keep their own values).
    for table in (rows, records):
        for fid, record in table.items():
            for key, value in record.items():
                if key not in ("previous_value", "correction_notice", "also_reported", "reports"):
                    assert scenario.old not in str(value), (fid, key)
    # A figure never corrected has no correction: the JSON leaves the keys out, the CSV says so.
    untouched = [r for fid, r in records.items() if fid != FIGURE]
    assert all("correction_notice" not in r and "corrected_on" not in r for r in untouched)
    assert all(rows[fid]["corrected_on"] == "not applicable" for fid in rows if fid != FIGURE)


def test_with_a_correction_the_downloads_keep_their_contract(scenario: Scenario) -> None:
    """frictionless validates the CSV against its Table Schema (corrected_on a date in one row and
    'not applicable' in the others); jsonschema validates the JSON."""
    import jsonschema

    downloads = scenario.site / "downloads"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", "datapackage.json"],
        cwd=downloads,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert json.loads(done.stdout)["valid"] is True
    schema = json.loads((downloads / "figures.schema.json").read_text("utf-8"))
    doc = json.loads((downloads / "figures.json").read_text("utf-8"))
    checker = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in checker.iter_errors(doc)] == []


# --- the presentation kit ------------------------------------------------------------------------


def _svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


def test_kit_svgs_show_the_new_value_and_the_notice_linked_to_the_entry(scenario: Scenario) -> None:
    for name in (FIGURE, key_results_name(scenario.data.figure(FIGURE).study_id)):
        path = scenario.site / "kit" / f"{name}.svg"
        text = _svg_text(path)
        assert scenario.new in text and scenario.note in text, name
        only_as_previous(text, scenario.old)
        assert f'href="{scenario.version_entry_url}"' in path.read_text("utf-8"), name


def test_only_the_images_that_show_the_figure_were_redrawn(scenario: Scenario, public_site: Path) -> None:
    """Compared with the project's own build for the same public address."""
    built_site = public_site
    kit = scenario.site / "kit"
    for name in (FIGURE, key_results_name(scenario.data.figure(FIGURE).study_id)):
        assert (kit / f"{name}.png").read_bytes() != (built_site / "kit" / f"{name}.png").read_bytes()
    others = [f.id for s in scenario.data.studies for f in s.figures if f.headline and f.id != FIGURE]
    assert others
    for name in others:
        assert (kit / f"{name}.png").read_bytes() == (built_site / "kit" / f"{name}.png").read_bytes()


def test_kit_alt_text_on_the_kit_page(scenario: Scenario) -> None:
    page = html.unescape((scenario.site / "kit/index.html").read_text("utf-8"))
    label = scenario.data.figure(FIGURE).label
    assert f'alt="{label}: {scenario.new} ({scenario.note}). ' in page
    # The key-results alt text (at most 150 characters) says the value was corrected; its notice in
    # full is in the description shown under the image.
    assert f"{label}: {scenario.new} (corrected)" in page
    assert f"{label}: {scenario.new} ({scenario.note}; " in page
    only_as_previous(page, scenario.old)


def test_a_correction_changes_the_kit_cache_key_even_for_the_same_value(scenario: Scenario) -> None:
    """Without its log entry the data shows the same value; the images must still differ."""
    ctx = scenario.ctx
    with_log = kit_specs(ctx)
    without = kit_specs(replace(ctx, data=replace(ctx.data, corrections=())))
    changed = [a.name for a, b in zip(with_log, without, strict=True) if a.inputs() != b.inputs()]
    assert sorted(changed) == sorted([FIGURE, key_results_name(ctx.data.figure(FIGURE).study_id)])


def test_slides_show_the_notice_with_its_link_and_in_the_notes(scenario: Scenario) -> None:
    from pptx import Presentation

    deck = Presentation(str(next((scenario.site / "kit").glob("*.pptx"))))
    all_text = []
    with_notice = 0
    for slide in deck.slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        notes = slide.notes_slide.notes_text_frame.text
        all_text += [*texts, notes]
        notice = [s for s in slide.shapes if s.name == "Correction notice"]
        if not notice:
            assert scenario.new not in " ".join(texts)
            continue
        with_notice += 1
        assert scenario.new in " ".join(texts) and scenario.note in notes
        assert " ".join(notice[0].text_frame.text.split()) == scenario.note  # may break after the date
        assert notice[0].text_frame.paragraphs[0].runs[0].hyperlink.address == scenario.version_entry_url
    assert with_notice == 2  # the key-results slide and the figure's own slide
    only_as_previous("\n".join(all_text), scenario.old)


# --- the corrected DOI ---------------------------------------------------------------------------


def test_the_doi_reaches_the_sources_page_with_its_notice(scenario: Scenario) -> None:
    text = text_of((scenario.site / "sources/index.html").read_text("utf-8"))
    assert f"{TEST_DOI} Added on {DATE}" in text  # it was not reported: added, not corrected


def test_the_doi_reaches_every_formatted_reference_on_the_cite_page(scenario: Scenario) -> None:
    study = scenario.data.studies[0]
    page = (scenario.site / "cite/index.html").read_text("utf-8")
    refs = cite.formatted(scenario.ctx, study, html=True)[ARTICLE]
    assert set(refs) == set(cite.STYLES)
    for style, ref in refs.items():
        assert TEST_DOI in ref, style
        assert ref in page, style
    # The page no longer says the DOI is missing, and says it was corrected, linking the entry.
    text = text_of(page)
    assert "The article's volume, issue and pages are not reported" in text
    assert f"DOI: Added on {DATE}" in text
    assert f'href="../corrections/#{DATE}-{ARTICLE}-doi"' in page


def test_the_doi_reaches_bibtex_ris_and_csl_json(scenario: Scenario) -> None:
    paths = scenario.ctx.urls.citation_files(scenario.data.studies[0].id)
    library = bibtexparser.parse_string((scenario.site / paths["bib"]).read_text("utf-8"))
    entry = next(e for e in library.entries if e.key == ARTICLE)
    assert entry.fields_dict["doi"].value == TEST_DOI
    records = rispy.loads((scenario.site / paths["ris"]).read_text("utf-8"))
    assert next(r for r in records if r["type_of_reference"] == "JOUR")["doi"] == TEST_DOI
    items = json.loads((scenario.site / paths["json"]).read_text("utf-8"))
    assert next(i for i in items if i["id"] == ARTICLE)["DOI"] == TEST_DOI


def test_the_command_rewrote_citation_cff_and_it_matches_a_fresh_generation(scenario: Scenario) -> None:
    cff = yaml.safe_load((scenario.root / "CITATION.cff").read_text("utf-8"))
    assert cff["preferred-citation"]["doi"] == TEST_DOI
    assert cff["version"] == scenario.data.release.version
    done = subprocess.run(
        [sys.executable, str(scenario.root / "scripts/write_citation_cff.py"), "--check"],
        cwd=scenario.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_without_a_correction_the_cite_page_says_the_doi_is_missing(built_site: Path) -> None:
    text = text_of((built_site / "cite/index.html").read_text("utf-8"))
    assert "The article's DOI, volume, issue and pages are not reported" in text
    assert "Corrected in these references" not in text
