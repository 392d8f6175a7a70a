"""Reader pages speak to readers: plain words where they land, honest limits, only what a source
states (no derived counts, "not applicable" where a kind of source has no such field), a picture of
the trial, tooltips on the words beside the numbers, and who funds the study and what the authors
disclose. Measured on the built HTML, as a reader gets it."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import textstat
from citehelpers import site_context
from htmlscan import Element, parse_page

from trialsite.outputs.kit.schema import schema_spec
from trialsite.words.citing import FIELDS_OF_KIND, applies, source_short

ROOT = Path(__file__).resolve().parent.parent

# Patient material aims at grade 6 to 8 (Flesch-Kincaid); the Home introduction and each headline
# card's explanation must reach 8 or lower.
MAX_GRADE = 8.0


@pytest.fixture(scope="module")
def ctx():
    return site_context()


def _words(element: Element) -> str:
    return " ".join(html.unescape(element.text()).split())


def _home(built_site: Path) -> Element:
    return parse_page(built_site / "index.html")


def _introduction(page: Element) -> str:
    """The paragraphs between the page's title and its first section heading, as rendered."""
    article = page.find_all("article")[0]
    paragraphs: list[str] = []
    started = False
    for el in article.iter():
        if el.tag == "h1":
            started = True
        elif el.tag == "h2" and started:
            break
        elif el.tag == "p" and started:
            paragraphs.append(_words(el))
    assert paragraphs, "no introduction found"
    return " ".join(paragraphs)


def test_the_home_introduction_reads_at_grade_8_or_lower(built_site: Path) -> None:
    text = _introduction(_home(built_site))
    assert len(text.split()) > 60  # the whole introduction, not a fragment
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, (grade, text)


def test_each_headline_card_explains_itself_at_grade_8_or_lower(built_site: Path, ctx) -> None:
    page = _home(built_site)
    headline = [f for s in ctx.data.studies for f in s.figures if f.headline]
    for figure in headline:
        card = page.by_id(figure.id)
        assert card is not None and card.tag == "article"
        measures = next(e for e in card.iter() if e.has_class("figure-card__measures"))
        text = _words(measures)
        assert text == " ".join(figure.measures.split())
        assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, (figure.id, text)


def test_the_words_beside_the_big_numbers_have_tooltips(built_site: Path, ctx) -> None:
    page = _home(built_site)
    terms = {m: t.definition for t in ctx.data.terms for m in t.matches}
    glossed = {_words(a): a.attrs.get("title") for a in page.find_all("abbr")}
    for word in ("Remission", "relapse-free", "Alive at one year"):
        assert word in glossed, word
        assert glossed[word] == " ".join(terms[word].split())
    focusable = [a for a in page.find_all("abbr") if a.attrs.get("tabindex") == "0"]
    assert {_words(a) for a in focusable} >= {"Remission", "relapse-free"}


def test_cards_carry_a_compact_source_not_the_whole_locator(built_site: Path, ctx) -> None:
    page = _home(built_site)
    for figure in (f for s in ctx.data.studies for f in s.figures if f.headline):
        card = page.by_id(figure.id)
        cite = next(e for e in card.iter() if e.has_class("figure-card__cite"))  # type: ignore[union-attr]
        source = ctx.data.source(figure.cite.source)
        # Issue 20: the source's short name, not a bare "Source [2]" (which printed as the site's URL).
        assert _words(cite) == f"{source_short(source)} [{source.number_in_list}]"
        assert figure.cite.locator not in _words(card)  # one click away, on the figure's page
        assert "How this site knows it" not in _words(card) and "Also reported as" not in _words(card)
        # The heading comes before the value (a screen reader meets the name first).
        kids = [e for e in card.iter() if e.tag in ("h3", "h4") or e.has_class("figure-card__value")]
        assert kids[0].tag in ("h3", "h4"), figure.id


