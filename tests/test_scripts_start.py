"""Every maintainer's script under scripts/ starts (its imports resolve and it answers --help), and
the benchmark's generated studies are valid data.

`make audit` and `make bench` are not run by the tests (they measure, and take minutes), so a module
they import that moves, or a study field their data generator does not know, would otherwise be
found only by the next person who runs them (both happened).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(p for p in (ROOT / "scripts").glob("*.py") if p.name != "__init__.py")


def test_the_measuring_scripts_are_among_them() -> None:
    assert {"audit.py", "bench.py", "build.py"} <= {p.name for p in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_answers_help(script: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), "--help"],
        cwd=tmp_path,  # not the project: --help must not need (or touch) its files
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout, done.stdout
    assert "Traceback" not in done.stderr


def test_the_benchmark_data_builds(tmp_path: Path) -> None:
    """`make bench` builds studies it makes from the real one (ids prefixed, references kept in
    step): when the study gains a field that names a figure, the copies must still be valid data."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    from trialsite.build import build_site

    project = bench.copy_inputs(tmp_path / "project", bench.synthetic_data(tmp_path / "data", 3))
    assert build_site(project, project / "site") == 0
    assert len(list((project / "data" / "studies").glob("*.yaml"))) == 3
