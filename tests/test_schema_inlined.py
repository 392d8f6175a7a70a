"""The inlined schemas used for speed report exactly the errors the schemas as written report, and
the quick check (fastjsonschema) passes exactly what they pass.

Every data file is broken in many ways (each value replaced, each key removed, an unknown key added)
and both validators must give the same errors, in the same order, with the same details. Each shape
of path (a field of a figure of one kind, of a report, of a source...) is broken once, at its first
place, not at every figure and report that repeats it.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from trialsite.data.load import DateText, load_document
from trialsite.data.schema import passes_quickly, registry_validator, validator

ROOT = Path(__file__).resolve().parent.parent
FILES = {"study": sorted((ROOT / "data" / "studies").glob("*.yaml"))[0]}
FILES["sources"] = ROOT / "data" / "sources.yaml"
FILES["glossary"] = ROOT / "data" / "glossary.yaml"
FILES["site"] = ROOT / "data" / "site.yaml"
FILES["corrections"] = ROOT / "data" / "corrections.yaml"
FILES["published"] = ROOT / "data" / "published.yaml"


def _paths(data: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*path, i))


def _shape(data: Any, path: tuple) -> tuple:
    """A path with its list positions left out, and the kind of the figure it is in (a value's
    shape depends on it): every path of one shape meets the same part of the schema."""
    shape = tuple("[]" if isinstance(part, int) else part for part in path)
    if path[:1] == ("figures",) and len(path) > 1 and isinstance(data, dict):
        figure = data["figures"][path[1]]
        return (figure.get("kind") if isinstance(figure, dict) else None, *shape)
    return shape


def _each_shape(data: Any, times: int = 1) -> Iterator[tuple]:
    """The first TIMES paths of each shape (once is enough: the figure's kind is part of the shape).
    The study repeats one shape per figure and per report; breaking every copy multiplies the time,
    not what is checked."""
    seen: dict[tuple, int] = {}
    for path in _paths(data):
        shape = _shape(data, path)
        seen[shape] = seen.get(shape, 0) + 1
        if seen[shape] <= times:
            yield path


def _sample(data: Any) -> Any:
    """A study with only as many figures as it takes to hold every shape of path (chosen greedily):
    every field of every kind of figure and report is still there to break, in a smaller file."""
    if not (isinstance(data, dict) and isinstance(data.get("figures"), list)):
        return data
    shapes: dict[int, set[tuple]] = {}
    for path in _paths(data):
        if path[:1] == ("figures",) and len(path) > 1:
            shapes.setdefault(path[1], set()).add(_shape(data, path))
    missing = set().union(*shapes.values())
    keep: list[int] = []
    while missing:
        best = max(shapes, key=lambda i: len(shapes[i] & missing))
        keep.append(best)
        missing -= shapes[best]
    return {**data, "figures": [data["figures"][i] for i in sorted(keep)]}


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _broken(data: Any) -> Iterator[Any]:
    for path in _each_shape(data):
        if path:
            old = _get(data, path)
            for bad in (None, DateText("2025-01-01")) if isinstance(old, str) else (None,):
                changed = copy.deepcopy(data)
                _get(changed, path[:-1])[path[-1]] = bad
                yield changed
        node = _get(data, path)
        if isinstance(node, dict) and node:
            changed = copy.deepcopy(data)
            target = _get(changed, path)
            del target[next(iter(target))]
            target["unexpected"] = 1
            yield changed


def _errors(v: Any, data: Any) -> list[tuple]:
    return [
        (
            tuple(e.absolute_path),
            e.validator,
            # What a keyword was given differs only in spelling ($ref or its target) except for
            # `type`, whose value trialsite.validate shows in its messages.
            repr(e.validator_value) if e.validator == "type" else None,
            e.message,
            e.schema.get("x-expected") if isinstance(e.schema, dict) else None,
            sorted((e.schema.get("properties") or {}) if isinstance(e.schema, dict) else {}),
        )
        for e in v.iter_errors(data)
    ]


@pytest.mark.parametrize("kind", sorted(FILES))
def test_inlined_schema_reports_the_same_errors(kind: str) -> None:
    data = _sample(load_document(FILES[kind], FILES[kind].name).data)
    fast, written = validator(kind), registry_validator(kind)
    assert _errors(fast, data) == _errors(written, data) == []
    cases = 0
    for changed in _broken(data):
        assert _errors(fast, changed) == _errors(written, changed)
        cases += 1
    assert cases >= 2


def _needs_full_check(data: Any) -> bool:
    """What the loader marks (Document.needs_full_check): a number that is not finite."""
    return any(isinstance(v, float) and not math.isfinite(v) for v in (_get(data, p) for p in _paths(data)))


def _more_broken(data: Any) -> Iterator[Any]:
    """Besides _broken: each value replaced by a value of each other kind."""
    for path in _each_shape(data):
        if not path:
            continue
        for bad in (
            "text",
            "",
            0,
            -1,
            2.5,
            10**12,
            True,
            [],
            {},
            ["x"],
            # No NaN: a non-finite number is routed to jsonschema by the loader, never asked here.
            "2025-02-30",
            DateText("2025-01-01"),
        ):
            changed = copy.deepcopy(data)
            _get(changed, path[:-1])[path[-1]] = bad
            yield changed


@pytest.mark.parametrize("kind", sorted(FILES))
def test_quick_check_says_yes_only_when_jsonschema_does(kind: str) -> None:
    """passes_quickly is trusted to skip jsonschema, so it must never pass what jsonschema refuses;
    it should also refuse what jsonschema refuses, or the speed is lost. Data the loader routes to
    jsonschema anyway (a non-finite number) is not asked."""
    data = _sample(load_document(FILES[kind], FILES[kind].name).data)
    assert passes_quickly(kind, data)
    assert not _needs_full_check(data)  # and no broken copy gets a non-finite number
    full_check = validator(kind)
    asked = 0
    for changed in [*_broken(data), *_more_broken(data)]:
        asked += 1
        # is_valid stops at jsonschema's first error: only whether there is one is asked here.
        assert passes_quickly(kind, changed) == full_check.is_valid(changed), changed
    assert asked >= 10