@pytest.mark.parametrize("page_path", ["index.html", "results/index.html"])
def test_home_and_results_say_what_the_results_cannot_tell(built_site: Path, ctx, page_path: str) -> None:
    page = parse_page(built_site / page_path)
    for study in ctx.data.studies:
        listing = page.by_id(f"limits-{study.id}")
        assert listing is not None, page_path
        items = listing.find_all("li")
        assert len(items) == len(study.limits) >= 4
        if page_path != "index.html":
            links = [a.attrs.get("href") for a in page.find_all("a")]
            assert "../#limits" in links  # each point's source and figure, one click away
        for item, limit in zip(items, study.limits, strict=True):
            text = _words(item)
            assert text.startswith(" ".join(limit.text.split()))
            if limit.cite is None:
                assert "(general explanation)" in text
            elif page_path == "index.html":  # Results repeats the points, linking to these
                number = ctx.data.source(limit.cite.source).number_in_list
                assert f"Source [{number}]" in text
            if limit.figure and page_path == "index.html":
                figure = ctx.data.figure(limit.figure)
                assert f"{figure.label}:" in text


def test_no_page_shows_a_count_no_source_states(built_site: Path, ctx) -> None:
    for page in built_site.rglob("*.html"):
        assert "derived by this site" not in page.read_text("utf-8"), page
    for figure in ctx.data.figures_by_id.values():
        assert figure.derived is None or figure.denominator_figure is None, figure.id


def _field_table(page: Element, source_id: str) -> dict[str, str]:
    """The Field | Value table under a source's heading on the Sources page."""
    seen = False
    for el in page.iter():
        if el.tag == "h2" and el.attrs.get("id") == source_id:
            seen = True
        elif seen and el.tag == "table":
            rows = {}
            for tr in el.find_all("tr"):
                cells = [_words(c) for c in tr.children if isinstance(c, Element) and c.tag in ("td", "th")]
                if len(cells) == 2:
                    rows[cells[0]] = cells[1]
            return rows
    raise AssertionError(f"no table for {source_id}")


# Rows of a source's table on the Sources page, and the field of the data each shows as written.
_AS_WRITTEN = {"DOI": "doi", "Volume": "volume", "Issue": "issue", "Pages": "pages", "Number": "number"}
_ROWS = {**_AS_WRITTEN, "Title": "title", "Date": "issued", "Address": "url"}


def test_fields_a_kind_of_source_does_not_have_are_not_shown(built_site: Path, ctx) -> None:
    """And every field the data holds is shown: a kind's missing fields are left out (issue 20; they
    read "not applicable" before), a field it has but no text states is "not reported"."""
    page = parse_page(built_site / "sources/index.html")
    kinds = {s.kind for s in ctx.data.sources}
    assert {"journal-article", "news-release", "registry-record", "conference-abstract"} <= kinds
    for source in ctx.data.sources:
        table = _field_table(page, source.id)
        for row, name in _ROWS.items():
            value = getattr(source, name)
            if not applies(source, name):
                assert value is None, f"{source.id}: the data holds a {name} its kind does not have"
                assert row not in table, (source.id, row)
            elif value is None:
                assert table[row] == "not reported", (source.id, row)
            else:
                assert table[row] != "not applicable", (source.id, row)
                if row in _AS_WRITTEN:
                    assert table[row] == value, (source.id, row)


def test_every_kind_of_source_says_which_fields_it_has() -> None:
    """A kind the schema allows but the wording does not know would show every field as missing."""
    schema = json.loads((ROOT / "trialsite/data/schemas/sources.schema.json").read_text("utf-8"))
    kinds = schema["$defs"]["source"]["properties"]["kind"]["enum"]
    assert set(kinds) == set(FIELDS_OF_KIND)


