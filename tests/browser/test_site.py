"""The built site in Chromium: citations land on their source, search works, nothing leaves 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from trialsite.data.dataset import load_dataset
from trialsite.data.model import Dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(ROOT / "data", ROOT)


def _watch(page) -> tuple[list[str], set[str]]:
    errors: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or r.url))
    return errors, hosts


def test_citation_on_home_lands_on_its_source_entry(browser, server: str, data: Dataset) -> None:
    figure = next(f for s in data.studies for f in s.figures if f.headline)
    source = data.source(figure.cite.source)
    page = browser.new_page()
    errors, _ = _watch(page)
    page.goto(server, wait_until="networkidle")
    assert errors == []
    link = page.locator(f"#{figure.id} a.cite-link").first
    expect(link).to_have_attribute("href", f"sources/#{source.id}")
    link.click()
    page.wait_for_url(f"**/sources/#{source.id}")
    assert urlparse(page.url).fragment == source.id
    entry = page.locator(f"[id='{source.id}']")
    expect(entry).to_have_count(1)
    expect(entry).to_be_in_viewport()
    assert (
        page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
        == source.id
    )
    assert str(source.number_in_list) in entry.inner_text()
    assert errors == []
    page.close()


def test_search_finds_remission(browser, server: str, data: Dataset) -> None:
    assert any("remission" in f.label.lower() for f in data.figures_by_id.values())
    page = browser.new_page()
    errors, _ = _watch(page)
    page.goto(server, wait_until="networkidle")
    # Search is Material's and arrives with its bundle on the first interaction (material-start.js).
    page.mouse.move(5, 5)
    search = page.locator("input.md-search__input")
    expect(search).to_be_visible()
    search.click()
    page.keyboard.type("remission")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    assert results.count() >= 1
    assert "remission" in page.locator(".md-search-result").inner_text().lower()
    # A result is a link into the site.
    href = page.locator(".md-search-result__link").first.get_attribute("href") or ""
    assert urlparse(href).hostname in (None, "127.0.0.1")
    assert errors == []
    page.close()


@pytest.mark.parametrize("path", ["", "results/", "sources/", "design/", "glossary/", "about/"])
def test_no_request_leaves_127_0_0_1(browser, server: str, path: str) -> None:
    page = browser.new_page()
    errors, hosts = _watch(page)
    page.goto(server + path, wait_until="networkidle")
    page.mouse.wheel(0, 5000)  # anything loaded lazily further down the page
    page.wait_for_load_state("networkidle")
    assert hosts == {"127.0.0.1"}
    assert errors == []
    page.close()


def test_every_figure_permalink_targets_its_row(browser, server: str, data: Dataset) -> None:
    page = browser.new_page()
    for figure in data.figures_by_id.values():
        page.goto(f"{server}results/#{figure.id}", wait_until="load")
        row = page.locator(f"tr[id='{figure.id}']")
        expect(row).to_have_count(1)
        expect(row).to_be_in_viewport()
    page.close()
