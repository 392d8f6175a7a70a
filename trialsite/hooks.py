"""MkDocs hook: the only bridge between our model and MkDocs (registered under `hooks:` in mkdocs.yml).

It loads and checks data/ once per build, adds the generated pages as virtual files, resolves figure
references in hand-written pages, and points each generated page's edit link at the YAML it came from.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from trialsite import metadata
from trialsite.artifacts import generate_all
from trialsite.datacache import load_dataset_once as load_dataset
from trialsite.kit_files import KitCache
from trialsite.model import Dataset
from trialsite.problems import DataError
from trialsite.refs import Ref, find_refs, substitute
from trialsite.render import (
    CITE,
    CORRECTIONS,
    GENERATED_PAGES,
    GLOSSARY,
    SOURCES,
    Renderer,
    page_url,
)
from trialsite.siteinfo import with_site_config

_state: dict[str, Any] = {}


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _data() -> Dataset:
    return _state["data"]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = _root(config)
    try:
        data = load_dataset(root / "data", root)
    except DataError as exc:
        raise PluginError("Data problems:\n" + exc.report()) from None
    # The site's title and address live in mkdocs.yml; citations, the feed and permalinks read them here.
    data = with_site_config(data, config.site_name, config.site_url)
    site_url = data.site_url
    _state.update(data=data, renderer=Renderer(data, site_url=site_url), root=root, site_url=site_url)
    return config


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """The site's version and date for the footer (overrides/partials/copyright.html)."""
    release = _data().release
    if release is not None:
        env.globals["trialsite_release"] = {"version": release.version, "date": release.date}
    return env


def _data_files(data: Dataset) -> dict[str, str]:
    """Which data file holds what each generated page shows: the target of its edit link."""
    study_file = data.studies[0].data_file if data.studies else "data"
    owners = {src: study_file for src in GENERATED_PAGES}
    owners[SOURCES] = next((s.data_file for s in data.sources), "data/sources.yaml")
    owners[GLOSSARY] = "data/glossary.yaml"
    owners[CITE] = owners[SOURCES]
    owners[CORRECTIONS] = "data/corrections.yaml"
    return owners


class _LinkedFile(File):
    """A drawing from the kit cache, hard-linked into the site rather than copied: the same bytes
    without writing them again (copying was a tenth of a 100-study build). Cache files are never
    changed in place (kit_files writes a new file and renames it) and are read-only, so the link
    cannot be changed through the site either. Another file system, or no hard links: a copy."""

    def copy_file(self, dirty: bool = False) -> None:
        assert self.abs_src_path is not None
        dest = self.abs_dest_path
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            if os.path.lexists(dest):
                os.remove(dest)
            os.link(self.abs_src_path, dest)
        except OSError:
            super().copy_file(dirty)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    renderer: Renderer = _state["renderer"]
    for src in GENERATED_PAGES:
        existing = files.get_file_from_path(src)
        if existing is not None:
            raise PluginError(f"docs/{src}: this page is generated from data/; remove the hand-written file")
        files.append(File.generated(config, src, content=renderer.page(src)))
    # Drawn images are kept in .cache/kit/ (ignored by git), keyed by what they show.
    cache = KitCache(_state["root"] / ".cache" / "kit")
    for path, content in generate_all(_data(), site_url=_state["site_url"], cache=cache).items():
        if isinstance(content, Path):
            files.append(_LinkedFile.generated(config, path, abs_src_path=str(content)))
        else:
            files.append(File.generated(config, path, content=content))
    # Publish the data files themselves, so readers can see exactly what the site is built from.
    root: Path = _state["root"]
    for path in sorted((root / "data").rglob("*.y*ml")):
        rel = path.relative_to(root).as_posix()
        files.append(File.generated(config, rel, abs_src_path=str(path)))
    _state["has_preview"] = files.get_file_from_path(metadata.PREVIEW_IMAGE) is not None
    return files


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Citation, preview and structured-data tags for <head> (written by overrides/main.html)."""
    page.meta["trialsite_head"] = metadata.head(
        _data(),
        page.file.src_uri,
        page.title or "",
        page.meta.get("description") or config.site_description,
        page.canonical_url,
        _state.get("has_preview", False),
    )
    return context


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    renderer: Renderer = _state["renderer"]
    data = _data()
    src = page.file.src_uri
    # Only hand-written pages hold references: in a generated page, '[[...]]' is data text shown as is.
    text = "" if page.file.generated_by else markdown
    refs, problems = find_refs(text, f"{Path(config.docs_dir).name}/{src}", data)
    if problems:
        raise PluginError("Unresolved figure references:\n" + "\n".join(str(p) for p in problems))

    def replace(ref: Ref) -> str:
        if ref.kind == "key-results":
            return renderer.key_results(src)
        if ref.kind == "source":
            return renderer.source_inline(ref.target)
        return renderer.figure_inline(data.figure(ref.target), ref.form)

    owner = _data_files(data).get(src)
    if owner:
        page.edit_url = _edit_url(config, src, owner)
    return substitute(markdown, refs, replace) + "\n\n" + renderer.abbreviations() + "\n"


def _edit_url(config: MkDocsConfig, page_src: str, data_file: str) -> str:
    """The repository's edit link for the data file when a repository is configured; else the copy
    of the data file published with the site."""
    if config.repo_url and config.edit_uri:
        # edit_uri points into docs/ ("edit/main/docs/"); the data file sits beside docs/.
        docs_name = Path(config.docs_dir).name
        base = config.edit_uri.rstrip("/").removesuffix(docs_name)
        return urljoin(config.repo_url.rstrip("/") + "/", base + data_file)
    depth = page_url(page_src).count("/")
    return posixpath.join(*([".."] * depth), data_file) if depth else data_file
