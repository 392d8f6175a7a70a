"""Build site/ from data/ and docs/: `python scripts/build.py [--site DIR]`. Exit 1 on any problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialsite.build import build_site

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="where to put the built site")
    args = parser.parse_args(argv)
    return build_site(ROOT, args.site)


if __name__ == "__main__":
    sys.exit(main())
