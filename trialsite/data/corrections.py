"""The corrections rules: no published value changes unless the log says so, and the log only grows.

Three files work together: data/corrections.yaml (the log, append-only), data/published.yaml (what the
last published version showed, with a hash of each log entry it showed) and data/site.yaml (the
version). A value that differs from the snapshot must be explained by the log's entries made since
then; a log entry the snapshot covers must stay exactly as it was published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from trialsite.data.load import Document, JsonPath, field_name
from trialsite.data.model import Citation, Correction, Licence, Release
from trialsite.data.targets import FigureTarget, ReportTarget, SourceFieldTarget, Target, parse_target
from trialsite.data.values import (
    FIGURE_KINDS,
    SOURCE_FIELD_KINDS,
    SOURCE_FIELDS,
    figure_plain,
    figure_value,
    same,
    shape_problem,
    source_field_value,
    source_plain,
    text_form,
)
from trialsite.data.values import as_argument as _arg
from trialsite.problems import Problem


@dataclass(frozen=True)
class Current:
    """A correctable value as it stands in the data now, and where it is written."""

    kind: str  # a figure kind, or the kind of a source field (values.SOURCE_FIELD_KINDS)
    value: Any
    doc: Document
    path: JsonPath
    what: str  # "figure 'remission'" or "source field 'jco-2025-wieduwilt' doi"


def current_values(study_docs: list[Document], source_doc: Document) -> dict[Target, Current]:
    """Every value a correction may change, by target."""
    out: dict[Target, Current] = {}
    for doc in study_docs:
        for i, raw in enumerate(doc.data["figures"]):
            out[FigureTarget(raw["id"])] = Current(
                raw["kind"], figure_plain(raw), doc, ("figures", i, "value"), f"figure '{raw['id']}'"
            )
            for j, rep in enumerate(raw.get("also_reported", ())):
                out[ReportTarget(raw["id"], rep["source"])] = Current(
                    raw["kind"],
                    figure_plain(rep),
                    doc,
                    ("figures", i, "also_reported", j, "value"),
                    f"the report of figure '{raw['id']}' by '{rep['source']}'",
                )
    for i, raw in enumerate(source_doc.data["sources"]):
        for name, kind in SOURCE_FIELD_KINDS.items():
            out[SourceFieldTarget(raw["id"], name)] = Current(
                kind,
                source_plain(kind, raw[name]),
                source_doc,
                ("sources", i, name),
                f"source '{raw['id']}' {name}",
            )
    return out


def entry_hash(raw: dict[str, Any]) -> str:
    """A fingerprint of one log entry as written: any later edit to it changes the hash."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def correct_command(target: Target, kind: str, value: Any) -> str:
    """The exact command that records this change (the reason, source and locator left to fill in),
    as `make` runs it: it works as printed from the project's folder, the environment included."""
    tail = 'REASON="WHY" SOURCE=SOURCE-ID LOCATOR="WHERE IN THE SOURCE"'
    if isinstance(target, FigureTarget):
        return f"make correct FIGURE={target.figure_id} VALUE={_arg(kind, value)} {tail}"
    if isinstance(target, ReportTarget):
        return (
            f"make correct-report FIGURE={target.figure_id} REPORT={target.source_id} "
            f"VALUE={_arg(kind, value)} {tail}"
        )
    return f"make correct-source ID={target.source_id} FIELD={target.field} VALUE={_arg(kind, value)} {tail}"


_field = field_name


