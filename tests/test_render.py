"""The escaping helpers: data text rendered through Markdown stays text, whatever it holds."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from htmlscan import parse_html

from trialsite.data.dataset import load_dataset
from trialsite.pages.markup import Md, html_env, md_escape, slug, url_link

ROOT = Path(__file__).resolve().parent.parent


def _site_markdown(text: str) -> str:
    """Markdown to HTML with the extensions mkdocs.yml configures."""
    return markdown.markdown(text, extensions=EXTENSIONS)


EXTENSIONS = ["abbr", "attr_list", "md_in_html", "tables", "def_list", "admonition", "toc"]

HOSTILE = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "heading { #injected-id }",
    "[[fig:remission]]",
    '"><img src=x onerror=alert(1)>',
    "**bold** _em_ `code`",
    "![img](https://example.invalid/x.png)",
    "<!-- comment -->",
    "| a | b |",
    "1. item",
    "# heading",
]


def test_extensions_match_mkdocs_yml() -> None:
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    block = text.split("markdown_extensions:")[1]
    for name in EXTENSIONS:
        assert f"  - {name}" in block


@pytest.mark.parametrize("text", HOSTILE)
def test_md_escape_makes_markup_inert(text: str) -> None:
    rendered = _site_markdown(f"Label: {md_escape(text)}")
    tree = parse_html(rendered)
    tags = {e.tag for e in tree.iter()} - {"#document"}
    assert tags == {"p"}, rendered
    assert all(set(e.attrs) == set() for e in tree.iter()), rendered
    # The reader sees exactly the text that was in the data.
    assert tree.text() == f"Label: {text}"


def test_md_escape_in_a_heading_does_not_set_an_id() -> None:
    rendered = _site_markdown(f"## {md_escape('Title { #evil }')}")
    tree = parse_html(rendered)
    (h2,) = tree.find_all("h2")
    assert h2.attrs.get("id") != "evil"
    assert h2.text() == "Title { #evil }"


def test_md_escape_leaves_our_own_markdown_alone() -> None:
    ours = Md("**bold**")
    assert md_escape(ours) is ours


def test_slug_refuses_anything_but_a_slug() -> None:
    assert slug("survival-1y") == "survival-1y"
    for bad in ("Survival", "a b", "x-", "x }{ #y", ""):
        with pytest.raises(ValueError):
            slug(bad)


def test_url_link_escapes_the_text_and_encodes_the_target() -> None:
    rendered = _site_markdown(url_link("https://example.invalid/a_(b)*c*"))
    (a,) = parse_html(rendered).find_all("a")
    assert a.attrs["href"] == "https://example.invalid/a_%28b%29*c*"
    assert a.text() == "https://example.invalid/a_(b)*c*"


def test_html_env_autoescapes_values() -> None:
    out = html_env().from_string("<p>{{ v }}</p>").render(v='<script>"x"</script>')
    assert "<script>" not in out
    assert parse_html(out).text() == '<script>"x"</script>'


def test_href_is_relative_between_generated_pages() -> None:
    from trialsite.urls import Urls

    href = Urls().href
    assert href("index.md", "sources.md", "x") == "sources/#x"
    assert href("results.md", "sources.md", "x") == "../sources/#x"
    assert href("results.md", "index.md") == "../"


def test_figure_inline_value_links_to_source_and_details() -> None:
    from citehelpers import context_for

    from trialsite.pages.fragments import Fragments

    data = load_dataset(ROOT / "data", ROOT)
    figure = data.figure("remission")
    source = data.source(figure.cite.source)
    text = Fragments(context_for(data)).figure_inline(figure)
    rendered = parse_html(_site_markdown(text))
    links = [a.attrs["href"] for a in rendered.find_all("a")]
    # The value's detail is the figure's own page (issue 20); its anchor on Results stays for old links.
    assert links == [f"sources.md#{source.id}", "figures/remission.md"]


def test_html_inside_a_markdown_list_item_stays_inert() -> None:
    """The Design page puts a figure's buttons inline in a list item: Markdown must not act on the
    data text inside them (a backtick, emphasis or a link would break the attribute open)."""
    import html.parser

    import markdown

    from trialsite.pages.markup import inline_html_for_markdown

    label = "Blina *y* `z` [a](https://e.invalid) _w_"
    raw = f'<button type="button" data-citation="{label}">Copy<span> for {label}</span></button>'
    out = markdown.markdown(
        "1. **step**: " + inline_html_for_markdown(raw), extensions=["attr_list", "md_in_html"]
    )
    assert "<code>" not in out and "<em>" not in out and 'href="https://e.invalid"' not in out

    class Attrs(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.found += [v or "" for k, v in attrs if k == "data-citation"]

    parser = Attrs()
    parser.feed(out)
    assert parser.found == [label]


def test_home_cards_group_by_study_only_when_there_are_several() -> None:
    """One study: its cards alone, as the site is today. Two: each study's cards under its heading,
    so no reader takes one study's figure for the other's."""
    import dataclasses

    from citehelpers import context_for

    from trialsite.pages.fragments import Fragments

    def study_headings(root):
        return [h for h in root.find_all("h3") if h.has_class("key-results__study")]

    def cards(root):
        return [a for a in root.find_all("article") if a.has_class("figure-card")]

    data = load_dataset(ROOT / "data", ROOT)
    one = parse_html(Fragments(context_for(data)).key_results("index.md"))
    assert study_headings(one) == []
    headline = sum(f.headline for f in data.figures_by_id.values())
    assert len([c for c in cards(one) if c.find_all("h3")]) == headline

    study = data.studies[0]
    figures = tuple(dataclasses.replace(f, id=f"other-{f.id}") for f in study.figures)
    other = dataclasses.replace(study, id="other-study", cohort="Cohort 2", figures=figures)
    two = dataclasses.replace(
        data,
        studies=(study, other),
        figures_by_id={**data.figures_by_id, **{f.id: f for f in figures}},
    )
    html = parse_html(Fragments(context_for(two)).key_results("index.md"))
    assert [h.text() for h in study_headings(html)] == [
        f"{study.name}, {study.cohort}",
        f"{study.name}, Cohort 2",
    ]
    groups = [d for d in html.find_all("div") if d.has_class("key-results")]
    assert len(groups) == 2
    assert [len(cards(g)) for g in groups] == [headline, headline]
    assert all(c.attrs["id"].startswith("other-") for c in cards(groups[1]))
    assert not any(c.attrs["id"].startswith("other-") for c in cards(groups[0]))
    # Card labels sit one level under the study headings.
    assert all(c.find_all("h4") and not c.find_all("h3") for c in cards(html))
