"""Figure references in hand-written pages: found with line and column, or reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from trialsite.data.dataset import load_dataset
from trialsite.data.model import Dataset
from trialsite.pages.markup import md_escape
from trialsite.pages.refs import find_refs, substitute

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(ROOT / "data", ROOT)


def test_references_are_found_with_form_line_and_column(data: Dataset) -> None:
    text = "Intro\nsee [[fig:remission]] and [[fig:age-range|bare]]\n\n[[key-results]]\n"
    refs, problems = find_refs(text, "docs/x.md", data)
    assert problems == []
    assert [(r.kind, r.target, r.form, r.line, r.col) for r in refs] == [
        ("fig", "remission", "value", 2, 5),
        ("fig", "age-range", "bare", 2, 27),
        ("key-results", "", "", 4, 1),
    ]


def test_substitute_replaces_each_reference_once(data: Dataset) -> None:
    text = "a [[fig:remission|label]] b [[fig:remission|bare]] c"
    refs, _ = find_refs(text, "docs/x.md", data)
    assert substitute(text, refs, lambda r: f"<{r.form}>") == "a <label> b <bare> c"


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
    refs, problems = find_refs("line one\n" + text, "docs/x.md", data)
    assert refs == []
    assert len(problems) == 1
    assert (problems[0].path, problems[0].line, problems[0].col) == ("docs/x.md", 2, col)
    assert fragment in problems[0].message
    assert "expected" in problems[0].message


def test_escaped_data_text_is_never_a_reference(data: Dataset) -> None:
    refs, problems = find_refs(md_escape("see [[fig:remission]] and [[nope]]"), "docs/x.md", data)
    assert (refs, problems) == ([], [])


def test_source_references_name_a_source_by_id(data: Dataset) -> None:
    """Prose cites a source by id, so its number follows the order of data/sources.yaml."""
    first, second = data.sources[0], data.sources[1]
    text = f"from [[source:{second.id}]] reporting [[source:{first.id}]]; [[source:no-such-source]]"
    refs, problems = find_refs(text, "docs/x.md", data)
    assert [(r.kind, r.target) for r in refs] == [("source", second.id), ("source", first.id)]
    assert [(p.line, p.col) for p in problems] == [(1, text.index("[[source:no-such") + 1)]
    assert "unknown source id 'no-such-source'; expected one of: " in problems[0].message


def test_a_source_reference_becomes_its_numbered_link(data: Dataset) -> None:
    from citehelpers import context_for

    from trialsite.pages.fragments import Fragments

    source = data.sources[1]
    assert Fragments(context_for(data)).source_inline(source.id, "index.md") == (
        f"[source {source.number_in_list}](sources.md#{source.id})"
    )
