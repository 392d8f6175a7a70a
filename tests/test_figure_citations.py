"""The texts a presenter copies for one figure (trialsite/outputs/figure_cite.py), checked rule by rule
as test_styles.py checks the Cite page's: an APA 7, an AMA 11 and a Vancouver reference to the
figure's page in this version, and a slide credit of at most 120 characters."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from citehelpers import PUBLIC_URL, public_context, site_context

from trialsite.outputs.figure_cite import (
    CREDIT_MAX,
    figure_references,
    for_figure,
    slide_credit,
)
from trialsite.outputs.styles import long_date, nlm_date
from trialsite.words.titles import sentence_case
from trialsite.words.values import value_text


@pytest.fixture(scope="module")
def ctx():  # type: ignore[no-untyped-def]
    return public_context()


def figure_ids(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.id for s in ctx.data.studies for f in s.figures]


def page_url(ctx, fid: str) -> str:  # type: ignore[no-untyped-def]
    return f"{PUBLIC_URL}{ctx.site.version}/figures/{fid}/"


def test_every_text_names_the_version_s_own_page_never_latest(ctx) -> None:  # type: ignore[no-untyped-def]
    for fid in figure_ids(ctx):
        c = for_figure(ctx, fid)
        assert c.url == page_url(ctx, fid)
        for style, ref in figure_references(c).items():
            assert ref.endswith(page_url(ctx, fid)), style  # no period after the URL (APA 9.35, AMA 3.15.1)
            assert "latest/" not in ref and "et al" not in ref, style


def test_apa_figure_reference(ctx) -> None:  # type: ignore[no-untyped-def]
    """APA 10.9 and 9.21: group author (the publisher), (Year), title in sentence case and italic,
    (Version x), [Data set figure], the site, the URL; no retrieval date (a fixed version's address)."""
    site = ctx.site
    for fid in figure_ids(ctx):
        f = ctx.data.figure(fid)
        c = for_figure(ctx, fid)
        ref = figure_references(c)["apa"]
        title = sentence_case(f.label, subtitle_capital=True)
        assert ref == (
            f"{site.publisher}. ({site.released[:4]}). {title} (Version {site.version}) [Data set figure]. "
            f"{site.title}. {page_url(ctx, fid)}"
        )
        assert f"<i>{title}</i>" in figure_references(c, as_html=True)["apa"]
        assert "Retrieved" not in ref


def test_ama_figure_reference(ctx) -> None:  # type: ignore[no-untyped-def]
    """AMA 3.15.1 (website): title, website, version, 'Published Month Day, Year.', 'Accessed ...', URL."""
    site = ctx.site
    for fid in figure_ids(ctx):
        f = ctx.data.figure(fid)
        ref = figure_references(for_figure(ctx, fid))["ama"]
        assert ref == (
            f"{sentence_case(f.label)}. {site.title}. Version {site.version}. "
            f"Published {long_date(site.released)}. Accessed Month Day, Year. {page_url(ctx, fid)}"
        )
        assert re.search(r"Published [A-Z][a-z]+ \d{1,2}, \d{4}\. ", ref)


def test_vancouver_figure_reference(ctx) -> None:  # type: ignore[no-untyped-def]
    """Citing Medicine ch. 25 (part of a Web site): the site [Internet], version, publisher; date,
    then the part's title; [cited date], 'Available from:' URL."""
    site = ctx.site
    for fid in figure_ids(ctx):
        f = ctx.data.figure(fid)
        ref = figure_references(for_figure(ctx, fid))["vancouver"]
        assert ref == (
            f"{site.title} [Internet]. Version {site.version}. {site.publisher}; {nlm_date(site.released)}. "
            f"{sentence_case(f.label)}; [cited YYYY Mon DD]. Available from: {page_url(ctx, fid)}"
        )
        assert re.search(r"; \d{4} [A-Z][a-z]{2} \d{1,2}\. ", ref)  # the NLM date form


def test_a_preview_cites_no_address(ctx) -> None:  # type: ignore[no-untyped-def]
    preview = site_context()
    c = for_figure(preview, "remission")
    assert c.url is None
    for style, ref in figure_references(c).items():
        assert "http" not in ref and "127.0.0.1" not in ref, style


def test_slide_credit_names_figure_value_source_site_and_version(ctx) -> None:  # type: ignore[no-untyped-def]
    for fid in figure_ids(ctx):
        f = ctx.data.figure(fid)
        c = for_figure(ctx, fid)
        credit = slide_credit(c)
        assert len(credit) <= CREDIT_MAX, credit
        assert f"{value_text(f)}." in credit and credit.endswith(f", v{ctx.site.version}")
        if len(f"{f.label}: {c.value}. {c.source}. {c.site_title}, v{c.version}") <= CREDIT_MAX:
            assert credit.startswith(f"{f.label}: ") and c.source in credit and c.site_title in credit


def test_slide_credit_shortens_long_names_never_the_value_or_version(ctx) -> None:  # type: ignore[no-untyped-def]
    c = for_figure(ctx, "remission")
    long = replace(
        c, label="A " * 80 + "name", source="Source " * 30, site_title="Site " * 40, version="10.20.300"
    )
    credit = slide_credit(long)
    assert len(credit) <= CREDIT_MAX and "97%." in credit and credit.endswith(", v10.20.300")
    assert slide_credit(replace(c, corrected=True)).startswith("Remission: 97% (corrected). ")
    for limit in (60, 80, 100):
        assert len(slide_credit(long, limit)) <= limit


def test_a_slide_credit_of_hostile_lengths_ends_within_its_limit() -> None:
    """Every name cut to one letter and an ellipsis can still be too long (a value of 150 digits):
    the cutting loop stopped there once, in an endless loop, when nothing shorter could be had."""
    from trialsite.outputs.figure_cite import CREDIT_MAX, FigureCitation, slide_credit

    c = FigureCitation("L" * 50, "9" * 150 + "%", True, "S" * 300, "T" * 200, "P", "1.0.0", None, None)
    assert len(slide_credit(c)) <= CREDIT_MAX
