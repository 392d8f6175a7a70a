"""Every text field of every data file, found by walking the JSON Schemas (trialsite/data/schemas/).

A field is named by its file kind and a path pattern: property names, `[]` for a list's items, `{}`
for a mapping's values and `{key}` for its keys, e.g. `study: figures[].label`. $refs are resolved,
and anyOf, oneOf, allOf and if/then/else branches all count, so a field added to a schema later is
found here without any edit.

Each field that may hold a string is either
- free: some string it may hold has no pattern, enum, const or format, so it can carry markup;
- constrained: every string it may hold is limited by a pattern, enum, const or format (ids, DOIs,
  addresses, dates): the schema itself keeps markup out, and `excluded_by` says how;
- a copy (`x-copy-of` in the schema): the build requires it to equal a value written elsewhere, so
  it is never filled on its own; it is covered through the field it copies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from trialsite.data.schema import SCHEMA_NAMES, schema_text

# The schemas of the data files (common holds shared types only).
FILE_KINDS = ("study", "sources", "glossary", "site", "corrections", "published")
ITEM, VALUE, KEY = "[]", "{}", "{key}"
_CONSTRAINTS = ("pattern", "enum", "const", "format")

Pattern = tuple[str, ...]


@dataclass
class Field:
    kind: str
    pattern: Pattern
    strings: list[dict[str, Any]] = field(default_factory=list)  # the string schemas it may match
    copy_of: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.kind}: {show(self.pattern)}"

    @property
    def free(self) -> bool:
        return any(not _constraint(s) for s in self.strings)

    @property
    def excluded_by(self) -> str:
        """Why no markup can stand in it, from the schema: its patterns, enums, consts and formats."""
        return "; ".join(sorted({_constraint(s) for s in self.strings}))


def show(pattern: Pattern) -> str:
    out = ""
    for part in pattern:
        out += part if part in (ITEM, VALUE, KEY) else (f".{part}" if out else part)
    return out


def _constraint(schema: dict[str, Any]) -> str:
    for key in _CONSTRAINTS:
        if key in schema:
            value = schema[key]
            return f"{key} {value!r}" if key != "enum" else f"enum {sorted(map(str, value))}"
    return ""


@cache
def _docs() -> dict[str, dict[str, Any]]:
    docs = {name: json.loads(schema_text(name)) for name in SCHEMA_NAMES}
    return {d["$id"].rsplit("/", 1)[-1]: d for d in docs.values()}


def _file_of(kind: str) -> str:
    return f"{kind}.schema.json"


def resolve(ref: str, here: str) -> tuple[Any, str]:
    """A $ref ('common.schema.json#/$defs/text' or '#/$defs/entry') -> (its schema, its file)."""
    file, _, pointer = ref.partition("#")
    owner = file or here
    target: Any = _docs()[owner]
    for part in filter(None, pointer.split("/")):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    return target, owner


def _allows_string(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if kind is not None:
        return kind == "string" or (isinstance(kind, list) and "string" in kind)
    if "const" in schema:
        return isinstance(schema["const"], str)
    if "enum" in schema:
        return any(isinstance(v, str) for v in schema["enum"])
    # No type at all (a figure's `value` before its kind's branch): anything, text included.
    # A branch that only asks for fields (`then: {required: [...]}`) speaks of an object, not text.
    structural = (
        "properties",
        "items",
        "additionalProperties",
        "$ref",
        "anyOf",
        "oneOf",
        "allOf",
        "required",
    )
    return not any(k in schema for k in structural) and "if" not in schema


class _Walker:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.fields: dict[Pattern, Field] = {}
        self.containers: set[Pattern] = {()}
        self.properties: dict[Pattern, set[str]] = {}
        # Objects that are one of several shapes (an author: a person or an organisation): a field
        # of one shape must not be added to an instance of another.
        self.unions: set[Pattern] = set()
        # Fields that bring others with them (`if: {required: [a]}, then: {required: [b]}`): an
        # optional field is added to an instance only when what it requires is there.
        self.requires: dict[Pattern, dict[str, set[str]]] = {}
        # Mappings whose keys follow other data (`x-keys-follow-data`: a source's evidence has an
        # entry for each field it states): no key is added to them, their values are still filled.
        self.keys_follow_data: set[Pattern] = set()

    def field(self, pattern: Pattern) -> Field:
        return self.fields.setdefault(pattern, Field(self.kind, pattern))

    def walk(self, node: Any, pattern: Pattern, here: str, depth: int = 0) -> None:
        if not isinstance(node, dict) or depth > 60:
            return
        if "$ref" in node:
            # As trialsite.data.schema inlines it: the target's keywords over the siblings'.
            target, owner = resolve(node["$ref"], here)
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            self.walk({**siblings, **target}, pattern, owner, depth + 1)
            return
        if node.get("x-keys-follow-data"):
            self.keys_follow_data.add(pattern)
        copy = node.get("x-copy-of")
        if copy:
            self.field(pattern).copy_of.extend([copy] if isinstance(copy, str) else copy)
        for key in ("anyOf", "oneOf"):
            if len(node.get(key, [])) > 1:
                self.unions.add(pattern)
        for key in ("anyOf", "oneOf", "allOf"):
            for branch in node.get(key, []):
                self.walk(branch, pattern, here, depth + 1)
        when = (node.get("if") or {}).get("required", [])
        needs = (node.get("then") or {}).get("required", [])
        for name in when:
            self.requires.setdefault(pattern, {}).setdefault(name, set()).update(set(needs) - {name})
        for key in ("then", "else"):
            if key in node:
                self.walk(node[key], pattern, here, depth + 1)
        if _allows_string(node):
            self.field(pattern).strings.append(node)
        for name, sub in (node.get("properties") or {}).items():
            if sub is True:
                self.properties.setdefault(pattern, set()).add(name)
                continue
            self.containers.add(pattern)
            self.properties.setdefault(pattern, set()).add(name)
            self.walk(sub, (*pattern, name), here, depth + 1)
        if isinstance(node.get("items"), dict):
            self.containers.add(pattern)
            self.walk(node["items"], (*pattern, ITEM), here, depth + 1)
        if isinstance(node.get("additionalProperties"), dict):
            self.containers.add(pattern)
            self.walk(node["additionalProperties"], (*pattern, VALUE), here, depth + 1)
            # A mapping's keys are text too: free unless propertyNames constrains them.
            names = node.get("propertyNames", {"type": "string"})
            self.walk({"type": "string", **names}, (*pattern, KEY), here, depth + 1)


@dataclass(frozen=True)
class Schema:
    """The fields of one kind of data file."""

    kind: str
    fields: dict[Pattern, Field]
    containers: frozenset[Pattern]
    properties: dict[Pattern, set[str]]
    unions: frozenset[Pattern] = frozenset()
    requires: dict[Pattern, dict[str, set[str]]] = field(default_factory=dict)
    keys_follow_data: frozenset[Pattern] = frozenset()

    def child(self, pattern: Pattern, key: str | int) -> Pattern:
        """The pattern of one key or item of an instance at `pattern`."""
        if isinstance(key, int):
            return (*pattern, ITEM)
        named = (*pattern, key)
        if named in self.fields or named in self.containers or key in self.properties.get(pattern, ()):
            return named
        return (*pattern, VALUE)


@cache
def schema_fields(kind: str) -> Schema:
    walker = _Walker(kind)
    walker.walk(_docs()[_file_of(kind)], (), _file_of(kind))
    fields = {p: f for p, f in walker.fields.items() if f.strings}
    return Schema(
        kind,
        fields,
        frozenset(walker.containers),
        walker.properties,
        frozenset(walker.unions),
        walker.requires,
        frozenset(walker.keys_follow_data),
    )


def all_fields() -> list[Field]:
    return [f for kind in FILE_KINDS for f in schema_fields(kind).fields.values()]


def copy_target_constraint(ref: str) -> str:
    """'' when the field a copy copies may hold free text; else how the schema constrains it.
    A ref to a `properties` object stands for any of those properties."""
    file, _, _pointer = ref.partition("#")
    target, owner = resolve(ref, file)
    kind = owner.removesuffix(".schema.json")
    walker = _Walker(kind)
    schemas = target.values() if ref.endswith("/properties") else [target]
    found: list[Field] = []
    for i, sub in enumerate(schemas):
        walker.walk(sub, (str(i),), owner)
        found.extend(f for p, f in walker.fields.items() if p[:1] == (str(i),) and f.strings)
    if any(f.free for f in found):
        return ""
    return "; ".join(sorted({f.excluded_by for f in found}))
