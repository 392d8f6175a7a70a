"""Each enumeration is declared once, as a `Literal` in trialsite/data/model.py; the JSON Schemas that
editors and the docs read repeat it, and this test is what keeps every copy the same (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest

from trialsite.data import model
from trialsite.data.values import FIGURE_KINDS
from trialsite.outputs.downloads import BASES

SCHEMAS = Path(__file__).resolve().parent.parent / "trialsite" / "data" / "schemas"

# Every `enum` of a string in the schemas, by where it stands, and the Literal it repeats.
DECLARED: dict[str, Any] = {
    "published.schema.json#/properties/figures/additionalProperties/properties/kind": model.FigureKind,
    "sources.schema.json#/$defs/source/properties/kind": model.SourceKind,
    "study.schema.json#/$defs/figure/properties/kind": model.FigureKind,
    "study.schema.json#/$defs/basis": model.Basis,
    "study.schema.json#/$defs/comparison/properties/reasons/items": model.Reason,
    "common.schema.json#/$defs/interval/properties/sided": model.Sided,
}


def _enums(node: Any, where: str) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    if isinstance(node, dict):
        if "enum" in node and all(isinstance(v, str) for v in node["enum"]):
            found[where] = node["enum"]
        for key, value in node.items():
            found |= _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found |= _enums(value, f"{where}/{i}")
    return found


def _all_enums() -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        found |= _enums(json.loads(path.read_text(encoding="utf-8")), f"{path.name}#")
    return found


def test_every_string_enumeration_in_the_schemas_is_declared_in_the_model() -> None:
    assert sorted(_all_enums()) == sorted(DECLARED)


@pytest.mark.parametrize("where", sorted(DECLARED))
def test_the_schema_repeats_the_model_word_for_word(where: str) -> None:
    assert _all_enums()[where] == list(get_args(DECLARED[where]))


def test_the_code_reads_the_enumerations_from_the_model() -> None:
    assert get_args(model.FigureKind) == FIGURE_KINDS
    assert get_args(model.Basis) == BASES
