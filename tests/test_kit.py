"""The presentation kit: images at their size with their source inside, alt text, the cache, slides."""

from __future__ import annotations

import html.parser
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from citehelpers import PUBLIC_URL, context_for
from conftest import ROOT, copy_project
from corrections_helpers import resnapshot
from PIL import Image

from trialsite.build import build_site
from trialsite.data.dataset import load_dataset
from trialsite.data.model import Dataset, Figure
from trialsite.outputs.kit import images as kit_images
from trialsite.outputs.kit.spec import headline_figures, kit_specs
from trialsite.urls import key_results_file, key_results_name
from trialsite.words.citing import article_short, source_short
from trialsite.words.values import number, value_text

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(ROOT / "data", ROOT)


@pytest.fixture(scope="module")
def site_url() -> str:
    """The public address the `public_site` fixture is built for."""
    return PUBLIC_URL


def headline(data: Dataset) -> list[Figure]:
    return [f for _, f in headline_figures(data)]


def big(figure: Figure) -> str:
    """How the value is printed large: a count without its unit, anything else as on the site."""
    return number(figure.value) if figure.kind == "count" else value_text(figure)  # type: ignore[arg-type]


def svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


def source_lines(figure: Figure, data: Dataset, site_url: str | None) -> list[str]:
    """The lines under an image: one short source line (no locator: it means nothing on a slide),
    the version drawn for, and with a public address the figure in that version's own folder."""
    news = data.source(figure.cite.source)
    article = data.source(news.reports) if news.reports else None
    reporting = f", reporting {source_short(article)}" if article else ""
    lines = [f"Source: {source_short(news)}{reporting}.", f"version {data.release.version}"]  # type: ignore[union-attr]
    if site_url:
        lines.append(f"{site_url}{data.release.version}/results/#{figure.id}")  # type: ignore[union-attr]
    return lines


def context_words(figure: Figure, data: Dataset) -> list[str]:
    """What an image of a result says beside its value: the patients, the design, the time point."""
    study = data.studies[0]
    patients = next(f for f in study.figures if f.kind == "count" and f.headline)
    words = [study.design[0].text.lower()]
    if figure.id != patients.id:
        words.append(f"{patients.value} patients treated")
        words.append(f"time point: {figure.timepoint or 'not reported'}")
    return words


def licence_line(data: Dataset) -> str:
    licence = data.release.licence  # type: ignore[union-attr]
    return f"Licence: {licence.name} ({licence.id}). Publisher: {data.release.publisher}."  # type: ignore[union-attr]


def dark_pixels(im: Image.Image) -> int:
    grey = im.convert("L")
    return sum(grey.histogram()[:60])


def test_every_headline_figure_has_an_svg_and_a_1920x1080_png_with_ink(
    built_site: Path, data: Dataset
) -> None:
    key = key_results_name(data.studies[0].id)
    names = [f.id for f in headline(data)] + [key]
    assert len(names) == 5
    for name in names:
        with Image.open(built_site / "kit" / f"{name}.png") as im:
            assert im.size == (1920, 1080)
            colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
            assert colours is not None and len(colours) > 20, name  # antialiased text and accents
            assert dark_pixels(im) > 20_000, name
            if name != key:
                assert dark_pixels(im.crop(kit_images.VALUE_BOX)) > 10_000, name
        ET.parse(built_site / "kit" / f"{name}.svg")  # well-formed XML


@pytest.mark.parametrize("public", [False, True], ids=["preview", "public"])
def test_each_figure_svg_holds_its_value_and_source_line_as_text(
    built_site: Path, public_site: Path, data: Dataset, site_url: str, public: bool
) -> None:
    site = public_site if public else built_site
    for figure in headline(data):
        text = svg_text(site / "kit" / f"{figure.id}.svg")
        assert big(figure) in text
        assert figure.label in text
        for line in source_lines(figure, data, site_url if public else None):
            assert line in text, line
        for words in context_words(figure, data):
            assert words.lower() in text.lower(), words
        assert "latest/" not in text and figure.cite.locator not in text
        assert licence_line(data) in text  # the terms of reuse, visible on the image
        if not public:  # a preview prints no address: neither a loopback nor a relative one
            assert "results/#" not in text and "127.0.0.1" not in text


