"""Issue 19, items 1, 2, 3, 8, 9, 11: the public address, a deployed version, make's variables,
export's destination, the release date and BUMP, each attacked as the issue reproduced it and with
variants of our own. No test here builds the site: the refusals come before any build, and the
make targets run a stand-in interpreter that records what it was given."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from citehelpers import PUBLIC_URL, site_url_env
from conftest import ROOT, copy_project

from trialsite.build import build_site
from trialsite.commands import deploy as deploy_mod
from trialsite.commands.publish import content_fingerprint, publish
from trialsite.urls import AddressError, Urls, is_preview_address, parse_site_url

# --- 1. one validated public address -----------------------------------------------------------

REFUSED = [
    'https://evil.example/x"><script>alert(1)</script><"/',
    "https://evil.example/x'onmouseover='alert(1)'/",
    "https://user:s3cret@example.org/a/",
    "https://user@example.org/a/",
    "https://example.org/a/?q=1",
    "https://example.org/a/#f",
    "https://example.org/a/ ",
    " https://example.org/a/",
    "https://example.org/a b/",
    "https://example.org/a/\n",
    "https://example.org/a\t/",
    "https://example.org/<a>/",
    "https://example.org/a&amp;b/",
    "https://example.org/a`b/",
    "https://example.org/a\\b/",
    "https://exa_mple.org/",
    "https://1.2.3.4.5/",
    "https://example.org:0/",
    "https://example.org:99999/",
    "https://example.org:x/",
    "https://[::1/",
    "https://[fe80::1%25eth0]/",
    "https://%6c%6fcalhost/",
    "ftp://example.org/",
    "javascript://example.org/",
    "https:example.org/",
]

THIS_MACHINE = [
    "https://localhost/",
    "https://LOCALHOST./",
    "https://a.b.localhost/",
    "https://localhost.localdomain/",
    "https://localhost6/",
    "https://ip6-localhost/",
    "https://127.0.0.1/",
    "https://127.1/",
    "https://127.0.1/",
    "https://2130706433/",
    "https://0x7f000001/",
    "https://0x7f.1/",
    "https://0177.0.0.1/",
    "https://017700000001/",
    "https://127.0.0.1./",
    "https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",  # full-width digits, as UTS #46 maps them
    "https://0/",
    "https://0.0.0.0/",
    "https://[::1]/",
    "https://[0:0:0:0:0:0:0:1]/",
    "https://[::]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:7f00:1]/",
    "https://[::127.0.0.1]/",
    "https://[2002:7f00:1::]/",
    "http://127.1:8000/a/",
]

NOT_PUBLIC = [
    "https://10.0.0.1/",
    "https://192.168.1.1/",
    "https://169.254.1.1/",
    "https://[fc00::1]/",
    "https://intranet/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_an_address_that_cannot_be_one_is_refused_in_one_line(url: str) -> None:
    with pytest.raises(AddressError) as caught:
        parse_site_url(url)
    message = str(caught.value)
    assert "\n" not in message and "; expected " in message
    assert "s3cret" not in message


@pytest.mark.parametrize("url", THIS_MACHINE)
def test_every_spelling_of_this_machine_is_a_preview(url: str) -> None:
    assert is_preview_address(url)
    urls = Urls(site_url=url)
    assert urls.is_preview and urls.root is None
    problem = urls.publication_problem("make publish")
    assert problem and "this machine" in problem and "\n" not in problem


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_a_private_network_address_is_not_published(url: str) -> None:
    problem = Urls(site_url=url).publication_problem("make deploy")
    assert problem and "\n" not in problem and "; expected " in problem


def test_the_host_is_normalised_once() -> None:
    assert parse_site_url("HTTPS://Example.ORG.:443/a041703") == "https://example.org:443/a041703/"
    assert parse_site_url("https://bücher.example/a/") == "https://xn--bcher-kva.example/a/"
    assert parse_site_url("https://8.8.8.8/") == "https://8.8.8.8/"
    assert Urls(site_url="https://Example.org/a").root == "https://example.org/a/"
    assert Urls(site_url=PUBLIC_URL).publication_problem("make publish") is None
    assert "not https" in (Urls(site_url="http://example.org/").publication_problem("make publish") or "")


@pytest.mark.parametrize(
    "url", [REFUSED[0], REFUSED[2], "https://example.org/a/?q=1#f", "https://example.org/a/ "]
)
def test_build_refuses_a_bad_address_in_one_line(url: str, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with site_url_env(url), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert build_site(ROOT, tmp_path / "site") == 1
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "; expected " in lines[0], err.getvalue()
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("url", [REFUSED[0], REFUSED[2], "https://127.1/", "https://0x7f000001/"])
def test_publish_and_deploy_refuse_a_bad_address_in_one_line(url: str, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    before = {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    for command in (lambda: publish(root), lambda: deploy_mod.deploy(root)):
        out = io.StringIO()
        with site_url_env(url), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            assert command() == 1
        lines = out.getvalue().strip().splitlines()
        assert len(lines) == 1 and "; expected " in lines[0], out.getvalue()
        assert "s3cret" not in out.getvalue()
    assert {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()} == before


def test_mkdocs_itself_refuses_a_bad_address(tmp_path: Path) -> None:
    """A plain `mkdocs build` (and `mkdocs serve`) goes through the plugin, which refuses it too."""
    env = {**os.environ, "SITE_URL": REFUSED[0]}
    done = subprocess.run(
        [str(ROOT / ".venv/bin/mkdocs"), "build", "-q", "-d", str(tmp_path / "s")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "quote, an angle bracket" in done.stderr
    assert not (tmp_path / "s").exists()


# --- 2. a published version never changes --------------------------------------------------------


def test_the_address_is_part_of_what_a_version_is(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    with site_url_env(PUBLIC_URL):
        here = content_fingerprint(root)
    with site_url_env("https://other.example/b/"):
        there = content_fingerprint(root)
    assert here != there


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout


def _deployed(tmp_path: Path, content: bytes) -> tuple[Path, Path]:
    """A repository whose gh-pages holds version 0.1.2, deployed by mike from a tiny site."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "start")
    site = tmp_path / "site"
    (site / "results").mkdir(parents=True)
    (site / "index.html").write_bytes(b"<p>home</p>")
    (site / "results/index.html").write_bytes(content)
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@e.org", "GIT_COMMITTER_NAME": "T"}
    env |= {"GIT_COMMITTER_EMAIL": "t@e.org"}
    props = [(deploy_mod.ADDRESS, "https://example.org/a/0.1.2/")]
    config = {"site_dir": str(site), "use_directory_urls": True}
    with (
        contextlib.chdir(repo),
        _env(env),
        deploy_mod.mike.deploy(config, "0.1.2", branch="gh-pages", set_props=props),
    ):
        pass
    return repo, site


