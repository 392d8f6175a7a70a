"""`make new-study`: a study copied under new ids builds at once, with every figure reference renamed,
and a copy that would clash with the data is refused with nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import copy_project

from trialsite.commands.new_study import NewStudyRefused, new_study, rename_figures
from trialsite.data.dataset import load_dataset
from trialsite.data.schema import ITEM, marked_paths

FIRST = "a041703-cohort-1"


def _values_at(node: object, path: tuple[str, ...]) -> list[object]:
    if not path:
        return [node]
    head, rest = path[0], path[1:]
    if head == ITEM:
        return [v for item in node for v in _values_at(item, rest)] if isinstance(node, list) else []
    return _values_at(node[head], rest) if isinstance(node, dict) and head in node else []


def test_the_schema_marks_every_kind_of_figure_reference() -> None:
    paths = marked_paths("study", "x-figure-ref")
    assert {
        ("figures", ITEM, "id"),
        ("figures", ITEM, "denominator"),
        ("figures", ITEM, "related", ITEM),
        ("figures", ITEM, "also_reported", ITEM, "denominator"),
        ("study", "regimen", "steps", ITEM, "figure"),
        ("study", "regimen", "figures", ITEM),
        ("study", "limits", ITEM, "figure"),
    } <= paths


def test_a_copied_study_builds_with_every_reference_renamed(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    first_text = (root / "data/studies" / f"{FIRST}.yaml").read_text("utf-8")
    done = subprocess.run(
        [sys.executable, "scripts/new_study.py", FIRST, "cohort-2"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "wrote data/studies/cohort-2.yaml" in done.stdout
    data = load_dataset(root / "data", root)
    assert [s.id for s in data.studies] == [FIRST, "cohort-2"]
    first, second = data.studies
    assert [f"cohort-2-{f.id}" for f in first.figures] == [f.id for f in second.figures]
    # No reference of the copy points into the first study: every marked field was renamed.
    copy = yaml.safe_load((root / "data/studies/cohort-2.yaml").read_text("utf-8"))
    first_ids = {f.id for f in first.figures}
    found = 0
    for path in marked_paths("study", "x-figure-ref"):
        for value in _values_at(copy, path):
            found += 1
            assert value not in first_ids, (path, value)
    assert found > 29
    # Comments are kept, the copy says what it is, and the first study is untouched.
    text = (root / "data/studies/cohort-2.yaml").read_text("utf-8")
    assert text.startswith("# Copied from data/studies/a041703-cohort-1.yaml by make new-study.")
    assert "# Every figure names its source" in text
    assert (root / "data/studies" / f"{FIRST}.yaml").read_text("utf-8") == first_text


@pytest.mark.parametrize(
    ("from_id", "new_id", "prefix", "says"),
    [
        ("nope", "cohort-2", None, "no study 'nope' in data/studies/; expected one of: a041703-cohort-1"),
        (FIRST, FIRST, None, "exists already; expected a new study id"),
        (FIRST, "Cohort 2", None, "is not an id; expected lowercase ASCII"),
        (FIRST, "cohort-2", "C2_", "does not start an id"),
        (FIRST, "cohort-2", "", "figure id 'patients-treated' is already used"),
    ],
)
def test_a_copy_that_cannot_be_made_changes_nothing(
    tmp_path: Path, from_id: str, new_id: str, prefix: str | None, says: str
) -> None:
    root = copy_project(tmp_path / "p")
    before = sorted(p.name for p in (root / "data/studies").iterdir())
    with pytest.raises(NewStudyRefused) as refused:
        new_study(root, from_id, new_id, prefix)
    assert says in str(refused.value)
    assert "Traceback" not in str(refused.value)
    assert sorted(p.name for p in (root / "data/studies").iterdir()) == before


def test_renaming_leaves_numbers_unknowns_and_other_text_alone() -> None:
    doc = {
        "study": {"limits": [{"text": "a", "figure": "a"}, {"text": "a"}]},
        "figures": [
            {"id": "a", "denominator": 33, "label": "a", "related": ["b"]},
            {"id": "b", "denominator": "unknown", "also_reported": [{"denominator": "a", "wording": "b"}]},
        ],
    }
    rename_figures(doc, {"a": "x-a", "b": "x-b"})
    assert doc == {
        "study": {"limits": [{"text": "a", "figure": "x-a"}, {"text": "a"}]},
        "figures": [
            {"id": "x-a", "denominator": 33, "label": "a", "related": ["x-b"]},
            {
                "id": "x-b",
                "denominator": "unknown",
                "also_reported": [{"denominator": "x-a", "wording": "b"}],
            },
        ],
    }
