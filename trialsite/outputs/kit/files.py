"""The presentation kit as published files, remade only when what they show has changed.

`kit_files` is the generator registered in outputs.GENERATORS. Without a cache folder in the build
context it draws every file (a pure function of the context). With one (the plugin's `cache_dir`),
each file is named by a hash of its description and the renderer's version, and a later build whose
descriptions are unchanged reads the stored file instead of drawing again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from trialsite import storage
from trialsite.context import BuildContext
from trialsite.outputs.kit.spec import kit_groups

# Bump when a change to the drawing code changes the drawing for the same inputs.
RENDERER_VERSION = "kit-5"


class KitCache:
    """A folder of drawn files keyed by what they show; `made` lists what this instance had to draw.

    Each file has a `.sha256` beside it, written before the file itself: a cached file is reused only
    when its bytes still have that hash, so a file changed or cut short in the cache is drawn again
    rather than published."""

    def __init__(self, folder: Path, shown: str | None = None) -> None:
        self.folder = folder
        self.shown = shown or folder.name  # for messages: relative to the project
        self.made: list[str] = []

    def fetch(self, stem: str, suffix: str, inputs: object, make: Callable[[], bytes]) -> Path:
        """The cached file, verified; the site copies it (never links it: the cache stays ours)."""
        key = _digest(inputs)
        path = self.folder / f"{stem}-{key}{suffix}"
        check = path.with_name(path.name + ".sha256")
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() == check.read_text("ascii").strip():
                return path
        except (OSError, UnicodeDecodeError):
            pass  # missing, unreadable or not ours: drawn again
        content = make()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for target, data in ((check, hashlib.sha256(content).hexdigest().encode()), (path, content)):
                storage.write_file(target, data)  # a reader never sees half a file
        except OSError as exc:
            raise OSError(
                f"cannot write the drawing cache {self.shown}/: {exc.strerror or exc}; expected a folder "
                f"the build may write (move or remove what stands in its place)"
            ) from None
        self.made.append(path.name)
        return path


@functools.cache
def _drawing_code() -> str:
    """A hash of what draws (the modules, the SVG template and the fonts), so changing how an image
    is drawn redraws it."""
    from trialsite.outputs.kit import canvas, images, schema, slides

    h = hashlib.sha256()
    paths = [Path(m.__file__ or "") for m in (canvas, images, schema, slides)]
    paths += [canvas.TEMPLATES / "kit.svg.j2", *canvas.FONT_FILES.values()]
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()


@functools.cache
def _library_versions() -> dict[str, str]:
    """Asked once per process: importlib.metadata reads the installed packages' files each time."""
    return {name: version(name) for name in ("resvg-py", "Pillow", "python-pptx")}


def _digest(inputs: object) -> str:
    payload = {
        "inputs": inputs,
        "renderer": RENDERER_VERSION,
        "code": _drawing_code(),
        **_library_versions(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()[:32]


def kit_files(ctx: BuildContext) -> dict[str, str | bytes | Path]:
    """kit/<name>.svg and .png for every image and each study's slide deck: bytes, or with a cache
    the cached files."""
    from trialsite.outputs.kit import images as kit_images
    from trialsite.outputs.kit import schema as kit_schema
    from trialsite.outputs.kit import slides as kit_slides

    groups = kit_groups(ctx)
    cache = KitCache(ctx.cache_dir, ctx.layout.display(ctx.cache_dir)) if ctx.cache_dir else None

    def get(stem: str, suffix: str, inputs: object, make: Callable[[], bytes]) -> bytes | Path:
        return cache.fetch(stem, suffix, inputs, make) if cache else make()

    out: dict[str, str | bytes | Path] = {}
    for group in groups:
        schema = kit_schema.schema_spec(ctx, group.study)
        for spec in group.images:
            for fmt in ("svg", "png"):
                out[ctx.urls.kit_file(f"{spec.name}.{fmt}")] = get(
                    spec.name, f".{fmt}", spec.inputs(), lambda s=spec, f=fmt: kit_images.render(s, f)
                )
        for fmt in ("svg", "png"):
            out[ctx.urls.kit_file(f"{schema.name}.{fmt}")] = get(
                schema.name, f".{fmt}", schema.inputs(), lambda s=schema, f=fmt: kit_schema.render(s, f)
            )
        deck_spec = kit_slides.deck_spec(ctx, list(group.images), group.study)
        out[ctx.urls.kit_file(group.deck)] = get(
            group.deck.removesuffix(".pptx"),
            ".pptx",
            {**deck_spec.inputs(), "schema": schema.inputs()},
            lambda d=deck_spec, s=schema: kit_slides.render_deck(
                d, (s, kit_schema.render(s, "png", bare=True))
            ),
        )
    return out