@contextlib.contextmanager
def _env(values: dict[str, str]):  # type: ignore[no-untyped-def]
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_a_deployed_version_is_never_replaced(tmp_path: Path) -> None:
    """Two branches each publish 0.1.2 with different values: the second deploy is refused."""
    repo, site = _deployed(tmp_path, b"<p>remission 94%</p>")
    with contextlib.chdir(repo):
        deploy_mod._same_as_deployed("gh-pages", "0.1.2", site, "https://example.org/a/0.1.2/")  # same bytes
        (site / "results/index.html").write_bytes(b"<p>remission 91%</p>")
        with pytest.raises(deploy_mod.DeployError) as caught:
            deploy_mod._same_as_deployed("gh-pages", "0.1.2", site, "https://example.org/a/0.1.2/")
        assert "results/index.html" in str(caught.value) and "\n" not in str(caught.value)
        (site / "results/index.html").write_bytes(b"<p>remission 94%</p>")
        (site / "extra.html").write_bytes(b"new")
        with pytest.raises(deploy_mod.DeployError):
            deploy_mod._same_as_deployed("gh-pages", "0.1.2", site, "https://example.org/a/0.1.2/")
        (site / "extra.html").unlink()
        with pytest.raises(deploy_mod.DeployError) as caught:
            deploy_mod._same_as_deployed("gh-pages", "0.1.2", site, "https://other.example/b/0.1.2/")
        assert "other.example" in str(caught.value)
        deploy_mod._same_as_deployed("gh-pages", "0.1.3", site, "https://other.example/b/0.1.3/")  # new


