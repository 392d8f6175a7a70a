"""A copy of the project in which every free text field of every data file holds hostile text.

The fields come from the schemas (tests/schemafields.py), not from a list: a field added later is
filled without an edit here. Each instance of a field gets its own payload, tagged `T<field>_<n>T`,
so a leak found in any output names the field it came from. A payload carries HTML and script,
Markdown and template syntax, BibTeX, RIS and spreadsheet-formula specials and a newline, and opens
with a formula character (=, +, -, @ or a tab, in turn). The copy still validates: constrained fields
(ids, DOIs, addresses, dates) keep their values, and copies (`x-copy-of`) are made to agree with
what they copy: the snapshot is written by the publish command's own snapshot function, and one
correction of a figure and one of a source field are logged the way the correct command logs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from schemafields import FILE_KINDS, ITEM, KEY, Pattern, Schema, schema_fields, show

from trialsite.data.values import EVIDENCED_FIELDS

TAG = re.compile(r"T(\d+)_(\d+)T", re.IGNORECASE)
FORMULA_STARTS = ("=", "+", "-", "@", "\t")
DATA_FILES = {"sources": "sources.yaml", "glossary": "glossary.yaml", "site": "site.yaml"}


# Three kinds of payload, short enough that two of them in one title stay within the limits of the
# formats they reach (a slide deck's title property holds 255 characters). Build N gives instance k
# kind (N + k) % 3, so over the three builds every field carries every kind.
KINDS = 3


def payload(tag: str, n: int, build: int = 0) -> str:
    s = FORMULA_STARTS[n % len(FORMULA_STARTS)]
    kind = (build + n) % KINDS
    if kind == 0:  # HTML: a script, an event handler, a broken attribute, a comment
        return (
            f'{s}<script>hit("{tag}")</script>"><img src=x onerror=hit("{tag}")>'
            f'\'><svg onload=hit("{tag}")><!--'
        )
    if kind == 1:  # Markdown and template code
        return (
            f'{s}[m{tag}](javascript:hit("{tag}")) *e* _u_ `c` {{{{7*7}}}} {{%if 1%}}x{{%endif%}}'
            f" [[fig:remission]] $x^2$ <b>{tag}</b>"
        )
    # BibTeX, RIS, XML and a line break
    return (
        f'{s}HYPERLINK("x") }} @misc{{{tag}, \\input{{/etc/passwd}} 50% & &amp; ]]>'
        f'\nER  - \n<script>hit("{tag}")</script>'
    )


@dataclass
class Plan:
    """What was put where: each tag's field and payload, and which fields got at least one."""

    build: int = 0
    payloads: dict[str, str] = field(default_factory=dict)  # tag -> payload
    fields: dict[str, str] = field(default_factory=dict)  # tag -> field name
    _numbers: dict[str, int] = field(default_factory=dict)

    def new(self, field_name: str) -> str:
        number = self._numbers.setdefault(field_name, len(self._numbers) + 1)
        tag = f"T{number}_{sum(1 for f in self.fields.values() if f == field_name) + 1}T"
        self.payloads[tag] = payload(tag, len(self.payloads), self.build)
        self.fields[tag] = field_name
        return self.payloads[tag]

    def field_of(self, tag: str) -> str:
        return self.fields.get(tag.upper(), f"unknown tag {tag}")

    def tags_in(self, text: str) -> list[str]:
        return sorted({f"T{a}_{b}T" for a, b in TAG.findall(text)})

    def name_fields(self, text: str) -> str:
        """The fields whose tags stand in a finding, for its message."""
        return ", ".join(sorted({self.field_of(t) for t in self.tags_in(text)})) or "no tagged field"


