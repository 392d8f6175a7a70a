"""The site's citations of the article, the news release and the site itself, checked against each
style's rules for what the data knows, and every citation file read with the tool its users use:
CSL-JSON rendered by citeproc-py, RIS read by rispy, BibTeX parsed by pybtex (and rendered by its
styles) and bibtexparser, CITATION.cff validated by cffconvert in its own environment."""

from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import subprocess
import warnings
from dataclasses import replace
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
import yaml
from citehelpers import HOSTILE_TITLE, PUBLIC_URL, ROOT, public_context, site_context, site_url_env

from trialsite.data.model import Author
from trialsite.outputs import citations as cite
from trialsite.outputs import styles
from trialsite.words.titles import sentence_case

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip
CSL_TYPES = {"article-journal", "dataset", "report"}
# CSL 1.0.2 item variables this site may write (all in the CSL-JSON input schema's properties).
CSL_KEYS = {"id", "type", "title", "author", "container-title", "container-title-short", "issued", "note",
            "version", "URL", "DOI", "volume", "issue", "page", "publisher", "genre", "number"}  # fmt: skip
CFFCONVERT = ROOT / ".cache" / "cffconvert-venv" / "bin" / "cffconvert"
CSL_STYLES = ("apa", "american-medical-association", "nlm-citation-sequence")


@pytest.fixture(scope="module")
def ctx():
    """Built for a public address: the site's citations then name the version's own address."""
    return public_context()


@pytest.fixture(scope="module")
def data(ctx):
    return ctx.data


@pytest.fixture(scope="module")
def study(data):
    return data.studies[0]


@pytest.fixture(scope="module")
def article(data, study):
    return data.source(study.publication)


@pytest.fixture(scope="module")
def release(data, study):
    (found,) = cite.releases(data, study)
    return found


def _ymd(iso: str) -> tuple[int, int, int]:
    y, m, d = (int(p) for p in iso.split("-"))
    return y, m, d


def _initials(given: str, *, dotted: bool = False) -> str:
    parts = [p[0] for p in given.replace(".", " ").split()]
    return " ".join(f"{p}." for p in parts) if dotted else "".join(parts)


# --- the references the Cite page prints ---------------------------------------------------------


def test_article_in_three_styles_follows_each_rule(ctx, study, article) -> None:
    """The data knows the lead author only, the title, the journal and the online date. Sentence case
    keeps the proper nouns the data lists and the abbreviations (ALL, B-cell, A041703)."""
    assert not article.authors_complete and len(article.authors) == 1
    assert article.doi is None and article.volume is None
    y, m, d = _ymd(article.issued)
    lead = article.authors[0]
    title = sentence_case(article.title, article.proper_nouns)
    assert "B-cell ALL: Alliance study A041703 cohort 1 results" in title
    refs = cite.formatted(ctx, study)[article.id]
    assert refs["apa"] == (
        f"{lead.family}, {_initials(lead.given, dotted=True)} [author list incomplete]. ({y}). {title}. "
        f"{article.container}. Advance online publication."
    )
    assert refs["ama"] == (
        f"{lead.family} {_initials(lead.given)} [author list incomplete]. {title}. "
        f"{article.container_short}. "
        f"Published online {MONTHS[m - 1]} {d}, {y}."
    )
    assert refs["vancouver"] == (
        f"{lead.family} {_initials(lead.given)}, et al. {title}. {article.container_short}. "
        f"Epub {y} {MONTHS[m - 1][:3]} {d}."
    )


def test_release_has_a_full_reference_in_three_styles(ctx, study, release) -> None:
    """Issuer, a bracketed description for the unknown headline, the EurekAlert! number, the URL; the
    unknown date as each style marks it; the access date to fill in where the style asks for one."""
    assert release.title is None and release.issued is None
    issuer = release.authors[0].family
    subject = f"the {study.title} results"
    refs = cite.formatted(ctx, study)[release.id]
    assert refs["apa"] == (
        f"{issuer}. (n.d.). [Press release on {subject}] (News release No. {release.number}). "
        f"{release.container} {release.url}"
    )
    assert refs["ama"] == (
        f"{issuer}. [News release on {subject}]. {release.container} News release {release.number}. "
        f"Accessed Month Day, Year. {release.url}"
    )
    assert refs["vancouver"] == (
        f"{issuer}. [News release on {subject}] [Internet]. {release.container}; [cited YYYY Mon DD]. "
        f"News release {release.number}. Available from: {release.url}"
    )


