"""robots.txt: every page may be crawled; with a public address, it names the sitemap.

The sitemap itself is written by `make deploy` beside the version folders (`sitemap_xml`), from the
published versions: a page's `lastmod` is the release date of the version that last changed it.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from trialsite.context import BuildContext
from trialsite.urls import ROBOTS, Urls


def robots_txt(urls: Urls) -> str:
    lines = ["User-agent: *", "Allow: /"]
    sitemap = urls.sitemap()
    if sitemap:
        lines.append(f"Sitemap: {sitemap}")
    return "\n".join(lines) + "\n"


def robots_files(ctx: BuildContext) -> dict[str, str]:
    """Generator for outputs.GENERATORS."""
    return {ROBOTS: robots_txt(ctx.urls)}


def sitemap_xml(pages: list[tuple[str, str]]) -> str:
    """A sitemaps.org 0.9 urlset from (absolute address, YYYY-MM-DD) pairs."""
    rows = "".join(
        f"  <url>\n    <loc>{escape(loc)}</loc>\n    <lastmod>{escape(day)}</lastmod>\n  </url>\n"
        for loc, day in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{rows}</urlset>\n"
    )
