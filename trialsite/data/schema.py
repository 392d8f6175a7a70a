"""The JSON Schemas that document and check each data file, with our type rules added.

Two rules JSON Schema cannot say on its own: a number must be finite (YAML reads `.nan` and `.inf`),
and text must not be something YAML read as a date (`x-text`), which the loader marks with DateText.

jsonschema checks and explains; it is also most of the time a large build spends validating. So each
file first meets `passes_quickly`, the same schemas compiled to Python by fastjsonschema, taught
`x-text` as a format: when that says yes (and the file has no number that is not finite, which it
cannot be taught), the file is valid; anything else goes to jsonschema, whose errors are reported.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from trialsite.data.load import DateText

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from referencing import Registry

# Every schema shipped in trialsite/data/schemas/: a new kind of data file is one more schema there.
SCHEMA_NAMES = tuple(
    sorted(
        f.name.removesuffix(".schema.json")
        for f in resources.files("trialsite.data.schemas").iterdir()
        if f.name.endswith(".schema.json")
    )
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_number(_checker: Any, instance: Any) -> bool:
    return isinstance(instance, int | float) and not isinstance(instance, bool) and math.isfinite(instance)


def _is_integer(_checker: Any, instance: Any) -> bool:
    return _is_number(_checker, instance) and float(instance).is_integer()


def _x_text(_validator: Any, wanted: bool, instance: Any, _schema: Any) -> Iterator[ValidationError]:
    from jsonschema import ValidationError

    if wanted and isinstance(instance, DateText):
        yield ValidationError("read as a date", validator="x-text")


def _is_iso_date(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _ISO_DATE.match(instance):
        return False
    try:
        dt.date.fromisoformat(instance)
    except ValueError:
        return False
    return True


@cache
def _validator_class() -> Any:
    """Imported on first use: a build whose files all pass quickly never needs jsonschema."""
    from jsonschema import Draft202012Validator, FormatChecker, validators

    formats = FormatChecker()
    formats.checks("date")(_is_iso_date)
    cls = validators.extend(
        Draft202012Validator,
        validators={"x-text": _x_text},
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
            {"number": _is_number, "integer": _is_integer}
        ),
    )
    return cls, formats


def schema_text(name: str) -> str:
    return resources.files("trialsite.data.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource

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


ITEM = "[]"


@cache
def marked_paths(name: str, keyword: str) -> frozenset[tuple[str, ...]]:
    """Where in a file of kind NAME the schema marks a field with KEYWORD (`x-figure-ref`: it holds
    a figure's id): paths of property names, ITEM standing for any item of a list. So a command that
    renames figures finds every reference from the schema, and a new field is found once marked."""
    found: set[tuple[str, ...]] = set()

    def walk(node: Any, path: tuple[str, ...], depth: int = 0) -> None:
        if not isinstance(node, dict) or depth > 80:
            return
        if node.get(keyword):
            found.add(path)
        for key in ("allOf", "anyOf", "oneOf", "then", "else"):
            sub = node.get(key)
            for branch in sub if isinstance(sub, list) else [sub]:
                walk(branch, path, depth + 1)
        for prop, sub in (node.get("properties") or {}).items():
            walk(sub, (*path, prop), depth + 1)
        walk(node.get("items"), (*path, ITEM), depth + 1)

    walk(_inlined(name), ())
    return frozenset(found)


def registry_validator(name: str) -> Any:
    """The schema as written, its $refs resolved through the registry (what `validator` inlines)."""
    cls, formats = _validator_class()
    return cls(json.loads(schema_text(name)), registry=_registry(), format_checker=formats)


@cache
def validator(name: str) -> Any:
    """A validator for one kind of data file: 'study', 'sources' or 'glossary'."""
    cls, formats = _validator_class()
    return cls(_inlined(name), registry=_registry(), format_checker=formats)


def _for_fastjsonschema(node: Any) -> Any:
    """A schema as fastjsonschema takes it. `const: X` becomes the equivalent `enum: [X]`
    (fastjsonschema 2.22.3 fails to compile `const` without detailed exceptions); `x-text` becomes a
    format that refuses a DateText; `$schema` goes, as it does not know draft 2020-12, and every
    keyword we use means the same in its draft 7."""
    if isinstance(node, dict):
        dropped = ("const", "$schema", "x-text")
        out = {k: _for_fastjsonschema(v) for k, v in node.items() if k not in dropped}
        if "const" in node:
            out["enum"] = [node["const"]]
        if node.get("x-text"):
            out["allOf"] = [*out.get("allOf", []), {"format": "trialsite-text"}]
        return out
    if isinstance(node, list):
        return [_for_fastjsonschema(v) for v in node]
    return node


def _not_a_date(instance: object) -> bool:
    return not isinstance(instance, DateText)


@cache
def _fast_schemas() -> dict[str, dict[str, Any]]:
    """Every schema as fastjsonschema takes it, by name."""
    return {name: _for_fastjsonschema(json.loads(schema_text(name))) for name in SCHEMA_NAMES}


@cache
def _quick(name: str) -> Callable[[Any], Any]:
    import fastjsonschema

    by_id = {schema["$id"]: schema for schema in _fast_schemas().values()}
    return fastjsonschema.compile(
        _fast_schemas()[name],
        handlers={"https": by_id.__getitem__},  # our $ids; nothing is fetched
        formats={"date": _is_iso_date, "trialsite-text": _not_a_date},
        use_default=False,
        detailed_exceptions=False,
    )


def passes_quickly(name: str, data: Any) -> bool:
    """True only when `data` certainly passes `validator(name)`; False means: ask it. Not for data
    holding a number that is not finite (see the module's docstring)."""
    try:
        _quick(name)(data)
    except Exception:  # any doubt, a crash too, goes to jsonschema
        return False
    return True