def test_site_in_three_styles_names_version_publisher_and_date(ctx, study) -> None:
    site = ctx.site
    y, m, d = _ymd(site.released)
    refs = cite.formatted(ctx, study)[cite.SITE_ITEM_ID]
    apa_title = sentence_case(site.title, subtitle_capital=True)
    assert refs["apa"] == (
        f"{site.publisher}. ({y}). {apa_title} (Version {site.version}) [Data set]. "
        f"Retrieved Month Day, Year, from {site.url}"
    )
    assert refs["ama"] == (
        f"{site.title}. Version {site.version}. {site.publisher}; {y}. Accessed Month Day, Year. {site.url}"
    )
    assert refs["vancouver"] == (
        f"{sentence_case(site.title)} [Internet]. Version {site.version}. {site.publisher}; "
        f"{y} {MONTHS[m - 1][:3]} {d} [cited YYYY Mon DD]. Available from: {site.url}"
    )
    for text in refs.values():
        assert "Published online" not in text and "[cited [" not in text


def test_unknown_fields_never_appear(ctx, study, article) -> None:
    everything = json.dumps(cite.formatted(ctx, study)) + cite.bibtex(ctx, study) + cite.ris(ctx, study)
    everything += cite.csl_json(ctx, study)
    for word in ("unknown", "doi", "DOI", "volume"):
        assert word not in everything


def test_no_output_has_an_author_named_et_al(ctx, study, article) -> None:
    items = json.loads(cite.csl_json(ctx, study))
    assert all(a != {"literal": "et al."} for i in items for a in i.get("author", []))
    assert "AU  - et al." not in cite.ris(ctx, study)
    assert "et al" not in cite.bibtex(ctx, study)
    for style, text in cite.formatted(ctx, study)[article.id].items():
        assert "& et al" not in text and "&" not in text, style


def test_a_complete_author_list_is_not_marked(ctx, study, article, data) -> None:
    complete = replace(article, authors_complete=True)
    sources = tuple(complete if s.id == article.id else s for s in data.sources)
    refs = cite.formatted(replace(ctx, data=replace(data, sources=sources)), study)[article.id]
    for text in refs.values():
        assert "incomplete" not in text and "et al" not in text


def test_html_references_escape_hostile_titles(ctx, study, article, data) -> None:
    hostile = replace(article, title="<script>alert(1)</script> & more", proper_nouns=())
    sources = tuple(hostile if s.id == article.id else s for s in data.sources)
    html = cite.formatted(replace(ctx, data=replace(data, sources=sources)), study, html=True)[article.id]
    assert "<script>" not in html["apa"] and "&lt;script&gt;" in html["apa"]
    assert f"<i>{article.container}</i>" in html["apa"]


def test_cite_page_shows_every_reference_the_downloads_and_the_incomplete_list(
    public_site: Path, ctx, study, article
) -> None:
    html = (public_site / "cite" / "index.html").read_text("utf-8")
    works = 3 + len(cite.report_sources(ctx.data, study))  # article, release, site, earlier reports
    for label in styles.STYLES.values():
        assert html.count(f'<p class="cite-style">{label}</p>') == works
    for path in ctx.urls.citation_files(study.id).values():
        assert f'href="{posixpath.relpath(path, "cite")}"' in html
    for item_refs in cite.formatted(ctx, study, html=True).values():
        for text in item_refs.values():
            assert text in html
    assert "The author list below is incomplete." in html
    assert ctx.site.licence.url in html


def test_cite_page_is_in_the_navigation(public_site: Path) -> None:
    html = (public_site / "index.html").read_text("utf-8")
    assert 'href="cite/"' in html


# --- CSL-JSON, read by citeproc-py ----------------------------------------------------------------


