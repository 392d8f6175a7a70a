"""Start a new study from a copy of one, with new ids (figure ids are unique across all studies).

    python scripts/new_study.py FROM-STUDY-ID NEW-STUDY-ID [--prefix PREFIX]

Writes data/studies/NEW-STUDY-ID.yaml: the study FROM-STUDY-ID with the new study id and each
figure id prefixed (by NEW-STUDY-ID- unless --prefix says otherwise), every reference to a figure
renamed with it. Every value, source and locator is still the old study's: replace each with what a
source states. Checked with the rest of data/ first; exit 1, with nothing changed, on any problem.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialsite.commands.new_study import NewStudyRefused, new_study

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("from_id", metavar="FROM-STUDY-ID")
    parser.add_argument("new_id", metavar="NEW-STUDY-ID")
    parser.add_argument(
        "--prefix", help="what each figure id of the copy starts with (default NEW-STUDY-ID-)"
    )
    args = parser.parse_args(argv)
    try:
        made = new_study(ROOT, args.from_id, args.new_id, args.prefix)
    except NewStudyRefused as exc:
        print(f"new study not made: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {made.path}: {made.figures} figures with new ids; now replace its values with this study's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
