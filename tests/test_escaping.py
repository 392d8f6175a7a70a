"""Every published file, read by its own format's parser, shows hostile data text as text.

The data's free-text fields are filled with markup, template code and spreadsheet formulas; the
site is built; then every file is checked by extension (tests/outputcheck.py). A file type with no
checker fails the test, so an output format added later is covered as soon as it is published.
"""

from __future__ import annotations

import functools
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest
from conftest import copy_project, start_material
from corrections_helpers import resnapshot
from hostile import PAYLOADS, make_hostile
from htmlscan import parse_page
from outputcheck import (
    CHECKERS,
    check_bib,
    check_csv,
    check_file,
    check_html,
    check_json,
    check_pptx,
    check_ris,
    check_xml,
    checker_for,
)

from trialsite.build import build_site

DATA_PAGES = [
    "index.html",
    "results/index.html",
    "design/index.html",
    "sources/index.html",
    "glossary/index.html",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    make_hostile(project)
    resnapshot(project)  # hostile text on purpose, not a correction
    site = project.parent / "site"
    assert build_site(project, site) == 0
    return site


def _files(site: Path) -> list[tuple[Path, PurePosixPath]]:
    return [
        (p, PurePosixPath(p.relative_to(site).as_posix())) for p in sorted(site.rglob("*")) if p.is_file()
    ]


def test_every_published_file_has_a_checker(hostile_site: Path) -> None:
    unchecked = sorted(str(rel) for _, rel in _files(hostile_site) if checker_for(rel) is None)
    assert unchecked == [], "add a checker in tests/outputcheck.py for these"


def test_every_published_file_passes_its_checker(hostile_site: Path) -> None:
    findings: list[str] = []
    checked: set[str] = set()
    for path, rel in _files(hostile_site):
        findings.extend(check_file(path, path.read_bytes(), rel))
        checked.add(rel.suffix)
    assert findings == []
    assert {".html", ".json", ".xml", ".yaml", ".gz"} <= checked


def test_hostile_text_is_shown_as_text(hostile_site: Path) -> None:
    text = " ".join(parse_page(hostile_site / page).text() for page in DATA_PAGES)
    for payload in PAYLOADS:
        assert payload in text, payload
    # No page swallowed a value: each data page shows some of the hostile text.
    for page in DATA_PAGES:
        assert "alert(1)" in parse_page(hostile_site / page).text(), page


def test_published_data_files_keep_the_text_verbatim(hostile_site: Path) -> None:
    import yaml

    glossary = yaml.safe_load((hostile_site / "data" / "glossary.yaml").read_text("utf-8"))
    shown = {t["definition"] for t in glossary["terms"]} | {t["term"] for t in glossary["terms"]}
    assert shown & set(PAYLOADS)


# --- the checkers themselves catch what they are for -----------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        '<p><img src=x onerror="alert(1)"></p>',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<script type="application/ld+json">{"name": "</script><b>"}</script>',
        "<iframe src='https://x.invalid'></iframe>",
    ],
)
def test_html_checker_catches_injection(html: str) -> None:
    assert check_html(Path("x.html"), html.encode())


def test_html_checker_passes_escaped_text() -> None:
    assert check_html(Path("x.html"), b"<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == []


@pytest.mark.parametrize(
    "xml",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<a x:href="javascript:alert(1)"/></svg>',
    ],
)
def test_xml_checker_catches_scripts(xml: bytes) -> None:
    assert check_xml(Path("x.svg"), xml)


def test_xml_checker_refuses_broken_xml() -> None:
    with pytest.raises(Exception, match=r"mismatched|not well-formed"):
        check_xml(Path("x.xml"), b"<a><b></a>")


def test_json_checker_wants_plain_text_and_inert_search_html() -> None:
    assert check_json(Path("data.json"), b'{"label": "&lt;script&gt;"}')
    assert check_json(Path("data.json"), b'{"label": "<script>alert(1)</script>"}') == []
    assert check_json(
        Path("search/search_index.json"), b'{"docs": [{"text": "<img src=x onerror=alert(1)>"}]}'
    )
    assert check_json(Path("search/search_index.json"), b'{"docs": [{"text": "&lt;img src=x&gt;"}]}') == []


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"])
def test_csv_checker_catches_formulas(cell: str) -> None:
    quoted = cell.replace('"', '""')
    assert check_csv(Path("x.csv"), f'id,label\nr,"{quoted}"\n'.encode())
    assert check_csv(Path("x.csv"), f'id,label\nr,"\'{quoted}"\n'.encode()) == []


