"""Each figure's embed card (figures/<id>/embed/), as the reader of another site sees it inside an
<iframe>: axe finds nothing in either scheme, it reads whole at 300 px with no sideways scroll, fits
the frame the oEmbed JSON declares, asks no other host for anything, needs no script, and links back
to the figure's page in the top window. The cards are found from the built site."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT
from sitepages import embed_pages, site_pages

SHOTS = ROOT / "reports" / "screenshots"


@pytest.fixture(scope="module")
def cards(built_site: Path) -> list[str]:
    found = embed_pages(built_site)
    figures = [p for p in site_pages(built_site) if p.startswith("figures/") and p.count("/") == 2]
    assert found and len(found) == len(figures), (found, figures)
    return found


def _frame(built_site: Path, card: str) -> tuple[int, int]:
    doc = json.loads((built_site / card.removesuffix("embed/") / "oembed.json").read_text("utf-8"))
    return doc["width"], doc["height"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_and_the_card_fits_at_300_px(
    browser, server: str, built_site: Path, cards: list[str], scheme: str
) -> None:
    axe = Axe()
    _, height = _frame(built_site, cards[0])
    context = browser.new_context(viewport={"width": 300, "height": height}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    for card in cards:
        page.goto(server + card, wait_until="networkidle")
        violations = axe.run(page).response["violations"]
        problems += [f"/{card}: {v['id']}: {v['help']}" for v in violations]
        width, tall = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        if width > 300:
            problems.append(f"/{card}: {width} px wide at 300")
        if tall > _frame(built_site, card)[1]:
            problems.append(f"/{card}: {tall} px tall, more than the frame's {_frame(built_site, card)[1]}")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        dark = background != "rgb(255, 255, 255)"
        if dark != (scheme == "dark"):
            problems.append(f"/{card}: background {background} in the {scheme} scheme")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + cards[0])
    page.screenshot(path=str(SHOTS / f"embed-300-{scheme}.png"), full_page=True)
    context.close()
    assert problems == []


def test_no_request_leaves_the_server_and_no_script_is_needed(browser, server: str, cards: list[str]) -> None:
    local = urlparse(server).netloc
    context = browser.new_context(java_script_enabled=False)
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    page = context.new_page()
    for card in cards:
        requested.clear()
        page.goto(server + card, wait_until="networkidle")
        assert requested == [server + card], requested  # the card alone: its CSS is inline
        assert all(urlparse(u).netloc == local for u in requested)
        assert page.locator("h1").inner_text().strip()
        assert page.locator(".value").is_visible() and page.locator(".source").is_visible()
        back = page.locator("a", has_text="Every detail of this figure")
        assert back.get_attribute("target") == "_top"
    context.close()


def test_the_link_back_opens_the_figure_s_page_in_the_top_window(browser, server: str) -> None:
    """The card in an <iframe>, as the figure's page offers it: following its link replaces the page
    around it with the figure's page, not the frame's contents."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "figures/remission/")
    snippet = page.locator(".figure-embed__code").inner_text()
    host = server + "host.html"
    page.route(host, lambda route: route.fulfill(content_type="text/html", body=f"<main>{snippet}</main>"))
    page.goto(host)
    frame = page.frame_locator("iframe")
    frame.locator("a", has_text="Every detail of this figure").click()
    page.wait_for_url(server + "figures/remission/")
    context.close()
