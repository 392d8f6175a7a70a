"""The address map: every link and address the site prints is made here, from one base URL.

One `Urls` object is bound to the site's settings for a build (after datasette's `url_builder.py`).
Page URLs follow MkDocs' own rule (`File.url`), relative links MkDocs' own `get_relative_url`, and
this is the only module that joins the public address with a path.

The published site keeps every version at its own folder under the public address, with `latest`
following the newest (`make deploy`, with mike): https://example.org/a041703/0.1.0/results/ and
https://example.org/a041703/latest/results/. A headline permalink names `latest`; a citation of a
version names the version's own folder. A build with no public address, or a loopback one
(`mkdocs serve`), is a preview: it prints no absolute address at all.
"""

from __future__ import annotations

import functools
import ipaddress
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

# The sources of the pages other pages link to. The list of generated pages is pages.registry.
HOME = "index.md"
RESULTS = "results.md"
DESIGN = "design.md"
SOURCES = "sources.md"
GLOSSARY = "glossary.md"
CITE = "cite.md"
CORRECTIONS = "corrections.md"
KIT = "kit.md"
ABOUT = "about.md"
CORRECTION_HOWTO = "reporting-and-correcting-an-error"  # the heading on About that says how
FIGURES_DIR = "figures"  # one generated page per figure: figures/<id>/
# Names a figure id may not take: they are, or will be, pages of the figures/ folder itself.
RESERVED_FIGURE_IDS = frozenset({"index"})

# Files the site publishes besides pages, as site paths.
FEED = "corrections.xml"
KIT_DIR = "kit"
CITE_DIR = "cite"
FIGURES_CSV = "downloads/figures.csv"
FIGURES_JSON = "downloads/figures.json"
DATAPACKAGE = "downloads/datapackage.json"  # the downloads' data contract (Frictionless Data Package)
FIGURES_SCHEMA = "downloads/figures.schema.json"  # JSON Schema of figures.json
REPORTS_CSV = "downloads/reports.csv"
CITATION_FORMATS = ("bib", "ris", "json")
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
# The folder (mike's alias) that always holds the newest published version.
LATEST = "latest"


def is_loopback_host(host: str | None) -> bool:
    """localhost, *.localhost (RFC 6761), 127.0.0.0/8, ::1 (and 0.0.0.0, which serves no one else)."""
    name = (host or "").strip("[]").rstrip(".").lower()
    if not name:
        return True
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or ip.is_unspecified or bool(mapped and mapped.is_loopback)


def is_preview_address(site_url: str | None) -> bool:
    """No address, or one only this machine can reach: the build is a preview, never published."""
    if not site_url:
        return True
    try:
        return is_loopback_host(urlsplit(site_url).hostname)
    except ValueError:
        return True


def figure_src(figure_id: str) -> str:
    """The source path of a figure's own page: 'figures/remission.md' -> 'figures/remission/'."""
    return f"{FIGURES_DIR}/{figure_id}.md"


def figure_files(figure_id: str) -> dict[str, str]:
    """Where one figure's own rows of the downloads are published: format -> site path."""
    return {fmt: f"downloads/figures/{figure_id}.{fmt}" for fmt in ("csv", "json")}


def figure_citation_files(figure_id: str) -> dict[str, str]:
    """Where one figure's reference-manager files are published, beside its page: format -> path."""
    return {fmt: f"{FIGURES_DIR}/{figure_id}/{figure_id}.{fmt}" for fmt in ("ris", "bib")}


def key_results_name(study_id: str) -> str:
    """The file stem of a study's key-results image and slide deck under kit/: one of each per study."""
    return f"{study_id}-key-results"


def key_results_file(study_id: str, suffix: str) -> str:
    """A study's key-results image ('svg', 'png') or slide deck ('pptx'), as a site path."""
    return f"{KIT_DIR}/{key_results_name(study_id)}.{suffix}"


def preview_image(study_ids: Sequence[str]) -> str | None:
    """The preview image of every page (og:image): the first study's key-results PNG."""
    return key_results_file(study_ids[0], "png") if study_ids else None


@functools.cache
def _page_url(src: str, use_directory_urls: bool) -> str:
    url = File(src, None, "", use_directory_urls).url
    return "" if url == "./" else url


def _anchored(path: str, anchor: str) -> str:
    return f"{path}#{anchor}" if anchor else path


