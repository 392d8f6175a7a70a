"""Random damage to the real data files either still validates (and renders) or is reported as
`path:line:col: message`: never a traceback, never a partial site.

Most examples run the in-process check (trialsite.build.check) and, when it passes, the page
renderers; a few run a real build against a previous site. Derandomized and database-less, so CI
sees the same examples every run.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from citehelpers import context_for
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sitetree import leftover_temp_folders, tree_hash

from trialsite.build import MARKER, build_site, check
from trialsite.data.dataset import load_dataset
from trialsite.pages.fragments import Fragments
from trialsite.pages.registry import PAGES
from trialsite.urls import HOME

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = ["data/studies/a041703-cohort-1.yaml", "data/sources.yaml", "data/glossary.yaml"]
ORIGINAL = {name: (ROOT / name).read_bytes() for name in DATA_FILES}
PROBLEM = re.compile(r"^(data|docs)/[^:\s]+:(\d+):(\d+): \S")
KEY_LINE = re.compile(rb"^(\s*(?:- )?)([A-Za-z_]+):( .*)?$")

VALIDATION_EXAMPLES = 300
BUILD_EXAMPLES = 4


@dataclass(frozen=True)
class Mutation:
    file: str
    what: str
    content: bytes


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def scalars(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["text", "int", "float", "bool", "null", "word"]))
    if kind == "text":
        return draw(st.text(max_size=30)).encode("utf-8", "surrogatepass")
    if kind == "int":
        return str(draw(st.integers(min_value=-(10**20), max_value=10**20))).encode()
    if kind == "float":
        return repr(draw(st.floats(allow_nan=True, allow_infinity=True))).encode()
    if kind == "bool":
        return draw(st.sampled_from([b"true", b"false", b"yes", b"no", b"on", b"off", b"Y", b"NO"]))
    if kind == "null":
        return draw(st.sampled_from([b"null", b"~", b"", b"Null"]))
    return draw(
        st.sampled_from([b"unknown", b"2025-09-30", b"2025-02-30", b"1e3", b'"97"', b".nan", b"[]", b"{}"])
    )


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    file = draw(st.sampled_from(DATA_FILES))
    data = ORIGINAL[file]
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
    what = draw(
        st.sampled_from(
            ["delete key", "change scalar", "duplicate line", "delete line", "insert bytes", "truncate"]
        )
    )
    if what in ("delete key", "change scalar"):
        i = draw(st.sampled_from(keyed))
        if what == "delete key":
            del lines[i]
        else:
            m = KEY_LINE.match(lines[i])
            assert m
            lines[i] = m.group(1) + m.group(2) + b": " + draw(scalars())
        return Mutation(file, f"{what} at line {i + 1}", b"\n".join(lines))
    if what in ("duplicate line", "delete line"):
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if what == "duplicate line":
            lines.insert(i, lines[i])
        else:
            del lines[i]
        return Mutation(file, f"{what} {i + 1}", b"\n".join(lines))
    at = draw(st.integers(min_value=0, max_value=len(data)))
    if what == "truncate":
        return Mutation(file, f"truncate at byte {at}", data[:at])
    noise = draw(st.binary(min_size=1, max_size=12))
    return Mutation(file, f"insert {noise!r} at byte {at}", data[:at] + noise + data[at:])


def _project(base: Path, mutation: Mutation) -> Path:
    root = base / "project"
    shutil.copytree(ROOT / "data", root / "data")
    (root / "docs").symlink_to(ROOT / "docs")
    (root / mutation.file).write_bytes(mutation.content)
    return root


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of data/ for all validation examples: each writes its file and puts it back."""
    root = tmp_path_factory.mktemp("mutations")
    shutil.copytree(ROOT / "data", root / "data")
    for name in ("docs", "overrides", "mkdocs.yml"):
        (root / name).symlink_to(ROOT / name)
    return root


def _assert_reported_well(problems: list, mutation: Mutation) -> None:
    for problem in problems:
        text = str(problem)
        assert PROBLEM.match(text), f"{mutation.what}: badly formed report {text!r}"
        assert problem.line >= 1 and problem.col >= 1
        assert "Traceback" not in text


@settings(
    max_examples=VALIDATION_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutation=mutations())
def test_damaged_data_validates_or_is_reported(workspace: Path, mutation: Mutation) -> None:
    target = workspace / mutation.file
    target.write_bytes(mutation.content)
    try:
        problems = check(workspace)
        event(f"{mutation.what.split(' ')[0]}: {'reported' if problems else 'still valid'}")
        _assert_reported_well(problems, mutation)
        if not problems:
            # Still valid: every page must render from it.
            ctx = context_for(load_dataset(workspace / "data", workspace), root=workspace)
            for page in PAGES:
                assert page.render(ctx)
            assert Fragments(ctx).key_results(HOME)
    finally:
        target.write_bytes(ORIGINAL[mutation.file])


@settings(
    max_examples=BUILD_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@example(
    Mutation(
        "data/glossary.yaml",
        "a harmless edit: still valid, so it must build",
        ORIGINAL["data/glossary.yaml"].replace(b"The return of leukemia", b"The coming back of leukemia"),
    )
)
@given(mutations())
def test_damaged_data_builds_whole_or_leaves_the_site_alone(mutation: Mutation) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = _project(base, mutation)
        for name in ("mkdocs.yml",):
            shutil.copy2(ROOT / name, root / name)
        for name in ("trialsite", "overrides"):
            (root / name).symlink_to(ROOT / name)
        site = base / "out" / "site"
        site.mkdir(parents=True)
        (site / "index.html").write_text("<p>the previous site</p>")
        (site / MARKER).write_text("a previous build")
        before = tree_hash(site)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            status = build_site(root, site)
        assert "Traceback" not in err.getvalue()
        if mutation.what.startswith("a harmless edit"):
            assert status == 0, err.getvalue()
        if status == 0:
            assert (site / "results" / "index.html").exists()
            assert (site / "sources" / "index.html").exists()
        else:
            assert tree_hash(site) == before
            lines = err.getvalue().strip().splitlines()
            assert lines[-1].endswith("nothing was built."), err.getvalue()
            assert all(PROBLEM.match(line) for line in lines[:-1]), err.getvalue()
        assert leftover_temp_folders(site.parent) == []
