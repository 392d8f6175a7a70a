"""Every text field of every data file, read back from every output by that format's own parser,
is text: never markup, code, a formula or a broken record.

The fields come from the schemas (tests/schemafields.py walks them), so a field added later is
covered without an edit here; tests/hostile.py puts a payload tagged with its field into every
instance of every free text field, and the site is built three times, so that every field carries
each of the three kinds of payload once. A leak names the field it came from. Each published file is
also checked by extension (tests/outputcheck.py): a file type with no checker fails the test.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
import yaml
from conftest import ROOT, copy_project, start_material
from corrections_helpers import as_published
from hostile import KINDS, Plan, carried, make_hostile
from htmlscan import Element, parse_page
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
from schemafields import all_fields, copy_target_constraint

from trialsite.build import build_site


@dataclass(frozen=True)
class Hostile:
    project: Path
    site: Path
    plan: Plan


@pytest.fixture(scope="module", params=range(KINDS), ids=lambda n: f"build{n}")
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    project = copy_project(tmp_path_factory.mktemp(f"hostile{request.param}") / "project")
    as_published(project)  # no logged correction stands in the way of the hostile values
    plan = make_hostile(project, request.param)
    site = project.parent / "site"
    assert build_site(project, site) == 0
    return Hostile(project, site, plan)


def _files(site: Path) -> list[tuple[Path, PurePosixPath]]:
    return [
        (p, PurePosixPath(p.relative_to(site).as_posix())) for p in sorted(site.rglob("*")) if p.is_file()
    ]


def _flat(text: str) -> str:
    """Text as compared: whitespace collapsed (outputs fold newlines), case folded (a label may be
    lowercased inside a sentence)."""
    return " ".join(text.split()).casefold()


def _not_intact(plan: Plan, text: str, where: str, *, may_shorten: frozenset[str] = frozenset()) -> list[str]:
    """Every tag that stands in `text` must stand there with its whole payload, as text; for the
    fields in `may_shorten`, with the start of its payload up to the tag."""
    flat = _flat(text)
    out = []
    for tag in plan.tags_in(text):
        whole = _flat(plan.payloads[tag])
        if plan.field_of(tag) in may_shorten:
            whole = whole[: whole.index(tag.casefold()) + len(tag)]
        if whole not in flat:
            out.append(f"{where}: {plan.field_of(tag)} ({tag}) is shown changed, not as the text written")
    return out


# What a citation style rewrites on purpose in a formatted reference: a given name becomes initials
# (so no run of its text need survive: the HTML checks and Chromium still see that it stays inert),
# a page range's hyphen becomes a dash (its start, up to the tag, stays).
# AMA and Vancouver write a suffix without its periods ('Jr.' -> 'Jr').
STYLED = {
    "sources: sources[].authors[].given": "initials",
    "sources: sources[].authors[].suffix": "suffix without periods",
    "sources: sources[].pages": "page range",
}


def _named(plan: Plan, findings: list[str]) -> list[str]:
    return [f"{f}  <- {plan.name_fields(f)}" for f in findings]


# --- the fields ------------------------------------------------------------------------------


def test_the_schema_walk_finds_the_text_fields_and_what_keeps_markup_out_of_the_others() -> None:
    fields = {f.name: f for f in all_fields()}
    free = {n for n, f in fields.items() if f.free}
    # A sample of each shape: nested, in a list, behind anyOf, in a list of lists, only under if/then.
    assert {
        "study: study.chair.affiliation",
        "study: study.population.criteria[]",
        "study: figures[].notes",
        "study: figures[].value",
        "sources: sources[].authors[].given",
        "glossary: terms[].matches[]",
        "site: publisher",
        "corrections: entries[].reason",
        "published: first_published.version",
    } <= free
    excluded = {n: f.excluded_by for n, f in fields.items() if not f.free}
    assert "pattern" in excluded["study: figures[].id"]
    assert "pattern" in excluded["sources: sources[].doi"]
    assert "pattern" in excluded["sources: sources[].url"]
    assert "format 'date'" in excluded["sources: sources[].issued"]
    assert "enum" in excluded["study: figures[].kind"]
    assert "pattern" in excluded["published: figures{key}"]  # a mapping's keys
    copies = {n for n, f in fields.items() if f.copy_of}
    assert {"published: version", "published: figures{}.value", "corrections: entries[].new"} <= copies


def test_every_free_text_field_carries_a_payload(hostile: Hostile) -> None:
    held = carried(hostile.project, hostile.plan)
    missing, wrongly = [], []
    for f in all_fields():
        if f.copy_of and f.name not in held:
            # A copy of a constrained field (the snapshot's version, a log entry's id) holds no markup.
            if not all(copy_target_constraint(ref) for ref in f.copy_of):
                missing.append(f.name)
        elif f.free and f.name not in held:
            missing.append(f.name)
        elif not f.free and f.name in held:
            wrongly.append(f.name)
    assert missing == [], f"free text fields that hold no payload (fill them in tests/hostile.py): {missing}"
    assert wrongly == []


# --- every file, by its format's parser --------------------------------------------------------


def test_every_published_file_has_a_checker(hostile: Hostile) -> None:
    unchecked = sorted(str(rel) for _, rel in _files(hostile.site) if checker_for(rel) is None)
    assert unchecked == [], "add a checker in tests/outputcheck.py for these"


def test_every_published_file_passes_its_checker(hostile: Hostile) -> None:
    findings: list[str] = []
    checked: set[str] = set()
    for path, rel in _files(hostile.site):
        findings.extend(check_file(path, path.read_bytes(), rel))
        checked.add(rel.suffix)
    assert not findings, "\n".join(_named(hostile.plan, findings))
    assert {".html", ".json", ".xml", ".yaml", ".gz", ".svg", ".pptx", ".csv", ".bib", ".ris"} <= checked


def _page_text(element: Element) -> str:
    """What a page shows as text: its text nodes, not the bodies of <script> (JSON-LD) or <style>."""
    if element.tag in ("script", "style", "template"):
        return ""
    return "".join(c if isinstance(c, str) else _page_text(c) for c in element.children)


def test_pages_show_every_payload_as_the_text_written(hostile: Hostile) -> None:
    plan = hostile.plan
    problems: list[str] = []
    seen: set[str] = set()
    for path, rel in _files(hostile.site):
        if rel.suffix != ".html":
            continue
        tree = parse_page(path)
        references = [e for e in tree.iter() if e.has_class("cite-text")]
        for e in references:
            shown = _page_text(e)
            for tag in plan.tags_in(shown):
                if plan.field_of(tag) == "sources: sources[].authors[].given":
                    shown = shown.replace(tag, "").replace(tag.lower(), "")
            where = f"{rel} (a formatted reference)"
            problems += _not_intact(plan, shown, where, may_shorten=frozenset(STYLED))
            e.children = []
        text = _page_text(tree)
        problems += _not_intact(plan, text, str(rel))
        seen |= {plan.field_of(t) for t in plan.tags_in(text)}
        # JSON-LD: one JSON value per element whose strings hold the text written.
        for script in tree.find_all("script", type="application/ld+json"):
            strings = _strings(json.loads(script.text()))
            problems += _not_intact(plan, " | ".join(strings), f"{rel} JSON-LD")
    assert not problems, "\n".join(problems)
    # The pages show the study, its figures, the sources, the glossary and the corrections.
    for name in (
        "study: study.name",
        "study: figures[].label",
        "sources: sources[].title",
        "glossary: terms[].definition",
        "corrections: entries[].reason",
    ):
        assert name in seen, name


def test_downloads_keep_every_payload_and_run_no_formula(hostile: Hostile) -> None:
    plan, site = hostile.plan, hostile.site
    doc = json.loads((site / "downloads" / "figures.json").read_text("utf-8"))
    problems: list[str] = []

    def walk(v: object, where: str) -> None:
        if isinstance(v, dict):
            for k, item in v.items():
                walk(item, f"{where}.{k}")
        elif isinstance(v, list):
            for i, item in enumerate(v):
                walk(item, f"{where}[{i}]")
        elif isinstance(v, str):
            for tag in plan.tags_in(v):
                if plan.payloads[tag] not in v:  # JSON keeps the text exactly, newlines included
                    problems.append(f"figures.json{where}: {plan.field_of(tag)} changed")

    walk(doc, "")
    rows = list(csv.reader(io.StringIO((site / "downloads" / "figures.csv").read_text("utf-8-sig"))))
    for r, row in enumerate(rows[1:], 2):
        for c, cell in enumerate(row, 1):
            shown = cell[1:] if cell.startswith("'") else cell
            problems += _not_intact(plan, shown, f"figures.csv:{r}:{c}")
    assert not problems, "\n".join(problems)
    json_fields = {plan.field_of(t) for t in plan.tags_in(json.dumps(doc))}
    assert {"study: figures[].label", "study: figures[].measures", "study: figures[].notes"} <= json_fields


def test_citation_files_parse_with_one_record_per_source_and_keep_the_text(hostile: Hostile) -> None:
    import bibtexparser
    import rispy

    plan, site = hostile.plan, hostile.site
    problems: list[str] = []
    for csl_path in sorted((site / "cite").glob("*.json")):
        items = json.loads(csl_path.read_text("utf-8"))
        ids = [item["id"] for item in items]
        for item in items:
            for tag in plan.tags_in(json.dumps(item, ensure_ascii=False)):
                if not any(plan.payloads[tag] in str(v) for v in _strings(item)):
                    problems.append(f"{csl_path.name}: {plan.field_of(tag)} changed")
        library = bibtexparser.parse_file(str(csl_path.with_suffix(".bib")))
        assert library.failed_blocks == [], csl_path.with_suffix(".bib")
        assert [e.key for e in library.entries] == ids  # no payload opened an entry of its own
        for entry in library.entries:
            for fld in entry.fields:
                problems += _not_intact(plan, _bib_unescaped(str(fld.value)), f"{entry.key}.bib {fld.key}")
        records = rispy.load(csl_path.with_suffix(".ris").open(encoding="utf-8"))
        assert len(records) == len(items), csl_path.with_suffix(".ris")  # no payload ended a record
        for record in records:
            for key, value in record.items():
                problems += _not_intact(plan, " ".join(_strings(value)), f"{csl_path.stem}.ris {key}")
    assert not problems, "\n".join(problems)


_BIB_ESCAPE = re.compile(r"\\text(backslash|asciitilde|asciicircum)\{\}|\\([{}%&#$_])")
_BIB_NAMED = {"backslash": "\\", "asciitilde": "~", "asciicircum": "^"}


def _bib_unescaped(value: str) -> str:
    """A BibTeX value as parsed, with the escapes of citations.bibtex_escape undone: every special
    character must have been escaped for the text to come back whole. A brace that is not part of
    an escape is a BibTeX group (a title's protected capitals), not text: it goes."""
    return _BIB_TEXT.sub(lambda m: _BIB_NAMED[m[1]] if m[1] else (m[2] or ""), value)


_BIB_TEXT = re.compile(r"\\text(backslash|asciitilde|asciicircum)\{\}|\\([{}%&#$_])|[{}]")


def _strings(v: object) -> list[str]:
    if isinstance(v, dict):
        return [s for item in v.values() for s in _strings(item)]
    if isinstance(v, list):
        return [s for item in v for s in _strings(item)]
    return [v] if isinstance(v, str) else []


def test_the_feed_parses_and_keeps_reasons_and_values_as_text(hostile: Hostile) -> None:
    plan = hostile.plan
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring((hostile.site / "corrections.xml").read_bytes())
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 2
    problems: list[str] = []
    for entry in entries:
        for part in ("title", "summary"):
            element = entry.find(f"{atom}{part}")
            assert element is not None
            assert element.get("type", "text") == "text", "a feed reader would render this as HTML"
            problems += _not_intact(plan, element.text or "", f"corrections.xml {part}")
    assert not problems, "\n".join(problems)
    fields = {plan.field_of(t) for e in entries for t in plan.tags_in(ET.tostring(e, encoding="unicode"))}
    assert {"corrections: entries[].reason", "corrections: entries[].locator"} <= fields


def test_kit_images_and_slides_keep_the_text(hostile: Hostile) -> None:
    from pptx import Presentation

    plan, kit = hostile.plan, hostile.site / "kit"
    problems: list[str] = []
    svgs = sorted(kit.glob("*.svg"))
    assert svgs
    for svg in svgs:
        texts = [e.text or "" for e in ET.parse(svg).iter() if e.tag.endswith("}text") or e.tag == "text"]
        text = " ".join(texts)
        # A line break in the data is a space in the image, not a line drawn over the next.
        groups = [g for g in ET.parse(svg).iter() if g.get("id", "").startswith("text_")]
        several = [g.get("id") for g in groups if len([c for c in g if c.tag.endswith("text")]) > 1]
        assert several == [], f"{svg.name}: text drawn as several lines"
        assert plan.tags_in(text), f"{svg.name}: no data text (is SVG text still text?)"
        # An image wraps a text and keeps its first lines: the start of each payload must be there.
        every_field = frozenset(plan.fields.values())
        problems += _not_intact(plan, text, svg.name, may_shorten=every_field)
    decks = sorted(kit.glob("*.pptx"))
    assert decks
    for deck_path in decks:
        deck = Presentation(str(deck_path))
        parts = [
            shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
        ]
        parts += [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
        text = " ".join(parts)
        assert plan.tags_in(text), deck_path.name
        problems += _not_intact(plan, text, deck_path.name)
    assert not problems, "\n".join(problems)


def test_citation_cff_from_hostile_data_is_valid_and_keeps_the_text(hostile: Hostile) -> None:
    import importlib.util

    from jsonschema import Draft7Validator

    script = ROOT / "scripts" / "write_citation_cff.py"
    spec = importlib.util.spec_from_file_location("write_citation_cff", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.generate(hostile.project)
    doc = yaml.safe_load(text)
    schema = json.loads((ROOT / "tests/data/cff/schema-1.2.0.json").read_text("utf-8"))
    errors = [e.message for e in Draft7Validator(schema).iter_errors(doc)]
    assert errors == []
    plan = hostile.plan
    strings = _strings(doc)
    tags = plan.tags_in(" ".join(strings))
    assert {plan.field_of(t) for t in tags} >= {"sources: sources[].container", "sources: sources[].volume"}
    assert [t for t in tags if not any(plan.payloads[t] in s for s in strings)] == []


def test_published_data_files_keep_the_text_verbatim(hostile: Hostile) -> None:
    for name in ("glossary.yaml", "sources.yaml", "corrections.yaml"):
        published = yaml.safe_load((hostile.site / "data" / name).read_text("utf-8"))
        written = yaml.safe_load((hostile.project / "data" / name).read_text("utf-8"))
        assert published == written, name


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
def hostile_server(hostile: Hostile) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(hostile.site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


# Defined before any page script: an injected script or handler that runs records its field's tag.
HIT = "window.__hits = []; window.hit = (tag) => window.__hits.push(String(tag));"

INJECTED = """() => {
  const hits = [];
  for (const e of document.querySelectorAll('img[src="x"], iframe, object, embed')) hits.push(e.outerHTML);
  for (const e of document.querySelectorAll('a[href]')) {
    if (/^\\s*(javascript|data|vbscript):/i.test(e.getAttribute('href'))) hits.push(e.outerHTML);
  }
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (a.name.startsWith('on')) hits.push(e.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  for (const s of document.scripts) {
    if (s.type === 'application/ld+json') {
      // JSON-LD carries data text by design; it must stay one JSON value inside its element.
      try { JSON.parse(s.text); } catch (err) { hits.push('JSON-LD that does not parse'); }
      continue;
    }
    if (/alert\\(|hit\\(/.test(s.text)) hits.push('script: ' + s.text.slice(0, 80));
  }
  return hits;
}"""


def test_no_page_runs_or_injects_data_in_chromium(browser, hostile: Hostile, hostile_server: str) -> None:
    site, plan = hostile.site, hostile.plan
    pages = sorted(str(p.relative_to(site).as_posix()) for p in site.rglob("*.html"))
    context = browser.new_context()
    context.add_init_script(HIT)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ran: list[str] = []
    injected: list[str] = []
    for rel in pages:
        page.goto(hostile_server + rel, wait_until="load")
        injected += [f"{rel}: {h}" for h in page.evaluate(INJECTED)]
        # Material's bundle (tooltips, search) comes with the first interaction: check after it too
        # (an embed card is a standalone page with no script, so there is nothing to start).
        if "/embed/" not in rel:
            start_material(page)
            injected += [f"{rel} (after Material): {h}" for h in page.evaluate(INJECTED)]
        ran += [f"{rel}: a script from {plan.field_of(tag)} ran" for tag in page.evaluate("window.__hits")]
    # The search box shows indexed data text as results: type a word from the payloads
    # ('script' is a whole token of '</script>' with the index's separator).
    page.goto(hostile_server, wait_until="load")
    start_material(page)
    page.locator("input.md-search__input").click()
    page.keyboard.type("script")
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    injected += [f"search results: {h}" for h in page.evaluate(INJECTED)]
    ran += [f"search: a script from {plan.field_of(tag)} ran" for tag in page.evaluate("window.__hits")]
    context.close()
    assert not ran, "\n".join(sorted(set(ran)))
    assert not injected, "\n".join(_named(plan, injected))
    assert dialogs == []


def test_the_browser_probe_sees_an_injection_when_there_is_one(browser) -> None:
    """The check above must be able to fail: on a page that does inject, it reports each thing."""
    page = browser.new_page()
    page.set_content(
        '<p>x</p><img src="x" onerror="void 0"><a href="javascript:void(0)">a</a><script>/*alert(*/</script>'
    )
    hits = page.evaluate(INJECTED)
    assert len(hits) == 4, hits
    page.close()
    # And the init script records a tagged script that runs.
    context = browser.new_context()
    context.add_init_script(HIT)
    page = context.new_page()
    page.set_content('<p>x</p><script>hit("T3_1T")</script><img src="y" onerror="hit(\'T4_2T\')">')
    page.wait_for_function("window.__hits.length === 2")
    assert sorted(page.evaluate("window.__hits")) == ["T3_1T", "T4_2T"]
    context.close()
