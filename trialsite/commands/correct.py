"""Record a correction: change one value in its data file in place and append the log entry, together.

ruamel.yaml's round-trip mode keeps comments, key order and quoting; its settings below match how our
files are written, and a diff check refuses the write if any line other than the value would change.
Both files are validated afterwards and put back exactly as they were if anything is wrong.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from trialsite.commands.yamledit import dump as _dump
from trialsite.commands.yamledit import round_trip_yaml
from trialsite.data import values
from trialsite.data.corrections import current_values, snapshot_value
from trialsite.data.dataset import load_layout
from trialsite.data.layout import DataLayout
from trialsite.data.load import load_document
from trialsite.data.targets import FigureTarget, Target, parse_target
from trialsite.problems import DataError


class CorrectionRefused(Exception):
    """The correction was not recorded; the message says why and what to do."""


@dataclass(frozen=True)
class Recorded:
    entry_id: str
    files: tuple[str, ...]
    previous: str
    new: str


def _changed_old_lines(old: str, new: str) -> set[int]:
    """1-based line numbers of the old text that a change removes or replaces."""
    out: set[int] = set()
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            out.update(range(i1 + 1, i2 + 1))
        elif tag == "insert":
            out.add(i1 + 1)  # an insertion counts against the line it lands before
    return out


def _entry_id(date: str, target: Target, taken: set[str]) -> str:
    parts = target.ident.split("/")
    base = "-".join([date, *(p.replace("_", "-") for p in parts)])
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _yaml_value(plain: Any) -> Any:
    if isinstance(plain, dict):
        m = CommentedMap(plain)
        m.fa.set_flow_style()
        return m
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
) -> Recorded:
    """Change TARGET (a figure, or a field of a source) to the value TEXT means, and log it."""
    if isinstance(target, str):
        parsed = parse_target(target)
        if parsed is None:
            raise CorrectionRefused(f"'{target}' is not figures/ID or sources/ID/FIELD")
        target = parsed
    layout = DataLayout.of(root)
    date_text = (date or dt.datetime.now(dt.UTC).date()).isoformat()
    study_docs = [load_document(p, layout.display(p)) for p in layout.study_files()]
    source_doc = load_document(layout.sources, layout.display(layout.sources))
    log_doc = load_document(layout.corrections, layout.display(layout.corrections))
    snap_doc = load_document(layout.published, layout.display(layout.published))
    current = current_values(study_docs, source_doc)
    cur = current.get(target)
    if cur is None:
        what = "figure" if isinstance(target, FigureTarget) else "source field"
        known = sorted(t.ident for t in current if type(t) is type(target))
        raise CorrectionRefused(f"unknown {what} '{target.ident}'; expected one of: {', '.join(known)}")
    reason, locator = " ".join(reason.split()), " ".join(locator.split())
    if not reason or not locator:
        raise CorrectionRefused(
            "a correction needs --reason and --locator (where in the source the value stands)"
        )
    try:
        new = values.parse(cur.kind, text)
    except values.ValueProblem as exc:
        raise CorrectionRefused(f"{cur.what}: {exc}") from None

    entries = log_doc.data["entries"]
    # What readers were last told: the newest logged value, else the published one, else the data's.
    recorded = next((e["new"] for e in reversed(entries) if parse_target(e["corrects"]) == target), None)
    if recorded is None:
        published = snapshot_value(snap_doc.data, target)
        recorded = published[1] if published else cur.value
    if values.same(recorded, new):
        raise CorrectionRefused(
            f"{cur.what} is already {values.text_form(cur.kind, new)!r} as published; nothing to correct"
        )
    if entries and str(entries[-1]["date"]) > date_text:
        raise CorrectionRefused(f"the log's newest entry is dated {entries[-1]['date']}, after {date_text}")

    data_path = root / cur.doc.path
    log_path = layout.corrections
    old_data, old_log = data_path.read_text("utf-8"), log_path.read_text("utf-8")
    y = round_trip_yaml()

    tree = y.load(old_data)
    node = tree
    for part in cur.path[:-1]:
        node = node[part]
    key = cur.path[-1]
    if isinstance(new, dict):
        for k, v in new.items():
            if not values.same(node[key][k], v):
                node[key][k] = v
    elif not values.same(node[key], new):
        # A date stays a plain YAML date, as the sources file writes it (not a quoted string).
        is_date = isinstance(new, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", new) and cur.kind == "source"
        node[key] = dt.date.fromisoformat(new) if is_date else new
    new_data = _dump(y, tree)
    value_lines = {cur.doc.position(cur.path).line}
    if isinstance(cur.value, dict):
        value_lines |= {cur.doc.position((*cur.path, k)).line for k in cur.value}
    stray = _changed_old_lines(old_data, new_data) - value_lines
    if stray:
        raise CorrectionRefused(
            f"{cur.doc.path}: writing the value would also change line(s) {sorted(stray)}; nothing was "
            "changed: edit the value by hand, then run this command again to log it"
        )

    log = y.load(old_log)
    seq = log["entries"]
    if not isinstance(seq, CommentedSeq):
        raise CorrectionRefused(f"{log_doc.path}: 'entries' is not a list")
    seq.fa.set_block_style()
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
    new_log = _dump(y, log)

    data_path.write_text(new_data, "utf-8")
    log_path.write_text(new_log, "utf-8")
    try:
        load_layout(layout)
    except DataError as exc:
        data_path.write_text(old_data, "utf-8")
        log_path.write_text(old_log, "utf-8")
        raise CorrectionRefused(exc.report().replace("nothing was built", "nothing was changed")) from None
    return Recorded(
        entry_id=entry_id,
        files=(cur.doc.path, log_doc.path),
        previous=values.text_form(cur.kind, recorded),
        new=values.text_form(cur.kind, new),
    )
