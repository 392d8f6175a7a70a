"""Start a second study from a copy of one: the file a maintainer then corrects value by value.

Figure ids are unique across all studies (they are the figures' permalinks), so the copy's figures
get new ids, and every reference to them is renamed with them. Which fields hold a figure's id is
the study schema's to say (`x-figure-ref`): a field marked there is renamed here without more code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from trialsite import storage
from trialsite.commands.staging import dataset_with
from trialsite.commands.yamledit import dump, round_trip_yaml
from trialsite.data.layout import DataLayout
from trialsite.data.schema import ITEM, marked_paths, schema_text
from trialsite.problems import DataError

LOCK_WAIT_SECONDS = 30.0
HEADER = (
    "# Copied from {source} by make new-study.\n"
    "# Every value, source and locator below is still that study's: replace each with what a\n"
    "# source states for this study before publishing.\n"
)
SLUG_WORDS = "lowercase ASCII letters and digits joined by single hyphens"


class NewStudyRefused(Exception):
    """The copy was not made; the message says why and what is expected."""


@dataclass(frozen=True)
class Made:
    path: str
    figures: int


def _slug_pattern() -> re.Pattern[str]:
    import json

    return re.compile(json.loads(schema_text("common"))["$defs"]["slug"]["pattern"])


def _visit(node: Any, path: tuple[str, ...], change: Callable[[Any], Any]) -> Any:
    """NODE with CHANGE applied to every value at PATH (ITEM: each item of a list)."""
    if not path:
        return change(node)
    head, rest = path[0], path[1:]
    if head == ITEM:
        if isinstance(node, list):
            for i, item in enumerate(node):
                node[i] = _visit(item, rest, change)
    elif isinstance(node, dict) and head in node:
        node[head] = _visit(node[head], rest, change)
    return node


def rename_figures(doc: Any, new_ids: dict[str, str]) -> Any:
    """DOC (a study file's data, plain or round-trip) with each figure id of NEW_IDS renamed
    everywhere the schema marks a figure reference; other values (a denominator that is a number
    or unknown) are left as they are."""

    def change(value: Any) -> Any:
        return type(value)(new_ids[value]) if isinstance(value, str) and value in new_ids else value

    for path in sorted(marked_paths("study", "x-figure-ref")):
        _visit(doc, path, change)
    return doc


def new_study(root: Path, from_id: str, new_id: str, prefix: str | None = None) -> Made:
    """Write data/studies/NEW_ID.yaml: the study FROM_ID with study id NEW_ID and each figure id
    prefixed with PREFIX (NEW_ID- by default). Checked with the rest of data/ before it is written."""
    prefix = f"{new_id}-" if prefix is None else prefix
    slug = _slug_pattern()
    if not slug.fullmatch(new_id):
        raise NewStudyRefused(f"study id {new_id!r} is not an id; expected {SLUG_WORDS}")
    if not slug.fullmatch(f"{prefix}x"):
        raise NewStudyRefused(
            f"prefix {prefix!r} does not start an id; expected {SLUG_WORDS}, ending with a hyphen"
        )
    layout = DataLayout.of(root)
    try:
        with storage.lock(
            layout.root, "a new study", wait=LOCK_WAIT_SECONDS, sweep=[layout.data_dir, layout.studies_dir]
        ):
            return _make(layout, from_id, new_id, prefix)
    except storage.Busy as exc:
        raise NewStudyRefused(f"the project is busy ({exc}); nothing was changed: try again") from None
    except storage.WriteRefused as exc:
        raise NewStudyRefused(str(exc)) from None
    except DataError as exc:
        raise NewStudyRefused(exc.report().replace("nothing was built", "nothing was changed")) from None


def _make(layout: DataLayout, from_id: str, new_id: str, prefix: str) -> Made:
    found = {}
    for path in layout.study_files():
        plain = yaml.safe_load(path.read_text("utf-8-sig"))
        study_id = plain.get("study", {}).get("id") if isinstance(plain, dict) else None
        found[study_id] = path
    if from_id not in found:
        known = ", ".join(sorted(str(k) for k in found if k)) or "(none)"
        raise NewStudyRefused(
            f"no study {from_id!r} in {layout.display(layout.studies_dir)}/; expected one of: {known}"
        )
    target = layout.studies_dir / f"{new_id}.yaml"
    if new_id in found or target.exists():
        raise NewStudyRefused(
            f"{layout.display(target)} or a study {new_id!r} exists already; expected a new study id"
        )
    y = round_trip_yaml()
    doc = y.load(found[from_id].read_text("utf-8-sig"))
    new_ids = {str(f["id"]): f"{prefix}{f['id']}" for f in doc["figures"]}
    rename_figures(doc, new_ids)
    doc["study"]["id"] = new_id
    text = HEADER.format(source=layout.display(found[from_id])) + dump(y, doc)
    dataset_with(layout, {target: text})  # duplicate ids, dangling references: refused here
    storage.write_files(layout.root, {target: text})
    return Made(layout.display(target), len(new_ids))
