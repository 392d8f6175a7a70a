"""The loader: plain data with the position of every key and value; refuses what YAML should not do."""

from __future__ import annotations

from pathlib import Path

import pytest

from trialsite.data.load import DateText, Position, field_name, load_document
from trialsite.problems import DataError

SAMPLE = """\
# a comment
study:
  id: demo
  issued: 2025-09-30
  quoted: "2025-09-30"
  items:
    - first
    - second: 2
"""


def _load(tmp_path: Path, text: str | bytes, name: str = "x.yaml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return load_document(path, f"data/{name}")


def test_positions_of_keys_and_values_are_one_based(tmp_path: Path) -> None:
    doc = _load(tmp_path, SAMPLE)
    assert doc.keys[("study",)] == Position(2, 1)
    assert doc.keys[("study", "id")] == Position(3, 3)
    assert doc.values[("study", "id")] == Position(3, 7)
    assert doc.values[("study", "items", 1)] == Position(8, 7)
    assert doc.values[("study", "items", 1, "second")] == Position(8, 15)
    # A path that does not exist falls back to its closest known parent.
    assert doc.position(("study", "items", 1, "missing")) == Position(8, 7)
    assert doc.position(("study", "id"), key=True) == Position(3, 3)


def test_problem_names_file_line_and_column(tmp_path: Path) -> None:
    doc = _load(tmp_path, SAMPLE)
    assert str(doc.problem(("study", "id"), "bad")) == "data/x.yaml:3:7: bad"


def test_dates_are_kept_as_written_and_marked(tmp_path: Path) -> None:
    doc = _load(tmp_path, SAMPLE)
    issued = doc.data["study"]["issued"]
    assert isinstance(issued, DateText)
    assert issued == "2025-09-30"
    quoted = doc.data["study"]["quoted"]
    assert quoted == "2025-09-30"
    assert not isinstance(quoted, DateText)


def test_aliases_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        _load(tmp_path, "a: &x [1, 2]\nb: *x\n")
    (problem,) = err.value.problems
    assert (problem.line, problem.col) == (2, 4)
    assert "aliases" in problem.message


def test_duplicate_keys_are_reported_with_both_lines(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a: 1\nb: 2\na: 3\n")
    (problem,) = doc.problems
    assert (problem.line, problem.col) == (3, 1)
    assert "duplicate key 'a' (first at line 1)" in problem.message
    assert doc.data == {"a": 1, "b": 2}


def test_object_tags_are_refused_without_being_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    doc = _load(
        tmp_path, f'a: !!python/object/apply:os.system ["touch {marker}"]\nb: !!python/name:os.system ""\n'
    )
    assert doc.data == {"a": None, "b": None}
    assert [p.message.split(":")[0] for p in doc.problems] == ["a", "b"]
    assert all("not allowed" in p.message for p in doc.problems)
    assert not marker.exists()


def test_datetime_and_impossible_date_are_refused_naming_the_field(tmp_path: Path) -> None:
    doc = _load(tmp_path, "when: 2025-09-30 10:00:00\nday: 2025-02-30\n")
    messages = sorted(p.message for p in doc.problems)
    assert messages[0].startswith("day: cannot read '2025-02-30' as a date")
    assert messages[1].startswith("when: '2025-09-30 10:00:00' is a date and time")
    assert doc.refused == {("when",), ("day",)}


@pytest.mark.parametrize("written", ["017", "0x1F", "1_000", "1:30", "0o17"])
def test_unusual_number_notations_are_refused_or_kept_as_text(tmp_path: Path, written: str) -> None:
    doc = _load(tmp_path, f"n: {written}\n")
    # YAML 1.1 reads most of these as numbers nobody meant; 0o17 is plain text to it.
    assert doc.data["n"] in (None, written)
    if doc.data["n"] is None:
        assert "expected a plain decimal number" in doc.problems[0].message


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "the file is empty"),
        (b"# only a comment\n\n", "the file is empty"),
        (b"a: \xff\n", "byte 0xff is not UTF-8"),
        (b"a: 'open\n", "YAML syntax"),
        (b"[" * 5000 + b"]" * 5000, "too deeply"),
    ],
)
def test_unreadable_files_raise_one_problem(tmp_path: Path, content: bytes, fragment: str) -> None:
    with pytest.raises(DataError) as err:
        _load(tmp_path, content)
    assert fragment in err.value.problems[0].message


def test_field_names_read_like_paths() -> None:
    assert field_name(("figures", 4, "value")) == "figures[4].value"
    assert field_name(()) == "the file"


def test_values_only_jsonschema_judges_are_marked(tmp_path: Path) -> None:
    """A number that is not finite sends the file past the quick schema check
    (trialsite.schemas.passes_quickly), which cannot be taught that rule."""
    cases = {"plain": ("a: text\nb: 33\n", False), "date": ("a: 2025-09-30\n", False)}
    cases["nan"] = ("a: .nan\n", True)
    cases["inf"] = ("a: -.inf\n", True)
    cases["quoted"] = ('a: "2025-09-30"\n', False)
    for name, (text, marked) in cases.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, "utf-8")
        assert load_document(path, path.name).needs_full_check is marked, name
