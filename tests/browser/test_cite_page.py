"""The Cite page in a real browser: every reference shown, no console error, nothing wider than a phone."""

from __future__ import annotations


def test_cite_page_on_a_phone(browser, server: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "cite/", wait_until="networkidle")
    assert page.locator(".cite-ref").count() == 6
    assert page.locator(".cite-refs-article .cite-text").first.inner_text().count("et al.") == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    assert errors == []
    page.close()
