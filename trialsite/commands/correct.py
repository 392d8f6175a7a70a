"""Record a correction: change one value in its data file in place and append the log entry, together.

ruamel.yaml's round-trip mode keeps comments, key order and quoting (and the file's byte-order mark
and line endings, which this module keeps aside); a diff check refuses the write if any line other
than the value would change. The changed files are validated in a scratch copy of data/ first, then
written in one step under the project's lock (trialsite.storage): a kill at any moment leaves
either the old files or the new ones, and two corrections at once both end up in the log.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from trialsite import storage
from trialsite.commands.staging import citation_cff_with, dataset_with
from trialsite.commands.yamledit import TextFile, round_trip_yaml
from trialsite.commands.yamledit import dump as _dump
from trialsite.data import values
from trialsite.data.corrections import current_values, snapshot_value
from trialsite.data.layout import DataLayout
from trialsite.data.load import load_document
from trialsite.data.targets import FigureTarget, ReportTarget, SourceFieldTarget, Target, parse_target
from trialsite.outputs.cff import CFF_FILE
from trialsite.problems import DataError

# How long a correction waits for another build or command to finish before it gives up.
LOCK_WAIT_SECONDS = 120.0


class CorrectionRefused(Exception):
    """The correction was not recorded; the message says why and what to do."""


@dataclass(frozen=True)
class Recorded:
    entry_id: str  # the new entry's id; for a withdrawal, the ids of the entries withdrawn
    files: tuple[str, ...]
    previous: str
    new: str
    withdrawn: bool = False


def _changed_old_lines(old: str, new: str) -> set[int]:
    """1-based line numbers of the old text that a change removes or replaces."""
    out: set[int] = set()
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            out.update(range(i1 + 1, i2 + 1))
        elif tag == "insert":
            # An insertion counts against the line it follows: authors added at the end of a list
            # belong to the list's last line.
            out.add(max(i1, 1))
    return out


MAX_ID = 60  # the longest id the log's schema accepts (common.schema.json, slug)


def _entry_id(date: str, target: Target, taken: set[str]) -> str:
    parts = target.ident.split("/")
    base = "-".join([date, *(p.replace("_", "-") for p in parts)])
    base = base[: MAX_ID - 3].rstrip("-")  # room for a '-N' suffix
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _yaml_value(plain: Any, *, block: bool = False) -> Any:
    """A plain value for ruamel: mappings in flow style ({low: 60, high: 84}); a list (of authors)
    in block style, its items in flow style in the log, or as blocks in the data file (`block`)."""
    if isinstance(plain, dict):
        m = CommentedMap(plain)
        if not block:
            m.fa.set_flow_style()
        return m
    if isinstance(plain, list):
        seq = CommentedSeq([_yaml_value(v, block=block) for v in plain])
        if plain:
            seq.fa.set_block_style()
        else:
            seq.fa.set_flow_style()
        return seq
    return plain


def record(
    root: Path,
    target: Target | str,
    text: str,
    *,
    reason: str,
    source: str,
    locator: str,
    date: dt.date | None = None,
    today: dt.date | None = None,
) -> Recorded:
    """Change TARGET (a figure, another source's report of it, or a field of a source) to the value
    TEXT means, and log it."""
    layout = DataLayout.of(root)
    try:
        with storage.lock(layout.root, "a correction", wait=LOCK_WAIT_SECONDS, sweep=_folders(layout)):
            return _record(layout, target, text, reason, source, locator, date, today)
    except storage.Busy as exc:
        raise CorrectionRefused(f"the project is busy ({exc}); nothing was changed: try again") from None
    except storage.WriteRefused as exc:
        raise CorrectionRefused(str(exc)) from None
    except DataError as exc:
        raise CorrectionRefused(exc.report().replace("nothing was built", "nothing was changed")) from None
    except OSError as exc:
        where = layout.display(Path(exc.filename)) if exc.filename else "the project"
        raise CorrectionRefused(f"cannot use {where}: {exc.strerror}; nothing was changed") from None


_OPTIONS = {"source": "--source", "locator": "--locator", "reason": "--reason", "new": "the value"}


def _as_options(exc: DataError, log: str, new_index: int) -> str:
    """The staging check's problems, those in the entry this command adds named by their option;
    every other problem points at a line the real file has (only value lines change)."""
    lines = []
    prefix = f"entries[{new_index}]."
    for p in exc.problems:
        field = p.message[len(prefix) :].split(":", 1)[0] if p.message.startswith(prefix) else None
        if p.path == log and field is not None:
            why = p.message.split(": ", 1)[1] if ": " in p.message else p.message
            lines.append(f"{_OPTIONS.get(field, field)}: {why}")
        else:
            lines.append(str(p))
    lines.append(
        f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} found; nothing was changed."
    )
    return "\n".join(lines)


def _folders(layout: DataLayout) -> list[Path]:
    return [layout.data_dir, layout.studies_dir]


def _record(
    layout: DataLayout,
    target: Target | str,
    text: str,
    reason: str,
    source: str,
    locator: str,
    date: dt.date | None,
    today: dt.date | None,
) -> Recorded:
    if isinstance(target, str):
        parsed = parse_target(target)
        if parsed is None:
            raise CorrectionRefused(
                f"'{target}' is not figures/ID, figures/ID/reports/SOURCE-ID or sources/ID/FIELD"
            )
        target = parsed
    root = layout.root
    today = today or dt.datetime.now(dt.UTC).date()
    when = date or today
    if when > today:
        raise CorrectionRefused(f"the date {when} is in the future; expected today ({today}) or earlier")
    date_text = when.isoformat()
    study_docs = [load_document(p, layout.display(p)) for p in layout.study_files()]
    source_doc = load_document(layout.sources, layout.display(layout.sources))
    log_doc = load_document(layout.corrections, layout.display(layout.corrections))
    snap_doc = load_document(layout.published, layout.display(layout.published))
    current = current_values(study_docs, source_doc)
    cur = current.get(target)
    if cur is None:
        what = {FigureTarget: "figure", ReportTarget: "report"}.get(type(target), "source field")
        known = sorted(t.ident for t in current if type(t) is type(target))
        raise CorrectionRefused(f"unknown {what} '{target.ident}'; expected one of: {', '.join(known)}")
    reason, locator = " ".join(reason.split()), " ".join(locator.split())
    if not reason or not locator:
        raise CorrectionRefused(
            "a correction needs --reason and --locator (where in the source the value stands)"
        )
    if isinstance(target, ReportTarget) and source != target.source_id:
        raise CorrectionRefused(
            f"--source '{source}' is not the source of {cur.what}; expected --source {target.source_id} "
            "(a report is corrected only on its own source); nothing was changed"
        )
    try:
        new = values.parse(cur.kind, text)
    except values.ValueProblem as exc:
        raise CorrectionRefused(f"{cur.what}: {exc}") from None

    entries = log_doc.data["entries"]
    n_published = len(snap_doc.data["corrections"])
    mine = [i for i, e in enumerate(entries) if parse_target(e["corrects"]) == target]
    unpublished = [i for i in mine if i >= n_published]
    published = snapshot_value(snap_doc.data, target)
    # What readers were last told: the newest logged value, else the published one, else the data's.
    recorded = entries[mine[-1]]["new"] if mine else (published[1] if published else cur.value)
    if values.same(recorded, new):
        raise CorrectionRefused(
            f"{cur.what} is already {values.text_form(cur.kind, new)!r}; nothing to correct"
        )
    if entries and str(entries[-1]["date"]) > date_text:
        raise CorrectionRefused(
            f"the log's newest entry is dated {entries[-1]['date']}, after {date_text}; "
            "expected a date on or after it"
        )
    # Back to what the last published version showed: the unpublished corrections are withdrawn
    # (readers never saw them), and no notice is shown for a value readers never saw.
    withdraw = bool(unpublished) and published is not None and values.same(published[1], new)

    data_file = TextFile.read(root / cur.doc.path)
    log_file = TextFile.read(layout.corrections)
    y = round_trip_yaml()
    tree = y.load(data_file.text)
    node = tree
    for part in cur.path[:-1]:
        node = node[part]
    key = cur.path[-1]
    if isinstance(new, dict):
        for k, v in new.items():
            if not values.same(node[key][k], v):
                node[key][k] = v
    elif isinstance(new, list):
        if not values.same(values.source_plain(cur.kind, node[key]), new):
            node[key] = _yaml_value(new, block=True)
    elif not values.same(node[key], new):
        # A date stays a plain YAML date, as the sources file writes it (not a quoted string).
        is_date = isinstance(new, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", new) and cur.kind == values.TEXT
        node[key] = dt.date.fromisoformat(new) if is_date else new
    new_data = _dump(y, tree)
    # The lines the value is written on: its key's, and every line inside it (a list's items).
    value_lines = {cur.doc.position(cur.path).line, cur.doc.position(cur.path, key=True).line}
    value_lines |= {pos.line for path, pos in cur.doc.values.items() if path[: len(cur.path)] == cur.path}
    stray = _changed_old_lines(data_file.text, new_data) - value_lines
    if stray:
        raise CorrectionRefused(
            f"{cur.doc.path}: writing the value would also change line(s) {sorted(stray)}; nothing was "
            "changed: edit the value by hand, then run this command again to log it"
        )

    log = y.load(log_file.text)
    seq = log["entries"]
    if not isinstance(seq, CommentedSeq):
        raise CorrectionRefused(f"{log_doc.path}: 'entries' is not a list")
    seq.fa.set_block_style()
    if withdraw:
        entry_id = ", ".join(str(entries[i]["id"]) for i in unpublished)
        for i in reversed(unpublished):
            del seq[i]
    else:
        entry_id = _entry_id(date_text, target, {str(e["id"]) for e in entries})
        seq.append(
            CommentedMap(
                [
                    ("id", entry_id),
                    ("date", dt.date.fromisoformat(date_text)),
                    ("corrects", str(target)),
                    ("previous", _yaml_value(recorded)),
                    ("new", _yaml_value(new)),
                    ("reason", reason),
                    ("source", source),
                    ("locator", locator),
                ]
            )
        )
    changes: dict[Path, bytes] = {
        root / cur.doc.path: data_file.encode(new_data),
        layout.corrections: log_file.encode(_dump(y, log)),
    }
    try:
        checked = dataset_with(layout, changes)
    except DataError as exc:
        # The new log entry exists only in the scratch copy: its lines are nowhere in the real file,
        # so a problem with it is told as the option that gave the value.
        raise CorrectionRefused(_as_options(exc, layout.display(layout.corrections), len(entries))) from None
    if isinstance(target, SourceFieldTarget):
        # CITATION.cff cites the article with its fields: kept in step, in the same write.
        cff_path = root / CFF_FILE
        cff_text = citation_cff_with(layout, checked)
        if not cff_path.exists() or cff_path.read_text("utf-8") != cff_text:
            changes[cff_path] = cff_text.encode("utf-8")
    storage.write_files(root, changes)
    return Recorded(
        entry_id=entry_id,
        files=tuple(layout.display(p) for p in changes),
        previous=values.text_form(cur.kind, recorded),
        new=values.text_form(cur.kind, new),
        withdrawn=withdraw,
    )
