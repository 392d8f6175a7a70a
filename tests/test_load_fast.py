"""The libyaml fast path of trialsite.load gives exactly what the pure-Python loader gives: the same
data, positions and problems, for the real data files and for awkward input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trialsite.data import load
from trialsite.problems import DataError

ROOT = Path(__file__).resolve().parent.parent

AWKWARD = {
    "dates and numbers": "issued: 2025-09-30\nwhen: 2025-09-30 10:00:00\nn: 033\nf: 1e3\nx: .inf\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "non-text key": "1: one\n? [a]\n: list key\n",
    "tags": "a: !!python/object:os.system x\nb: !!set {x}\nc: !custom y\n",
    "merge key": "base: &b {x: 1}\nother:\n  <<: *b\n",
    "alias": "a: &x [1, 2]\nb: *x\n",
    "anchor only": "a: &x [1, 2]\nb: 3\n",
    "unicode": "label: Überleben à 1 an\nnote: 'it''s'\nlist:  [é, ü]\n",
    "syntax error": "a: [1, 2\nb: 3\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "control character": "a: b\x07c\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "scalar document": "just text\n",
    "multi-line": "a: |\n  line one\n  line two\nb: >\n  folded\n  text\n",
}


def _load(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(load, "_CLoader", None)
        try:
            doc = load.load_document(path, path.name)
        except DataError as exc:
            return ("error", [str(p) for p in exc.problems])
        except yaml.YAMLError as exc:  # not turned into a problem by load.py (yet): compare as is
            return ("yaml error", str(exc))
    return (doc.data, doc.values, doc.keys, doc.read_as, doc.source_text, [str(p) for p in doc.problems])


def test_libyaml_is_used_here() -> None:
    assert load._CLoader is not None, "PyYAML without libyaml: the fast path is not exercised"


@pytest.mark.parametrize("path", sorted((ROOT / "data").rglob("*.yaml")), ids=lambda p: p.name)
def test_real_data_loads_the_same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _load(path, True, monkeypatch)
    assert fast[0] != "error"
    assert fast == _load(path, False, monkeypatch)


@pytest.mark.parametrize("name", sorted(AWKWARD))
def test_awkward_input_loads_the_same_both_ways(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(AWKWARD[name], "utf-8")
    assert _load(path, True, monkeypatch) == _load(path, False, monkeypatch)
