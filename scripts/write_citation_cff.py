"""Write CITATION.cff from data/ and mkdocs.yml: `python scripts/write_citation_cff.py [--check]`.

--check exits 1 when the file on disk differs from a fresh generation (CI and the tests use it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialsite import storage
from trialsite.commands import citation as cff

ROOT = Path(__file__).resolve().parent.parent


def generate(root: Path = ROOT) -> str:
    """The file's text: the dataset plus the site's name, address and description from mkdocs.yml."""
    return cff.generate(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    target = ROOT / "CITATION.cff"
    text = generate()
    if args.check:
        if not target.exists() or target.read_text("utf-8") != text:
            print("CITATION.cff is out of date: run make citation", file=sys.stderr)
            return 1
        return 0
    try:
        with storage.lock(ROOT, "make citation", wait=120):
            storage.write_files(ROOT, {target: text})
    except (storage.Busy, storage.WriteRefused) as exc:
        print(f"CITATION.cff not written: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