_HOLD_LOCK = """
import sys
from pathlib import Path
from trialsite import storage
with storage.lock(Path(sys.argv[1]), "another deploy"):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_two_deploys_at_once_one_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deploy holds the project's lock from its checks to its commit: a second one waits, then stops."""
    root = copy_project(tmp_path / "p")
    monkeypatch.setattr(deploy_mod, "LOCK_WAIT_SECONDS", 0.2)
    checked: list[Path] = []
    monkeypatch.setattr(deploy_mod, "_check_published", lambda r: checked.append(r))
    out = io.StringIO()
    # The other deploy is another process: within one process the lock is re-entrant (the plugin
    # under a build takes it again), so holding it here would prove nothing.
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with contextlib.redirect_stdout(out), site_url_env(PUBLIC_URL):
            assert deploy_mod.deploy(root) == 1
    finally:
        holder.communicate("")
    assert "busy" in out.getvalue() and len(out.getvalue().strip().splitlines()) == 1
    assert checked == []  # nothing was checked, let alone built, without the lock


# --- 8. export's destination ---------------------------------------------------------------------


def _with_pages(root: Path, marker: str) -> None:
    """A gh-pages branch in ROOT holding versions.json and one page (made in a repository aside)."""
    work = root.parent / "pages"
    if not work.exists():
        work.mkdir()
        _git(work, "init", "-q", "-b", "gh-pages")
    (work / "versions.json").write_text('[{"version": "0.1.0", "title": "0.1.0", "aliases": []}]', "utf-8")
    (work / "0.1.0").mkdir(exist_ok=True)
    (work / "0.1.0/index.html").write_text(marker, "utf-8")
    _git(work, "add", "-A")
    _git(work, "commit", "-q", "-m", marker)
    _git(root, "fetch", "-q", str(work), "+gh-pages:gh-pages")


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "p")
    (root / "trialsite").unlink()
    shutil.copytree(ROOT / "trialsite", root / "trialsite", ignore=shutil.ignore_patterns("__pycache__"))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "commit", "-q", "--allow-empty", "-m", "start")
    _with_pages(root, "1")
    return root


PROTECTED = ["docs/old", "docs", "data", "data/x/y", ".git", ".git/x", "overrides/x", "trialsite/x", "."]


@pytest.mark.parametrize("dest", PROTECTED)
def test_export_refuses_the_projects_own_folders(exported: Path, dest: str) -> None:
    before = sorted(str(p) for p in exported.rglob("*") if ".git" not in p.parts)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert deploy_mod.export(exported, exported / dest) == 1
    assert len(out.getvalue().strip().splitlines()) == 1 and "; expected " in out.getvalue()
    assert sorted(str(p) for p in exported.rglob("*") if ".git" not in p.parts) == before


