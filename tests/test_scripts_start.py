"""Every maintainer's script under scripts/ starts: its imports resolve and it answers --help.

`make audit` and `make bench` are not run by the tests (they measure, and take minutes), so a module
they import that moves would otherwise be found only by the next person who runs them.
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
