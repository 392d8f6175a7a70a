"""The shape of the package, checked as a newcomer would check it: the pipeline's layers, no import
circles, one module that makes absolute addresses, one list of generated pages, a plugin with no
module-level state that MkDocs finds through its entry point."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "trialsite"
sys.path.insert(0, str(ROOT / "scripts"))


def _sources() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text("utf-8") for p in sorted(PACKAGE.rglob("*.py"))}


def test_no_module_imports_a_layer_above_it() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency"
    done = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_no_import_circle() -> None:
    from architecture import measure

    assert measure(PACKAGE)["circles"] == []


def test_absolute_addresses_are_joined_in_one_module() -> None:
    joining = re.compile(r"urljoin|site_url\.rstrip|site_url \+|\{site_url")
    found = sorted(path for path, text in _sources().items() if joining.search(text))
    assert found == ["trialsite/urls.py"]


def test_the_generated_pages_are_listed_once() -> None:
    listing = re.compile(r'"(results|sources|glossary|cite|corrections|kit|design)\.md"')
    found = sorted(path for path, text in _sources().items() if listing.search(text))
    assert found == ["trialsite/urls.py"]  # the registry names them through the address map
    from trialsite.pages.registry import PAGES

    assert len({p.src for p in PAGES}) == len(PAGES) == 7


def test_the_plugin_keeps_no_module_level_mutable_state() -> None:
    tree = ast.parse((PACKAGE / "plugin.py").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
            assert not isinstance(value, ast.Dict | ast.List | ast.Set | ast.Call), ast.dump(node)[:80]


def test_mkdocs_finds_the_plugin_through_its_entry_point() -> None:
    from trialsite.plugin import TrialsitePlugin

    found = {e.name: e for e in importlib.metadata.entry_points(group="mkdocs.plugins")}
    assert found["trialsite"].load() is TrialsitePlugin
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "hooks:" not in text and re.search(r"(?m)^  - trialsite\b", text), text
