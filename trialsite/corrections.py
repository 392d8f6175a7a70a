"""The corrections rules: no published value changes unless the log says so, and the log only grows.

Three files work together: data/corrections.yaml (the log, append-only), data/published.yaml (what the
last published version showed, with a hash of each log entry it showed) and data/site.yaml (the
version). A value that differs from the snapshot must be explained by the log's entries made since
then; a log entry the snapshot covers must stay exactly as it was published.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from trialsite.load import Document, JsonPath
from trialsite.model import Citation, Correction, Release
from trialsite.problems import Problem
from trialsite.values import (
    SOURCE_FIELDS,
    figure_plain,
    figure_value,
    same,
    shape_problem,
    source_value,
    text_form,
)
from trialsite.values import as_argument as _arg

LOG_FILE = "data/corrections.yaml"
SNAPSHOT_FILE = "data/published.yaml"


@dataclass(frozen=True)
class Current:
    """A correctable value as it stands in the data now, and where it is written."""

    kind: str  # a figure kind, or "source" for a source field
    value: Any
    doc: Document
    path: JsonPath
    what: str  # "figure 'remission'" or "source field 'jco-2025-wieduwilt' doi"


def current_values(study_docs: list[Document], source_doc: Document) -> dict[str, Current]:
    """Every value a correction may change, by target: 'figures/ID' and 'sources/ID/FIELD'."""
    out: dict[str, Current] = {}
    for doc in study_docs:
        for i, raw in enumerate(doc.data["figures"]):
            out[f"figures/{raw['id']}"] = Current(
                raw["kind"], figure_plain(raw), doc, ("figures", i, "value"), f"figure '{raw['id']}'"
            )
    for i, raw in enumerate(source_doc.data["sources"]):
        for name in SOURCE_FIELDS:
            out[f"sources/{raw['id']}/{name}"] = Current(
                "source", str(raw[name]), source_doc, ("sources", i, name), f"source '{raw['id']}' {name}"
            )
    return out


def entry_hash(raw: dict[str, Any]) -> str:
    """A fingerprint of one log entry as written: any later edit to it changes the hash."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def correct_command(target: str, kind: str, value: Any) -> str:
    """The exact command that records this change (the reason, source and locator left to fill in)."""
    tail = '--reason "WHY" --source SOURCE-ID --locator "WHERE IN THE SOURCE"'
    parts = target.split("/")
    if parts[0] == "figures":
        return f"python scripts/correct.py figure {parts[1]} {_arg(kind, value)} {tail}"
    return f"python scripts/correct.py source {parts[1]} {parts[2]} {_arg(kind, value)} {tail}"


def _field(path: JsonPath) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


class _Rules:
    def __init__(self, log: Document, snap: Document, site: Document, current: dict[str, Current]):
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
        target = raw["corrects"]
        cur = self.current.get(target)
        if cur is None:
            parts = target.split("/")
            if parts[0] == "figures":
                known = sorted(t.split("/")[1] for t in self.current if t.startswith("figures/"))
                msg = f"unknown figure '{parts[1]}'; expected figures/ID with one of: {', '.join(known)}"
            elif not any(t.startswith(f"sources/{parts[1]}/") for t in self.current):
                msg = f"unknown source '{parts[1]}'; expected one of: {', '.join(sorted(sources))}"
            else:
                msg = f"'{parts[2]}' is not a field a correction can change; expected one of: " + ", ".join(
                    SOURCE_FIELDS
                )
            self.at(self.log, (*path, "corrects"), msg)
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
        for i, raw in enumerate(entries):
            kinds.append(self.entry(i, raw, sources, seen))
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
                    "record a further correction with scripts/correct.py if a value is still wrong",
                )

        # Each target's entries form a chain; the newest gives the value now in the data.
        last: dict[str, int] = {}
        for i, raw in enumerate(entries):
            if kinds[i] is None:
                continue
            target = raw["corrects"]
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
            mine = [i for i in range(n_pub, len(entries)) if kinds[i] and entries[i]["corrects"] == target]
            if not mine:
                if not same(cur.value, old_value):
                    self.at(
                        cur.doc,
                        cur.path,
                        f"{cur.what} is {text_form(cur.kind, cur.value)!r}, but version "
                        f"{version} published {text_form(kind, old_value)!r} and {LOG_FILE} records no "
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
        for section, prefix in (("figures", "figures/"), ("sources", "sources/")):
            for key, value in snap[section].items():
                targets = (
                    [f"{prefix}{key}"] if section == "figures" else [f"{prefix}{key}/{f}" for f in value]
                )
                for target in targets:
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
                f"'{site['version']}', but {SNAPSHOT_FILE} is version {version}; "
                "expected the version changed only by make publish",
            )
        release = Release(
            version=site["version"],
            date=str(site["date"]),
            first_version=snap["first_published"]["version"],
            first_date=str(snap["first_published"]["date"]),
        )
        made = []
        for i, raw in enumerate(entries):
            kind = kinds[i]
            if kind is None:
                continue
            convert = source_value if kind == "source" else (lambda v, k=kind: figure_value(k, v))
            made.append(
                Correction(
                    id=raw["id"],
                    date=str(raw["date"]),
                    target=raw["corrects"],
                    previous=convert(raw["previous"]),
                    new=convert(raw["new"]),
                    reason=raw["reason"],
                    cite=Citation(raw["source"], raw["locator"]),
                    published_in=published[i]["version"] if i < n_pub else None,
                    line=self.log.position(("entries", i)).line,
                )
            )
        return release, tuple(made)

    def _snapshot_value(self, target: str) -> tuple[str, Any] | None:
        parts = target.split("/")
        snap = self.snap.data
        if parts[0] == "figures":
            item = snap["figures"].get(parts[1])
            return (item["kind"], item["value"]) if item else None
        fields = snap["sources"].get(parts[1]) or {}
        return ("source", fields[parts[2]]) if parts[2] in fields else None


def check(
    site: Document, log: Document, snap: Document, current: dict[str, Current], sources: set[str]
) -> tuple[Release | None, tuple[Correction, ...], list[Problem]]:
    """Every rule of the log and the snapshot; returns the release, the corrections and the problems."""
    rules = _Rules(log, snap, site, current)
    release, made = rules.check(sources)
    return release, made, rules.problems


def snapshot(
    current: dict[str, Current],
    log_entries: list[dict[str, Any]],
    previous: dict[str, Any] | None,
    version: str,
    date: str,
) -> dict[str, Any]:
    """What data/published.yaml holds after publishing VERSION: every value now, and every entry."""
    figures: dict[str, Any] = {}
    sources: dict[str, dict[str, str]] = {}
    for target, cur in current.items():
        parts = target.split("/")
        if parts[0] == "figures":
            figures[parts[1]] = {"kind": cur.kind, "value": cur.value}
        else:
            sources.setdefault(parts[1], {})[parts[2]] = cur.value
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
