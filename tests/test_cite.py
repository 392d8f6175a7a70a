"""Citations: exact formatted strings per style, parseable BibTeX/RIS, CSL-JSON, CITATION.cff."""

from __future__ import annotations

import importlib.util
import json
import posixpath
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

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip
CSL_TYPES = {"article-journal", "dataset", "webpage"}
# CSL 1.0.2 item variables this site may write (all in the CSL-JSON input schema's properties).
CSL_KEYS = {"id", "type", "title", "author", "container-title", "container-title-short", "issued",
            "note", "version", "URL", "DOI", "volume", "issue", "page", "publisher"}  # fmt: skip


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


def _ymd(iso: str) -> tuple[int, int, int]:
    y, m, d = (int(p) for p in iso.split("-"))
    return y, m, d


def test_article_in_three_styles_is_exactly_as_expected(ctx, data, study, article) -> None:
    y, m, d = _ymd(article.issued)
    lead = article.authors[0]
    initials = "".join(p[0] for p in lead.given.replace(".", " ").split())
    refs = cite.formatted(ctx, study)[article.id]
    assert refs["apa"] == (
        f"{lead.family}, {'. '.join(initials)}., et al. ({y}). {article.title}. {article.container}."
    )
    assert refs["american-medical-association"] == (
        f"{lead.family} {initials}, et al. {article.title}. {article.container_short}. "
        f"Published online {MONTHS[m - 1]} {d}, {y}."
    )
    assert refs["nlm-citation-sequence"] == (
        f"{lead.family} {initials}, et al. {article.title}. {article.container_short}. "
        f"{y} {MONTHS[m - 1][:3]} {d}."
    )


def test_site_in_three_styles_is_exactly_as_expected(ctx, data, study) -> None:
    site = ctx.site
    y, m, d = _ymd(site.released)
    refs = cite.formatted(ctx, study)[cite.SITE_ITEM_ID]
    assert refs["apa"] == (
        f"{site.title} (Version {site.version}) [Data set]. ({y}). Retrieved [date], from {site.url}"
    )
    assert refs["american-medical-association"] == (
        f"{site.title}. Version {site.version}. Published online {MONTHS[m - 1]} {d}, {y}. "
        f"Accessed [date]. {site.url}"
    )
    assert refs["nlm-citation-sequence"] == (
        f"{site.title} [Internet]. Version {site.version}. {y} [cited [date]]. Available from: {site.url}"
    )


def test_unknown_fields_never_appear(ctx, data, study, article) -> None:
    assert article.doi is None and article.volume is None and article.pages is None
    everything = json.dumps(cite.formatted(ctx, study)) + cite.bibtex(ctx, study) + cite.ris(ctx, study)
    everything += cite.csl_json(ctx, study)
    for word in ("unknown", "not reported", "doi", "DOI", "volume", "pages"):
        assert word not in everything


def test_lead_author_is_never_alone(ctx, data, study, article) -> None:
    assert not article.authors_complete
    for style, text in cite.formatted(ctx, study)[article.id].items():
        assert "et al." in text, style
        assert "&" not in text, style
    items = json.loads(cite.csl_json(ctx, study))
    assert items[0]["author"][-1] == {"literal": "et al."}


def test_complete_author_list_has_no_et_al(data, study, article) -> None:
    complete = replace(article, authors_complete=True)
    item = cite.article_item(complete)
    assert all("literal" not in a for a in item["author"])
    assert "et al." not in cite.format_reference(item, "american-medical-association")


def test_html_references_escape_hostile_titles(data, study, article) -> None:
    hostile = replace(article, title="<script>alert(1)</script> & more")
    html = cite.format_reference(cite.article_item(hostile), "apa", html=True)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert f"<i>{article.container}</i>" in html


def test_bibtex_parses_with_the_right_fields(public_site: Path, ctx, data, study, article) -> None:
    text = (public_site / ctx.urls.citation_files(study.id)["bib"]).read_text("utf-8")
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks
    entries = {e.key: e for e in lib.entries}
    art = entries[article.id]
    assert art.entry_type == "article"
    lead = article.authors[0]
    assert art.fields_dict["author"].value == f"{lead.family}, {lead.given} and others"
    assert art.fields_dict["title"].value == "{" + article.title + "}"
    assert art.fields_dict["journal"].value == article.container
    assert art.fields_dict["year"].value == article.issued[:4]
    assert art.fields_dict["date"].value == article.issued
    assert not {"doi", "volume", "number", "pages"} & set(art.fields_dict)
    site = entries[cite.SITE_ITEM_ID]
    assert site.entry_type == "misc"
    assert site.fields_dict["version"].value == ctx.site.version
    assert site.fields_dict["url"].value == ctx.site.url
    assert site.fields_dict["date"].value == ctx.site.released


