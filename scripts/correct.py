"""Record a correction of a published value: the value changes in its data file and the log says why.

    python scripts/correct.py figure ID VALUE --reason WHY --source SOURCE-ID --locator WHERE
    python scripts/correct.py source ID FIELD VALUE --reason WHY --source SOURCE-ID --locator WHERE

VALUE is read by the figure's kind: a percent (96 or 96%), a count (33), a range (60-84 or "60 to
84"), cycles (4-5, 2 or "up to 2") or text. Exit 1, with nothing changed, on any problem.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from trialsite.commands import citation as cff
from trialsite.commands.correct import CorrectionRefused, record
from trialsite.data.targets import FigureTarget, SourceFieldTarget, Target

ROOT = Path(__file__).resolve().parent.parent


def _refresh_citation_cff() -> bool:
    """Rewrite CITATION.cff when a corrected source field changes it; True if it was rewritten."""
    path = ROOT / cff.CFF_FILE
    text = cff.generate(ROOT)
    if path.exists() and path.read_text("utf-8") == text:
        return False
    path.write_text(text, "utf-8")
    return True


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("value", help="the corrected value")
    p.add_argument("--reason", required=True, help="why the published value was wrong")
    p.add_argument(
        "--source", required=True, help="id (in data/sources.yaml) of the source for the new value"
    )
    p.add_argument("--locator", required=True, help="where in that source the new value stands")
    p.add_argument(
        "--date", type=dt.date.fromisoformat, help="the day of the correction (default: today, UTC)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="what", required=True)
    fig = sub.add_parser("figure", help="correct a figure's value")
    fig.add_argument("id", help="the figure's id (its permalink on the Results page)")
    _common(fig)
    src = sub.add_parser("source", help="correct a field of a source (doi, title, issued...)")
    src.add_argument("id", help="the source's id in data/sources.yaml")
    src.add_argument("field", help="the field, such as doi")
    _common(src)
    args = parser.parse_args(argv)
    target: Target = (
        FigureTarget(args.id) if args.what == "figure" else SourceFieldTarget(args.id, args.field)
    )
    try:
        done = record(
            ROOT,
            target,
            args.value,
            reason=args.reason,
            source=args.source,
            locator=args.locator,
            date=args.date,
        )
    except CorrectionRefused as exc:
        print(f"correction not recorded: {exc}", file=sys.stderr)
        return 1
    files = list(done.files)
    if args.what == "source" and _refresh_citation_cff():
        files.append(cff.CFF_FILE)  # it cites the article with its fields: keep it in step
    print(f"recorded {done.entry_id}: {target} {done.previous!r} -> {done.new!r}")
    print(f"changed: {', '.join(files)}")
    print("next: `make site` to see it; `make publish` to publish it as a new version")
    return 0


if __name__ == "__main__":
    sys.exit(main())
