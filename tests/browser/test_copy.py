"""The "Copy citation" menu by keyboard (open it, copy each text, close it with Escape), the embed
code's copy button, and the printed handouts of Home and Results."""

from __future__ import annotations

from pathlib import Path

import pytest
from citehelpers import site_context
from conftest import ROOT
from playwright.sync_api import expect

from trialsite.context import BuildContext
from trialsite.data.model import Dataset
from trialsite.outputs.figure_cite import copy_texts, for_figure

SHOTS = ROOT / "reports" / "screenshots"


@pytest.fixture(scope="module")
def ctx() -> BuildContext:
    return site_context()


@pytest.fixture(scope="module")
def data(ctx: BuildContext) -> Dataset:
    return ctx.data


@pytest.fixture()
def page(browser, server: str):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(
    ("path", "figure_id", "scope", "toggle_name"),
    [
        ("", "remission", "#remission", "Copy citation for {}"),
        ("figures/age-range/", "age-range", ".figure-page__actions", "Copy citation for {}"),
        ("results/", "remission", "#remission", "Cite (copy the citation of {})"),
    ],
)
def test_copy_each_text_by_keyboard(
    page, server: str, ctx: BuildContext, path: str, figure_id: str, scope: str, toggle_name: str
) -> None:
    """On a Home card, a figure's own page and a Results row: Enter opens the menu, Tab reaches each
    text's button, Enter copies it (the clipboard holds exactly that text) and the live region says
    which; Escape closes the menu and gives the focus back to its button."""
    label = ctx.data.figure(figure_id).label
    page.goto(server + path)
    toggle = page.locator(f"{scope} button.cite-menu__toggle")
    expect(toggle).to_have_accessible_name(toggle_name.format(label))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    box = toggle.bounding_box()
    assert box and box["width"] >= 44
    status = page.locator(f"{scope} .copy-status")
    assert status.get_attribute("aria-live") == "polite"
    texts = copy_texts(for_figure(ctx, figure_id))
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for t in texts:
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        expect(focused).to_have_attribute("data-style", t.id)
        expect(focused).to_have_accessible_name(
            f"{t.label} reference for {label}" if t.id != "credit" else f"{t.label} for {label}"
        )
        fbox = focused.bounding_box()
        assert fbox and fbox["height"] >= 44 and fbox["width"] >= 44, (t.id, fbox)
        page.keyboard.press("Enter")
        expect(status).to_have_text(f"{t.label} copied")
        assert page.evaluate("navigator.clipboard.readText()") == t.text
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(f"{scope} .cite-menu__list")).to_be_hidden()
    expect(toggle).to_be_focused()


def test_apa_is_copied_with_its_italic_title_as_html_too(page, server: str, ctx: BuildContext) -> None:
    """A paste into a word processor takes the clipboard's text/html: the APA reference goes there
    with its title in <i> (the plain text cannot carry italics), and the same words as text/plain."""
    label = ctx.data.figure("remission").label
    apa = next(t for t in copy_texts(for_figure(ctx, "remission")) if t.id == "apa")
    assert f"<i>{label}</i>" in apa.html
    page.goto(server + "figures/remission/")
    page.locator(".figure-page__actions button.cite-menu__toggle").click()
    page.locator('.figure-page__actions button.copy-citation[data-style="apa"]').click()
    expect(page.locator(".figure-page__actions .copy-status")).to_have_text("APA 7 copied")
    read = page.evaluate(
        """async () => {
            const [item] = await navigator.clipboard.read();
            const html = await (await item.getType("text/html")).text();
            const plain = await (await item.getType("text/plain")).text();
            return {types: [...item.types], html, plain};
        }"""
    )
    assert "text/html" in read["types"], read
    assert read["plain"] == apa.text
    # Chromium may wrap the HTML in a document; the reference itself is there, title in italics.
    assert apa.html in read["html"] and f"<i>{label}</i>" in read["html"], read["html"]


def test_a_results_row_button_is_pressable_over_44_px(page, server: str) -> None:
    """Drawn 24 px tall on a phone, so Results stays short; its pressable area is 44 px tall."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "results/")
    toggle = page.locator("#remission button.cite-menu__toggle")
    toggle.scroll_into_view_if_needed()
    box = toggle.bounding_box()
    assert box
    centre = box["x"] + box["width"] / 2
    for dy in (-21.5, 21.5):  # 21.5 px above and below its middle: still the button (44 px)
        y = box["y"] + box["height"] / 2 + dy
        hit = page.evaluate(f"document.elementFromPoint({centre}, {y}).closest('button')?.className || ''")
        assert "cite-menu__toggle" in hit, dy


def test_copy_the_embed_code(page, server: str) -> None:
    page.goto(server + "figures/remission/")
    code = page.locator(".figure-embed__code").inner_text()
    button = page.locator(".figure-embed button.copy-citation")
    expect(button).to_have_accessible_name("Copy embed code for Remission")
    button.click()
    expect(page.locator(".figure-embed .copy-status")).to_have_text("Embed code copied")
    assert page.evaluate("navigator.clipboard.readText()") == code
    assert code.startswith("<iframe ") and code.endswith("</iframe>")


def test_permalink_is_visible_and_labelled(page, server: str, data: Dataset) -> None:
    page.goto(server + "figures/remission/")
    link = page.locator(".figure-page__actions a.figure-permalink")
    expect(link).to_be_visible()
    expect(link).to_have_accessible_name(f"Permalink to {data.figure('remission').label}")
    assert link.get_attribute("href") == "../../results/#remission"  # 0.1.0's address of the figure


@pytest.mark.parametrize("path", ["", "results/"])
def test_print_is_a_clean_handout(page, server: str, path: str) -> None:
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    page.goto(server + path)
    for part in (
        ".md-header",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".md-footer",
        ".md-search",
    ):
        expect(page.locator(part).first).to_be_hidden()
    expect(page.locator("button.cite-menu__toggle").first).to_be_hidden()
    # Issue 20: the printed page names the site, its version and date and its own address, and
    # ends with the numbered sources and their addresses (a source's [n] no longer prints a URL).
    expect(page.locator(".print-masthead")).to_be_visible()
    expect(page.locator(".print-refs")).to_be_visible()
    after = page.evaluate(
        "getComputedStyle(document.querySelector('a.cite-link'), '::after').getPropertyValue('content')"
    )
    assert "sources/#" not in after and "127.0.0.1" not in after
    if path == "results/":
        fits = page.evaluate(
            "(() => { const t = document.querySelector('table.result-table').getBoundingClientRect();"
            " return t.left >= 0 && t.right <= document.documentElement.clientWidth; })()"
        )
        assert fits
    SHOTS.mkdir(parents=True, exist_ok=True)
    out = SHOTS / f"print-{path.strip('/') or 'home'}.png"
    page.screenshot(path=str(out), full_page=True)
    assert Path(out).stat().st_size > 0
