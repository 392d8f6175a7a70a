"""`python -m trialsite.commands.check`: report every data problem without building anything."""

from __future__ import annotations

import sys
from pathlib import Path

from trialsite import storage
from trialsite.build import check
from trialsite.problems import DataError


def project_root(start: Path) -> Path | None:
    """The folder holding mkdocs.yml: the current one or the nearest above it (run from docs/)."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return None


def main() -> int:
    root = project_root(Path.cwd().resolve())
    if root is None:
        print("check: no mkdocs.yml here or above; expected to run inside the project", file=sys.stderr)
        return 1
    try:
        # The lock first: an interrupted correction is finished or rolled back before reading.
        with storage.lock(root, "make check", sweep=[root / "data"]):
            problems = check(root)
    except storage.Busy as exc:
        print(
            f"check: a command is writing the data ({exc}); expected one at a time: try again",
            file=sys.stderr,
        )
        return 1
    except storage.WriteRefused as exc:
        print(f"check: {exc}", file=sys.stderr)
        return 1
    if problems:
        print(DataError(problems).report(), file=sys.stderr)
        return 1
    print("data/ and docs/ are consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
