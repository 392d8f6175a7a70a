"""Each style's rules, one test per rule, on works made up for the test (styles.py names the rules and
where they were read). The real data's references are checked in test_cite.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from trialsite.data.model import Author
from trialsite.outputs.styles import Work, reference
from trialsite.words.titles import sentence_case

PEOPLE = tuple(Author(f"Family{i}", f"Given{i} M.", None) for i in range(1, 23))
TITLE = "Inotuzumab Ozogamicin Then Blinatumomab for Older Adults With Newly Diagnosed B-Cell ALL: Alliance Study A041703 Cohort 1 Results"  # noqa: E501
SENTENCE = "Inotuzumab ozogamicin then blinatumomab for older adults with newly diagnosed B-cell ALL: Alliance study A041703 cohort 1 results"  # noqa: E501

ARTICLE = Work(
    kind="article",
    authors=PEOPLE[:1],
    authors_complete=True,
    title=TITLE,
    proper_nouns=("Alliance",),
    container="Journal of Clinical Oncology",
    container_short="J Clin Oncol",
    issued="2025-09-30",
)


def apa(work: Work) -> str:
    return reference(work, "apa")


def ama(work: Work) -> str:
    return reference(work, "ama")


def nlm(work: Work) -> str:
    return reference(work, "vancouver")


# --- titles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "nouns", "apa_case", "expected"),
    [
        (TITLE, ("Alliance",), False, SENTENCE),
        # APA capitalises the first word after a colon; the others do not.
        ("Results in Older Adults: A Phase 2 Trial", (), True, "Results in older adults: A phase 2 trial"),
        ("Results in Older Adults: A Phase 2 Trial", (), False, "Results in older adults: a phase 2 trial"),
        # Abbreviations, words with digits and short capitals in compounds keep their capitals.
        (
            "CD22-Positive Ph-Negative T-Cell mRNA Study",
            (),
            False,
            "CD22-positive Ph-negative T-cell mRNA study",
        ),
        # A listed proper noun of several words keeps its capitals.
        ("Trials of the Wake Forest Group", ("Wake Forest",), False, "Trials of the Wake Forest group"),
    ],
)
def test_sentence_case(title: str, nouns: tuple[str, ...], apa_case: bool, expected: str) -> None:
    assert sentence_case(title, nouns, subtitle_capital=apa_case) == expected


# --- authors --------------------------------------------------------------------------------------


def test_apa_lists_up_to_20_authors_with_an_ampersand() -> None:
    """APA 7 (9.8): every author up to 20; '&' before the last."""
    out = apa(replace(ARTICLE, authors=PEOPLE[:3]))
    assert out.startswith("Family1, G. M., Family2, G. M., & Family3, G. M. (2025).")
    assert "et al" not in apa(replace(ARTICLE, authors=PEOPLE[:20]))


def test_apa_gives_19_authors_an_ellipsis_and_the_last_from_21() -> None:
    out = apa(replace(ARTICLE, authors=PEOPLE[:22]))
    assert out.startswith(
        ", ".join(f"Family{i}, G. M." for i in range(1, 20)) + ", . . . Family22, G. M. (2025)."
    )


def test_ama_names_all_up_to_6_and_3_then_et_al_above() -> None:
    """AMA 11 (3.11.1)."""
    six = ama(replace(ARTICLE, authors=PEOPLE[:6]))
    assert six.startswith(", ".join(f"Family{i} GM" for i in range(1, 7)) + ". Inotuzumab")
    seven = ama(replace(ARTICLE, authors=PEOPLE[:7]))
    assert seven.startswith("Family1 GM, Family2 GM, Family3 GM, et al. Inotuzumab")


def test_vancouver_names_6_then_et_al() -> None:
    """ICMJE/NLM: the first 6, then 'et al.'."""
    out = nlm(replace(ARTICLE, authors=PEOPLE[:7]))
    assert out.startswith(", ".join(f"Family{i} GM" for i in range(1, 7)) + ", et al. Inotuzumab")


def test_an_incomplete_list_is_marked_never_faked() -> None:
    """APA and AMA have no form for an unknown list: the known names, then a bracketed note. NLM
    (Citing Medicine box 74) allows the list cut short with 'et al.'. Never '& et al.'."""
    partial = replace(ARTICLE, authors_complete=False)
    assert apa(partial).startswith("Family1, G. M. [author list incomplete]. (2025).")
    assert ama(partial).startswith("Family1 GM [author list incomplete]. Inotuzumab")
    assert nlm(partial).startswith("Family1 GM, et al. Inotuzumab")
    for text in (apa(partial), ama(partial)):
        assert "et al" not in text and "&" not in text


def test_an_organisation_is_named_as_written() -> None:
    org = replace(ARTICLE, authors=(Author("Alliance for Clinical Trials in Oncology", organisation=True),))
    for text in (apa(org), ama(org), nlm(org)):
        assert text.startswith("Alliance for Clinical Trials in Oncology.")


def test_a_hyphenated_given_name_keeps_both_initials() -> None:
    out = apa(replace(ARTICLE, authors=(Author("Doe", "Jean-Paul", None),)))
    assert out.startswith("Doe, J.-P. (2025).")
    assert ama(replace(ARTICLE, authors=(Author("Doe", "Jean-Paul", None),))).startswith("Doe JP.")


# --- the journal article ----------------------------------------------------------------------------


def test_online_first_article_in_each_style() -> None:
    """Known: the online date, no volume, issue or pages. APA 'Advance online publication'; AMA
    'Published online Month D, YYYY'; NLM 'Epub YYYY Mon DD'. They say the same thing."""
    assert apa(ARTICLE) == (
        f"Family1, G. M. (2025). {SENTENCE}. Journal of Clinical Oncology. Advance online publication."
    )
    assert ama(ARTICLE) == f"Family1 GM. {SENTENCE}. J Clin Oncol. Published online September 30, 2025."
    assert nlm(ARTICLE) == f"Family1 GM. {SENTENCE}. J Clin Oncol. Epub 2025 Sep 30."


def test_article_in_an_issue_with_a_doi() -> None:
    """APA: 'Journal, vol(issue), pages. https://doi.org/x'; AMA 'J. Year;vol(issue):pages. doi:x';
    NLM 'J. Year;vol(issue):pages. doi:x'. No period after a DOI."""
    full = replace(ARTICLE, volume="43", issue="30", pages="3001-3010", doi="10.5555/x.1")
    assert apa(full).endswith(
        "Journal of Clinical Oncology, 43(30), 3001\u20133010. https://doi.org/10.5555/x.1"
    )
    assert ama(full).endswith("J Clin Oncol. 2025;43(30):3001-3010. doi:10.5555/x.1")
    assert nlm(full).endswith("J Clin Oncol. 2025;43(30):3001-3010. doi:10.5555/x.1")
    html = reference(full, "apa", as_html=True)
    assert "<i>Journal of Clinical Oncology</i>, <i>43</i>(30)" in html  # journal and volume italic
    assert "<i>J Clin Oncol</i>" in reference(full, "ama", as_html=True)
    assert "<i>" not in reference(full, "vancouver", as_html=True)  # NLM uses no italics


def test_html_escapes_the_data() -> None:
    hostile = replace(ARTICLE, title="<script>alert(1)</script> & more", proper_nouns=())
    html = reference(hostile, "apa", as_html=True)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; more" in html


# --- the news release -----------------------------------------------------------------------------

RELEASE = Work(
    kind="release",
    authors=(Author("Alliance for Clinical Trials in Oncology", organisation=True),),
    authors_complete=True,
    title=None,
    subject="the Alliance A041703 Cohort 1 results",
    container="EurekAlert!",
    url="https://sciencesources.eurekalert.org/news-releases/1102627",
    number="1102627",
)


def test_untitled_undated_release_in_each_style() -> None:
    """A description in square brackets stands for the unknown headline; APA '(n.d.)' and no retrieval
    date (a release is not designed to change); AMA and NLM leave the date out and keep the access
    date; no double punctuation after 'EurekAlert!'."""
    url = RELEASE.url
    assert apa(RELEASE) == (
        "Alliance for Clinical Trials in Oncology. (n.d.). [Press release on the Alliance A041703 "
        f"Cohort 1 results] (News release No. 1102627). EurekAlert! {url}"
    )
    assert ama(RELEASE) == (
        "Alliance for Clinical Trials in Oncology. [News release on the Alliance A041703 Cohort 1 "
        f"results]. EurekAlert! News release 1102627. Accessed Month Day, Year. {url}"
    )
    assert nlm(RELEASE) == (
        "Alliance for Clinical Trials in Oncology. [News release on the Alliance A041703 Cohort 1 "
        f"results] [Internet]. EurekAlert!; [cited YYYY Mon DD]. News release 1102627. Available from: {url}"
    )
    for text in (apa(RELEASE), ama(RELEASE), nlm(RELEASE)):
        assert "!." not in text


def test_titled_dated_release() -> None:
    dated = replace(RELEASE, title="Two Drugs Help Older Adults With ALL", issued="2025-09-30")
    assert apa(dated).startswith(
        "Alliance for Clinical Trials in Oncology. (2025, September 30). Two drugs help older adults with "
        "ALL (News release No. 1102627) [Press release]. EurekAlert!"
    )
    assert "EurekAlert! News release 1102627. September 30, 2025. Accessed" in ama(dated)
    assert "EurekAlert!; 2025 Sep 30 [cited YYYY Mon DD]." in nlm(dated)


def test_a_release_without_author_starts_with_its_title_in_apa() -> None:
    """APA 9.12: with no author, the title moves to the author's place, before the date."""
    anonymous = replace(RELEASE, authors=(), authors_complete=False)
    assert apa(anonymous).startswith("[Press release on the Alliance A041703 Cohort 1 results] (News release")
    assert "No. 1102627). (n.d.). EurekAlert!" in apa(anonymous)


