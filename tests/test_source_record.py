"""One record per source, every citation format from it: an author with a suffix ('Smith, John,
Jr.') and an organisation whose name holds a comma go through CSL-JSON, BibTeX, RIS, CITATION.cff,
JSON-LD, Highwire and the three styles, and each is read back with the tool its users use."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from bibtexparser import middlewares as mw
from citehelpers import ROOT, public_context
from pybtex.database import parse_string

from trialsite.data import values
from trialsite.data.kinds import CITED_KINDS, SOURCE_KINDS, SourceKind
from trialsite.data.model import Author
from trialsite.outputs import cff, styles
from trialsite.outputs import citations as cite
from trialsite.pages import head

SMITH = Author("Smith", "John", suffix="Jr.")
ORG = Author("Smith, Jones & Co.", organisation=True)
CFFCONVERT = ROOT / ".cache" / "cffconvert-venv" / "bin" / "cffconvert"


@pytest.fixture(scope="module")
def ctx():
    base = public_context()
    article = base.data.source(base.data.studies[0].publication)
    changed = replace(article, authors=(SMITH, ORG), authors_complete=True)
    sources = tuple(changed if s.id == article.id else s for s in base.data.sources)
    return replace(base, data=replace(base.data, sources=sources))


@pytest.fixture(scope="module")
def article(ctx):
    return ctx.data.source(ctx.data.studies[0].publication)


@pytest.fixture(scope="module")
def cited(ctx, article):
    return [cite.Cited(article.id, "The journal article", cite.report_work(article))]


def test_every_source_kind_is_in_one_table() -> None:
    import typing

    assert set(typing.get_args(SourceKind)) == set(SOURCE_KINDS)
    schema = json.loads((ROOT / "trialsite/data/schemas/sources.schema.json").read_text("utf-8"))
    assert set(schema["$defs"]["source"]["properties"]["kind"]["enum"]) == set(SOURCE_KINDS)
    assert {k.cited_as for k in SOURCE_KINDS.values()} - {None} <= set(CITED_KINDS)
    with pytest.raises(ValueError, match="not cited as a reference"):
        cite.report_work(next(s for s in public_context().data.sources if s.kind == "registry-record"))


def test_the_command_line_form_reads_suffixes_and_quoted_organisations() -> None:
    text = 'Smith, John, Jr. (Wake Forest); "Smith, Jones & Co."; Alliance; Doe, Jane'
    plain = values.parse_authors(text)
    assert plain == [
        {"family": "Smith", "given": "John", "suffix": "Jr.", "affiliation": "Wake Forest"},
        {"name": "Smith, Jones & Co."},
        {"name": "Alliance"},
        {"family": "Doe", "given": "Jane", "affiliation": "unknown"},
    ]
    assert values.parse_authors(values.authors_text(plain)) == plain
    assert values.author_value(plain[0]) == Author("Smith", "John", "Wake Forest", suffix="Jr.")
    for bad in ('"Smith, Jones', "Smith, John, Jr., IV", 'Smith "Co", x', '""'):
        with pytest.raises(ValueError):
            values.parse_authors(bad)


def test_csl_json_and_citeproc(cited, ctx) -> None:
    from test_cite import _citeproc

    item = cite.csl_item(cited[0].work, cited[0].id, ctx.site)
    assert item["author"] == [{"family": "Smith", "given": "John", "suffix": "Jr."}, {"literal": ORG.family}]
    styles_ = ("apa", "american-medical-association", "nlm-citation-sequence")
    text = "\n".join(e for s in styles_ for e in _citeproc([item], s))
    assert "Jr" in text and "Smith, Jones & Co." in text


def test_three_styles(cited) -> None:
    work = cited[0].work
    assert styles.reference(work, "apa").startswith("Smith, J., Jr., & Smith, Jones & Co. (")
    assert styles.reference(work, "ama").startswith("Smith J Jr, Smith, Jones & Co. ")
    assert styles.reference(work, "vancouver").startswith("Smith J Jr, Smith, Jones & Co. ")


def test_bibtex_read_by_pybtex_and_bibtexparser(cited, ctx) -> None:
    text = cite.bibtex_of(cited, ctx.site)
    assert "author = {Smith, Jr., John and {Smith, Jones \\& Co.}}" in text
    persons = next(iter(parse_string(text, "bibtex").entries.values())).persons["author"]
    assert (persons[0].last_names, persons[0].first_names, persons[0].lineage_names) == (
        ["Smith"],
        ["John"],
        ["Jr."],
    )
    assert persons[1].last_names == ["{Smith, Jones \\& Co.}"] and not persons[1].first_names
    lib = bibtexparser.parse_string(text, append_middleware=[mw.SeparateCoAuthors(), mw.SplitNameParts()])
    assert not lib.failed_blocks
    first, second = lib.entries[0]["author"]
    assert (first.last, first.first, first.jr) == (["Smith"], ["John"], ["Jr."])
    assert len(second.last) == 1 and not second.first and not second.jr


def test_ris_read_by_rispy(cited, ctx) -> None:
    text = cite.ris_of(cited, ctx.site)
    assert "AU  - Smith, John, Jr.\n" in text
    assert rispy.load(io.StringIO(text))[0]["authors"] == ["Smith, John, Jr.", ORG.family]


def test_json_ld_and_highwire(article, ctx) -> None:
    rel = replace(article, kind="news-release")  # a release may name people too
    authors = head.release_jsonld(rel, "x")["author"]
    assert authors[0] == {
        "@type": "Person",
        "name": "John Smith Jr.",
        "familyName": "Smith",
        "givenName": "John",
        "honorificSuffix": "Jr.",
    }
    assert authors[1] == {"@type": "Organization", "name": ORG.family}
    ref = head._highwire_reference(article)
    assert "citation_author=Smith, John, Jr.; citation_author=Smith, Jones & Co.;" in ref
    assert head.article_jsonld(article, "x")["creditText"] == "Smith J Jr, Smith, Jones & Co."


def test_citation_cff_validates(ctx, tmp_path: Path) -> None:
    doc = cff.citation_cff_data(ctx)
    assert doc["preferred-citation"]["authors"] == [
        {"family-names": "Smith", "given-names": "John", "name-suffix": "Jr."},
        {"name": ORG.family},
    ]
    if not CFFCONVERT.exists():
        pytest.fail(f"{CFFCONVERT} is missing: `make test` installs cffconvert")
    path = tmp_path / "CITATION.cff"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
    done = subprocess.run([str(CFFCONVERT), "--validate", "-i", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_correction_with_a_suffix_and_a_quoted_organisation_reaches_the_built_files(tmp_path: Path) -> None:
    """Through the real pipeline: the command writes data/sources.yaml, the build reads it back."""
    from conftest import copy_project

    from trialsite.build import build_site, check
    from trialsite.data.load import load_document

    root = copy_project(tmp_path)
    shutil.copy2(ROOT / "CITATION.cff", root / "CITATION.cff")
    lead = "Wieduwilt, Matthew J. (Wake Forest University School of Medicine)"
    value = f'{lead}; Smith, John, Jr.; "Smith, Jones & Co."'
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "scripts/correct.py", "source", "jco-2025-wieduwilt", "authors",
         value, "--reason", "Test: authors", "--source", "eurekalert-1102627", "--locator", "COI statement"],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    authors = load_document(root / "data/sources.yaml", "sources").data["sources"][0]["authors"]
    assert authors[1:] == [
        {"family": "Smith", "given": "John", "suffix": "Jr.", "affiliation": "unknown"},
        {"name": "Smith, Jones & Co."},
    ]
    assert check(root) == []
    site = root / "site"
    assert build_site(root, site) == 0
    ctx = public_context(root)
    files = ctx.urls.citation_files(ctx.data.studies[0].id)
    bib = (site / files["bib"]).read_text("utf-8")
    person = next(iter(parse_string(bib, "bibtex").entries.values())).persons["author"][1]
    assert person.lineage_names == ["Jr."]
    ris = rispy.load(io.StringIO((site / files["ris"]).read_text("utf-8")))[0]["authors"]
    assert ris[1:] == ["Smith, John, Jr.", "Smith, Jones & Co."]
    csl = json.loads((site / files["json"]).read_text("utf-8"))[0]["author"]
    assert csl[1:] == [
        {"family": "Smith", "given": "John", "suffix": "Jr."},
        {"literal": "Smith, Jones & Co."},
    ]
    doc = yaml.safe_load((root / "CITATION.cff").read_text("utf-8"))
    assert doc["preferred-citation"]["authors"][1]["name-suffix"] == "Jr."
