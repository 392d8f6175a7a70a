"""How the command reads a value by the figure's kind, and writes it back for a shell."""

from __future__ import annotations

import pytest

from trialsite.data.values import ValueProblem, as_argument, parse, same, text_form


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("percent", "96", 96),
        ("percent", "96.5%", 96.5),
        ("count", "32", 32),
        ("range", "60-84", {"low": 60, "high": 84}),
        ("range", "60 to 84", {"low": 60, "high": 84}),
        ("range", "60\u201384", {"low": 60, "high": 84}),
        ("cycles", "4-5", {"min": 4, "max": 5}),
        ("cycles", "up to 2", {"min": "unknown", "max": 2}),
        ("cycles", "3", {"min": 3, "max": 3}),
        ("qualitative", "  Most   patients ", "Most patients"),
        ("source", "10.1200/JCO.25.00001", "10.1200/JCO.25.00001"),
    ],
)
def test_parse_by_kind_and_back(kind: str, text: str, value: object) -> None:
    parsed = parse(kind, text)
    assert same(parsed, value)
    assert same(parse(kind, text_form(kind, parsed)), value)


@pytest.mark.parametrize(
    ("kind", "text"),
    [("percent", "101"), ("percent", "lots"), ("count", "3.5"), ("count", "-1"), ("range", "84-60"),
     ("range", "sixty"), ("cycles", "5-4"), ("qualitative", "   ")],
)  # fmt: skip
def test_parse_refuses_what_does_not_fit(kind: str, text: str) -> None:
    with pytest.raises(ValueProblem):
        parse(kind, text)


def test_same_treats_96_and_96_0_alike_but_not_text_and_numbers() -> None:
    assert same(96, 96.0)
    assert not same("96", 96)
    assert same({"low": 60, "high": 84.0}, {"high": 84, "low": 60})


def test_as_argument_quotes_for_a_shell() -> None:
    assert as_argument("cycles", {"min": "unknown", "max": 2}) == "'up to 2'"
    assert as_argument("qualitative", "It's fine") == "'It'\"'\"'s fine'"
    assert as_argument("percent", 96.5) == "96.5"
