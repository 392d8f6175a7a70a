"""CITATION.cff for a project: its data and its site settings, as the build would see them."""

from __future__ import annotations

from pathlib import Path

from trialsite import storage
from trialsite.context import BuildContext, load_settings
from trialsite.data.dataset import load_layout
from trialsite.data.layout import DataLayout
from trialsite.outputs.cff import CFF_FILE, citation_cff

__all__ = ["CFF_FILE", "generate", "project_context"]


def project_context(root: Path) -> BuildContext:
    """The build context of a project without building: mkdocs.yml through MkDocs, and data/."""
    settings = load_settings(root / "mkdocs.yml")
    layout = DataLayout.of(root)
    # Under the project's lock (free if the caller holds it): an interrupted write is finished or
    # rolled back before anything is read (make deploy and make citation start here).
    with storage.lock(layout.root, "a command", wait=120, sweep=[layout.data_dir]):
        return BuildContext.make(load_layout(layout), settings, layout)


def generate(root: Path) -> str:
    """The file's text (used by scripts/write_citation_cff.py, the correction command and publish)."""
    return citation_cff(project_context(root))