# --- a news article on a news website --------------------------------------------------------------

NEWS = Work(
    kind="news",
    authors=(Author("Example News Staff", organisation=True),),
    authors_complete=True,
    title="Combination Regimen Helps Older Adults with ALL",
    container="Example News",
    issued="2023-06-05",
    url="https://news.example/post/combination",
)


def test_news_article_in_each_style() -> None:
    """APA 10.2: the full date, the title in italics, the site, the URL, and never 'Advance online
    publication' (a journal's phrase); AMA's website form; NLM's newspaper-on-the-Internet form."""
    assert apa(NEWS) == (
        "Example News Staff. (2023, June 5). Combination regimen helps older adults with ALL. "
        "Example News. https://news.example/post/combination"
    )
    assert "<i>Combination regimen helps older adults with ALL.</i>" in reference(NEWS, "apa", as_html=True)
    assert ama(NEWS) == (
        "Example News Staff. Combination regimen helps older adults with ALL. Example News. "
        "Published June 5, 2023. Accessed Month Day, Year. https://news.example/post/combination"
    )
    assert nlm(NEWS) == (
        "Example News Staff. Combination regimen helps older adults with ALL. Example News [Internet]. "
        "2023 Jun 5 [cited YYYY Mon DD]. Available from: https://news.example/post/combination"
    )
    undated = replace(NEWS, issued=None)
    assert "(n.d.)" in apa(undated) and "Published" not in ama(undated)


