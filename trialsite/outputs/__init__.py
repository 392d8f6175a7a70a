"""Files other than pages that the site publishes (downloads, images, citation files, the feed).

Each generator is a pure function from the build context to {site path: content}, where content is
text, bytes, or a file to copy (a cached drawing). A new output format is one more entry in
GENERATORS; every generator takes the same one argument.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from trialsite.context import BuildContext
from trialsite.outputs.citations import citation_files
from trialsite.outputs.downloads import figure_files
from trialsite.outputs.feed import corrections_feed
from trialsite.outputs.figure_cite import figure_citation_files
from trialsite.outputs.kit.files import kit_files
from trialsite.outputs.robots import robots_files

Content = str | bytes | Path
Generator = Callable[[BuildContext], dict[str, Content]]

GENERATORS: tuple[Generator, ...] = (
    citation_files,
    figure_citation_files,
    figure_files,
    corrections_feed,
    kit_files,
    robots_files,
)


def generate_all(ctx: BuildContext) -> dict[str, Content]:
    out: dict[str, Content] = {}
    for generator in GENERATORS:
        for path, content in generator(ctx).items():
            if path in out:
                raise ValueError(f"two generators both write {path}")
            out[path] = content
    return out
