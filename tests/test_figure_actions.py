"""Every figure's Home card, Results row and own page has a "Copy citation" menu (Study design links
to the figure page's) holding the four texts figure_cite.py makes (checked rule by rule in
test_figure_citations.py): APA 7, AMA 11 and Vancouver references to the figure's page in this
version, and a slide credit of at most 120 characters. On the published build each names the
version's own address (.../0.1.0/figures/<id>/), never latest/."""

from __future__ import annotations

import html.parser
from pathlib import Path

import pytest
from citehelpers import PUBLIC_URL, public_context, site_context

from trialsite.context import BuildContext
from trialsite.outputs.figure_cite import CREDIT_MAX, copy_texts, for_figure

STYLES_IN_ORDER = ["apa", "ama", "vancouver", "credit"]


@pytest.fixture(scope="module")
def preview() -> BuildContext:
    return site_context()


@pytest.fixture(scope="module")
def public() -> BuildContext:
    return public_context()


class _Menus(html.parser.HTMLParser):
    """Each menu's toggle and its buttons' (style, text), and each permalink's target, in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.menus: list[dict] = []
        self.permalinks: list[str] = []
        self.cite_links: list[str] = []
        self.live_regions = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "button" and "cite-menu__toggle" in classes:
            assert a.get("type") == "button" and a.get("aria-expanded") == "false"
            self.menus.append({"controls": a.get("aria-controls"), "texts": []})
        if tag == "span" and "cite-menu__list" in classes:
            assert a.get("id") == self.menus[-1]["controls"] and "hidden" in a and a.get("role") == "group"
        if tag == "button" and "copy-citation" in classes and a.get("data-style"):
            self.menus[-1]["texts"].append((a["data-style"], a.get("data-citation") or ""))
        if tag == "a" and "figure-permalink" in classes:
            self.permalinks.append(a.get("href") or "")
        if tag == "a" and "figure-cite-link" in classes:
            self.cite_links.append(a.get("href") or "")
        if "copy-status" in classes and a.get("aria-live") == "polite":
            self.live_regions += 1


def _menus(site: Path, page: str) -> _Menus:
    parser = _Menus()
    parser.feed((site / page).read_text("utf-8"))
    return parser


def _expected(ctx: BuildContext, figure_id: str) -> list[tuple[str, str]]:
    return [(t.id, t.text) for t in copy_texts(for_figure(ctx, figure_id))]


def _all(ctx: BuildContext) -> list:
    return [f for s in ctx.data.studies for f in s.figures]


def test_each_figure_page_has_its_menu(built_site: Path, preview: BuildContext) -> None:
    for f in _all(preview):
        found = _menus(built_site, f"figures/{f.id}/index.html")
        assert [m["texts"] for m in found.menus] == [_expected(preview, f.id)]
        assert [s for s, _ in found.menus[0]["texts"]] == STYLES_IN_ORDER
        assert found.permalinks == [f"../../results/#{f.id}"]  # 0.1.0's address of the figure
        assert found.live_regions == 2  # the menu's and the embed code's


def test_home_cards_results_rows_and_design_have_their_menus(built_site: Path, preview: BuildContext) -> None:
    headline = [f for f in _all(preview) if f.headline]
    home = _menus(built_site, "index.html")
    assert [m["texts"] for m in home.menus] == [_expected(preview, f.id) for f in headline]
    assert home.permalinks == [f"results/#{f.id}" for f in headline]
    results = _menus(built_site, "results/index.html")
    assert sorted(m["controls"] for m in results.menus) == sorted(f"cite-{f.id}" for f in _all(preview))
    assert results.permalinks == []  # the row is the figure's anchor already
    # Study design: each step's permalink and a link to its figure page's menu, not the four texts
    # again (the menu is on the figure's card, row and page; issue 21).
    design = _menus(built_site, "design/index.html")
    steps = [step.figure for s in preview.data.studies for step in s.regimen_steps]
    steps += [fid for s in preview.data.studies for fid in s.regimen_figures]
    assert design.menus == []
    assert design.permalinks == [f"../results/#{fid}" for fid in steps]
    assert design.cite_links == [f"../figures/{fid}/#cite-and-share" for fid in steps]


def test_a_preview_copies_no_address(built_site: Path) -> None:
    for m in _menus(built_site, "figures/remission/index.html").menus:
        for style, text in m["texts"]:
            assert "http" not in text and "127.0.0.1" not in text, style


def test_published_texts_name_the_version_s_own_page(public_site: Path, public: BuildContext) -> None:
    version = public.site.version
    for f in _all(public):
        (menu,) = _menus(public_site, f"figures/{f.id}/index.html").menus
        texts = dict(menu["texts"])
        own = f"{PUBLIC_URL}{version}/figures/{f.id}/"
        for style in ("apa", "ama", "vancouver"):
            assert texts[style].endswith(own), (f.id, style)
        assert all("latest/" not in t for t in texts.values())
        assert len(texts["credit"]) <= CREDIT_MAX and texts["credit"].endswith(f", v{version}")
