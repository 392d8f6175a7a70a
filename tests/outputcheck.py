"""One checker per published file type, keyed by extension: each parses the file with that format's
own parser and reports where data text became markup, code or a formula.

A file whose extension has no checker and is not a theme asset is itself a finding: a new output
format must come with its checker here before the escaping test passes.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from htmlscan import Element, parse_html

# Static assets copied from the theme (or our hand-written site.css): never generated from data.
# Only under assets/, so a data-driven .js or .css elsewhere still needs a checker.
THEME_ASSET_SUFFIXES = {".css", ".js", ".map", ".woff", ".woff2", ".ttf", ".eot"}
# Raster images carry no markup or code; charts rendered from data are pixels.
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico"}

# What the hostile payloads (tests/hostile.py and the older fixed ones) put in scripts: never in ours.
DATA_MARKERS = ("alert(", "hit(", "HYPERLINK")
SCRIPTY_HREF = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _html_findings(tree: Element, where: str) -> list[str]:
    found = []
    for e in tree.iter():
        for name, value in e.attrs.items():
            if name.startswith("on"):
                found.append(f"{where}: <{e.tag} {name}={value[:60]!r}> event handler")
            if name in ("href", "src", "action", "formaction", "xlink:href") and SCRIPTY_HREF.match(value):
                found.append(f"{where}: <{e.tag} {name}={value!r}>")
        if e.tag in ("iframe", "object", "embed", "base"):
            found.append(f"{where}: <{e.tag}> element")
        if e.tag == "img" and e.attrs.get("src") == "x":
            found.append(f"{where}: injected <img src=x {e.attrs}>")
        if e.tag == "script" and e.attrs.get("type") == "application/ld+json":
            # JSON-LD carries data text by design: it must parse, and hold no raw '<' to break out with.
            body = e.text()
            try:
                json.loads(body)
            except ValueError:
                found.append(f"{where}: JSON-LD that does not parse")
            if "<" in body:
                found.append(f"{where}: JSON-LD with a raw '<'")
        elif e.tag == "script":
            body = e.text()
            if any(marker in body for marker in DATA_MARKERS):
                found.append(f"{where}: a <script> holds data text: {body[:80]!r}")
            if e.attrs.get("type") == "application/ld+json":
                try:
                    json.loads(body)
                except ValueError:
                    found.append(f"{where}: JSON-LD that does not parse (was it cut by </script>?)")
    return found


def check_html(path: Path, data: bytes) -> list[str]:
    return _html_findings(parse_html(data.decode("utf-8")), str(path))


def _xml_findings(data: bytes, where: str) -> list[str]:
    root = ET.fromstring(data)
    found = []
    for e in root.iter():
        local = e.tag.rsplit("}", 1)[-1].lower()
        if local in ("script", "foreignobject", "iframe"):
            found.append(f"{where}: <{local}> element")
        for name, value in e.attrib.items():
            attr = name.rsplit("}", 1)[-1].lower()
            if attr.startswith("on"):
                found.append(f"{where}: <{local} {attr}=...> event handler")
            if attr == "href" and SCRIPTY_HREF.match(value):
                found.append(f"{where}: <{local} href={value!r}>")
    return found


def check_xml(path: Path, data: bytes) -> list[str]:
    """XML, SVG, RSS and Atom: parsed by the XML parser, then no script, no handler, no script link."""
    return _xml_findings(data, str(path))


def check_json(path: Path, data: bytes) -> list[str]:
    value = json.loads(data.decode("utf-8"))
    found = []

    def walk(v: object) -> None:
        if isinstance(v, dict):
            for item in v.values():
                walk(item)
        elif isinstance(v, list):
            for item in v:
                walk(item)
        elif isinstance(v, str):
            name = PurePosixPath(path.as_posix()).name
            if name == "search_index.json":
                # Material's search index holds HTML that it shows in the results: it must stay inert.
                found.extend(_html_findings(parse_html(v), f"{path} (search text)"))
            elif name == "oembed.json" and v.startswith("<iframe "):
                # oEmbed's `html` is HTML by definition (the iframe to paste): it must stay inert too.
                tags = [e.tag for e in parse_html(v).iter() if e.tag != "#document"]
                if [t for t in tags if t != "iframe"] or tags.count("iframe") != 1:
                    found.append(f"{path}: oEmbed html is not one <iframe>: {tags!r}")
            elif "&lt;" in v or "&gt;" in v or "&#" in v:
                found.append(f"{path}: HTML entities in a JSON string (text should be plain): {v[:60]!r}")

    walk(value)
    return found


def check_csv(path: Path, data: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    found = []
    for r, row in enumerate(rows, 1):
        for c, cell in enumerate(row, 1):
            if cell.startswith(FORMULA_START):
                found.append(f"{path}:{r}:{c}: cell {cell[:40]!r} would run as a spreadsheet formula")
    return found


def check_bib(path: Path, data: bytes) -> list[str]:
    import bibtexparser

    library = bibtexparser.parse_string(data.decode("utf-8"))
    found = [f"{path}: BibTeX block does not parse: {b.raw[:60]!r}" for b in library.failed_blocks]
    if not library.entries:
        found.append(f"{path}: no BibTeX entry")
    for entry in library.entries:
        for fld in entry.fields:
            text = str(fld.value)
            if re.search(r"\\(input|include|write|immediate|openout|catcode)\b", text):
                found.append(f"{path}: TeX command in {entry.key}.{fld.key}")
    return found


def check_ris(path: Path, data: bytes) -> list[str]:
    import rispy

    text = data.decode("utf-8-sig")
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() and not re.match(r"^[A-Z][A-Z0-9]  -( |$)", line):
            found.append(f"{path}:{n}: a line that is not a RIS tag (data broke a line?): {line[:40]!r}")
    if not rispy.loads(text):
        found.append(f"{path}: no RIS record")
    return found


def check_pptx(path: Path, data: bytes) -> list[str]:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    found = []
    for number, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            address = shape.click_action.hyperlink.address if shape.click_action else None
            if address and SCRIPTY_HREF.match(address):
                found.append(f"{path}: slide {number} links to {address!r}")
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        link = run.hyperlink.address
                        if link and SCRIPTY_HREF.match(link):
                            found.append(f"{path}: slide {number} text links to {link!r}")
    return found


def check_yaml(path: Path, data: bytes) -> list[str]:
    """The published data files: they must read back with our own safe loader, tags and all refused."""
    from trialsite.data.load import load_document

    doc = load_document(path, str(path))
    return [str(p) for p in doc.problems]


def check_gzip(path: Path, data: bytes) -> list[str]:
    inner = path.with_suffix("")
    return check_file(inner, gzip.decompress(data))


def check_theme_asset(path: Path, data: bytes) -> list[str]:
    """Theme files are not generated from data: data text must not turn up in them."""
    text = data.decode("utf-8", errors="replace")
    return [f"{path}: data text in a static asset" for marker in DATA_MARKERS if marker in text]


def check_image(path: Path, data: bytes) -> list[str]:
    return []


CHECKERS: dict[str, Callable[[Path, bytes], list[str]]] = {
    ".html": check_html,
    ".htm": check_html,
    ".xml": check_xml,
    ".svg": check_xml,
    ".rss": check_xml,
    ".atom": check_xml,
    ".json": check_json,
    ".jsonld": check_json,
    ".csv": check_csv,
    ".bib": check_bib,
    ".ris": check_ris,
    ".pptx": check_pptx,
    ".yaml": check_yaml,
    ".yml": check_yaml,
    ".gz": check_gzip,
    **{suffix: check_image for suffix in IMAGE_SUFFIXES},
}


def checker_for(rel: PurePosixPath) -> Callable[[Path, bytes], list[str]] | None:
    suffix = rel.suffix.lower()
    if suffix in CHECKERS:
        return CHECKERS[suffix]
    if suffix in THEME_ASSET_SUFFIXES and rel.parts[:1] == ("assets",):
        return check_theme_asset
    if rel in STATIC_FILES:
        return check_theme_asset
    return None


# Hand-written files copied as they are from docs/, and the build's marker (a fixed sentence): like
# theme assets, never generated from data.
STATIC_FILES = {PurePosixPath("robots.txt"), PurePosixPath(".trialsite-site")}


def check_file(path: Path, data: bytes, rel: PurePosixPath | None = None) -> list[str]:
    checker = checker_for(rel or PurePosixPath(path.name))
    if checker is None:
        return [f"{path}: no checker for '{path.suffix}' files; add one to tests/outputcheck.py"]
    return checker(path, data)