def test_each_image_carries_its_licence_and_address_in_its_metadata(public_site: Path, data: Dataset) -> None:
    """What a presenter's tools show as the file's properties: PNG text chunks, SVG Dublin Core and
    Creative Commons REL (cc:license), as Inkscape and exiftool read them."""
    licence = data.release.licence  # type: ignore[union-attr]
    for figure in headline(data):
        with Image.open(public_site / "kit" / f"{figure.id}.png") as im:
            text = im.text  # type: ignore[attr-defined]
        assert licence.url in text["Copyright"] and licence.id in text["Copyright"]
        assert text["Source"] == f"{PUBLIC_URL}{data.release.version}/results/#{figure.id}"  # type: ignore[union-attr]
        root = ET.parse(public_site / "kit" / f"{figure.id}.svg").getroot()
        rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
        work = root.find(f"{SVG_NS}metadata/{rdf}RDF/{{http://creativecommons.org/ns#}}Work")
        assert work is not None
        cc_licence = work.find("{http://creativecommons.org/ns#}license")
        assert cc_licence is not None and cc_licence.get(f"{rdf}resource") == licence.url
        rights = "".join(work.find("{http://purl.org/dc/elements/1.1/}rights").itertext())  # type: ignore[union-attr]
        assert licence.name in rights


def test_key_results_svg_holds_every_headline_value_and_the_sources(built_site: Path, data: Dataset) -> None:
    text = svg_text(built_site / key_results_file(data.studies[0].id, "svg"))
    study = data.studies[0]
    assert study.design[0].text.lower() in text.lower() and "33 patients treated" in text.lower()
    for figure in headline(data):
        assert big(figure) in text
        if figure.kind != "count":
            assert f"Time point: {figure.timepoint or 'not reported'}" in text
        news = data.source(figure.cite.source)
        assert source_short(news) in text
        assert source_short(data.source(news.reports)) in text  # type: ignore[arg-type]


