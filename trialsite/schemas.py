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


@cache
def validator(name: str) -> Any:
    """A validator for one kind of data file: 'study', 'sources' or 'glossary'."""
    return _Validator(json.loads(schema_text(name)), registry=_registry(), format_checker=_formats)
