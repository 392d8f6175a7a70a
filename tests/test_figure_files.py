"""Each figure's own reference-manager files (figures/<id>/<id>.ris and .bib) and its oEmbed
description (figures/<id>/oembed.json), read back as their users read them: RIS by rispy, BibTeX by
bibtexparser and pybtex, the JSON against oEmbed 1.0 (oembed.com, 2.3.4: a 'rich' response)."""

from __future__ import annotations

import html.parser
import json
from pathlib import Path

import bibtexparser
import pytest
import rispy
from citehelpers import PUBLIC_URL, public_context

from trialsite.context import BuildContext
from trialsite.urls import figure_citation_files
from trialsite.words.titles import sentence_case
from trialsite.words.values import value_text


@pytest.fixture(scope="module")
def ctx() -> BuildContext:
    return public_context()


def _figures(ctx: BuildContext) -> list:
    return [f for s in ctx.data.studies for f in s.figures]


def _own(ctx: BuildContext, fid: str) -> str:
    return f"{PUBLIC_URL}{ctx.site.version}/figures/{fid}/"


def test_ris_imports_with_rispy(public_site: Path, ctx: BuildContext) -> None:
    for f in _figures(ctx):
        text = (public_site / figure_citation_files(f.id)["ris"]).read_text("utf-8")
        assert text.startswith("TY  - DATA")
        (rec,) = rispy.loads(text)
        assert rec["type_of_reference"] == "DATA"
        assert rec["title"] == sentence_case(f.label)
        assert rec["authors"] == [ctx.site.publisher]
        assert rec["secondary_title"] == ctx.site.title
        assert rec["edition"] == ctx.site.version
        assert rec["urls"] == [_own(ctx, f.id)]
        assert rec["year"] == ctx.site.released[:4]


def test_bibtex_imports_with_bibtexparser_and_pybtex(public_site: Path, ctx: BuildContext) -> None:
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    for f in _figures(ctx):
        text = (public_site / figure_citation_files(f.id)["bib"]).read_text("utf-8")
        lib = bibtexparser.parse_string(text)
        assert not lib.failed_blocks
        (entry,) = lib.entries
        fields = {k: v.value for k, v in entry.fields_dict.items()}
        assert entry.entry_type == "misc"
        assert fields["author"] == "{" + ctx.site.publisher + "}"  # one group name, not Family, Given
        assert fields["version"] == ctx.site.version and fields["url"] == _own(ctx, f.id)
        assert "latest/" not in text
        db = parse_string(text, "bibtex")
        (key,) = db.entries
        (person,) = db.entries[key].persons["author"]
        assert str(person) == "{" + ctx.site.publisher + "}"  # one name, braced: not Family, Given
        rendered = find_plugin("pybtex.style.formatting", "plain")().format_bibliography(db)
        plain = next(iter(rendered)).text.render_as("text")
        assert ctx.site.publisher in plain and _own(ctx, f.id) in plain


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.oembed: list[str] = []
        self.code: list[str] = []
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/json+oembed":
            self.oembed.append(a.get("href") or "")
        if tag == "pre" and "figure-embed__code" in (a.get("class") or ""):
            self._in_code = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in_code = False

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code.append(data)


def test_oembed_is_valid_and_discovered_from_the_figure_page(public_site: Path, ctx: BuildContext) -> None:
    for f in _figures(ctx):
        doc = json.loads((public_site / f"figures/{f.id}/oembed.json").read_text("utf-8"))
        # Required for type 'rich': version, type, html, width, height; optional title and provider.
        assert doc["version"] == "1.0" and doc["type"] == "rich"
        assert isinstance(doc["width"], int) and isinstance(doc["height"], int)
        assert doc["provider_name"] == ctx.site.title
        assert doc["provider_url"] == f"{PUBLIC_URL}{ctx.site.version}/"
        assert doc["title"] == f"{f.label}: {value_text(f)}"
        embed = f"{_own(ctx, f.id)}embed/"
        assert doc["html"].startswith(f'<iframe src="{embed}"') and doc["html"].endswith("</iframe>")
        assert f'width="{doc["width"]}" height="{doc["height"]}"' in doc["html"]
        page = _Links()
        page.feed((public_site / f"figures/{f.id}/index.html").read_text("utf-8"))
        assert page.oembed == [f"{_own(ctx, f.id)}oembed.json"]
        assert "".join(page.code) == doc["html"]  # the snippet shown to copy is the oEmbed one


def test_embed_card_names_value_context_source_and_version(public_site: Path, ctx: BuildContext) -> None:
    for f in _figures(ctx):
        text = (public_site / f"figures/{f.id}/embed/index.html").read_text("utf-8")
        assert "<script" not in text and '<link rel="stylesheet"' not in text
        assert f"version {ctx.site.version}" in text and "time point:" in text
        assert f'<a href="{_own(ctx, f.id)}" target="_top">' in text
        assert f'href="{PUBLIC_URL}latest/figures/{f.id}/" target="_top">see the current value' in text
