"""A change checked before it is written: the data as it would be, loaded from a scratch copy."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from trialsite.context import BuildContext, load_settings
from trialsite.data.dataset import load_layout
from trialsite.data.layout import DataLayout
from trialsite.data.model import Dataset
from trialsite.outputs.cff import citation_cff


def dataset_with(layout: DataLayout, changes: Mapping[Path, bytes | str]) -> Dataset:
    """The dataset as it would be with `changes` (files under data/), checked in a scratch copy of
    data/: the real files are written only once this passes. Raises DataError, with the same paths
    and lines as a check of the real files would give."""
    with tempfile.TemporaryDirectory(prefix="trialsite-check-") as scratch:
        copy = Path(scratch) / layout.data_dir.name
        shutil.copytree(layout.data_dir, copy, symlinks=True)
        for path, content in changes.items():
            rel = Path(path).resolve().relative_to(layout.data_dir.resolve())
            data = content.encode("utf-8") if isinstance(content, str) else content
            (copy / rel).write_bytes(data)
        return load_layout(DataLayout.of(Path(scratch), copy.name))


def citation_cff_with(layout: DataLayout, data: Dataset) -> str:
    """CITATION.cff as it will be for `data` (the site's settings from mkdocs.yml)."""
    settings = load_settings(layout.root / "mkdocs.yml")
    return citation_cff(BuildContext.make(data, settings, layout))
