"""Which pages a built site has, found from the files themselves so every quality gate covers new
pages without a list to keep up to date."""

from __future__ import annotations

from pathlib import Path

EMBED_DIR = "embed"  # figures/<id>/embed/: a standalone card, not a Material page


def is_embed(rel: str) -> bool:
    return f"/{EMBED_DIR}/" in f"/{rel}"


def site_pages(site: Path) -> list[str]:
    """URL paths of every Material page under `site`, relative to its root: '', 'results/', '404.html'.

    A directory's index.html is addressed as the directory, as a web server would serve it. The
    figures' embed cards are no Material page (no theme, no search, no palette switch): they are
    `embed_pages`, checked by tests/browser/test_embed.py with the same gates that apply to them.
    """
    return [p for p in _html_pages(site) if not is_embed(p)]


def embed_pages(site: Path) -> list[str]:
    """URL paths of every figure's embed card: 'figures/remission/embed/'."""
    return [p for p in _html_pages(site) if is_embed(p)]


def _html_pages(site: Path) -> list[str]:
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