def fill(data: Any, schema: Schema, plan: Plan, pattern: Pattern = ()) -> Any:
    """`data` with every free text value replaced by a payload, and every optional free text field
    that is missing added. Copies and constrained fields keep their values."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            child = schema.child(pattern, key)
            out[key] = fill(value, schema, plan, child)
        # A missing optional field is added, unless the object is one of several shapes or the
        # field needs another that is not there (a glossary locator needs its source).
        addable = pattern not in schema.unions and pattern not in schema.keys_follow_data
        for name in sorted(schema.properties.get(pattern, ()) if addable else ()):
            spec = schema.fields.get((*pattern, name))
            needs = schema.requires.get(pattern, {}).get(name, set())
            if (
                name not in out
                and spec
                and spec.free
                and not spec.copy_of
                and _only_text(spec)
                and needs <= out.keys()
            ):
                out[name] = plan.new(f"{schema.kind}: {show((*pattern, name))}")
        return out
    if isinstance(data, list):
        spec = schema.fields.get((*pattern, ITEM))
        if len(data) == 1 and isinstance(data[0], str) and spec and spec.free and not spec.copy_of:
            # A one-item list keeps its real item and gains a payload: a glossary term's one
            # spelling still matches the pages' text, so its tooltip (the hostile definition) shows.
            return [data[0], plan.new(f"{schema.kind}: {show((*pattern, ITEM))}")]
        return [fill(v, schema, plan, (*pattern, ITEM)) for v in data]
    spec = schema.fields.get(pattern)
    if isinstance(data, str) and spec and spec.free and not spec.copy_of and pattern[-1:] != (KEY,):
        return plan.new(f"{schema.kind}: {show(pattern)}")
    return data


def _only_text(spec: Any) -> bool:
    return all(s.get("type") == "string" for s in spec.strings)


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # our loader refuses aliases: write a shared value out in full each time


def _write(path: Path, data: Any) -> None:
    text = yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=10_000)
    path.write_text(text, "utf-8")


def _resnapshot(project: Path) -> None:
    from trialsite.commands.publish import make_snapshot

    release = _read(project / "data" / "site.yaml")
    (project / "data" / "published.yaml").write_text(
        make_snapshot(project, str(release["version"]), str(release["date"])), "utf-8"
    )


def _log_corrections(project: Path, plan: Plan) -> None:
    """One correction of a text figure and one of a source's title, logged as the correct command
    logs them (value changed in the data, entry appended), with hostile new values."""
    data_dir = project / "data"
    study_path = sorted((data_dir / "studies").glob("*.yaml"))[0]
    study, sources = _read(study_path), _read(data_dir / "sources.yaml")
    day = _read(data_dir / "site.yaml")["date"]
    figure = next(f for f in study["figures"] if f["kind"] == "qualitative")
    source = sources["sources"][0]
    entries = []
    for corrects, holder, key in (
        (f"figures/{figure['id']}", figure, "value"),
        (f"sources/{source['id']}/title", source, "title"),
    ):
        new = plan.new("corrections: entries[].new")
        entries.append(
            {
                "id": f"{day}-{corrects.split('/', 1)[1].replace('/', '-')}",
                "date": day,
                "corrects": corrects,
                "previous": holder[key],
                "new": new,
                "reason": "placeholder",
                "source": source["id"],
                "locator": "placeholder",
            }
        )
        holder[key] = new
    _write(study_path, study)
    _write(data_dir / "sources.yaml", sources)
    _write(data_dir / "corrections.yaml", {"entries": entries})


def _with_own_interval(study: dict[str, Any]) -> dict[str, Any]:
    """The study with one figure given, as its own, the interval of a report of the same value: no
    figure of the news release has one, and the interval's note must carry a payload too."""
    for figure in study.get("figures", []):
        for report in figure.get("also_reported", []):
            if report.get("ci") and report.get("value") == figure.get("value") and "ci" not in figure:
                figure["ci"] = [{k: v for k, v in ci.items() if k != "note"} for ci in report["ci"]]
                return study
    raise AssertionError("no report with an interval and its figure's value: give one to the test data")


def make_hostile(project: Path, build: int = 0) -> Plan:
    """Rewrite the copy's data/ in place; returns where each payload went."""
    plan = Plan(build)
    data_dir = project / "data"
    for path in sorted((data_dir / "studies").glob("*.y*ml")):
        _write(path, fill(_with_own_interval(_read(path)), schema_fields("study"), plan))
    for kind, name in DATA_FILES.items():
        filled = fill(_read(data_dir / name), schema_fields(kind), plan)
        for source in filled.get("sources", []) if kind == "sources" else []:
            source.pop("proper_nouns", None)  # given again at the end, from the final title
            if not source["authors"]:  # an organisation as author (a release's issuer) carries one too
                source["authors"] = [{"name": plan.new("sources: sources[].authors[].name")}]
            for author in source["authors"]:  # optional in one shape of a union: the walk adds none
                if "family" in author and "suffix" not in author:
                    author["suffix"] = plan.new("sources: sources[].authors[].suffix")
            if source["id"] == filled["sources"][0]["id"] and source["doi"] == "unknown":
                source["doi"] = "10.5555/trialsite.hostile"  # so that a DOI's evidence is stated too
            # Every field now stated says where it was read (x-keys-follow-data): a payload too.
            evidence = source.setdefault("evidence", {})
            for stated in EVIDENCED_FIELDS:
                if source.get(stated) not in (None, "unknown", []) and stated not in evidence:
                    evidence[stated] = plan.new(f"sources: sources[].evidence.{stated}")
        _write(data_dir / name, filled)
    _resnapshot(project)  # hostile text on purpose, not a correction: accept it as published
    _log_corrections(project, plan)
    path = data_dir / "corrections.yaml"
    _write(path, fill(_read(path), schema_fields("corrections"), plan))
    _resnapshot(project)  # the entries published too, so "published in version ..." shows
    path = data_dir / "published.yaml"
    _write(path, fill(_read(path), schema_fields("published"), plan))
    # Proper nouns are words of the title (x-copy-of): the final (corrected) payload title's tag.
    path = data_dir / "sources.yaml"
    sources = _read(path)
    for source in sources["sources"]:
        tags = plan.tags_in(source["title"]) if isinstance(source.get("title"), str) else []
        if tags:
            source["proper_nouns"] = [tags[-1]]
    _write(path, sources)
    return plan


def carried(project: Path, plan: Plan) -> dict[str, set[str]]:
    """Field name -> the tags its values hold in the copy's data files (copies included)."""
    out: dict[str, set[str]] = {}
    data_dir = project / "data"
    files = [("study", p) for p in sorted((data_dir / "studies").glob("*.y*ml"))]
    files += [(k, data_dir / n) for k, n in DATA_FILES.items()]
    files += [("corrections", data_dir / "corrections.yaml"), ("published", data_dir / "published.yaml")]
    for kind, path in files:
        schema = schema_fields(kind)

        def walk(v: Any, pattern: Pattern, schema: Schema = schema, kind: str = kind) -> None:
            if isinstance(v, dict):
                for key, item in v.items():
                    child = schema.child(pattern, key)
                    walk(item, child)
                    if child[-1] != key:  # a mapping: its key is a field too
                        walk(str(key), (*pattern, KEY))
            elif isinstance(v, list):
                for item in v:
                    walk(item, (*pattern, ITEM))
            elif isinstance(v, str) and plan.tags_in(v):
                out.setdefault(f"{kind}: {show(pattern)}", set()).update(plan.tags_in(v))

        walk(_read(path), ())
    return out


__all__ = ["FILE_KINDS", "Plan", "carried", "make_hostile", "payload"]
