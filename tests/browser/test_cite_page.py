"""The Cite page in a real browser: every reference shown, no console error, nothing wider than a phone."""

from __future__ import annotations

from citehelpers import site_dataset

from trialsite.outputs import citations as cite


def test_cite_page_on_a_phone(browser, server: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "cite/", wait_until="networkidle")
    data = site_dataset()
    # The article, the news release and the site, then the study's earlier reports (abstract, news
    # report, review): each in every style.
    works = 3 + sum(len(cite.report_sources(data, s)) for s in data.studies)
    assert page.locator(".cite-ref").count() == len(cite.STYLES) * works
    assert page.locator(".cite-refs-report").count() == works - 3 > 0
    apa = page.locator(".cite-refs-article .cite-text").first.inner_text()
    assert "[author list incomplete]" in apa and "et al." not in apa  # APA has no "et al." in a reference
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    assert errors == []
    page.close()