def test_the_trial_schema_is_on_the_design_page_and_in_the_kit(built_site: Path, ctx) -> None:
    design = parse_page(built_site / "design/index.html")
    kit = parse_page(built_site / "kit/index.html")
    for study in ctx.data.studies:
        spec = schema_spec(ctx, study)
        images = [i for i in design.find_all("img") if i.attrs.get("src", "").endswith(f"{spec.name}.svg")]
        # Issue 20: the text alternative is short (at most 150 characters); the full description
        # stands in the caption the image names with aria-describedby.
        assert len(images) == 1 and images[0].attrs["alt"] == spec.alt
        assert len(spec.alt) <= 150
        assert any(i.attrs.get("alt") == spec.alt for i in kit.find_all("img"))
        described = design.by_id(images[0].attrs["aria-describedby"])
        assert described is not None and " ".join(spec.description.split()) in _words(described)
        for step in study.regimen_steps:
            assert step.drug in spec.alt
        assert len(spec.alt) <= 150  # the text alternative; every criterion is in the description
        assert all(c in spec.description for c in study.population_criteria)
        page = html.unescape((built_site / "design/index.html").read_text("utf-8"))
        assert spec.description in page  # shown under the picture
        svg = ET.parse(built_site / "kit" / f"{spec.name}.svg").getroot()
        drawn = " ".join("".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
        for box in spec.boxes:
            assert box.title.split()[0] in drawn
        assert (built_site / "kit" / f"{spec.name}.png").stat().st_size > 10_000


def test_funding_and_disclosures_are_on_the_design_page(built_site: Path, ctx) -> None:
    text = _words(parse_page(built_site / "design/index.html"))
    assert "Funding and disclosures" in text
    for study in ctx.data.studies:
        assert study.disclosures is not None
        for r in study.disclosures.relationships:
            assert f"{r.person}: {', '.join(r.kinds)} ({', '.join(r.companies)})" in text
        funders = {c for r in study.disclosures.relationships for c in r.companies}
        assert funders <= {"Pfizer", "Amgen"}  # the companies that support the study with grants


def test_reader_pages_hold_no_developer_furniture(built_site: Path) -> None:
    for page in ("cite", "sources", "results", "design", "glossary"):
        text = _words(parse_page(built_site / page / "index.html"))
        for word in ("trialsite/", ".py", "citeproc"):
            assert word not in text, (page, word)


def test_glossary_terms_are_never_glued_into_file_names_or_addresses(built_site: Path) -> None:
    """Issue 20: 'a041703-cohort-1.yaml' had an <abbr> round 'cohort'; a term that is only part of
    a longer token (a file name, an address, a hyphenated word) is not glossed."""
    import re

    glued = re.compile(r"[\w./-]<abbr[^>]*>[^<]*</abbr>|<abbr[^>]*>[^<]*</abbr>(?:[\w/-]|\.\w)")
    found = [
        (page.relative_to(built_site).as_posix(), m.group(0)[:80])
        for page in sorted(built_site.rglob("*.html"))
        for m in glued.finditer(page.read_text("utf-8"))
    ]
    assert found == []
    for page in sorted(built_site.rglob("*.html")):
        for code in re.findall(r"<code>.*?</code>", page.read_text("utf-8"), re.S):
            assert "<abbr" not in code, page


def test_every_plain_paragraph_on_home_reads_at_grade_8_or_lower(built_site: Path) -> None:
    """Issue 20: Home is a lay summary; each of its paragraphs of prose (not the tables and cards)
    stays at grade 8 or lower."""
    article = _home(built_site).find_all("article")[0]
    paragraphs = [_words(p) for p in article.iter() if p.tag == "p" and not p.attrs.get("class")]
    prose = [t for t in paragraphs if len(t.split()) >= 12]
    assert len(prose) >= 5
    for text in prose:
        assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text


def test_what_no_source_reports_is_said_on_home_from_the_data(built_site: Path, ctx) -> None:
    """Home's side effects say what no source held reports in the data's words (study.not_reported),
    each with a link to its group on Results, which holds that anchor."""
    notes = _home(built_site).find_all("p", **{"class": "not-reported-note"})
    expected = [(s, g, text) for s in ctx.data.studies for g, text in s.not_reported]
    assert expected, "the study declares what no source reports about side effects"
    assert len(notes) == len(expected)
    results = (built_site / "results" / "index.html").read_text("utf-8")
    for note, (study, group, text) in zip(notes, expected, strict=True):
        assert " ".join(text.split()) in _words(note)
        (link,) = note.find_all("a")
        assert link.attrs["href"] == f"results/#group-{study.id}-{group}"
        assert f'id="group-{study.id}-{group}"' in results
