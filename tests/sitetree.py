"""Helpers for tests that check what a build left on disk: a tree hash and leftover temp folders."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from trialsite.build import TEMP_PREFIX


def tree_hash(root: Path) -> str:
    """One hash of every path, file content, symlink target and empty folder under root."""
    h = hashlib.sha256()
    if not root.exists():
        return "missing"
    for dirpath, dirnames, filenames in sorted(os.walk(root)):
        dirnames.sort()
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        h.update(f"D {rel_dir}\0".encode())
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                h.update(f"L {rel} -> {os.readlink(path)}\0".encode())
            else:
                h.update(f"F {rel} {path.stat().st_size}\0".encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def leftover_temp_folders(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.glob(TEMP_PREFIX + "*"))
