"""Files other than pages that the site publishes (downloads, images, citation files...).

Each generator is a pure function from the dataset to {site path: content}; the hook adds every
result as a generated file. A new output format is one more generator in GENERATORS.
"""

from __future__ import annotations

from collections.abc import Callable

from trialsite.cite import citation_files
from trialsite.downloads import figure_files
from trialsite.feed import corrections_feed
from trialsite.model import Dataset

Generator = Callable[[Dataset], dict[str, str | bytes]]

GENERATORS: list[Generator] = [citation_files, figure_files, corrections_feed]


def generate_all(data: Dataset) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {}
    for generator in GENERATORS:
        for path, content in generator(data).items():
            if path in out:
                raise ValueError(f"two generators both write {path}")
            out[path] = content
    return out
