"""MkDocs hook: the only bridge between our model and MkDocs (registered under `hooks:` in mkdocs.yml).

It loads and checks data/ once per build, adds the generated pages as virtual files, resolves figure
references in hand-written pages, and points each generated page's edit link at the YAML it came from.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from trialsite.artifacts import generate_all
from trialsite.datacache import load_dataset_once as load_dataset
from trialsite.model import Dataset
from trialsite.problems import DataError
from trialsite.refs import Ref, find_refs, substitute
from trialsite.render import GENERATED_PAGES, GLOSSARY, SOURCES, Renderer, page_url

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
    _state.update(data=data, renderer=Renderer(data), root=root)
    return config


def _data_files(data: Dataset) -> dict[str, str]:
    """Which data file holds what each generated page shows: the target of its edit link."""
    study_file = data.studies[0].data_file if data.studies else "data"
    owners = {src: study_file for src in GENERATED_PAGES}
    owners[SOURCES] = next((s.data_file for s in data.sources), "data/sources.yaml")
    owners[GLOSSARY] = "data/glossary.yaml"
    return owners


def on_files(files: Files, config: MkDocsConfig) -> Files:
    renderer: Renderer = _state["renderer"]
    for src in GENERATED_PAGES:
        existing = files.get_file_from_path(src)
        if existing is not None:
            raise PluginError(f"docs/{src}: this page is generated from data/; remove the hand-written file")
        files.append(File.generated(config, src, content=renderer.page(src)))
    for path, content in generate_all(_data()).items():
        files.append(File.generated(config, path, content=content))
    # Publish the data files themselves, so readers can see exactly what the site is built from.
    root: Path = _state["root"]
    for path in sorted((root / "data").rglob("*.y*ml")):
        rel = path.relative_to(root).as_posix()
        files.append(File.generated(config, rel, abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    renderer: Renderer = _state["renderer"]
    data = _data()
    src = page.file.src_uri
    shown = src if page.file.generated_by else f"{Path(config.docs_dir).name}/{src}"
    refs, problems = find_refs(markdown, shown, data)
    if problems:
        raise PluginError("Unresolved figure references:\n" + "\n".join(str(p) for p in problems))

    def replace(ref: Ref) -> str:
        if ref.kind == "key-results":
            return renderer.key_results(src)
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