# --- the site ---------------------------------------------------------------------------------------

SITE = Work(
    kind="site",
    authors=(Author("Example Maintainers", organisation=True),),
    authors_complete=True,
    title="A041703 Cohort 1: reported results",
    publisher="Example Maintainers",
    issued="2026-11-25",
    url="https://example.org/a041703/",
    version="1.2.0",
)


def test_site_as_a_versioned_data_set_in_each_style() -> None:
    """APA 10.9 with a retrieval date (the site changes between versions), publisher left out as it is
    the author; AMA title, version, publisher; year; NLM title [Internet], version, publisher; date
    [cited]. No 'Published online', no nested brackets."""
    assert apa(SITE) == (
        "Example Maintainers. (2026). A041703 cohort 1: Reported results (Version 1.2.0) [Data set]. "
        "Retrieved Month Day, Year, from https://example.org/a041703/"
    )
    assert ama(SITE) == (
        "A041703 Cohort 1: reported results. Version 1.2.0. Example Maintainers; 2026. "
        "Accessed Month Day, Year. https://example.org/a041703/"
    )
    assert nlm(SITE) == (
        "A041703 cohort 1: reported results [Internet]. Version 1.2.0. Example Maintainers; 2026 Nov 25 "
        "[cited YYYY Mon DD]. Available from: https://example.org/a041703/"
    )
    assert "<i>A041703 cohort 1: Reported results</i>" in reference(SITE, "apa", as_html=True)
