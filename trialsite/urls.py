"""The address map: every link and address the site prints is made here, from one base URL.

One `Urls` object is bound to the site's settings for a build (after datasette's `url_builder.py`).
Page URLs follow MkDocs' own rule (`File.url`), relative links MkDocs' own `get_relative_url`, and
this is the only module that joins the public address with a path.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

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

# Files the site publishes besides pages, as site paths.
FEED = "corrections.xml"
KIT_DIR = "kit"
CITE_DIR = "cite"
FIGURES_CSV = "downloads/figures.csv"
FIGURES_JSON = "downloads/figures.json"
CITATION_FORMATS = ("bib", "ris", "json")


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
    """Addresses for one build. `site_url` is the public address ('' when none is set: absolute
    addresses then fall back to site-relative paths)."""

    site_url: str = ""
    use_directory_urls: bool = True
    repo_url: str | None = None
    edit_uri: str | None = None
    docs_dir: str = "docs"

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

    # --- absolute addresses ------------------------------------------------------------------

    def absolute(self, path: str = "") -> str:
        """A site path on the published site; the path itself when no address is set."""
        return f"{self.site_url.rstrip('/')}/{path}" if self.site_url else path

    def page_absolute(self, src: str, anchor: str = "") -> str:
        return self.absolute(_anchored(self.page(src), anchor))

    # --- what the site addresses ---------------------------------------------------------------

    def figure(self, figure_id: str) -> str:
        """A figure's permanent address: its row on the Results page."""
        return self.page_absolute(RESULTS, figure_id)

    def source(self, source_id: str) -> str:
        return self.page_absolute(SOURCES, source_id)

    def correction(self, entry_id: str) -> str:
        """A correction's entry on the Corrections page."""
        return self.page_absolute(CORRECTIONS, entry_id)

    def citation_files(self, study_id: str) -> dict[str, str]:
        """Where a study's citation downloads are published: format -> site path."""
        return {fmt: f"{CITE_DIR}/{study_id}.{fmt}" for fmt in CITATION_FORMATS}

    def kit_file(self, name: str) -> str:
        return f"{KIT_DIR}/{name}"

    def edit(self, page_src: str, data_file: str) -> str:
        """The edit link of a generated page: the data file in the repository when one is configured,
        else the copy of the data file published with the site."""
        if self.repo_url and self.edit_uri:
            # edit_uri points into docs/ ("edit/main/docs/"); the data file sits beside docs/.
            base = self.edit_uri.rstrip("/").removesuffix(self.docs_dir)
            return f"{self.repo_url.rstrip('/')}/{base.lstrip('/')}{data_file}"
        return self.file_href(page_src, data_file)
