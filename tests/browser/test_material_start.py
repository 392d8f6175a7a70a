"""Material's bundle waits for the first interaction (docs/assets/material-start.js): before it, the
page runs none of it yet shows the reader's palette with its switch; after it, Material is running."""

from __future__ import annotations

import re

from playwright.sync_api import Route, expect

BUNDLE = re.compile(r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")


def _bundle_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if BUNDLE.search(r.url) else None)
    return seen


def test_no_bundle_until_interaction_then_material_runs(browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    seen = _bundle_requests(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "figures/remission/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert seen == [], "the bundle loaded with no interaction"
    assert page.evaluate("document.documentElement.className") == "no-js"
    # Everything a reader came for is there without it: the figure, its reports, its copy button
    # (on the figure's own page since issue 20).
    assert page.locator("button.copy-citation").count() > 0
    page.touchscreen.tap(200, 400)
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
    assert len(seen) == 1
    expect(page.locator("label.md-header__button[for=__search]")).to_be_visible()
    assert errors == []
    context.close()


def test_dark_system_gets_dark_palette_and_its_switch_before_interaction(browser, server: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    seen = _bundle_requests(page)
    page.goto(server, wait_until="networkidle")
    assert seen == []
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    # The dark palette is the second input; its label switches back to light and is the one shown.
    visible = page.locator("form[data-md-component=palette] label:not([hidden])")
    expect(visible).to_have_count(1)
    assert visible.get_attribute("for") == "__palette_0"
    context.close()


def test_switch_used_before_the_bundle_runs_is_kept(browser, server: str) -> None:
    """A phone may take a while to fetch the bundle: a tap on the switch meanwhile must not be lost."""
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    held: list[Route] = []
    page.route(BUNDLE, lambda route: held.append(route))
    page.goto(server, wait_until="domcontentloaded")
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert held, "the click did not ask for the bundle"
    held[0].continue_()
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
    page.wait_for_timeout(300)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    # And Material now owns the switch: it goes back to light.
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    context.close()
