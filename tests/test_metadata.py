"""<head> metadata: JSON-LD (extracted with extruct, every type and property checked against the
schema.org vocabulary), Highwire citation tags, Open Graph and Twitter, safe from data."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from citehelpers import (
    CORRECTED_FIGURE,
    HOSTILE_FIGURE,
    HOSTILE_LABEL,
    public_context,
    site_dataset,
)
from schemaorg_vocab import unresolved, vocabulary

from trialsite.pages import head as metadata
from trialsite.urls import key_results_file, preview_image
from trialsite.words.citing import authors_short
from trialsite.words.values import value_text

PAGES = {"index.md": "index.html", "results.md": "results/index.html", "design.md": "design/index.html",
         "sources.md": "sources/index.html", "glossary.md": "glossary/index.html",
         "about.md": "about/index.html", "cite.md": "cite/index.html"}  # fmt: skip


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.jsonld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or a.get("property")) and a.get("content") is not None:
            self.meta.append((a.get("name") or a.get("property") or "", a["content"] or ""))
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.jsonld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.jsonld[-1] += data


def _head(site: Path, src: str) -> _Head:
    parser = _Head()
    parser.feed((site / PAGES[src]).read_text("utf-8"))
    return parser


def _types(parser: _Head) -> list[str]:
    assert len(parser.jsonld) == 1
    return [node["@type"] for node in json.loads(parser.jsonld[0])["@graph"]]


@pytest.fixture(scope="module")
def ctx():
    """For the public address the `public_site` fixture is built for."""
    return public_context()


@pytest.fixture(scope="module")
def data(ctx):
    return ctx.data


@pytest.mark.parametrize("src", sorted(PAGES))
def test_every_page_has_json_ld_and_tags(public_site: Path, ctx, data, src: str) -> None:
    head = _head(public_site, src)
    types = _types(head)
    assert types[0] == "WebPage"
    assert ("MedicalTrial" in types) == (src in ("index.md", "results.md", "design.md"))
    assert ("Dataset" in types) == (src in ("results.md", "cite.md"))
    meta = dict(head.meta)
    # The page's canonical address names the `latest` folder, which always shows the newest version.
    assert meta["og:url"] == ctx.urls.latest(PAGES[src].removesuffix("index.html"))
    assert meta["og:type"] == "website"
    assert meta["twitter:card"] in ("summary", "summary_large_image")
    assert meta["citation_publication_date"] == ctx.site.released.replace("-", "/")
    assert meta["og:site_name"] == ctx.site.title
    # Google Scholar needs an author: the page's is the site's publisher (no person is named).
    assert meta["citation_author"] == meta["citation_publisher"] == ctx.site.publisher


# Terms of schema.org release 12.0 (the vocabulary file a registry ships) that it marks "pending":
# part of the vocabulary, not yet of its core. Any other pending term in our JSON-LD fails the test.
PENDING_TERMS_USED = {"creditText", "variableMeasured"}
PENDING_WHEN_CORRECTED = {"correction", "CorrectionComment"}


def _extruct_graph(html: str, url: str) -> list[dict]:
    import extruct

    docs = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert len(docs) == 1 and docs[0]["@context"] == "https://schema.org"
    return docs[0]["@graph"]


def _vocabulary_problems(graph: list[dict]) -> tuple[list[str], set[str]]:
    problems, pending = [], set()
    for node in graph:
        found, used = vocabulary().check(node)
        problems += found
        pending |= used
    return problems, pending


@pytest.mark.parametrize("src", sorted(PAGES))
def test_json_ld_is_valid_schema_org(built_site: Path, ctx, src: str) -> None:
    """extruct reads what search engines read; every type and property is in the vocabulary."""
    graph = _extruct_graph((built_site / PAGES[src]).read_text("utf-8"), ctx.site.url)
    problems, pending = _vocabulary_problems(graph)
    assert problems == []
    assert pending <= PENDING_TERMS_USED, pending - PENDING_TERMS_USED
    assert unresolved(graph) == []  # a node cited by its @id is described on the same page


def test_the_vocabulary_check_can_fail() -> None:
    """What the issue found: MedicalTrial has no `citation`; a creator is a Person or Organization."""
    problems, _ = vocabulary().check({"@type": "MedicalTrial", "citation": {"@type": "ScholarlyArticle"}})
    assert problems == ["MedicalTrial.citation: not a property of MedicalTrial (domain ['CreativeWork'])"]
    problems, _ = vocabulary().check({"@type": "Dataset", "creator": "someone", "colour": "red"})
    assert len(problems) == 2


def test_hostile_json_ld_is_valid_schema_org(changed_site: tuple[Path, int], ctx) -> None:
    site, _ = changed_site
    graph = _extruct_graph((site / "results/index.html").read_text("utf-8"), ctx.site.url)
    problems, pending = _vocabulary_problems(graph)
    assert problems == []
    assert pending <= PENDING_TERMS_USED


def test_trial_json_ld_has_the_registration_and_the_article(public_site: Path, ctx, data) -> None:
    study = data.studies[0]
    article = data.source(study.publication)
    graph = json.loads(_head(public_site, "results.md").jsonld[0])["@graph"]
    trial = next(n for n in graph if n["@type"] == "MedicalTrial")
    assert trial["identifier"]["value"] == study.registry_id
    assert "citation" not in trial  # not a property of MedicalTrial: the article is its subjectOf
    paper = trial["subjectOf"]
    assert paper["@type"] == "ScholarlyArticle"
    assert paper["name"] == article.title
    assert paper["creditText"] == authors_short(article)
    assert "author" not in paper  # a list of the known author would read as the complete list
    assert paper["datePublished"] == article.issued
    dataset = next(n for n in graph if n["@type"] == "Dataset")
    assert dataset["license"] == ctx.site.licence.url
    assert dataset["creator"] == {"@type": "Organization", "name": ctx.site.publisher}
    assert {"@id": paper["@id"]} in dataset["citation"]  # the article once, cited by its @id
    release = next(c for c in dataset["citation"] if c.get("@type") == "WebPage")
    assert release["author"][0]["name"] == data.source("eurekalert-1102627").authors[0].family
    urls = {d["contentUrl"] for d in dataset["distribution"]}
    assert ctx.urls.latest("downloads/figures.csv") in urls
    assert ctx.urls.latest("cite/a041703-cohort-1.bib") in urls
    values = {v["name"]: v["value"] for v in dataset["variableMeasured"]}
    for f in study.figures:
        assert values[f.label] == value_text(f)


def test_highwire_reference_names_the_article(built_site: Path, data) -> None:
    article = data.source(data.studies[0].publication)
    meta = _head(built_site, "results.md").meta
    refs = [c for k, c in meta if k == "citation_reference"]
    assert len(refs) == 1
    assert f"citation_journal_title={article.container}" in refs[0]
    assert f"citation_author={article.authors[0].family}, {article.authors[0].given}" in refs[0]
    assert "citation_publication_date=" + article.issued.replace("-", "/") in refs[0]
    # Only the known authors: Highwire has no marker for a partial list, and "et al." is no author.
    assert refs[0].count("citation_author=") == len(article.authors)
    assert "et al" not in refs[0]
    assert "citation_doi" not in refs[0]  # not known (a corrected DOI is: test_corrections_everywhere)


def test_preview_image_only_when_published(public_site: Path, data) -> None:
    meta = dict(_head(public_site, "index.md").meta)
    image = preview_image([s.id for s in data.studies])
    assert image == key_results_file(data.studies[0].id, "png")  # the first study's key results
    published = image is not None and (public_site / image).exists()
    assert ("og:image" in meta) == published
    assert meta["twitter:card"] == ("summary_large_image" if published else "summary")


def test_a_preview_build_has_no_absolute_image_canonical_or_page_address(built_site: Path) -> None:
    """Open Graph wants absolute addresses; a preview has none, so it leaves them out."""
    meta = dict(_head(built_site, "index.md").meta)
    assert "og:image" not in meta and "og:url" not in meta and "twitter:image" not in meta
    assert meta["twitter:card"] == "summary"
    assert 'rel="canonical"' not in (built_site / "index.html").read_text("utf-8")


def test_head_function_adds_image_when_present(ctx, data) -> None:
    head = metadata.head(ctx, "index.md", "Home", "x", ctx.urls.latest(), has_preview=True)
    meta = {k: c for _a, k, c in head["meta"]}
    assert meta["og:image"] == ctx.urls.latest(key_results_file(data.studies[0].id, "png"))
    assert meta["twitter:card"] == "summary_large_image"


def test_script_safe_json_cannot_close_the_script() -> None:
    text = metadata.script_safe_json({"x": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"x": "</script><!-- & \u2028"}


def test_hostile_and_corrected_values_in_head(changed_site: tuple[Path, int]) -> None:
    site, new_value = changed_site
    raw = (site / "results" / "index.html").read_text("utf-8")
    head_html = raw.split("</head>", 1)[0]
    assert "<script>alert(1)" not in head_html
    head = _head(site, "results.md")
    graph = json.loads(head.jsonld[0])["@graph"]  # parses: nothing broke out of the script
    dataset = next(n for n in graph if n["@type"] == "Dataset")
    values = {v["name"]: v["value"] for v in dataset["variableMeasured"]}
    assert HOSTILE_LABEL in values
    data = site_dataset()
    label = data.figure(CORRECTED_FIGURE).label
    assert values[label] == f"{new_value}%"
    meta = dict(head.meta)
    assert f"{label}: {new_value}%" in meta["og:description"]
    assert f"{label}: {new_value}%" in meta["twitter:description"]
    assert HOSTILE_FIGURE  # the hostile label sits on this figure
