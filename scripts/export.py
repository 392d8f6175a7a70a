"""Write the versioned site to a folder for any static host: `python scripts/export.py DEST`.

DEST receives the gh-pages branch's tree (index.html, robots.txt, sitemap.xml, versions.json and one
folder per version plus latest/), every file 0644 and every folder 0755; copy it as it is, e.g.
`rsync -a --delete DEST/ host:/var/www/a041703/`. DEST must be new, empty or an earlier export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialsite.commands.deploy import BRANCH, export

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path, help="the folder to write (new, empty or an earlier export)")
    parser.add_argument("--branch", default=BRANCH, help=f"the branch that keeps the versions ({BRANCH})")
    args = parser.parse_args(argv)
    return export(ROOT, args.dest, branch=args.branch)


if __name__ == "__main__":
    sys.exit(main())
