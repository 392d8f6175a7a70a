"""One load of data/ per build, however many steps ask for it.

`build_site` validates data/ before MkDocs starts and the hook needs the same dataset again in
`on_config`; loading and schema-checking every YAML file twice doubled the build's largest cost. The
dataset is kept with a digest of the data files' bytes, so any edit (as under `mkdocs serve`) loads
afresh. Only successful loads are kept: problems are always reported from a fresh load.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from trialsite.model import Dataset
from trialsite.validate import load_dataset

_cache: dict[tuple[Path, Path], tuple[str, Dataset]] = {}


def _digest(data_dir: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        h.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def load_dataset_once(data_dir: Path, root: Path | None = None) -> Dataset:
    """`load_dataset`, reusing the last result for the same folder when no data file changed."""
    root = root or data_dir.parent
    key = (data_dir.resolve(), root.resolve())
    digest = _digest(data_dir)
    cached = _cache.get(key)
    if cached and cached[0] == digest:
        return cached[1]
    data = load_dataset(data_dir, root)
    _cache[key] = (digest, data)
    return data
