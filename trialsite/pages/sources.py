"""The Sources page: every source, numbered, with what is and is not known of each."""

from __future__ import annotations

from typing import Any

from trialsite.context import BuildContext
from trialsite.data.model import Source
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import markdown_env
from trialsite.words.citing import applies, authors_short, field_text, or_not_reported, source_short

# The fields of a source's table that only some kinds of source have, in the table's order.
_FIELDS = ("title", "authors", "issued", "doi", "volume", "issue", "pages", "number")
# Every field a correction can name, each with its notice beside it.
_CORRECTABLE = (*_FIELDS, "authors_complete", "container", "url")


def _named(source: Source) -> dict[str, Any]:
    return {"short": source_short(source), "number": source.number_in_list}


def _entry(ctx: BuildContext, parts: Fragments, s: Source) -> dict[str, Any]:
    """One source's ready values: its names, each field's text and correction notice."""
    presented = ctx.data.source(s.presented_at.source) if s.presented_at else None
    return {
        "s": s,
        "short": source_short(s),
        "authors": authors_short(s),
        "nr": {n: or_not_reported(getattr(s, n)) for n in ("issued", "number", "title")},
        "applies": {n for n in _FIELDS if applies(s, n)},
        "fields": {n: field_text(s, n) for n in _FIELDS},
        "notes": {n: parts.source_correction_md(s.id, n) for n in _CORRECTABLE},
        "reports": _named(ctx.data.source(s.reports)) if s.reports else None,
        "presented": _named(presented) | {"is_self": presented.id == s.id} if presented else None,
    }


def render(ctx: BuildContext) -> str:
    parts = Fragments(ctx)
    return (
        markdown_env()
        .get_template("sources.md.j2")
        .render(sources=[_entry(ctx, parts, s) for s in ctx.data.sources])
    )
