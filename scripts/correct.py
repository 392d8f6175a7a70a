"""Record a correction of a published value: the value changes in its data file and the log says why.

    python scripts/correct.py figure ID VALUE --reason WHY --source SOURCE-ID --locator WHERE
    python scripts/correct.py report ID REPORTING-SOURCE VALUE --reason WHY --source SOURCE-ID --locator WHERE
    python scripts/correct.py source ID FIELD VALUE --reason WHY --source SOURCE-ID --locator WHERE

FIELD is a published field of the source: title, authors, authors_complete, container,
container_short, publisher, issued, doi, volume, issue, pages, url or number. Authors are written
"Family, Given (Affiliation); Family, Given, Suffix; Organisation name" (a name without a comma,
or one in double quotes such as '"Smith, Jones & Co."', is an organisation; a third part is a suffix
such as Jr.); authors_complete takes true or false.
`figure` corrects a figure's own (first) value; `report` the value another source reports for it
(one of its `also_reported`, named by that source's id).

VALUE is read by the figure's kind: a percent (96 or 96%), a count (33), a range (60-84 or "60 to
84"), cycles (4-5, 2 or "up to 2") or text. Exit 1, with nothing changed, on any problem.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from trialsite.commands.correct import CorrectionRefused, record
from trialsite.data.targets import FigureTarget, ReportTarget, SourceFieldTarget, Target

ROOT = Path(__file__).resolve().parent.parent
INTERRUPTED = (
    "correction interrupted: each data file is either as it was or fully updated, together "
    "(`git status` shows which); run the command again if it is not recorded"
)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("value", help="the corrected value")
    p.add_argument("--reason", required=True, help="why the published value was wrong")
    p.add_argument(
        "--source", required=True, help="id (in data/sources.yaml) of the source for the new value"
    )
    p.add_argument("--locator", required=True, help="where in that source the new value stands")
    p.add_argument("--date", type=_date, help="the day of the correction, YYYY-MM-DD (default: today, UTC)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="what", required=True)
    fig = sub.add_parser("figure", help="correct a figure's value")
    fig.add_argument("id", help="the figure's id (its permalink on the Results page)")
    _common(fig)
    rep = sub.add_parser("report", help="correct the value another source reports for a figure")
    rep.add_argument("id", help="the figure's id (its permalink on the Results page)")
    rep.add_argument("reporting_source", help="the id of the source whose report is corrected")
    _common(rep)
    src = sub.add_parser("source", help="correct a field of a source (doi, title, issued...)")
    src.add_argument("id", help="the source's id in data/sources.yaml")
    src.add_argument("field", help="the field, such as doi")
    _common(src)
    args = parser.parse_args(argv)
    target: Target
    if args.what == "figure":
        target = FigureTarget(args.id)
    elif args.what == "report":
        target = ReportTarget(args.id, args.reporting_source)
    else:
        target = SourceFieldTarget(args.id, args.field)
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
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    if done.withdrawn:
        print(
            f"withdrew {done.entry_id}: {target} is back to its published value {done.new!r}, "
            "which readers never saw changed: no notice is shown"
        )
    else:
        print(f"recorded {done.entry_id}: {target} {done.previous!r} -> {done.new!r}")
    print(f"changed: {', '.join(done.files)}")
    print("next: `make site` to see it; `make publish` to publish it as a new version")
    return 0


if __name__ == "__main__":
    sys.exit(main())
