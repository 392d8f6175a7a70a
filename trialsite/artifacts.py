"""Files other than pages that the site publishes (downloads, images, citation files...).

Each generator is a pure function from the dataset to {site path: content}, where content is text,
bytes, or a file to copy (a cached drawing); the hook adds every result as a generated file. A new
output format is one more generator in GENERATORS. A generator that needs more than the dataset
(the site's address, a cache) declares it as a keyword argument: `generate_all` passes it only the
context it asks for.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from trialsite.cite import citation_files
from trialsite.downloads import figure_files
from trialsite.feed import corrections_feed
from trialsite.kit_files import kit_files
from trialsite.model import Dataset

Content = str | bytes | Path
Generator = Callable[..., dict[str, Content]]

GENERATORS: list[Generator] = [citation_files, figure_files, corrections_feed, kit_files]


def generate_all(data: Dataset, **context: object) -> dict[str, Content]:
    out: dict[str, Content] = {}
    for generator in GENERATORS:
        wanted = inspect.signature(generator).parameters
        extra = {k: v for k, v in context.items() if k in wanted}
        for path, content in generator(data, **extra).items():
            if path in out:
                raise ValueError(f"two generators both write {path}")
            out[path] = content
    return out
