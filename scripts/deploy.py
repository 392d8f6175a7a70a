"""Add the published version to the versioned site: `python scripts/deploy.py [--remote origin]`.

Builds the version data/site.yaml names and adds it to the gh-pages branch (every version kept in its
own folder, `latest` following the newest), with robots.txt and a dated sitemap beside them. With
--remote, starts from that remote's gh-pages and pushes to it afterwards. Refuses a preview or
non-https address (SITE_URL, or site_url in mkdocs.yml) and anything changed since `make publish`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialsite.commands.deploy import BRANCH, deploy

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--remote", help="fetch this remote's versions first and push to it after")
    parser.add_argument("--branch", default=BRANCH, help=f"the branch that keeps the versions ({BRANCH})")
    args = parser.parse_args(argv)
    return deploy(ROOT, branch=args.branch, remote=args.remote, push=bool(args.remote))


if __name__ == "__main__":
    sys.exit(main())
