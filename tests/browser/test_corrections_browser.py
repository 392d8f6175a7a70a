"""A corrected figure's notice in a real browser, on a desktop and a phone: visible, inside the page's
width, and leading to its entry on the Corrections page."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest
from conftest import copy_project
from corrections_helpers import record_sample_corrections

from trialsite.build import build_site
from trialsite.data.dataset import load_dataset
from trialsite.words.corrections import correction_note

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def corrected_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    root = copy_project(tmp_path_factory.mktemp("corrected-browser"))
    record_sample_corrections(root)
    assert build_site(root, root / "site") == 0
    data = load_dataset(root / "data", root)
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", data
    httpd.shutdown()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_notice_is_visible_and_leads_to_its_entry(browser, corrected_server, viewport: str) -> None:
    base, data = corrected_server
    note = correction_note(data, "patients-treated")
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path, scope in (("", "#patients-treated"), ("results/", "tr#patients-treated")):
        page.goto(base + path, wait_until="networkidle")
        link = page.locator(f"{scope} a.correction-note")
        assert link.is_visible()
        assert " ".join(link.inner_text().split()) == note
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    link.click()
    page.wait_for_url("**/corrections/#2026-11-25-patients-treated")
    heading = page.locator('h2[id="2026-11-25-patients-treated"]')
    assert heading.is_visible()
    assert data.figure("patients-treated").label in heading.inner_text()
    assert page.locator("footer .site-release").inner_text().startswith(f"Version {data.release.version}")
    assert errors == []
    page.close()