def test_bibtex_escapes_what_would_break_it(ctx, data, study, article) -> None:
    nasty = "50% {unbalanced \\ back}slash} & #1 $x_y ~^\nsecond line"
    sources = tuple(replace(s, title=nasty) if s.id == article.id else s for s in data.sources)
    hostile = replace(ctx, data=replace(data, sources=sources))
    lib = bibtexparser.parse_string(cite.bibtex(hostile, study))
    assert not lib.failed_blocks
    assert len(lib.entries) == 2
    title = lib.entries[0].fields_dict["title"].value
    assert "\n" not in title
    assert r"50\% \{unbalanced \textbackslash{} back\}slash\} \& \#1 \$x\_y" in title
    assert title.count("{") - title.count(r"\{") == title.count("}") - title.count(r"\}")


def test_ris_parses_with_the_right_fields(public_site: Path, ctx, data, study, article) -> None:
    text = (public_site / ctx.urls.citation_files(study.id)["ris"]).read_text("utf-8")
    assert text.startswith("TY  - JOUR")
    art, site = rispy.loads(text)
    lead = article.authors[0]
    assert art["type_of_reference"] == "JOUR"
    assert art["title"] == article.title
    assert art["authors"] == [f"{lead.family}, {lead.given}", "et al."]
    assert art["secondary_title"] == article.container
    assert art["year"] == article.issued[:4]
    assert art["date"] == article.issued.replace("-", "/") + "/"
    assert "doi" not in art and "volume" not in art
    assert site["type_of_reference"] == "DATA"
    assert site["edition"] == ctx.site.version
    assert site["urls"] == [ctx.site.url]


def test_ris_keeps_one_value_per_line(ctx, data, study, article) -> None:
    sources = tuple(
        replace(s, title="line one\nER  - \nline two", authors=(Author("A\nB", "C", None),))
        if s.id == article.id
        else s
        for s in data.sources
    )
    hostile = replace(ctx, data=replace(data, sources=sources))
    records = rispy.loads(cite.ris(hostile, study))
    assert len(records) == 2
    assert records[0]["title"] == "line one ER - line two"


def test_csl_json_is_well_formed(public_site: Path, ctx, data, study, article) -> None:
    """No CSL-JSON schema is packaged on a registry we can reach; check the shape it defines."""
    items = json.loads((public_site / ctx.urls.citation_files(study.id)["json"]).read_text("utf-8"))
    assert [i["id"] for i in items] == [article.id, cite.SITE_ITEM_ID]
    for item in items:
        assert item["type"] in CSL_TYPES
        assert set(item) <= CSL_KEYS, set(item) - CSL_KEYS
        assert isinstance(item["title"], str) and item["title"]
        for name in item.get("author", []):
            assert set(name) in ({"family", "given"}, {"literal"})
        parts = item["issued"]["date-parts"]
        assert len(parts) == 1 and all(isinstance(p, int) for p in parts[0])
        assert "accessed" not in item  # the reader's reference manager records the access date
    assert items[0]["container-title"] == article.container
    assert items[0]["issued"]["date-parts"] == [list(_ymd(article.issued))]
    assert items[1]["version"] == ctx.site.version
    assert items[1]["URL"] == ctx.site.url


def test_cite_page_shows_every_style_and_download(public_site: Path, ctx, data, study, article) -> None:
    html = (public_site / "cite" / "index.html").read_text("utf-8")
    for label in cite.STYLES.values():
        assert f'<p class="cite-style">{label}</p>' in html
    for path in ctx.urls.citation_files(study.id).values():
        assert f'href="{posixpath.relpath(path, "cite")}"' in html
    refs = cite.formatted(ctx, study, html=True)
    for item_refs in refs.values():
        for text in item_refs.values():
            assert text in html


def test_cite_page_is_in_the_navigation(built_site: Path) -> None:
    html = (built_site / "index.html").read_text("utf-8")
    assert 'href="cite/"' in html


# --- CITATION.cff --------------------------------------------------------------------------------


def _cff_script():
    script = ROOT / "scripts" / "write_citation_cff.py"
    spec = importlib.util.spec_from_file_location("write_citation_cff", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def test_citation_cff_validates_against_the_cff_1_2_0_schema(ctx, data, article) -> None:
    schema = json.loads((ROOT / "tests/data/cff/schema-1.2.0.json").read_text("utf-8"))
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(doc)] == []
    assert doc["version"] == ctx.site.version
    assert doc["date-released"] == ctx.site.released
    pref = doc["preferred-citation"]
    assert pref["title"] == article.title
    assert pref["authors"][-1] == {"name": "et al."}
    assert not {"doi", "volume", "issue", "start"} & set(pref)


def test_cff_schema_rejects_a_broken_file() -> None:
    """The schema check can fail: a file without authors is refused."""
    schema = json.loads((ROOT / "tests/data/cff/schema-1.2.0.json").read_text("utf-8"))
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    del doc["authors"]
    assert list(jsonschema.Draft7Validator(schema).iter_errors(doc))


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
    assert not lib.failed_blocks and len(lib.entries) == 2
    assert r"50\% \textbackslash{} back" in lib.entries[0].fields_dict["title"].value
    records = rispy.loads((site / ctx.urls.citation_files(study.id)["ris"]).read_text("utf-8"))
    assert records[0]["title"] == HOSTILE_TITLE
    items = json.loads((site / ctx.urls.citation_files(study.id)["json"]).read_text("utf-8"))
    assert items[0]["title"] == HOSTILE_TITLE