class _Rules:
    def __init__(self, log: Document, snap: Document, site: Document, current: dict[Target, Current]):
        self.log, self.snap, self.site, self.current = log, snap, site, current
        self.problems: list[Problem] = []

    def at(self, doc: Document, path: JsonPath, message: str, *, key: bool = False) -> None:
        self.problems.append(doc.problem(path, f"{_field(path)}: {message}", key=key))

    def entry(self, i: int, raw: dict[str, Any], sources: set[str], seen: dict[str, int]) -> str | None:
        """Checks one entry on its own; returns the kind of its target when the target exists."""
        path: JsonPath = ("entries", i)
        if raw["id"] in seen:
            self.at(
                self.log,
                (*path, "id"),
                f"'{raw['id']}' is already the id of entries[{seen[raw['id']]}]; expected a unique id",
            )
        seen.setdefault(raw["id"], i)
        if not raw["id"].startswith(f"{raw['date']}-"):
            self.at(
                self.log,
                (*path, "id"),
                f"'{raw['id']}' does not start with the entry's date; expected "
                f"{raw['date']}-WHAT, such as {raw['date']}-remission",
            )
        if raw["source"] not in sources:
            self.at(
                self.log,
                (*path, "source"),
                f"unknown source '{raw['source']}'; expected one of: "
                f"{', '.join(sorted(sources))} (from data/sources.yaml)",
            )
        target = parse_target(raw["corrects"])
        cur = self.current.get(target) if target else None
        if cur is None:
            if isinstance(target, FigureTarget):
                known = sorted(t.figure_id for t in self.current if isinstance(t, FigureTarget))
                listed = ", ".join(known)
                msg = f"unknown figure '{target.figure_id}'; expected figures/ID with one of: {listed}"
            elif isinstance(target, ReportTarget):
                known = sorted(str(t) for t in self.current if isinstance(t, ReportTarget))
                msg = f"no report '{target}'; expected one of: {', '.join(known) or '(none)'}"
            elif isinstance(target, SourceFieldTarget) and not any(
                isinstance(t, SourceFieldTarget) and t.source_id == target.source_id for t in self.current
            ):
                msg = f"unknown source '{target.source_id}'; expected one of: {', '.join(sorted(sources))}"
            else:
                field = target.field if isinstance(target, SourceFieldTarget) else raw["corrects"]
                msg = f"'{field}' is not a field a correction can change; expected one of: " + ", ".join(
                    SOURCE_FIELDS
                )
            self.at(self.log, (*path, "corrects"), msg)
            return None
        if isinstance(target, ReportTarget) and raw["source"] != target.source_id:
            # A report is what its own source says: another source cannot support a new value of it.
            self.at(
                self.log,
                (*path, "source"),
                f"'{raw['source']}' is not the source of {cur.what}; expected '{target.source_id}' "
                "(a report is corrected only on its own source)",
            )
            return None
        for name in ("previous", "new"):
            wrong = shape_problem(cur.kind, raw[name])
            if wrong:
                self.at(self.log, (*path, name), f"{raw[name]!r} does not fit {cur.what}; expected {wrong}")
                return None
        if same(raw["previous"], raw["new"]):
            self.at(self.log, (*path, "new"), "the same as previous; expected the corrected, different value")
        return cur.kind

    def check(self, sources: set[str]) -> tuple[Release | None, tuple[Correction, ...]]:
        entries: list[dict[str, Any]] = self.log.data["entries"]
        snap = self.snap.data
        published = snap["corrections"]
        seen: dict[str, int] = {}
        kinds: list[str | None] = []
        today = dt.datetime.now(dt.UTC).date().isoformat()
        for i, raw in enumerate(entries):
            kinds.append(self.entry(i, raw, sources, seen))
            if str(raw["date"]) > today:
                self.at(
                    self.log,
                    ("entries", i, "date"),
                    f"{raw['date']} is in the future (today is {today}); expected the day the "
                    "correction was made",
                )
            if i and str(raw["date"]) < str(entries[i - 1]["date"]):
                self.at(
                    self.log,
                    ("entries", i, "date"),
                    f"{raw['date']} is before the date of entries[{i - 1}] "
                    f"({entries[i - 1]['date']}); expected dates in order, oldest first: append new entries",
                )

        # Published entries stay exactly as published, in order.
        for i, pub in enumerate(published):
            if i >= len(entries):
                self.at(
                    self.log,
                    ("entries",),
                    f"the entry '{pub['id']}' published in version {pub['version']} "
                    "is missing; expected every published entry kept, in order: restore it",
                )
                continue
            raw = entries[i]
            if raw["id"] != pub["id"]:
                self.at(
                    self.log,
                    ("entries", i),
                    f"'{raw['id']}' stands where the entry '{pub['id']}' published "
                    f"in version {pub['version']} was; expected published entries never removed or reordered",
                )
            elif entry_hash(raw) != pub["sha256"]:
                self.at(
                    self.log,
                    ("entries", i),
                    f"the entry '{raw['id']}' was changed after version "
                    f"{pub['version']} published it; expected it exactly as published: undo the edit, and "
                    "record a further correction with make correct (or make correct-source) if a value "
                    "is still wrong",
                )

        # Each target's entries form a chain; the newest gives the value now in the data.
        last: dict[Target, int] = {}
        targets = [parse_target(raw["corrects"]) for raw in entries]
        for i, raw in enumerate(entries):
            target = targets[i]
            if kinds[i] is None or target is None:
                continue
            if target in last:
                before = entries[last[target]]
                if not same(raw["previous"], before["new"]):
                    shown = text_form(kinds[i] or "", before["new"])
                    self.at(
                        self.log,
                        ("entries", i, "previous"),
                        f"{raw['previous']!r}, but the earlier correction "
                        f"'{before['id']}' made it {shown!r}; expected {shown!r}",
                    )
            last[target] = i
        for target, i in last.items():
            cur = self.current[target]
            if not same(entries[i]["new"], cur.value):
                pos = cur.doc.position(cur.path)
                self.at(
                    self.log,
                    ("entries", i, "new"),
                    f"{entries[i]['new']!r}, but {cur.what} is "
                    f"{text_form(cur.kind, cur.value)!r} in {cur.doc.path}:{pos.line}; expected the value "
                    "now in the data (the newest correction of a value gives its current value)",
                )

        # Every change since the snapshot is explained by entries made since then.
        n_pub = len(published)
        version = snap["version"]
        for target, cur in self.current.items():
            old = self._snapshot_value(target)
            if old is None:
                continue  # not published yet: a new figure or field is not a correction
            kind, old_value = old
            mine = [i for i in range(n_pub, len(entries)) if kinds[i] and targets[i] == target]
            if not mine:
                if not same(cur.value, old_value):
                    self.at(
                        cur.doc,
                        cur.path,
                        f"{cur.what} is {text_form(cur.kind, cur.value)!r}, but version "
                        f"{version} published {text_form(kind, old_value)!r} and {self.log.path} records no "
                        f"correction; expected the change recorded with: "
                        f"{correct_command(target, cur.kind, cur.value)} (or put back "
                        f"{text_form(kind, old_value)!r})",
                    )
                continue
            first = entries[mine[0]]
            if not same(first["previous"], old_value):
                self.at(
                    self.log,
                    ("entries", mine[0], "previous"),
                    f"{first['previous']!r}, but version "
                    f"{version} published {text_form(kind, old_value)!r}; expected "
                    f"{text_form(kind, old_value)!r}",
                )
        for section in ("figures", "sources"):
            for key, value in snap[section].items():
                published_targets: list[Target] = (
                    [FigureTarget(key), *(ReportTarget(key, s) for s in value.get("reports", {}))]
                    if section == "figures"
                    else [SourceFieldTarget(key, f) for f in value]
                )
                for target in published_targets:
                    if target not in self.current:
                        self.at(
                            self.snap,
                            (section, key),
                            f"'{target}' was published in version {version} and "
                            "is no longer in the data; expected it kept: correct a published value, never "
                            "remove it",
                        )

        site = self.site.data
        if site["version"] != version:
            self.at(
                self.site,
                ("version",),
                f"'{site['version']}', but {self.snap.path} is version {version}; "
                "expected the version changed only by make publish",
            )
        release = Release(
            version=site["version"],
            date=str(site["date"]),
            first_version=snap["first_published"]["version"],
            first_date=str(snap["first_published"]["date"]),
            licence=Licence(**{k: str(v) for k, v in site["licence"].items()}),
            publisher=site["publisher"],
        )
        made = []
        for i, raw in enumerate(entries):
            kind, target = kinds[i], targets[i]
            if kind is None or target is None:
                continue
            convert = (
                (lambda v, k=kind: figure_value(k, v))
                if kind in FIGURE_KINDS
                else (lambda v, k=kind: source_field_value(k, v))
            )
            made.append(
                Correction(
                    id=raw["id"],
                    date=str(raw["date"]),
                    target=target,
                    previous=convert(raw["previous"]),
                    new=convert(raw["new"]),
                    reason=raw["reason"],
                    cite=Citation(raw["source"], raw["locator"]),
                    published_in=published[i]["version"] if i < n_pub else None,
                    line=self.log.position(("entries", i)).line,
                )
            )
        return release, tuple(made)

    def _snapshot_value(self, target: Target) -> tuple[str, Any] | None:
        return snapshot_value(self.snap.data, target)


