"""Privacy: no page asks anything of another host (no web fonts, CDN scripts, images or analytics).

Checked twice: in a real browser, every request while each page loads must go to the local server;
and statically, no HTML file loads a resource from an absolute http(s) address. Outbound <a href>
links to sources are fine: they are followed only when a reader chooses to.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from conftest import start_material
from sitepages import site_pages

# Link relations that make the browser fetch the target by itself.
_FETCHING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "manifest",
    "dns-prefetch",
    "preconnect",
}
_LOADING_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}


def _is_remote(url: str) -> bool:
    return any(
        part.strip().lower().startswith(("http://", "https://", "//")) for part in url.split(",") if part
    )


class _RemoteLoads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        names: tuple[str, ...] = _LOADING_ATTRS.get(tag, ())
        if tag == "link" and _FETCHING_RELS & set(values.get("rel", "").lower().split()):
            names = ("href", "imagesrcset")
        for name in names:
            if _is_remote(values.get(name, "")):
                self.found.append(f"<{tag} {name}={values[name]!r}> (line {self.getpos()[0]})")


def remote_loads(html: str) -> list[str]:
    parser = _RemoteLoads()
    parser.feed(html)
    return parser.found


def test_the_static_check_sees_remote_loads() -> None:
    """The checker itself: it must catch each kind of remote load and let links and canonicals be."""
    bad = (
        '<script src="https://cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example/css">'
        '<img src="http://img.example/a.png" alt="a">'
        '<iframe src="https://video.example/"></iframe>'
    )
    assert len(remote_loads(bad)) == 4
    fine = (
        '<a href="https://doi.example/10.1/x">source</a><link rel="canonical" href="https://site.example/">'
        '<script src="../assets/x.js"></script><img src="a.png" alt="a">'
    )
    assert remote_loads(fine) == []


def test_no_html_file_loads_anything_from_another_host(built_site: Path) -> None:
    files = sorted(built_site.rglob("*.html"))
    assert files
    problems = [
        f"{f.relative_to(built_site)}: {p}" for f in files for p in remote_loads(f.read_text("utf-8"))
    ]
    assert problems == []


def test_every_page_requests_only_the_local_server(browser, server: str, built_site: Path) -> None:
    pages = site_pages(built_site)
    local = urlparse(server).netloc
    context = browser.new_context()
    foreign: list[str] = []
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    page = context.new_page()
    for path in pages:
        requested.clear()
        page.goto(server + path, wait_until="networkidle")
        start_material(page)  # the bundle, the search worker and its index come on interaction
        assert requested, f"/{path}: no request seen"
        assert any("/assets/javascripts/bundle." in u for u in requested), f"/{path}: no bundle seen"
        foreign += [
            f"/{path}: {url}"
            for url in requested
            if urlparse(url).scheme not in ("data", "blob") and urlparse(url).netloc != local
        ]
    context.close()
    assert foreign == []
