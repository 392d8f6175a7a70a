"""The kit's deck checked as it is shown: rendered by LibreOffice Impress and read back from the PDF.

Every text block inside its slide, no two overlapping, every title whole on its slide, no empty or
stray placeholder, the 16:9 size and its declared type, at most 6 bullets a slide and one short
source line on each, the full citation in the notes.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import deckrender
import pytest
from conftest import ROOT

from trialsite.data.dataset import load_dataset
from trialsite.outputs.kit.spec import headline_figures

DECK = "a041703-cohort-1-key-results.pptx"
PT_PER_IN = 72


@pytest.fixture(scope="module")
def rendered(public_site: Path, tmp_path_factory: pytest.TempPathFactory) -> list[deckrender.Page]:
    out = tmp_path_factory.mktemp("deck-pdf")
    return deckrender.pages(deckrender.render(public_site / "kit" / DECK, out))


@pytest.fixture(scope="module")
def deck(public_site: Path):  # type: ignore[no-untyped-def]
    from pptx import Presentation

    return Presentation(str(public_site / "kit" / DECK))


def test_the_deck_is_16_9_and_says_so(public_site: Path, rendered: list[deckrender.Page]) -> None:
    with zipfile.ZipFile(public_site / "kit" / DECK) as z:
        presentation = z.read("ppt/presentation.xml").decode("utf-8")
    size = re.search(r"<p:sldSz [^>]*/>", presentation)
    assert size is not None
    assert "screen4x3" not in size.group(0) and 'type="screen4x3"' not in presentation
    cx, cy = (int(re.search(rf'{k}="(\d+)"', size.group(0)).group(1)) for k in ("cx", "cy"))  # type: ignore[union-attr]
    assert (cx, cy) == (12192000, 6858000)  # PowerPoint's widescreen, 13.333 x 7.5 in
    for page in rendered:
        assert abs(page.width / page.height - 16 / 9) < 0.005
        assert abs(page.width - 13.333 * PT_PER_IN) < 1


def test_no_text_outside_its_slide_and_no_two_blocks_overlap(rendered: list[deckrender.Page]) -> None:
    assert rendered
    for n, page in enumerate(rendered, 1):
        assert page.blocks, f"slide {n} shows no text"
        for b in page.blocks:
            assert b.x0 >= 0 and b.y0 >= 0 and b.x1 <= page.width and b.y1 <= page.height, (n, b.text)
        for i, a in enumerate(page.blocks):
            for b in page.blocks[i + 1 :]:
                assert not a.overlaps(b), f"slide {n}: {a.text!r} overlaps {b.text!r}"


def test_every_title_is_whole_on_its_slide_and_shown_once(deck, rendered: list[deckrender.Page]) -> None:  # type: ignore[no-untyped-def]
    assert len(rendered) == len(deck.slides)
    for n, (slide, page) in enumerate(zip(deck.slides, rendered, strict=True), 1):
        title = slide.shapes.title
        assert title is not None and title.text_frame.text.strip(), f"slide {n} has no title"
        words = " ".join(title.text_frame.text.split())
        # The title's own blocks: in the top quarter of the slide, holding the whole title once.
        top = [b for b in page.blocks if b.y1 <= page.height * 0.25]
        top_text = " ".join(b.text for b in top)
        assert words in top_text, f"slide {n}: title {words!r} not whole at the top: {top_text!r}"
        assert " ".join(page.text.split()).count(words) == 1, f"slide {n}: title {words!r} shown twice"
        # Its placeholder lies inside the slide, with a real height.
        assert title.top >= 0 and title.left >= 0 and title.height > 0
        assert title.left + title.width <= deck.slide_width and title.top + title.height <= deck.slide_height


def test_no_empty_or_stray_placeholder(deck) -> None:  # type: ignore[no-untyped-def]
    for n, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            assert shape.width and shape.height, f"slide {n}: {shape.name} has no size"
            assert shape.left + shape.width <= deck.slide_width, f"slide {n}: {shape.name} runs off the right"
            assert shape.top + shape.height <= deck.slide_height, f"slide {n}: {shape.name} runs off the foot"
            if shape.is_placeholder:
                assert shape.has_text_frame and shape.text_frame.text.strip(), (
                    f"slide {n}: empty {shape.name}"
                )


def test_at_most_six_bullets_and_one_short_source_line_a_slide(deck, rendered: list[deckrender.Page]) -> None:  # type: ignore[no-untyped-def]
    for n, (slide, page) in enumerate(zip(deck.slides, rendered, strict=True), 1):
        bullets = [
            p
            for s in slide.shapes
            if s.has_text_frame
            for p in s.text_frame.paragraphs
            if p.level >= 1 and p.text
        ]
        assert len(bullets) <= 6, f"slide {n}: {len(bullets)} bullets"
        footers = [s for s in slide.shapes if s.name == "Source footer"]
        assert len(footers) == 1, f"slide {n}: {len(footers)} source footers"
        text = " ".join(footers[0].text_frame.text.split())
        assert text.startswith("Source: ") and "\n" not in footers[0].text_frame.text.strip()
        shown = [b for b in page.blocks if b.text.startswith("Source: ")]
        assert len(shown) == 1, f"slide {n}: {[b.text for b in shown]}"
        assert len(shown[0].lines) <= 2, f"slide {n}: source line runs to {len(shown[0].lines)} lines"
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.count("Citation: ") == 1 and "Where in the source: " in notes, f"slide {n}"


def test_who_took_part_shows_no_outcome_and_each_result_has_its_context(deck) -> None:  # type: ignore[no-untyped-def]
    data = load_dataset(ROOT / "data", ROOT)
    results = [f for _, f in headline_figures(data) if f.kind != "count"]
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    assert titles[1] == "Who took part, and how they were treated"
    assert titles[2:-1] == [f.label for f in results]  # one slide a headline result
    assert sum(t.startswith("Trial schema") for t in titles) == 1
    who = " ".join(s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame)
    for f in results:
        assert f.label not in who and f"{f.value:g}%" not in who
    patients = next(f for _, f in headline_figures(data) if f.kind == "count")
    for slide, f in zip(list(deck.slides)[2:-1], results, strict=True):
        context = next(s for s in slide.shapes if s.name == "Context").text_frame.text
        assert f"{patients.value} patients treated" in context
        assert "one group" in context and "no comparison group" in context
        assert (f.timepoint or "not reported") in context


LONG = (
    "A very long name for a figure that no slide was drawn for, which goes on and on past any "
    "reasonable length with words like supercalifragilisticexpialidocious-and-hyphenated-compounds "
)


def _hostile_group():  # type: ignore[no-untyped-def]
    """The study's kit, every name, label, context and source line made far too long."""
    from dataclasses import replace

    from citehelpers import public_context

    from trialsite.outputs.kit.spec import kit_groups

    ctx = public_context()
    group = kit_groups(ctx)[0]
    images = []
    for spec in group.images:
        panels = tuple(
            replace(p, label=LONG * 2, measures=LONG * 3, timepoint="time point: " + LONG)
            for p in spec.panels
        )
        images.append(
            replace(
                spec,
                title="Key results: " + LONG,
                heading=LONG,
                context=LONG,
                panels=panels,
                source_lines=tuple("Source: " + LONG * 3 for _ in spec.source_lines),
            )
        )
    return ctx, replace(group, images=tuple(images))


