"""The versioned site in Chromium, as a host serves `make export`: Material's version selector lists
every published version, an older version says so and links to the newest, and it passes axe."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import start_material
from playwright.sync_api import expect
from versioned import Versioned


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def host(versioned: Versioned) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(versioned.tree))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _open(browser, url: str, **context: object):  # type: ignore[no-untyped-def]
    page = browser.new_context(**context).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    start_material(page)
    return page, errors


def test_the_top_of_the_site_leads_to_latest(browser, host: str) -> None:
    page, errors = _open(browser, host)
    page.wait_for_url(f"{host}latest/")
    assert errors == []


def test_the_selector_lists_every_version(browser, host: str, versioned: Versioned) -> None:
    page, errors = _open(browser, f"{host}{versioned.first}/results/")
    expect(page.locator(".md-version__current")).to_have_text(versioned.first)
    links = page.locator(".md-version__list .md-version__link")
    expect(links).to_have_count(2)
    assert [t.strip() for t in links.all_inner_texts()] == [versioned.second, versioned.first]
    # An older version says it is kept as cited, and links to the newest.
    banner = page.locator('[data-md-component="outdated"]')
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(f"This is version {versioned.first} of the site")
    assert errors == []


def test_the_newest_version_shows_no_outdated_banner(browser, host: str, versioned: Versioned) -> None:
    page, errors = _open(browser, f"{host}latest/results/")
    expect(page.locator(".md-version__current")).to_have_text(versioned.second)
    expect(page.locator('[data-md-component="outdated"]')).to_be_hidden()
    # no preview banner on a published page
    expect(page.locator('[data-md-component="announce"] .md-banner')).to_have_count(0)
    assert errors == []


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("palette", ["light", "dark"])
def test_axe_on_an_older_version_with_its_banner_and_selector(
    browser, host: str, versioned: Versioned, palette: str, width: int
) -> None:
    page, _ = _open(
        browser,
        f"{host}{versioned.first}/results/",
        viewport={"width": width, "height": 900},
        color_scheme=palette,
    )
    expect(page.locator('[data-md-component="outdated"]')).to_be_visible()
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations] == []
