"""Which pages a built site has, found from the files themselves so every quality gate covers new
pages without a list to keep up to date."""

from __future__ import annotations

from pathlib import Path


def site_pages(site: Path) -> list[str]:
    """URL paths of every HTML page under `site`, relative to its root: '', 'results/', '404.html'.

    A directory's index.html is addressed as the directory, as a web server would serve it.
    """
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "index.html":
            pages.append("")
        elif rel.endswith("/index.html"):
            pages.append(rel[: -len("index.html")])
        else:
            pages.append(rel)
    return pages
