"""A figure to embed elsewhere, as Our World in Data does: figures/<id>/embed/ is a small standalone
card (not a Material page: inline CSS, no script, nothing from another host) with the value, the
figure's name, its context (patients, design, time point), its source and the version, linking back
to the figure's page; figures/<id>/oembed.json describes it for oEmbed 1.0 consumers, and the
figure's page offers the <iframe> to copy and links the JSON for discovery."""

from __future__ import annotations

import json
import math

from markupsafe import Markup

from trialsite.context import BuildContext
from trialsite.data.model import Figure
from trialsite.outputs.kit.spec import source_line, study_context, timepoint_phrase
from trialsite.pages.markup import html_env
from trialsite.urls import FIGURES_DIR, figure_src
from trialsite.words.corrections import correction_note
from trialsite.words.values import value_text

EMBED_DIR = "embed"
OEMBED = "oembed.json"
# The frame's width; its height is each card's own (frame_height), for the card at 300 px wide, the
# narrowest it is made for (tests/browser/test_embed.py measures every card against it).
WIDTH = 420
NARROWEST = 300
# A value longer than this is words ("Better than historical outcomes"): set smaller than a number.
SHORT_VALUE = 14


def embed_page(figure_id: str) -> str:
    """The embed card's address in a version's folder: 'figures/remission/embed/'."""
    return f"{FIGURES_DIR}/{figure_id}/{EMBED_DIR}/"


def oembed_file(figure_id: str) -> str:
    return f"{FIGURES_DIR}/{figure_id}/{OEMBED}"


def _address(ctx: BuildContext, path: str) -> str:
    """In this version's own folder (never latest/); the site path itself in a preview."""
    return ctx.urls.this_version(path) or path


def _lines(text: str, font_px: float, width: float, bold: bool) -> int:
    """Lines a text takes in the card: an average glyph width of 0.6 em, 0.7 em in bold (wide fonts
    such as DejaVu Sans included; a line left short by a long word is rare in these texts)."""
    return max(1, math.ceil(len(text) * font_px * (0.7 if bold else 0.6) / width))


def frame_height(ctx: BuildContext, figure: Figure) -> int:
    """The frame's height in CSS px: the card's text laid out at NARROWEST px, as the template sets
    it (font sizes, line heights, margins), rounded up to 10 px."""
    site = ctx.site
    inner = NARROWEST - 2 * 16 - 2  # padding and border
    value = value_text(figure)
    big = len(value) <= SHORT_VALUE
    blocks = [  # (text, font px, line height, margin below, bold)
        (figure.label, 16.8, 1.4, 3.2, True),
        (value, 38.4 if big else 22.4, 1.1 if big else 1.2, 4.8, True),
        (context_line(ctx, figure), 13.6, 1.4, 7.2, False),
        (source_line([figure.cite], ctx.data), 13.6, 1.4, 7.2, False),
        (f"{site.title}, version {site.version} ({site.released})" if site else "", 13.6, 1.4, 7.2, False),
        ("Every detail of this figure · see the current value", 14.4, 1.4, 8, False),
    ]
    height = 2 * 14 + 2 + sum(_lines(t, px, inner, b) * px * lh + m for t, px, lh, m, b in blocks if t)
    return int(math.ceil(height / 10) * 10)


def iframe(ctx: BuildContext, figure: Figure) -> Markup:
    """The <iframe> a presenter or blogger pastes: this version's card, titled for screen readers."""
    site = ctx.site
    return Markup(
        html_env()
        .get_template("figure-iframe.html.j2")
        .render(
            src=_address(ctx, embed_page(figure.id)),
            title=f"{figure.label}: {value_text(figure)} ({site.title if site else ''})".replace(" ()", ""),
            width=WIDTH,
            height=frame_height(ctx, figure),
        )
    ).strip()


def context_line(ctx: BuildContext, figure: Figure) -> str:
    """'33 patients treated; one group, no comparison group; time point: 1 year' from the data."""
    study = ctx.study_of(figure.id)
    parts = [study_context(study), timepoint_phrase(figure)]
    text = "; ".join(p for p in parts if p)
    return text[:1].upper() + text[1:]


def render_embed(ctx: BuildContext, figure: Figure) -> str:
    urls, site = ctx.urls, ctx.site
    study = ctx.study_of(figure.id)
    page = urls.this_version(urls.page(figure_src(figure.id)))
    current = urls.latest(urls.page(figure_src(figure.id)))
    return (
        html_env()
        .get_template("figure-embed.html.j2")
        .render(
            f=figure,
            study=study,
            value=value_text(figure),
            words=len(value_text(figure)) > SHORT_VALUE,
            corrected=correction_note(ctx.data, figure.id) is not None,
            context=context_line(ctx, figure),
            source=source_line([figure.cite], ctx.data),
            site=site,
            # The card sits in this version's folder: '../' is the figure's page of this version.
            page=page or "../",
            canonical=page,
            current=current if current and current != page else None,
        )
    )


def oembed(ctx: BuildContext, figure: Figure) -> str:
    """oEmbed 1.0 (oembed.com, 2.3.4): a 'rich' response whose html is the iframe."""
    site = ctx.site
    doc = {
        "version": "1.0",
        "type": "rich",
        "title": f"{figure.label}: {value_text(figure)}",
        "provider_name": site.title if site else "",
        "provider_url": ctx.urls.this_version("") or "",
        "html": str(iframe(ctx, figure)),
        "width": WIDTH,
        "height": frame_height(ctx, figure),
    }
    return json.dumps({k: v for k, v in doc.items() if v != ""}, ensure_ascii=False, indent=2) + "\n"


def embed_files(ctx: BuildContext) -> dict[str, str]:
    """{site path: text}: each figure's card and its oEmbed description."""
    out: dict[str, str] = {}
    for study in ctx.data.studies:
        for f in study.figures:
            out[f"{embed_page(f.id)}index.html"] = render_embed(ctx, f)
            out[oembed_file(f.id)] = oembed(ctx, f)
    return out