@dataclass(frozen=True)
class Urls:
    """Addresses for one build. `site_url` is the address as configured ('' when none is set);
    `current_version` the version this build shows (data/site.yaml). In a preview (no address, or
    a loopback one) no absolute address exists: `latest` and `version` give None, `absolute` falls
    back to the site-relative path."""

    site_url: str = ""
    use_directory_urls: bool = True
    repo_url: str | None = None
    edit_uri: str | None = None
    docs_dir: str = "docs"
    current_version: str | None = None

    # --- pages -------------------------------------------------------------------------------

    def page(self, src: str) -> str:
        """A page's URL path relative to the site's root: 'results.md' -> 'results/', home ''."""
        return _page_url(src, self.use_directory_urls)

    def href(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """A relative link from one page to another, for HTML that MkDocs does not rewrite."""
        here = self.page(from_src) or "./"
        return _anchored(get_relative_url(self.page(to_src) or "./", here), anchor)

    def file_href(self, from_src: str, path: str) -> str:
        """A relative link from a page to a published file such as 'kit/remission.svg'."""
        base = posixpath.dirname(from_src) if not self.use_directory_urls else self.page(from_src)
        return posixpath.relpath(path, base or ".")

    def md_link(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """A link in Markdown, to the target page's source (MkDocs checks and rewrites it)."""
        return _anchored(posixpath.relpath(to_src, posixpath.dirname(from_src) or "."), anchor)

    def md_file(self, from_src: str, path: str) -> str:
        """A link in Markdown to a published file, relative to the page's source."""
        return posixpath.relpath(path, posixpath.dirname(from_src) or ".")

    # --- the public address --------------------------------------------------------------------

    @property
    def is_preview(self) -> bool:
        return is_preview_address(self.site_url)

    @property
    def root(self) -> str | None:
        """The public address that holds every version's folder, ending in '/'; None in a preview."""
        if self.is_preview:
            return None
        return self.site_url.rstrip("/") + "/"

    def publication_problem(self, command: str) -> str | None:
        """Why this address cannot be published to, as one line for people; None if it can."""
        if self.is_preview:
            what = f"the address {self.site_url} is loopback" if self.site_url else "no public address is set"
            what += " (site_url in mkdocs.yml, or SITE_URL), so this is a preview"
        elif urlsplit(self.site_url).scheme != "https":
            what = f"the address {self.site_url} (site_url in mkdocs.yml, or SITE_URL) is not https"
        else:
            return None
        return (
            f"{what}; expected the public https address: SITE_URL=https://HOST/PATH/ {command}, "
            "or site_url in mkdocs.yml"
        )

    def version(self, version: str, path: str = "") -> str | None:
        """A site path in one published version's own folder: where a citation of it points."""
        root = self.root
        return f"{root}{version}/{path}" if root else None

    def latest(self, path: str = "") -> str | None:
        """A site path in the newest version (the `latest` folder): where a headline permalink points."""
        return self.version(LATEST, path)

    def this_version(self, path: str = "") -> str | None:
        """A site path in the version this build shows."""
        return self.version(self.current_version, path) if self.current_version else self.latest(path)

    def sitemap(self) -> str | None:
        """The sitemap `make deploy` writes beside the version folders."""
        root = self.root
        return f"{root}{SITEMAP}" if root else None

    # --- absolute addresses ------------------------------------------------------------------

    def absolute(self, path: str = "") -> str:
        """A site path on the published site (in `latest`); the path itself in a preview."""
        return self.latest(path) or path

    def page_absolute(self, src: str, anchor: str = "") -> str:
        return self.absolute(_anchored(self.page(src), anchor))

    def page_public(self, src: str, anchor: str = "") -> str | None:
        """A page's public address in `latest`; None in a preview (for outputs that leave it out)."""
        return self.latest(_anchored(self.page(src), anchor))

    # --- what the site addresses ---------------------------------------------------------------

    def figure(self, figure_id: str) -> str:
        """A figure's permanent address: its row on the Results page."""
        return self.page_absolute(RESULTS, figure_id)

    def figure_page(self, figure_id: str) -> str:
        """A figure's own page (everything about it), on the published site or as a site path."""
        return self.page_absolute(figure_src(figure_id))

    def figure_public(self, figure_id: str) -> str | None:
        """The same, or None in a preview, for what is printed or copied (images, citations)."""
        return self.page_public(RESULTS, figure_id)

    def source(self, source_id: str) -> str:
        return self.page_absolute(SOURCES, source_id)

    def correction(self, entry_id: str) -> str:
        """A correction's entry on the Corrections page."""
        return self.page_absolute(CORRECTIONS, entry_id)

    def correction_in_version(self, entry_id: str) -> str:
        """A correction's entry on this version's own Corrections page: what an image or a download
        drawn for this version names (the entry is there, and the page stays as it was cited)."""
        path = _anchored(self.page(CORRECTIONS), entry_id)
        return self.this_version(path) or path

    def citation_files(self, study_id: str) -> dict[str, str]:
        """Where a study's citation downloads are published: format -> site path."""
        return {fmt: f"{CITE_DIR}/{study_id}.{fmt}" for fmt in CITATION_FORMATS}

    def report_citation_files(self, study_id: str) -> dict[str, str]:
        """Where a study's citations of its other reports (abstract, news, review) are published."""
        return {fmt: f"{CITE_DIR}/{study_id}-other-reports.{fmt}" for fmt in CITATION_FORMATS}

    def figure_citation_files(self, figure_id: str) -> dict[str, str]:
        return figure_citation_files(figure_id)

    def kit_file(self, name: str) -> str:
        return f"{KIT_DIR}/{name}"

    def data_file(self, page_src: str, data_file: str) -> str:
        """A link, in a page's Markdown, to a data file: in the repository when one is configured
        (to edit it), else the copy published with the site."""
        if self.repo_url and self.edit_uri:
            # edit_uri points into docs/ ("edit/main/docs/"); the data file sits beside docs/.
            base = self.edit_uri.rstrip("/").removesuffix(self.docs_dir)
            return f"{self.repo_url.rstrip('/')}/{base.lstrip('/')}{data_file}"
        return self.md_file(page_src, data_file)
