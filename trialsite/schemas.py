"""The JSON Schemas that document and check each data file, with our type rules added.

Two rules JSON Schema cannot say on its own: a number must be finite (YAML reads `.nan` and `.inf`),
and text must not be something YAML read as a date (`x-text`), which the loader marks with DateText.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from referencing import Registry, Resource

from trialsite.load import DateText

SCHEMA_NAMES = ("common", "study", "sources", "glossary", "site", "corrections", "published")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_number(_checker: Any, instance: Any) -> bool:
    return isinstance(instance, int | float) and not isinstance(instance, bool) and math.isfinite(instance)


def _is_integer(_checker: Any, instance: Any) -> bool:
    return _is_number(_checker, instance) and float(instance).is_integer()


def _x_text(_validator: Any, wanted: bool, instance: Any, _schema: Any) -> Iterator[ValidationError]:
    if wanted and isinstance(instance, DateText):
        yield ValidationError("read as a date", validator="x-text")


_formats = FormatChecker()


@_formats.checks("date", raises=ValueError)
def _is_iso_date(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _ISO_DATE.match(instance):
        return False
    dt.date.fromisoformat(instance)
    return True


_Validator = validators.extend(
    Draft202012Validator,
    validators={"x-text": _x_text},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"number": _is_number, "integer": _is_integer}
    ),
)


def schema_text(name: str) -> str:
    return resources.files("trialsite.schema").joinpath(f"{name}.schema.json").read_text("utf-8")


@cache
def _registry() -> Registry:
    registry: Registry = Registry()
    for name in SCHEMA_NAMES:
        contents = json.loads(schema_text(name))
        registry = registry.with_resource(contents["$id"], Resource.from_contents(contents))
    return registry


def _inlined(name: str) -> dict[str, Any]:
    """The schema with every $ref replaced by a copy of its target (our schemas have no cycles).

    Resolving a $ref through the registry on every use was most of the validation time of a large
    data set; inlined, the same keywords are checked in the same order, so the errors are the same.
    The only keywords beside our $refs are descriptions, which the target's own take precedence over.
    """
    docs = {n: json.loads(schema_text(n)) for n in SCHEMA_NAMES}
    by_id = {d["$id"].rsplit("/", 1)[-1]: n for n, d in docs.items()}

    def resolve(ref: str, here: str) -> tuple[Any, str]:
        file, _, pointer = ref.partition("#")
        owner = by_id[file] if file else here
        target: Any = docs[owner]
        for part in filter(None, pointer.split("/")):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target, owner

    def inline(node: Any, here: str, depth: int = 0) -> Any:
        if depth > 50:
            raise ValueError(f"schema {name}: $ref nesting too deep (a cycle?)")
        if isinstance(node, dict):
            if "$ref" in node:
                target, owner = resolve(node["$ref"], here)
                siblings = {k: v for k, v in node.items() if k != "$ref"}
                return {**siblings, **inline(target, owner, depth + 1)}
            return {k: inline(v, here, depth) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v, here, depth) for v in node]
        return node

    return inline(docs[name], name)


def registry_validator(name: str) -> Any:
    """The schema as written, its $refs resolved through the registry (what `validator` inlines)."""
    return _Validator(json.loads(schema_text(name)), registry=_registry(), format_checker=_formats)


@cache
def validator(name: str) -> Any:
    """A validator for one kind of data file: 'study', 'sources' or 'glossary'."""
    return _Validator(_inlined(name), registry=_registry(), format_checker=_formats)
