"""Figure references in hand-written pages: found with line and column, or reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from trialsite.data.dataset import load_dataset
from trialsite.data.model import Dataset
from trialsite.pages.markup import md_escape
from trialsite.pages.refs import Ref, check_text, directives, parse, substitute

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(ROOT / "data", ROOT)


def test_references_are_read_with_their_form(data: Dataset) -> None:
    assert parse("fig:remission", data) == Ref("fig", "remission", "value")
    assert parse("fig:age-range|bare", data) == Ref("fig", "age-range", "bare")
    assert parse("fig:patients-treated|number", data) == Ref("fig", "patients-treated", "number")
    text = "Intro\n[[key-results]]\n    [[limits]]\n[[at-a-glance]] \n"
    assert [(r.kind, text[r.start : r.end].strip()) for r in directives(text)] == [
        ("key-results", "[[key-results]]"),
        ("at-a-glance", "[[at-a-glance]]"),
    ]  # an indented line is code


def test_substitute_replaces_each_directive_once() -> None:
    text = "a\n[[limits]]\nb\n[[data-files]]\nc"
    assert substitute(text, directives(text), lambda r: f"<{r.kind}>") == "a\n<limits>\nb\n<data-files>\nc"


@pytest.mark.parametrize(
    ("text", "col", "fragment"),
    [
        ("x [[fig:nope]]", 3, "unknown figure id 'nope'"),
        ("x [[fig remission]]", 3, "is not a figure reference"),
        ("x [[fig:remission|bold]]", 3, "unknown form '|bold'"),
        ("x [[fig:remission", 3, "not closed on the same line"),
        ("x [[]]", 3, "is not a figure reference"),
    ],
)
def test_bad_references_are_reported_where_they_stand(
    data: Dataset, text: str, col: int, fragment: str
) -> None:
    problems = check_text("line one\n" + text, "docs/x.md", data)
    assert len(problems) == 1
    assert (problems[0].path, problems[0].line, problems[0].col) == ("docs/x.md", 2, col)
    assert fragment in problems[0].message
    assert "expected" in problems[0].message


def test_escaped_data_text_is_never_a_reference(data: Dataset) -> None:
    assert check_text(md_escape("see [[fig:remission]] and [[nope]]"), "docs/x.md", data) == []


def test_source_references_name_a_source_by_id(data: Dataset) -> None:
    """Prose cites a source by id, so its number follows the order of data/sources.yaml."""
    first, second = data.sources[0], data.sources[1]
    assert parse(f"source:{second.id}", data) == Ref("source", second.id, "")
    assert parse(f"source:{first.id}|address", data) == Ref("source", first.id, "address")
    text = f"from [[source:{second.id}]] reporting [[source:{first.id}]]; [[source:no-such-source]]"
    problems = check_text(text, "docs/x.md", data)
    assert [(p.line, p.col) for p in problems] == [(1, text.index("[[source:no-such") + 1)]
    assert "unknown source id 'no-such-source'; expected one of: " in problems[0].message


def test_a_source_reference_becomes_its_numbered_link(data: Dataset) -> None:
    from citehelpers import context_for

    from trialsite.pages.fragments import Fragments

    source = data.sources[1]
    assert Fragments(context_for(data)).source_inline(source.id, "index.md") == (
        f"[source {source.number_in_list}](sources.md#{source.id})"
    )