class _Images(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.alts: dict[str, str] = {}
        self.captions: list[str] = []
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img" and a.get("src", "").endswith(".svg"):  # the page previews the light SVGs
            self.alts[a["src"] or ""] = a.get("alt") or ""
        if tag == "figcaption":
            self._in_caption = True
            self.captions.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "figcaption":
            self._in_caption = False

    def handle_data(self, text: str) -> None:
        if self._in_caption:
            self.captions[-1] += text


def test_kit_page_shows_each_image_with_alt_text_built_from_data(built_site: Path, data: Dataset) -> None:
    page = (built_site / "kit" / "index.html").read_text("utf-8")
    parser = _Images()
    parser.feed(page)
    # Issue 20: the text alternative is at most 150 characters; the full description, with the
    # source lines, is the caption beside the image.
    for figure in headline(data):
        alt = parser.alts[f"{figure.id}.svg"]
        assert alt.startswith(f"{figure.label}: {value_text(figure)}. ") and len(alt) <= 150
        for words in context_words(figure, data):
            assert words.lower() in alt.lower(), words
        # Shown as visible text too, with the long description: what it measures and where it stands.
        caption = next(c for c in (" ".join(c.split()) for c in parser.captions) if alt in c)
        assert figure.measures in caption and figure.cite.locator in caption
        assert f'href="{figure.id}.svg"' in page and f'href="{figure.id}.png"' in page
    summary = parser.alts[f"{key_results_name(data.studies[0].id)}.svg"]
    assert len(summary) <= 150 and len(set(parser.alts.values())) == len(parser.alts)
    assert all(len(alt) <= 150 for alt in parser.alts.values())
    for figure in headline(data):
        if figure.kind != "count":
            assert f"{figure.label}: {value_text(figure)}" in summary
        else:
            assert f"{value_text(figure)} treated" in summary
    assert f'href="{key_results_name(data.studies[0].id)}.pptx"' in page


def _deck(built_site: Path):
    from pptx import Presentation

    return Presentation(str(built_site / "kit" / "a041703-cohort-1-key-results.pptx"))


def test_slides_hold_the_headline_values_and_the_citation_in_footer_and_notes(
    public_site: Path, data: Dataset
) -> None:
    deck = _deck(public_site)
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    figures = headline(data)
    results = [f for f in figures if f.kind != "count"]
    assert len(deck.slides) == 2 + len(results) + 1  # key results, who and how, each result, the schema
    schema = deck.slides[len(deck.slides) - 1]
    picture = next(s for s in schema.shapes if s.name == "Trial schema")
    alt = picture._element.nvPicPr.cNvPr.get("descr")
    assert alt.startswith("Trial schema of ") and schema.notes_slide.notes_text_frame.text.startswith(alt)
    first = deck.slides[0]
    texts = " ".join(s.text_frame.text for s in first.shapes if s.has_text_frame)
    first_notes = first.notes_slide.notes_text_frame.text
    for figure in figures:
        assert big(figure) in texts and figure.label in texts and figure.cite.locator in first_notes
    news = data.source(figures[0].cite.source)
    article = data.source(news.reports)  # type: ignore[arg-type]
    for slide in list(deck.slides)[: 2 + len(results)]:
        footer = next(s for s in slide.shapes if s.name == "Source footer").text_frame.text
        assert source_short(news) in footer and source_short(article) in footer
        notes = slide.notes_slide.notes_text_frame.text
        # One clean citation: the article, the release it was transcribed from, the site's version.
        assert notes.count("Citation: ") == 1 and "Cite as" not in notes and "Source: Source" not in notes
        citation = notes.split("Citation: ", 1)[1]
        assert article_short(article) in citation
        assert source_short(news) in citation
        assert "version " in citation
    for slide, figure in zip(list(deck.slides)[2 : 2 + len(results)], results, strict=True):
        notes = slide.notes_slide.notes_text_frame.text
        # The figure in this version's own folder closes its citation; where it stands is in the notes.
        assert notes.endswith(f"{data.release.version}/results/#{figure.id}")  # type: ignore[union-attr]
        assert figure.cite.locator in notes


def test_every_slide_has_a_title_placeholder_and_a_layout_made_for_it(
    built_site: Path, data: Dataset
) -> None:
    """What PowerPoint's accessibility checker and screen readers use to name each slide."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    deck = _deck(built_site)
    titles = []
    for slide in deck.slides:
        assert slide.slide_layout.name in ("Title Only", "Two Content")
        title = slide.shapes.title
        assert title is not None and title.is_placeholder
        assert title.placeholder_format.type == PP_PLACEHOLDER.TITLE
        titles.append(title.text_frame.text)
    assert len(set(titles)) == len(titles) and all(titles)  # each slide named, no two alike
    assert titles[2:-1] == [f.label for f in headline(data) if f.kind != "count"]
    assert titles[-1] == f"Trial schema: {data.studies[0].title}"  # the study's trial schema closes it


def test_a_slide_says_who_was_treated_and_how(built_site: Path, data: Dataset) -> None:
    study = data.studies[0]
    slide = _deck(built_site).slides[1]
    text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert study.population_summary in text
    for step in study.regimen_steps:
        assert value_text(data.figure(step.figure)) in text
    notes = slide.notes_slide.notes_text_frame.text
    for criterion in study.population_criteria:  # every criterion, in the notes
        assert criterion in notes
    assert study.population_cite.locator in notes and study.regimen_cite.locator in notes


def test_the_deck_properties_come_from_the_site(built_site: Path, data: Dataset) -> None:
    """Not python-pptx's template: no 'Steve Canny', no 2013, no 'generated using python-pptx'."""
    import datetime as dt
    import zipfile

    import yaml

    site = yaml.safe_load((ROOT / "data" / "site.yaml").read_text("utf-8"))
    path = built_site / "kit" / "a041703-cohort-1-key-results.pptx"
    props = _deck(built_site).core_properties
    assert props.title == f"Key results: {data.studies[0].title}"
    assert props.author == props.last_modified_by == site["publisher"]
    assert props.version == site["version"]
    assert site["licence"]["url"] in props.comments and "python-pptx" not in props.comments
    assert props.created == props.modified
    assert props.created.year >= dt.date.fromisoformat(str(site["date"])).year
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode("utf-8")
        every_xml = " ".join(z.read(n).decode("utf-8", "replace") for n in names if n.endswith(".xml"))
    assert "docProps/thumbnail.jpeg" not in names and not any("printerSettings" in n for n in names)
    results = [f for f in headline(data) if f.kind != "count"]
    assert f"<Slides>{3 + len(results)}</Slides>" in app and "16:9" in app and "Macintosh" not in app
    assert "Steve Canny" not in every_xml and "2013-01-27" not in every_xml
    for slide in _deck(built_site).slides:
        licence = next(s for s in slide.shapes if s.name == "Licence").text_frame.text
        assert site["licence"]["id"] in licence and site["licence"]["url"] in licence


def _cache_state(folder: Path) -> dict[str, tuple[int, int]]:
    """The drawn files (not their .sha256 checks), each with its inode and time: unchanged if reused."""
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.iterdir()
        if not p.name.endswith(".sha256")
    }