def test_export_refuses_the_parent_and_links_into_protected_folders(exported: Path, tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(exported / "docs")
    (tmp_path / "link-data").symlink_to(exported / "data")
    for dest in (exported.parent, tmp_path / "link" / "old", tmp_path / "link-data", tmp_path / "link"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert deploy_mod.export(exported, dest) == 1, dest
        assert "; expected " in out.getvalue()
    assert not (exported / "docs/old").exists()


def test_export_swaps_the_new_tree_in(
    exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old export stays whole until the new one is in place: a failed rename loses nothing."""
    dest = tmp_path / "public"
    with contextlib.redirect_stdout(io.StringIO()):
        assert deploy_mod.export(exported, dest) == 0
    assert (dest / "0.1.0/index.html").read_text("utf-8") == "1"
    assert stat.S_IMODE(dest.stat().st_mode) == 0o755
    _with_pages(exported, "2")

    def refused(*args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "rename", refused)
        with contextlib.redirect_stdout(io.StringIO()):
            deploy_mod.export(exported, dest)
    assert (dest / "0.1.0/index.html").is_file()  # old or new, never none
    with contextlib.redirect_stdout(io.StringIO()):
        assert deploy_mod.export(exported, dest) == 0
    assert (dest / "0.1.0/index.html").read_text("utf-8") == "2"
    assert not list(tmp_path.glob(".public.export-tmp*"))


# --- 9 and 11. the release date and BUMP ---------------------------------------------------------


def _passes(root: Path, site: Path | None = None, **kw: object) -> int:
    return 0


def _release(root: Path) -> tuple[str, str]:
    import yaml

    data = yaml.safe_load((root / "data/site.yaml").read_text("utf-8"))
    return str(data["version"]), str(data["date"])


@pytest.mark.parametrize("part", ["Minor", "MAJOR", "minor ", "", "2", "patch;minor", "$(shell true)"])
def test_bump_takes_only_patch_minor_or_major(part: str, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    before = _release(root)
    out = io.StringIO()
    with site_url_env(PUBLIC_URL), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        assert publish(root, part=part, build=_passes) == 1
    assert (
        len(out.getvalue().strip().splitlines()) == 1 and "expected patch, minor or major" in out.getvalue()
    )
    assert _release(root) == before


@pytest.mark.parametrize(("part", "expected"), [("major", "1.0.0"), ("minor", "0.2.0"), ("patch", "0.1.1")])
def test_bump_makes_the_release_it_names(part: str, expected: str, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    assert _release(root)[0] == "0.1.0"
    day = dt.date.fromisoformat(_release(root)[1]) + dt.timedelta(1)
    with site_url_env(PUBLIC_URL), contextlib.redirect_stdout(io.StringIO()):
        assert publish(root, part=part, today=day, build=_passes) == 0
    assert _release(root) == (expected, day.isoformat())


def test_publish_never_dates_a_version_before_the_previous_one(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    before = {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    day = dt.date.fromisoformat(_release(root)[1]) - dt.timedelta(1)  # the clock set back a day
    out = io.StringIO()
    with site_url_env(PUBLIC_URL), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        assert publish(root, today=day, build=_passes) == 1
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1 and "before" in lines[0] and "; expected " in lines[0], out.getvalue()
    assert {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()} == before


# --- 3. make passes variables as data --------------------------------------------------------------

STAND_IN = """#!/bin/sh
# Records how it was called, as JSON: what make handed the program, byte for byte.
exec "{python}" -c 'import json, os, sys
open(os.environ["RECORD"], "a").write(json.dumps(sys.argv[1:]) + "\\n")' "$@"
"""
PAYLOAD = "$(shell touch {pwned})x; touch {pwned}2 `touch {pwned}3` $$(touch {pwned}4) 'q\" \\ $HOME\nline 2"
TARGETS = {
    "correct": ["FIGURE", "VALUE", "REASON", "SOURCE", "LOCATOR"],
    "correct-report": ["FIGURE", "REPORT", "VALUE", "REASON", "SOURCE", "LOCATOR"],
    "correct-source": ["ID", "FIELD", "VALUE", "REASON", "SOURCE", "LOCATOR"],
    "new-study": ["FROM", "ID", "PREFIX"],
    "publish": ["BUMP"],
    "deploy": ["REMOTE"],
    "export": ["DEST"],
    "site": [],
    "check": [],
    "serve": [],
    "citation": [],
    "test": [],
}


@pytest.fixture
def make_project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The Makefile with a stand-in venv whose python, ruff and mkdocs record their arguments."""
    root = tmp_path / "p"
    root.mkdir()
    shutil.copy2(ROOT / "Makefile", root / "Makefile")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    venv = root / ".venv"
    (venv / "bin").mkdir(parents=True)
    for name in ("python", "ruff", "mkdocs"):
        tool = venv / "bin" / name
        tool.write_text(STAND_IN.format(python=shutil.which("python3")), "utf-8")
        tool.chmod(0o755)
    for stamp in (".installed-site", ".installed-test"):
        (venv / stamp).touch()
    cff = root / ".cache/cffconvert-venv"
    cff.mkdir(parents=True)
    (cff / ".installed-2.0.0").touch()
    env = {**os.environ, "RECORD": str(tmp_path / "record.jsonl")}
    env.pop("MAKEFLAGS", None)
    return root, env


def _calls(env: dict[str, str]) -> list[list[str]]:
    """The argument lists the stand-in was called with, one per call."""
    path = Path(env["RECORD"])
    text = path.read_text("utf-8") if path.exists() else ""
    path.unlink(missing_ok=True)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_make_never_expands_or_runs_a_variable(target: str, make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, env = make_project
    pwned = tmp_path / "pwned"
    payload = PAYLOAD.format(pwned=pwned)
    # Every variable of the target, and some of the Makefile's own and an unknown one, attacked.
    names = [*TARGETS[target], "FOO", "CI"]
    done = subprocess.run(
        ["make", "-s", target, *(f"{n}={payload}" for n in names)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.glob("pwned*")), "a variable was run"
    calls = _calls(env)
    assert calls, done.stderr
    args = [a for call in calls for a in call]
    for name in TARGETS[target]:
        if name == "BUMP":
            assert f"--bump={payload}" in args
        elif name in ("REMOTE", "PREFIX", "REASON", "SOURCE", "LOCATOR"):
            assert f"--{name.lower()}={payload}" in args
        else:
            assert payload in args, (name, args)


def test_make_defaults_and_documented_usage(make_project) -> None:  # type: ignore[no-untyped-def]
    root, env = make_project

    def run(*args: str) -> list[str]:
        subprocess.run(["make", "-s", *args], cwd=root, env=env, check=True, capture_output=True)
        return [a for call in _calls(env) for a in call]

    assert run("publish") == ["scripts/publish.py", "--bump=patch"]
    assert run("publish", "BUMP=major") == ["scripts/publish.py", "--bump=major"]
    assert run("export") == ["scripts/export.py", "--", "public"]
    assert run("deploy") == ["scripts/deploy.py"]
    assert run("new-study", "FROM=a", "ID=b") == ["scripts/new_study.py", "--", "a", "b"]
    got = run("correct", "FIGURE=remission", "VALUE=-94", "REASON=-r", "SOURCE=s", "LOCATOR=costs $34")
    assert got[:2] == ["scripts/correct.py", "figure"]
    assert got[2:] == ["--reason=-r", "--source=s", "--locator=costs $34", "--", "remission", "-94"]


def test_python_is_a_program_name_never_a_command(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    shutil.copy2(ROOT / "Makefile", root / "Makefile")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    pwned = tmp_path / "pwned"
    done = subprocess.run(
        ["make", "-s", "site", f"PYTHON=python3; touch {pwned}", f"VENV=v$(shell touch {pwned}2)"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert not list(tmp_path.glob("pwned*"))


CORRECT_REST = ["SOURCE=eurekalert-1102627", "LOCATOR=l"]


def test_make_correct_records_a_reason_as_typed(tmp_path: Path) -> None:
    """The issue's reproduction with the real interpreter: nothing runs, the reason arrives whole."""
    root = copy_project(tmp_path / "p")
    shutil.copy2(ROOT / "Makefile", root / "Makefile")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / ".venv").symlink_to(ROOT / ".venv")
    pwned = tmp_path / "pwned"
    reason = f"$(shell touch {pwned})x and a second line:\nit is kept"
    done = subprocess.run(
        ["make", "-s", "correct", "FIGURE=remission", "VALUE=91", f"REASON={reason}", *CORRECT_REST],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert not pwned.exists()
    from trialsite.data.load import load_document

    assert done.returncode == 0, done.stderr
    entry = load_document(root / "data/corrections.yaml", "data/corrections.yaml").data["entries"][-1]
    # The script gets it byte for byte (test_make_never_expands_or_runs_a_variable) and, as with
    # any text it records, joins runs of whitespace: the line break becomes one space.
    assert entry["reason"] == " ".join(reason.split())


@pytest.mark.parametrize("remote", ["--upload-pack=touch {pwned};", "-oProxyCommand=touch {pwned}", "nosuch"])
def test_deploy_takes_only_a_remote_of_the_repository(
    remote: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make deploy REMOTE=--upload-pack=...` would have git run the command: only a remote's name."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "remote", "add", "origin", str(tmp_path / "remote.git"))
    monkeypatch.setattr(
        deploy_mod, "_check_published", lambda r: (Urls(site_url=PUBLIC_URL), "0.1.0", "2026-01-01")
    )
    pwned = tmp_path / "pwned"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert deploy_mod.deploy(root, remote=remote.format(pwned=pwned), push=True) == 1
    assert not pwned.exists()
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1 and "expected one of: origin" in lines[0], out.getvalue()
