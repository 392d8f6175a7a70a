"""Publish a new version: `python scripts/publish.py [--bump patch|minor|major]`. Runs the full
build first; only if it passes are data/site.yaml (version, date), data/published.yaml (the
snapshot) and CITATION.cff rewritten, and site/ rebuilt to show the new version.
Commit the three files afterwards."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialsite.commands.publish import publish

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--bump", default="patch", help="patch (the default: 0.1.2 -> 0.1.3), minor (0.2.0) or major (1.0.0)"
    )
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="where to put the built site")
    args = parser.parse_args(argv)
    try:
        return publish(ROOT, part=args.bump, site=args.site)
    except KeyboardInterrupt:
        print(
            "publish interrupted: data/site.yaml, data/published.yaml and CITATION.cff are either as "
            "they were or all updated (`git status` shows which); run `make site` to rebuild site/",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