def test_bib_checker_catches_broken_entries() -> None:
    good = b"@article{a, title = {T}, author = {Wieduwilt, M. J. and others}}\n"
    assert check_bib(Path("x.bib"), good) == []
    assert check_bib(Path("x.bib"), b"@article{a, title = {T}}} @misc{b, title = {\\input{/etc/passwd}}}\n")


def test_ris_checker_catches_a_broken_line() -> None:
    good = b"TY  - JOUR\nTI  - A title\nER  - \n"
    assert check_ris(Path("x.ris"), good) == []
    assert check_ris(Path("x.ris"), b"TY  - JOUR\nTI  - A title\nbroken onto a new line\nER  - \n")


def test_pptx_checker_catches_a_script_link() -> None:
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    run = slide.shapes.title.text_frame.paragraphs[0].add_run()
    run.text = "click"
    run.hyperlink.address = "javascript:alert(1)"
    out = io.BytesIO()
    deck.save(out)
    assert check_pptx(Path("x.pptx"), out.getvalue())


def test_unknown_file_types_are_findings() -> None:
    assert checker_for(PurePosixPath("downloads/figures.xlsx")) is None
    assert checker_for(PurePosixPath("downloads/data.js")) is None  # a .js outside theme assets
    assert checker_for(PurePosixPath("assets/javascripts/bundle.js")) is not None
    assert {".html", ".csv", ".bib", ".ris", ".pptx", ".svg", ".json", ".jsonld"} <= set(CHECKERS)


# --- in Chromium -----------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hostile_server(hostile_site: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(hostile_site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


INJECTED = """() => {
  const hits = [];
  for (const e of document.querySelectorAll('img[src="x"], iframe, object, embed')) hits.push(e.outerHTML);
  for (const e of document.querySelectorAll('a[href]')) {
    if (/^\\s*(javascript|data|vbscript):/i.test(e.getAttribute('href'))) hits.push(e.outerHTML);
  }
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) if (a.name.startsWith('on')) hits.push(e.tagName + ' ' + a.name);
  }
  for (const s of document.scripts) {
    if (s.type === 'application/ld+json') {
      // JSON-LD carries data text by design; it must stay one JSON value inside its element.
      try { JSON.parse(s.text); } catch (err) { hits.push('JSON-LD that does not parse'); }
      continue;
    }
    if (s.text.includes('alert(')) hits.push('script: ' + s.text.slice(0, 60));
  }
  return hits;
}"""


def test_no_page_runs_or_injects_data_in_chromium(browser, hostile_site: Path, hostile_server: str) -> None:
    pages = sorted(str(p.relative_to(hostile_site).as_posix()) for p in hostile_site.rglob("*.html"))
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for rel in pages:
        page.goto(hostile_server + rel, wait_until="load")
        assert page.evaluate(INJECTED) == [], rel
        # Material's bundle (tooltips, search) comes with the first interaction: check after it too.
        start_material(page)
        assert page.evaluate(INJECTED) == [], rel
    # The search box shows indexed data text as results: type a word from the payloads
    # ('script' is a whole token of '</script>' with the index's separator).
    page.goto(hostile_server, wait_until="load")
    start_material(page)
    page.locator("input.md-search__input").click()
    page.keyboard.type("script")
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    assert page.evaluate(INJECTED) == []
    assert dialogs == []
    page.close()


def test_the_browser_probe_sees_an_injection_when_there_is_one(browser) -> None:
    """The check above must be able to fail: on a page that does inject, it reports each thing."""
    page = browser.new_page()
    page.set_content(
        '<p>x</p><img src="x" onerror="void 0"><a href="javascript:void(0)">a</a><script>/*alert(*/</script>'
    )
    hits = page.evaluate(INJECTED)
    assert len(hits) == 4, hits
    page.close()