def test_long_names_labels_and_source_lines_stay_inside_their_boxes_on_slides(tmp_path: Path) -> None:
    from trialsite.outputs.kit import slides

    ctx, group = _hostile_group()
    deck = slides.deck_spec(ctx, list(group.images), group.study)
    path = tmp_path / "hostile.pptx"
    path.write_bytes(slides.render_deck(deck))
    pages = deckrender.pages(deckrender.render(path, tmp_path / "pdf"))
    assert len(pages) == 2 + len(deck.figures)
    for n, page in enumerate(pages, 1):
        for b in page.blocks:
            assert b.x0 >= 0 and b.y0 >= 0 and b.x1 <= page.width and b.y1 <= page.height, (n, b.text)
        for i, a in enumerate(page.blocks):
            for b in page.blocks[i + 1 :]:
                assert not a.overlaps(b), f"slide {n}: {a.text[:40]!r} overlaps {b.text[:40]!r}"
        sources = [b for b in page.blocks if b.text.startswith("Source: ")]
        assert len(sources) == 1 and len(sources[0].lines) <= 2, n


def test_long_names_labels_and_source_lines_stay_inside_the_images() -> None:
    """No ink in the side margins: a line too long is set smaller, then cut at a word."""
    import io

    from PIL import Image

    from trialsite.outputs.kit import images

    _ctx, group = _hostile_group()
    for spec in group.images:
        with Image.open(io.BytesIO(images.render(spec, "png"))) as im:
            grey = im.convert("L")
            for box in (
                (0, 0, images.MARGIN - 8, images.HEIGHT),
                (images.WIDTH - images.MARGIN + 8, 0, images.WIDTH, images.HEIGHT),
            ):
                assert grey.crop(box).getextrema()[0] > 200, (spec.name, box)


def _group_with(n: int):  # type: ignore[no-untyped-def]
    """The study's kit with `n` headline results (copies of its own, renamed)."""
    from dataclasses import replace

    from citehelpers import public_context

    from trialsite.outputs.kit.spec import kit_groups

    ctx = public_context()
    group = kit_groups(ctx)[0]
    key, *figures = group.images
    results = [s for s in figures if ctx.data.figure(s.panels[0].figure_id).kind != "count"]
    many = [results[i % len(results)] for i in range(n)]
    panels = tuple(replace(s.panels[0], label=f"{s.panels[0].label} {i + 1}") for i, s in enumerate(many))
    images = [
        replace(key, panels=panels),
        *(replace(s, title=f"{s.title} {i + 1}") for i, s in enumerate(many)),
    ]
    return ctx, replace(group, images=tuple(images))


@pytest.mark.parametrize("n", [1, 40])
def test_one_or_forty_headline_results_still_fit(n: int, tmp_path: Path) -> None:
    import io

    from PIL import Image

    from trialsite.outputs.kit import images, slides

    ctx, group = _group_with(n)
    deck = slides.deck_spec(ctx, list(group.images), group.study)
    path = tmp_path / f"deck-{n}.pptx"
    path.write_bytes(slides.render_deck(deck))
    pages = deckrender.pages(deckrender.render(path, tmp_path / "pdf"))
    assert len(pages) == 2 + n
    for k, page in enumerate(pages, 1):
        for b in page.blocks:
            assert b.x0 >= 0 and b.y0 >= 0 and b.x1 <= page.width and b.y1 <= page.height, (k, b.text)
        for i, a in enumerate(page.blocks):
            for b in page.blocks[i + 1 :]:
                assert not a.overlaps(b), f"slide {k}: {a.text[:40]!r} overlaps {b.text[:40]!r}"
    if n > 4:
        assert f"{n - 4} more on the following slides." in pages[0].text
    with Image.open(io.BytesIO(images.render(group.images[0], "png"))) as im:
        grey = im.convert("L")
        for box in (
            (0, 0, images.MARGIN - 8, images.HEIGHT),
            (images.WIDTH - images.MARGIN + 8, 0, images.WIDTH, images.HEIGHT),
        ):
            assert grey.crop(box).getextrema()[0] > 200, box
