"""The "Copy citation" button by keyboard, and the printed handouts of Home and Results."""

from __future__ import annotations

from pathlib import Path

import pytest
from citelines import expected_citation_lines
from conftest import ROOT
from playwright.sync_api import expect

from trialsite.data.dataset import load_dataset
from trialsite.data.model import Dataset

SHOTS = ROOT / "reports" / "screenshots"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(ROOT / "data", ROOT)


@pytest.fixture(scope="module")
def expected_lines(data: Dataset) -> dict[str, str]:
    """The line each button should copy, spelled out from the data and site_url."""
    return expected_citation_lines(data)


@pytest.fixture()
def page(browser, server: str):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(
    ("path", "figure_id", "scope"),
    [("", "remission", "#remission"), ("figures/age-range/", "age-range", ".md-content")],
)
def test_copy_citation_by_keyboard(
    page, server: str, data: Dataset, expected_lines: dict[str, str], path: str, figure_id: str, scope: str
) -> None:
    """On a Home card and on the figure's own page (issue 20 moved it there from the Results row)."""
    page.goto(server + path)
    button = page.locator(f"{scope} button.copy-citation")
    expect(button).to_have_accessible_name(f"Copy citation for {data.figure(figure_id).label}")
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator(f"{scope} .copy-status")
    expect(status).to_have_text("Citation copied")
    assert status.get_attribute("aria-live") == "polite"
    assert page.evaluate("navigator.clipboard.readText()") == expected_lines[figure_id]


def test_permalink_is_visible_and_labelled(page, server: str, data: Dataset) -> None:
    page.goto(server + "figures/remission/")
    link = page.locator("#cite-and-share ~ p a.figure-permalink")
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
    expect(page.locator("button.copy-citation").first).to_be_hidden()
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