def snapshot_value(snap: dict[str, Any], target: Target) -> tuple[str, Any] | None:
    """(kind, plain value) of a target as the last published version showed it; None if unpublished."""
    if isinstance(target, FigureTarget):
        item = snap["figures"].get(target.figure_id)
        return (item["kind"], item["value"]) if item else None
    if isinstance(target, ReportTarget):
        item = snap["figures"].get(target.figure_id) or {}
        reports = item.get("reports") or {}
        return (item["kind"], reports[target.source_id]) if target.source_id in reports else None
    fields = snap["sources"].get(target.source_id) or {}
    kind = SOURCE_FIELD_KINDS.get(target.field)
    return (kind, fields[target.field]) if kind and target.field in fields else None


def check(
    site: Document, log: Document, snap: Document, current: dict[Target, Current], sources: set[str]
) -> tuple[Release | None, tuple[Correction, ...], list[Problem]]:
    """Every rule of the log and the snapshot; returns the release, the corrections and the problems."""
    rules = _Rules(log, snap, site, current)
    release, made = rules.check(sources)
    return release, made, rules.problems


def snapshot(
    current: dict[Target, Current],
    log_entries: list[dict[str, Any]],
    previous: dict[str, Any] | None,
    version: str,
    date: str,
) -> dict[str, Any]:
    """What data/published.yaml holds after publishing VERSION: every value now, and every entry."""
    figures: dict[str, Any] = {}
    sources: dict[str, dict[str, Any]] = {}
    for target, cur in current.items():
        if isinstance(target, FigureTarget):
            figures.setdefault(target.figure_id, {}).update({"kind": cur.kind, "value": cur.value})
        elif isinstance(target, ReportTarget):
            item = figures.setdefault(target.figure_id, {})
            item.setdefault("reports", {})[target.source_id] = cur.value
        else:
            sources.setdefault(target.source_id, {})[target.field] = cur.value
    old = (previous or {}).get("corrections", [])
    entries = []
    for i, raw in enumerate(log_entries):
        was = old[i]["version"] if i < len(old) and old[i]["id"] == raw["id"] else version
        entries.append({"id": raw["id"], "sha256": entry_hash(raw), "version": was})
    first = (previous or {}).get("first_published") or {"version": version, "date": date}
    return {
        "version": version,
        "date": date,
        "first_published": {"version": first["version"], "date": str(first["date"])},
        "figures": figures,
        "sources": sources,
        "corrections": entries,
    }
