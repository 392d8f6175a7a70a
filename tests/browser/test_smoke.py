"""Home loads in a real browser with no console error and asks nothing of any other host."""

from __future__ import annotations

from urllib.parse import urlparse


def test_home_loads_without_console_errors_or_foreign_requests(browser, server: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or ""))
    page.goto(server, wait_until="networkidle")
    assert page.locator("h1").first.inner_text().startswith("Two targeted drugs")
    assert page.locator(".figure-card").count() == 4
    assert errors == []
    assert hosts == {"127.0.0.1"}
    page.close()
