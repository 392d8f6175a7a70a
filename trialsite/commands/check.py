"""`python -m trialsite.commands.check`: report every data problem without building anything."""

from __future__ import annotations

import sys
from pathlib import Path

from trialsite.build import check
from trialsite.problems import DataError


def main() -> int:
    problems = check(Path.cwd())
    if problems:
        print(DataError(problems).report(), file=sys.stderr)
        return 1
    print("data/ and docs/ are consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
