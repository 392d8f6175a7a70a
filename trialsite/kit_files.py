"""The presentation kit as published files, remade only when what they show has changed.

`kit_files` is the generator registered in artifacts.GENERATORS. Without a cache it draws every
file (a pure function of the dataset and the site's address). The hook passes a `KitCache`: each
file is then named by a hash of its description and the renderer's version, and a later build whose
descriptions are unchanged reads the stored bytes instead of drawing again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from trialsite.kit import KIT_DIR, ImageSpec, kit_specs, slides_name
from trialsite.model import Dataset
from trialsite.render import RESULTS, Renderer

# Bump when a change to kit_images.py or kit_slides.py changes the drawing for the same inputs.
RENDERER_VERSION = "kit-3"


class KitCache:
    """A folder of drawn files keyed by content hash; `made` lists what this instance had to draw."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: list[str] = []

    def fetch(self, stem: str, suffix: str, inputs: object, make: Callable[[], bytes]) -> Path:
        """The cached file itself: the hook links it into the site, never through Python's memory."""
        key = _digest(inputs)
        path = self.folder / f"{stem}-{key}{suffix}"
        if path.is_file():
            return path
        content = make()
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(content)
        # Read-only: the site hard-links these files (hooks._LinkedFile), so they must not change.
        tmp.chmod(0o444)
        os.replace(tmp, path)  # a reader never sees half a file
        self.made.append(path.name)
        return path


@functools.cache
def _drawing_code() -> str:
    """A hash of the modules that draw, so changing how an image is drawn redraws it."""
    from trialsite import kit_images, kit_slides

    h = hashlib.sha256()
    for module in (kit_images, kit_slides):
        h.update(Path(module.__file__ or "").read_bytes())
    return h.hexdigest()


@functools.cache
def _library_versions() -> dict[str, str]:
    """Asked once per process: importlib.metadata reads the installed packages' files each time."""
    return {name: version(name) for name in ("matplotlib", "python-pptx")}


def _digest(inputs: object) -> str:
    payload = {
        "inputs": inputs,
        "renderer": RENDERER_VERSION,
        "code": _drawing_code(),
        **_library_versions(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()[:32]


def specs_for(data: Dataset, site_url: str) -> list[ImageSpec]:
    renderer = Renderer(data, site_url=site_url)
    return kit_specs(data, renderer.figure_url, renderer.absolute(RESULTS), renderer.correction_url)


def kit_files(
    data: Dataset, *, site_url: str = "", cache: KitCache | None = None
) -> dict[str, str | bytes | Path]:
    """kit/<name>.svg and .png for every image, and the slide deck: bytes, or with a cache the
    cached files."""
    from trialsite import kit_images, kit_slides

    specs = specs_for(data, site_url)
    if not specs:
        return {}

    def get(stem: str, suffix: str, inputs: object, make: Callable[[], bytes]) -> bytes | Path:
        return cache.fetch(stem, suffix, inputs, make) if cache else make()

    out: dict[str, str | bytes | Path] = {}
    for spec in specs:
        for fmt in ("svg", "png"):
            out[f"{KIT_DIR}/{spec.name}.{fmt}"] = get(
                spec.name, f".{fmt}", spec.inputs(), lambda s=spec, f=fmt: kit_images.render(s, f)
            )
    deck = slides_name(data)
    out[f"{KIT_DIR}/{deck}"] = get(
        deck.removesuffix(".pptx"),
        ".pptx",
        [s.inputs() for s in specs],
        lambda: kit_slides.render_deck(specs),
    )
    return out