def _citeproc(items: list[dict], style: str) -> list[str]:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from vendored import csl_style

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it does not implement
        csl = CitationStylesStyle(str(csl_style(style)), validate=False)
        bibliography = CitationStylesBibliography(csl, CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        return [str(entry) for entry in bibliography.bibliography()]


def test_csl_json_is_well_formed(public_site: Path, ctx, study, article, release) -> None:
    items = json.loads((public_site / ctx.urls.citation_files(study.id)["json"]).read_text("utf-8"))
    assert [i["id"] for i in items] == [article.id, release.id, cite.SITE_ITEM_ID]
    for item in items:
        assert item["type"] in CSL_TYPES
        assert set(item) <= CSL_KEYS, set(item) - CSL_KEYS
        for name in item.get("author", []):
            assert set(name) in ({"family", "given"}, {"literal"})
        assert "accessed" not in item  # the reader's reference manager records the access date
    art, rel, site = items
    assert art["title"] == sentence_case(article.title, article.proper_nouns)
    assert art["author"] == [{"family": a.family, "given": a.given} for a in article.authors]
    assert art["note"] == cite.INCOMPLETE_AUTHORS_NOTE
    assert art["issued"]["date-parts"] == [list(_ymd(article.issued))]
    assert rel["author"] == [{"literal": release.authors[0].family}]
    assert (rel["number"], rel["URL"], rel["genre"]) == (release.number, release.url, "Press release")
    assert "issued" not in rel
    assert (site["version"], site["URL"], site["publisher"]) == (
        ctx.site.version,
        ctx.site.url,
        ctx.site.publisher,
    )


@pytest.mark.parametrize("style", CSL_STYLES)
def test_csl_json_renders_with_citeproc_py(public_site: Path, ctx, study, article, release, style) -> None:
    """As a reference manager renders our CSL-JSON: no author named "et al.", the title as stored."""
    items = json.loads((public_site / ctx.urls.citation_files(study.id)["json"]).read_text("utf-8"))
    entries = _citeproc(items, style)
    assert len(entries) == 3
    text = "\n".join(entries)
    assert "et al" not in text
    assert sentence_case(article.title, article.proper_nouns) in text
    assert article.authors[0].family in text
    assert release.authors[0].family in text or release.authors[0].family.split()[0] in text
    assert release.url in text and ctx.site.url in text


# --- BibTeX, read by pybtex and bibtexparser ------------------------------------------------------


def test_bibtex_parses_with_bibtexparser(public_site: Path, ctx, study, article, release) -> None:
    text = (public_site / ctx.urls.citation_files(study.id)["bib"]).read_text("utf-8")
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks
    entries = {e.key: e for e in lib.entries}
    art = entries[article.id]
    assert art.entry_type == "article"
    lead = article.authors[0]
    assert art.fields_dict["author"].value == f"{lead.family}, {lead.given} and others"
    assert art.fields_dict["title"].value == cite.bibtex_title(article.title, article.proper_nouns)
    assert art.fields_dict["journal"].value == article.container
    assert art.fields_dict["date"].value == article.issued
    assert not {"doi", "volume", "number", "pages", "note"} & set(art.fields_dict)
    rel = entries[release.id]
    assert rel.fields_dict["author"].value == "{" + release.authors[0].family + "}"
    assert release.number in rel.fields_dict["howpublished"].value
    site = entries[cite.SITE_ITEM_ID]
    assert site.entry_type == "misc"
    assert site.fields_dict["version"].value == ctx.site.version
    assert ctx.site.version not in site.fields_dict["note"].value  # the version once, not twice
    assert site.fields_dict["publisher"].value == ctx.site.publisher


def test_bibtex_parses_and_renders_with_pybtex(public_site: Path, ctx, study, article, release) -> None:
    """pybtex (the BibTeX implementation in Python) reads the file, expands the month macros, and its
    styles lower-case the title except what the braces protect."""
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    text = (public_site / ctx.urls.citation_files(study.id)["bib"]).read_text("utf-8")
    db = parse_string(text, "bibtex")
    art = db.entries[article.id]
    assert [str(p) for p in art.persons["author"]] == [
        f"{article.authors[0].family}, {article.authors[0].given}",
        "others",
    ]
    assert art.fields["month"] == MONTHS[_ymd(article.issued)[1] - 1]
    rendered = {}
    for style in ("plain", "unsrt", "alpha"):
        formatted = find_plugin("pybtex.style.formatting", style)().format_bibliography(db)
        rendered[style] = {e.key: e.text.render_as("text") for e in formatted}
    plain = rendered["plain"][article.id]
    assert sentence_case(article.title, article.proper_nouns) in plain
    assert f"{article.authors[0].family} and others" in plain
    assert release.url in rendered["plain"][release.id]


def test_bibtex_escapes_what_would_break_it(ctx, data, study, article) -> None:
    nasty = "50% {unbalanced \\ back}slash} & #1 $x_y ~^\nsecond line"
    sources = tuple(
        replace(s, title=nasty, proper_nouns=()) if s.id == article.id else s for s in data.sources
    )
    hostile = replace(ctx, data=replace(data, sources=sources))
    lib = bibtexparser.parse_string(cite.bibtex(hostile, study))
    assert not lib.failed_blocks
    assert len(lib.entries) == 3
    title = lib.entries[0].fields_dict["title"].value
    assert "\n" not in title
    assert r"50\% \{unbalanced \textbackslash{} back\}slash\} \& \#1 \$x\_y" in title
    assert title.count("{") - title.count(r"\{") == title.count("}") - title.count(r"\}")


# --- RIS, read by rispy --------------------------------------------------------------------------


def test_ris_reads_with_rispy(public_site: Path, ctx, study, article, release) -> None:
    text = (public_site / ctx.urls.citation_files(study.id)["ris"]).read_text("utf-8")
    assert text.startswith("TY  - JOUR")
    art, rel, site = rispy.loads(text)
    lead = article.authors[0]
    assert art["type_of_reference"] == "JOUR"
    assert art["title"] == sentence_case(article.title, article.proper_nouns)
    assert art["authors"] == [f"{lead.family}, {lead.given}"]  # the known author; no "et al."
    assert art["notes"] == [cite.INCOMPLETE_AUTHORS_NOTE]
    assert art["secondary_title"] == article.container
    assert art["date"] == article.issued.replace("-", "/") + "/"
    assert "doi" not in art and "volume" not in art
    assert rel["type_of_reference"] == "ELEC"
    assert rel["authors"] == [release.authors[0].family]
    assert (rel["urls"], rel["note"], rel["secondary_title"]) == (
        [release.url],
        release.number,
        release.container,
    )
    assert site["type_of_reference"] == "DATA"
    assert (site["edition"], site["publisher"], site["urls"]) == (
        ctx.site.version,
        ctx.site.publisher,
        [ctx.site.url],
    )


def test_ris_keeps_one_value_per_line(ctx, data, study, article) -> None:
    sources = tuple(
        replace(s, title="line one\nER  - \nline two", proper_nouns=(), authors=(Author("A\nB", "C", None),))
        if s.id == article.id
        else s
        for s in data.sources
    )
    hostile = replace(ctx, data=replace(data, sources=sources))
    records = rispy.loads(cite.ris(hostile, study))
    assert len(records) == 3
    assert records[0]["title"] == "Line one ER - line two"  # one line; "ER" kept as an abbreviation


# --- CITATION.cff, validated by cffconvert ----------------------------------------------------------


def _cff_script():
    script = ROOT / "scripts" / "write_citation_cff.py"
    spec = importlib.util.spec_from_file_location("write_citation_cff", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cffconvert() -> Path:
    """cffconvert 2.0.0 in its own venv (`make test` makes it: its jsonschema<4 clashes with ours)."""
    if not CFFCONVERT.exists():
        message = f"{CFFCONVERT} is missing: `make test` installs cffconvert into .cache/cffconvert-venv"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CFFCONVERT


def test_citation_cff_matches_a_fresh_generation() -> None:
    """From mkdocs.yml as committed: SITE_URL in a developer's shell must not change the answer."""
    with site_url_env(None):
        assert (ROOT / "CITATION.cff").read_text("utf-8") == _cff_script().generate(ROOT)


def test_citation_cff_of_a_preview_names_no_address() -> None:
    """mkdocs.yml sets no public address: the committed file names none (never a loopback one)."""
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    with site_url_env(None):
        assert site_context().urls.is_preview
    assert "url" not in doc
    assert "127.0.0.1" not in (ROOT / "CITATION.cff").read_text("utf-8")


def test_citation_cff_for_a_public_address_names_the_version_address(ctx) -> None:
    with site_url_env(PUBLIC_URL):
        doc = yaml.safe_load(_cff_script().generate(ROOT))
    assert doc["url"] == ctx.site.url == f"{PUBLIC_URL}{ctx.site.version}/"


def test_citation_cff_is_valid_for_cffconvert(cffconvert: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(cffconvert), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Citation metadata are valid according to schema version 1.2.0" in done.stdout
    # The check can fail: a file without authors is refused.
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    del doc["authors"]
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(doc), "utf-8")
    bad = subprocess.run(
        [str(cffconvert), "--validate", "-i", str(tmp_path / "CITATION.cff")], capture_output=True, text=True
    )
    assert bad.returncode != 0


def test_citation_cff_says_what_is_known(ctx, article, release) -> None:
    schema = json.loads((ROOT / "tests/data/cff/schema-1.2.0.json").read_text("utf-8"))
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert list(jsonschema.Draft7Validator(schema).iter_errors(doc)) == []
    committed = site_context().site  # CITATION.cff is made from mkdocs.yml as committed
    assert (doc["version"], doc["date-released"], doc.get("url")) == (
        committed.version,
        committed.released,
        committed.url,  # None while mkdocs.yml names no public address: then no url at all
    )
    assert doc["authors"] == [{"name": ctx.site.publisher}]
    assert doc["license"] == ctx.site.licence.id
    pref = doc["preferred-citation"]
    assert pref["title"] == article.title
    assert [a.get("family-names") for a in pref["authors"]] == [a.family for a in article.authors]
    assert pref["notes"] == cite.INCOMPLETE_AUTHORS_NOTE
    assert not {"doi", "volume", "issue", "start"} & set(pref)
    (ref,) = doc["references"]
    assert ref["authors"] == [{"name": release.authors[0].family}]
    assert (ref["number"], ref["url"]) == (release.number, release.url)
    assert "et al" not in (ROOT / "CITATION.cff").read_text("utf-8")


# --- settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('version: "1.0"', "data/site.yaml:3:10: version"),
        ('date: "2026-13-01"', "data/site.yaml:4:7: date"),
    ],
)
def test_site_version_and_date_are_validated(tmp_path: Path, line: str, expected: str) -> None:
    import shutil

    from trialsite.data.dataset import load_dataset
    from trialsite.problems import DataError

    shutil.copytree(ROOT / "data", tmp_path / "data")
    site_file = tmp_path / "data" / "site.yaml"
    key = line.split(":")[0]
    text = "\n".join(
        line if ln.startswith(key + ":") else ln for ln in site_file.read_text("utf-8").split("\n")
    )
    site_file.write_text(text, "utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(tmp_path / "data", tmp_path)
    assert expected in err.value.report()


def test_mkdocs_settings_are_read_through_mkdocs_with_env_tags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trialsite.context import load_settings

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Name\nsite_url: !ENV [TRIALSITE_TEST_URL, 'https://fallback.invalid/']\n", "utf-8"
    )
    monkeypatch.setenv("TRIALSITE_TEST_URL", "https://example.invalid/a041703")
    settings = load_settings(tmp_path / "mkdocs.yml")
    assert (settings.title, settings.url, settings.description) == (
        "Name",
        "https://example.invalid/a041703/",  # MkDocs adds the trailing slash
        "",
    )