def test_images_are_reused_until_their_data_changes(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    cache = project / ".cache" / "kit"
    site = project / "site"
    assert build_site(project, site) == 0
    first = _cache_state(cache)
    assert len(first) == 13  # 5 SVG, 5 PNG, the trial schema's SVG and PNG, 1 deck

    # An unrelated change (a glossary definition) reuses every cached file untouched.
    glossary = project / "data" / "glossary.yaml"
    before = glossary.read_text("utf-8")
    changed = before.replace("definition: A cancer", "definition: Put simply, a cancer", 1)
    assert changed != before
    glossary.write_text(changed, "utf-8")
    assert build_site(project, site) == 0
    assert _cache_state(cache) == first
    published = (site / "kit" / "remission.svg").read_bytes()
    assert (
        published
        == next(cache / n for n in first if n.startswith("remission-") and n.endswith(".svg")).read_bytes()
    )

    # A new value for one figure redraws the images that show it, and only those.
    data = load_dataset(project / "data", project)
    remission = data.figure("remission")
    new_value = int(remission.value) - 3  # type: ignore[arg-type]
    study_file = project / remission.data_file
    text = study_file.read_text("utf-8")
    block = re.compile(r"(- id: remission\n(?:    .*\n)*?    value: )\S+")
    assert block.search(text)
    study_file.write_text(block.sub(lambda m: m.group(1) + str(new_value), text, count=1), "utf-8")
    resnapshot(project)  # a changed copy on purpose, not a correction
    assert build_site(project, site) == 0
    after = _cache_state(cache)
    made = sorted(f"{n.rsplit('-', 1)[0]}{Path(n).suffix}" for n in set(after) - set(first))  # less the hash
    key = key_results_name(remission.study_id)
    assert made == sorted([f"{key}.svg", f"{key}.png", f"{key}.pptx", "remission.svg", "remission.png"])
    for name, state in first.items():
        assert after[name] == state  # nothing was rewritten in place
    text = svg_text(site / "kit" / "remission.svg")
    assert f"{new_value}%" in text and f"{value_text(remission)}" not in text
    assert f"{new_value}%" in svg_text(site / key_results_file(remission.study_id, "svg"))


def test_drawing_is_deterministic(data: Dataset, site_url: str) -> None:
    """Same description, same bytes: the cache key can stand for the file."""
    spec = kit_specs(context_for(data, site_url))[1]
    assert kit_images.render(spec, "svg") == kit_images.render(spec, "svg")


def test_a_dollar_sign_in_data_is_drawn_as_text_not_math(data: Dataset) -> None:
    """Data text is drawn as it stands, never parsed (matplotlib, which drew these once, read '$...$'
    as mathtext and crashed on '$x^$')."""
    import dataclasses

    spec = kit_specs(context_for(data))[0]
    odd = dataclasses.replace(spec, title="Cost $x^$ and $5 or $10")
    svg = kit_images.render(odd, "svg").decode("utf-8")
    assert ">Cost $x^$ and $5 or $10<" in svg


def test_cache_key_inputs_hold_every_field_of_the_description(data: Dataset) -> None:
    """ImageSpec.inputs is written by hand for speed: it must stay what dataclasses.asdict gives,
    so a field added to the description also changes the cache key."""
    from dataclasses import asdict

    specs = kit_specs(context_for(data, "https://example.invalid/"))
    assert specs
    for spec in specs:
        assert spec.inputs() == asdict(spec), spec.name


def test_published_kit_files_are_plain_copies_and_a_tampered_cache_is_drawn_again(tmp_path: Path) -> None:
    """The site owns plain files with normal modes (never links into the cache); a cached drawing whose
    bytes no longer match the hash recorded when it was drawn is drawn again, not republished."""
    from trialsite.build import build_site

    project = copy_project(tmp_path / "p")
    assert build_site(project, project / "site") == 0
    cache = project / ".cache" / "kit"
    cached = sorted(p for p in cache.iterdir() if not p.name.endswith(".sha256"))
    published = sorted(p for p in (project / "site" / "kit").iterdir() if p.name != "index.html")
    assert cached and published
    for path in published:
        assert path.stat().st_nlink == 1 and not path.is_symlink(), path
        assert path.stat().st_mode & 0o777 == 0o644, path
        assert not any(path.samefile(c) for c in cached)
    svg = next(p for p in cached if p.suffix == ".svg")
    good = svg.read_bytes()
    svg.write_bytes(good.replace(b"</svg>", b"<text>tampered</text></svg>"))
    assert build_site(project, project / "site") == 0
    assert svg.read_bytes() == good, "the tampered cache file was drawn again"
    assert all(b"tampered" not in p.read_bytes() for p in published if p.suffix == ".svg")
    target = published[0]
    before = {
        c.name: c.read_bytes() for c in sorted(p for p in cache.iterdir() if not p.name.endswith(".sha256"))
    }
    target.write_bytes(b"changed")
    assert {
        c.name: c.read_bytes() for c in sorted(p for p in cache.iterdir() if not p.name.endswith(".sha256"))
    } == before


# --- drawn without the plotting stack: measured in the font it is drawn in, every text in its box ---

_LONG = (
    "A very long name for a figure, which goes on and on past any reasonable length, with words like "
    "supercalifragilisticexpialidocious-and-hyphenated-compounds and WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW "
)


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _contains(outer: tuple[float, ...], inner: tuple[float, ...]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _layout_problems(canvas, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Texts inside the margins, no two texts over each other, no text across a box or bar (a box
    that holds the whole text is its background)."""
    from trialsite.outputs.kit.canvas import Text

    texts = [e for e in canvas.elements if isinstance(e, Text)]
    rects = [(e.x, e.y, e.x + e.w, e.y + e.h) for e in canvas.elements if not isinstance(e, Text)]
    inside = (kit_images.MARGIN, 0, kit_images.WIDTH - kit_images.MARGIN, kit_images.HEIGHT)
    problems = [f"{name}: {t.text[:30]!r} outside the margins" for t in texts if not _contains(inside, t.box)]
    for i, a in enumerate(texts):
        problems += [
            f"{name}: {a.text[:30]!r} over {b.text[:30]!r}" for b in texts[i + 1 :] if _overlaps(a.box, b.box)
        ]
        problems += [
            f"{name}: {a.text[:30]!r} across a box {r}"
            for r in rects
            if _overlaps(a.box, r) and not _contains(r, a.box)
        ]
    return problems


def _hostile(spec):  # type: ignore[no-untyped-def]
    import dataclasses

    panels = tuple(
        dataclasses.replace(
            p, big=p.big * 9, label=_LONG * 2, measures=_LONG * 3, timepoint="time point: " + _LONG
        )
        for p in spec.panels
    )
    return dataclasses.replace(
        spec,
        title="Key results: " + _LONG,
        heading=_LONG,
        context=_LONG,
        panels=panels,
        source_lines=tuple("Source: " + _LONG * 3 for _ in spec.source_lines),
        licence_line="Licence: " + _LONG,
    )


@pytest.mark.parametrize("public", [False, True], ids=["preview", "public"])
def test_every_text_of_any_length_stays_in_its_box_and_off_the_others(data: Dataset, public: bool) -> None:
    import dataclasses

    from trialsite.outputs.kit import schema as kit_schema

    ctx = context_for(data, PUBLIC_URL if public else None)
    specs = kit_specs(ctx)
    many = dataclasses.replace(specs[0], panels=specs[0].panels * 10)  # 40 headline figures
    problems: list[str] = []
    for spec in [*specs, many, *(_hostile(s) for s in [*specs, many])]:
        problems += _layout_problems(kit_images.layout(spec), spec.name)
    schema = kit_schema.schema_spec(ctx, data.studies[0])
    odd = dataclasses.replace(
        schema,
        title=_LONG,
        boxes=tuple(dataclasses.replace(b, title=_LONG, lines=(_LONG * 4,) * 5) for b in schema.boxes),
        source_lines=tuple("Source: " + _LONG * 3 for _ in schema.source_lines),
    )
    for spec in (schema, odd):
        for bare in (False, True):
            canvas = kit_schema.layout(spec, bare)
            problems += _layout_problems(canvas, f"{spec.name} bare={bare}")
            boxes = [e for e in canvas.elements if getattr(e, "fill", "") == "#e3e3e3" and e.h > 100]
            assert len(boxes) == len(spec.boxes)
            for t in canvas.elements:
                if hasattr(t, "box") and t.text != "\u2192" and t.box[1] > boxes[0].y:
                    # Each text of a box stands in it.
                    assert any(_contains((b.x, b.y, b.x + b.w, b.y + b.h), t.box) for b in boxes) or (
                        t.box[1] > boxes[0].y + boxes[0].h
                    ), t.text
    assert not problems, "\n".join(problems[:20])


def test_a_measured_line_is_never_narrower_than_drawn() -> None:
    """The layout measures with Pillow and resvg draws: in the same vendored font, the drawn ink of a
    line ends within its measured width, kerned pairs, bold and long lines included."""
    import io

    from trialsite.outputs.kit.canvas import Canvas

    class Bare:
        title, alt, description, licence_line, licence_url, address = "t", "", "", "", "", ""

    for weight in ("normal", "bold"):
        for text in ("AVAVAV To Ty Wa", "Alive and relapse-free at one year", "97%", _LONG[:60]):
            c = Canvas()
            c.text(100, 100, text, 40, fontweight=weight)
            measured = c.elements[-1].box[2]
            with Image.open(io.BytesIO(c.save("png", Bare()))) as im:
                ink = im.convert("L").point(lambda v: 255 if v < 200 else 0).getbbox()
            assert ink is not None, (weight, text)  # the font was found: text is drawn at all
            assert ink[0] >= 100 and ink[2] <= measured + 1, (weight, text, ink, measured)
            # Not far off either (no kerning in the measure costs at most a tenth of the width).
            assert ink[2] - 100 >= 0.88 * (measured - 100) - 4, (weight, text, ink, measured)


def test_the_build_draws_the_kit_without_matplotlib_or_numpy(tmp_path: Path) -> None:
    """The plotting stack is not needed at run time: a build imports neither (nor does pyproject
    ask for them among the runtime dependencies)."""
    import subprocess
    import sys
    import tomllib

    project = copy_project(tmp_path / "p")
    code = (
        "import sys; from pathlib import Path; from trialsite.build import build_site;"
        f"assert build_site(Path({str(project)!r}), Path({str(project / 'site')!r})) == 0;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'numpy')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert (project / "site" / "kit" / "remission.png").stat().st_size > 10_000
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    assert not [d for d in deps if d.split("=")[0].lower() in ("matplotlib", "numpy")]
