"""The corrections log as an Atom feed (corrections.xml), so readers can follow corrections.

Pure: the build context in, the feed's bytes out. Links are the address map's (in `latest`; relative
in a preview, which RFC 4287 allows); dates are the log's.

Ids must never change (RFC 4287 4.2.6), so they embed no host: a move to another address, or a
preview, keeps them. They are name-based UUIDs (RFC 9562 UUIDv5, `urn:uuid:`) in this project's own
namespace, named by the trials the site reports and the log entry's id. A tag: URI (RFC 4151) would
need a domain or e-mail address that the project owns, which it does not have.
"""

from __future__ import annotations

import datetime as dt
import uuid

from feedgen.feed import FeedGenerator

from trialsite.context import BuildContext
from trialsite.data.notices import is_addition
from trialsite.urls import CORRECTIONS, FEED
from trialsite.words.citing import source_short
from trialsite.words.corrections import correction_subject, correction_value_text, correction_verb

FEED_TITLE = "Corrections: A041703 Cohort 1 reported results"
# Made once with uuid4 for this project; the ids below are UUIDv5 names within it.
NAMESPACE = uuid.UUID("9b623104-9bf3-4bb4-bfc4-5f089de39b85")


def _trials(ctx: BuildContext) -> str:
    return ",".join(sorted({s.registry_id for s in ctx.data.studies}))


def feed_id(ctx: BuildContext) -> str:
    return uuid.uuid5(NAMESPACE, f"corrections-feed:{_trials(ctx)}").urn


def entry_id(ctx: BuildContext, correction_id: str) -> str:
    return uuid.uuid5(NAMESPACE, f"correction:{_trials(ctx)}:{correction_id}").urn


def rights(ctx: BuildContext) -> str | None:
    """The terms of reuse of the feed's text: the site's own licence (data/site.yaml)."""
    release = ctx.data.release
    if release is None:
        return None
    licence = release.licence
    return f"{licence.name} ({licence.id}), {licence.url}. Publisher: {release.publisher}."


def _day(date: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(date), dt.time(0, 0), tzinfo=dt.UTC)


def corrections_feed(ctx: BuildContext) -> dict[str, str | bytes]:
    """{'corrections.xml': Atom}: newest entry first; valid (id, title, updated, author) when empty."""
    data, urls = ctx.data, ctx.urls
    page = urls.page_absolute(CORRECTIONS)
    fg = FeedGenerator()
    fg.id(feed_id(ctx))
    fg.title(FEED_TITLE)
    terms = rights(ctx)
    if terms:
        fg.rights(terms)
    fg.author({"name": "The maintainers of this site"})
    fg.link(href=page, rel="alternate", type="text/html")
    fg.link(href=urls.absolute(FEED), rel="self", type="application/atom+xml")
    fg.language("en")
    fg.generator("trialsite")  # no version or URL of the feed library in the output
    dates = [c.date for c in data.corrections]
    if data.release:
        dates.append(data.release.date)
    fg.updated(_day(max(dates)) if dates else _day("1970-01-01"))
    for c in data.corrections:  # feedgen puts the last added first
        entry = fg.add_entry()
        link = urls.correction(c.id)
        entry.id(entry_id(ctx, c.id))
        entry.title(f"{c.date}: {correction_subject(data, c)} {correction_verb(c)}")
        entry.link(href=link, rel="alternate", type="text/html")
        entry.updated(_day(c.date))
        entry.published(_day(c.date))
        source = data.source(c.cite.source)
        change = (
            f"added: {correction_value_text(data, c, 'new')}"
            if is_addition(c)
            else f"previously {correction_value_text(data, c)}, "
            f"corrected to {correction_value_text(data, c, 'new')}"
        )
        entry.summary(
            f"{correction_subject(data, c)}: {change}. Reason: {c.reason} "
            f"Source: {source_short(source)}, {c.cite.locator}."
        )
    return {FEED: fg.atom_str(pretty=True)}
