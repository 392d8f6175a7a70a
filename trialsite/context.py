"""The build context: made once per build and passed to every page and output explicitly.

It holds the validated data, the site's own settings (read through MkDocs' config loading, never
parsed by hand) and the address map bound to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trialsite.data.layout import DataLayout
from trialsite.data.model import Dataset, Licence, Study
from trialsite.data.targets import FigureTarget
from trialsite.urls import Urls, parse_site_url
from trialsite.words.corrections import correction_notice

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@dataclass(frozen=True)
class SiteSettings:
    """What mkdocs.yml says about the site itself."""

    title: str
    url: str  # the address as configured (site_url, SITE_URL), normalised; '' when none is set
    description: str
    repo_url: str | None = None
    edit_uri: str | None = None
    docs_dir: str = "docs"
    use_directory_urls: bool = True

    @classmethod
    def from_config(cls, config: MkDocsConfig) -> SiteSettings:
        return cls(
            title=config.site_name or "",
            url=parse_site_url(config.site_url),
            description=" ".join((config.site_description or "").split()),
            repo_url=config.repo_url,
            edit_uri=config.edit_uri,
            docs_dir=Path(config.docs_dir).name,
            use_directory_urls=config.use_directory_urls,
        )


@dataclass(frozen=True)
class SiteInfo:
    """The site as a citable work: its title, the version of data/site.yaml and that version's own
    address (None in a preview), which keeps showing what was cited after later corrections."""

    title: str
    url: str | None
    version: str
    released: str
    licence: Licence
    publisher: str


@dataclass(frozen=True)
class BuildContext:
    data: Dataset
    settings: SiteSettings
    urls: Urls
    layout: DataLayout
    cache_dir: Path | None = None

    @classmethod
    def make(
        cls, data: Dataset, settings: SiteSettings, layout: DataLayout, cache_dir: Path | None = None
    ) -> BuildContext:
        urls = Urls(
            site_url=settings.url,
            use_directory_urls=settings.use_directory_urls,
            repo_url=settings.repo_url,
            edit_uri=settings.edit_uri,
            docs_dir=settings.docs_dir,
            current_version=data.release.version if data.release else None,
        )
        return cls(data=data, settings=settings, urls=urls, layout=layout, cache_dir=cache_dir)

    @property
    def site(self) -> SiteInfo | None:
        """None when data/site.yaml gives no release (the site cannot then be cited)."""
        release = self.data.release
        if release is None:
            return None
        return SiteInfo(
            self.settings.title,
            self.urls.version(release.version),
            release.version,
            release.date,
            release.licence,
            release.publisher,
        )

    def correction_url(self, figure_id: str) -> str | None:
        """The address of a corrected figure's entry on this version's Corrections page (what the kit's
        images and the downloads, drawn for this version, name); None if never corrected."""
        notice = correction_notice(self.data, FigureTarget(figure_id))
        return self.urls.correction_in_version(notice.entry_id) if notice else None

    def study_of(self, figure_id: str) -> Study:
        figure = self.data.figure(figure_id)
        return next(s for s in self.data.studies if s.id == figure.study_id)


def load_settings(config_file: Path) -> SiteSettings:
    """The site's settings from mkdocs.yml through MkDocs' own loading (its !ENV tags included)."""
    from mkdocs.config import load_config

    return SiteSettings.from_config(load_config(str(config_file)))