def test_hostile_article_title_in_a_built_copy(changed_site: tuple[Path, int], study, ctx) -> None:
    """Markup, Markdown, BibTeX and RIS specials in the title stay text in every output."""
    site, _ = changed_site
    page = (site / "cite" / "index.html").read_text("utf-8")
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "*stars* _under_" in page  # not turned into emphasis
    body = page.split("</head>", 1)[1]
    assert "</script><!--" not in body
    lib = bibtexparser.parse_string((site / ctx.urls.citation_files(study.id)["bib"]).read_text("utf-8"))
    assert not lib.failed_blocks and len(lib.entries) == 3
    assert r"50\% \textbackslash{} back" in lib.entries[0].fields_dict["title"].value
    records = rispy.loads((site / ctx.urls.citation_files(study.id)["ris"]).read_text("utf-8"))
    assert records[0]["title"] == sentence_case(HOSTILE_TITLE)
    items = json.loads((site / ctx.urls.citation_files(study.id)["json"]).read_text("utf-8"))
    assert items[0]["title"] == sentence_case(HOSTILE_TITLE)


# --- the earlier reports' citation files, read by the same tools -----------------------------------


@pytest.mark.parametrize("style", CSL_STYLES)
def test_other_reports_files_read_in_reference_tools(public_site: Path, ctx, study, style) -> None:
    """The abstract, the news report and the review: CSL-JSON rendered by citeproc-py, RIS read by
    rispy, BibTeX parsed by bibtexparser and pybtex; each with its own kind and no made-up field."""
    from pybtex.database import parse_string

    reports = cite.report_sources(ctx.data, study)
    assert {s.kind for s in reports} == {"conference-abstract", "news-article", "journal-article"}
    journal = {"conference-abstract", "journal-article"}
    files = ctx.urls.report_citation_files(study.id)
    items = json.loads((public_site / files["json"]).read_text("utf-8"))
    assert [i["id"] for i in items] == [s.id for s in reports]
    for item, source in zip(items, reports, strict=True):
        assert item["type"] == ("article-journal" if source.kind in journal else "article-newspaper")
        assert set(item) <= CSL_KEYS, set(item) - CSL_KEYS
        assert "DOI" not in item  # no text we read states one
    entries = _citeproc(items, style)
    assert len(entries) == len(reports)
    text = "\n".join(entries)
    assert "et al" not in text
    for source in reports:
        assert (source.authors[0].family if source.authors else source.byline) in text, source.id
    records = rispy.loads((public_site / files["ris"]).read_text("utf-8"))
    assert [r["type_of_reference"] for r in records] == [
        "JOUR" if s.kind in journal else "NEWS" for s in reports
    ]
    assert [r["secondary_title"] for r in records] == [s.container for s in reports]
    bib = (public_site / files["bib"]).read_text("utf-8")
    assert not bibtexparser.parse_string(bib).failed_blocks
    assert set(parse_string(bib, "bibtex").entries) == {s.id for s in reports}
