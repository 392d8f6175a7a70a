"""The corrections log as an Atom feed (corrections.xml), so readers can follow corrections.

Pure: the build context in, the feed's bytes out. Ids and links are the address map's absolute
addresses, as Atom requires; dates are the log's.
"""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from trialsite import wording
from trialsite.context import BuildContext
from trialsite.urls import CORRECTIONS, FEED

FEED_TITLE = "Corrections: A041703 Cohort 1 reported results"


def _day(date: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(date), dt.time(0, 0), tzinfo=dt.UTC)


def corrections_feed(ctx: BuildContext) -> dict[str, str | bytes]:
    """{'corrections.xml': Atom}: newest entry first; valid (id, title, updated, author) when empty."""
    data, urls = ctx.data, ctx.urls
    page = urls.page_absolute(CORRECTIONS)
    fg = FeedGenerator()
    fg.id(page)
    fg.title(FEED_TITLE)
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
        entry.id(link)
        entry.title(f"{c.date}: {wording.correction_subject(data, c)} corrected")
        entry.link(href=link, rel="alternate", type="text/html")
        entry.updated(_day(c.date))
        entry.published(_day(c.date))
        source = data.source(c.cite.source)
        entry.summary(
            f"{wording.correction_subject(data, c)}: previously {wording.correction_value_text(data, c)}, "
            f"corrected to {wording.correction_value_text(data, c, 'new')}. Reason: {c.reason} "
            f"Source: {wording.source_short(source)}, {c.cite.locator}."
        )
    return {FEED: fg.atom_str(pretty=True)}
