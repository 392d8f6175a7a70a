"""Put the published versions online: each in its own folder, `latest` following the newest.

`make deploy` builds the version that data/site.yaml names (the strict build of `make site`, plus
Material's version selector) and adds it with mike's library to the `gh-pages` branch, which keeps
every version ever deployed: `<version>/`, `latest/` (a copy of the newest), and `versions.json`
(what the selector lists, each version with its release date). Beside them it writes `index.html`
(to `latest/`), `404.html`, `robots.txt` and `sitemap.xml`, where each page is dated by the
published version that last changed what it shows. `make export` writes that tree to a folder, every
file 0644 and every folder 0755, for any static host; the GitHub Pages workflow uploads the same.

Why mike's library rather than the `mike deploy` command: the build stays ours (pre-check, strict
build, modes, no `mkdocs` needed on PATH) and no version is built twice, while mike still owns the
branch's layout, so `mike list`, `mike serve` and `mike delete` work on it as usual.

A deploy never changes what a published version shows: it refuses data or code changed since the
last `make publish` (the snapshot's fingerprint), and a preview or non-https address.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from mike import commands as mike
from mike import git_utils
from mike.app_version import version as mike_version
from mike.versions import Version, Versions

from trialsite import storage
from trialsite.build import build_site, swap_in
from trialsite.commands.citation import project_context
from trialsite.commands.publish import content_fingerprint, published_fingerprint
from trialsite.data.layout import DataLayout
from trialsite.outputs.robots import robots_txt, sitemap_xml
from trialsite.plugin import VERSION_VAR
from trialsite.problems import DataError
from trialsite.urls import LATEST, ROBOTS, SITEMAP, AddressError, Urls

BRANCH = "gh-pages"
RELEASED = "released"  # the property of each version in versions.json: its release date
ADDRESS = "address"  # and its public address: a version is made for one address
LOCK_WAIT_SECONDS = 120.0  # a second deploy (or a command) waits this long for the lock, then stops
_ARTICLE = re.compile(rb'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)

REDIRECT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The latest version of the site</title>
<meta http-equiv="refresh" content="0; url={latest}/">
<link rel="canonical" href="{canonical}">
<script>location.replace("{latest}/" + location.search + location.hash)</script>
</head>
<body><p><a href="{latest}/">Go to the latest version of the site</a>.</p></body>
</html>
"""


class DeployError(Exception):
    """A reason to stop, as one line for people."""


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], capture_output=True, check=False)


def _check_published(root: Path) -> tuple[Urls, str, str]:
    """The address map, version and date to deploy; raises DeployError if they must not be."""
    try:
        ctx = project_context(root)
    except DataError as exc:
        raise DeployError(f"the data has problems:\n{exc.report()}") from None
    except AddressError as exc:
        raise DeployError(str(exc)) from None
    problem = ctx.urls.publication_problem("make deploy")
    if problem:
        raise DeployError(problem)
    release = ctx.data.release
    if release is None:
        raise DeployError("data/site.yaml names no version; expected one published with `make publish`")
    pending = [c.id for c in ctx.data.corrections if c.published_in is None]
    if pending:
        raise DeployError(
            f"data/corrections.yaml has corrections not yet published ({', '.join(pending)}); "
            "expected `make publish` first, so that a new version shows them"
        )
    recorded = published_fingerprint(root)
    if recorded and recorded != content_fingerprint(root):
        raise DeployError(
            f"data/, docs/, overrides/, mkdocs.yml or the build's code changed since version "
            f"{release.version} was published; expected `make publish` first, so that version "
            f"{release.version} keeps showing what it showed"
        )
    return ctx.urls, release.version, release.date


def _check_remote(remote: str) -> None:
    """REMOTE names one of the repository's remotes, nothing else: git would read '--upload-pack=...'
    as an option (and run it), and a URL typed there is not where `make deploy` documents it pushes."""
    known = _git("remote").stdout.decode("utf-8", "replace").split()
    if remote not in known:
        listed = ", ".join(known) or "none (git remote add origin URL)"
        raise DeployError(f"REMOTE={remote!r} is not a remote of this repository; expected one of: {listed}")


def _sync_with_remote(remote: str, branch: str) -> None:
    """Start from the remote's versions (a fresh clone has none of its own): fetch, then fast-forward."""
    _check_remote(remote)
    listed = _git("ls-remote", "--exit-code", "--heads", remote, branch)
    if listed.returncode == 2:  # the remote has no such branch yet
        return
    if listed.returncode != 0:
        raise DeployError(f"cannot reach the remote '{remote}': {listed.stderr.decode().strip()}")
    fetched = _git("fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    if fetched.returncode != 0:
        raise DeployError(f"cannot fetch {branch} from '{remote}': {fetched.stderr.decode().strip()}")
    try:
        git_utils.update_from_upstream(remote, branch)
    except (git_utils.GitBranchDiverged, git_utils.GitRevUnrelated):
        raise DeployError(
            f"the local {branch} branch and {remote}/{branch} have diverged; expected one history of "
            f"versions: keep {remote}'s (git branch -f {branch} {remote}/{branch}) and deploy again"
        ) from None


def _read(branch: str, path: str) -> bytes | None:
    try:
        return git_utils.read_file(branch, path)
    except git_utils.GitError:
        return None


def _article(html: bytes) -> bytes:
    """What a page shows, without the navigation and footer around it that every version changes."""
    found = _ARTICLE.search(html)
    return found.group(1) if found else html


_NOINDEX = b'<meta name="robots" content="noindex">'


def _pages(site: Path) -> list[str]:
    """The built pages as paths under a version folder: 'index.html', 'results/index.html'..."""
    # A page that asks not to be indexed (an embed card, the 404 page) is no entry of the sitemap.
    pages = (p.relative_to(site).as_posix() for p in site.rglob("*.html") if _NOINDEX not in p.read_bytes())
    return sorted(p for p in pages if p != "404.html")


def last_changed(branch: str, page: str, versions: list[tuple[str, str | None]]) -> str | None:
    """The release date of the oldest version in the unbroken run, from the newest back, that shows
    the page as the newest does. `versions`: (version, release date), newest first."""
    newest = _read(branch, f"{versions[0][0]}/{page}")
    if newest is None:
        return None
    shown, date = _article(newest), versions[0][1]
    for version, released in versions[1:]:
        old = _read(branch, f"{version}/{page}")
        if old is None or released is None or _article(old) != shown:
            break
        date = released
    return date


def _released_versions(branch: str) -> list[tuple[str, str | None]]:
    listed = mike.list_versions(branch)
    out = []
    for info in listed:
        props = info.properties if isinstance(info.properties, dict) else {}
        out.append((str(info.version), props.get(RELEASED)))
    return out


def _page_address(urls: Urls, page: str) -> str:
    path = page.removesuffix("index.html") if urls.use_directory_urls else page
    return urls.latest(path) or ""


def _site_files(urls: Urls, branch: str, site: Path) -> list[git_utils.FileInfo]:
    """The files beside the version folders: the redirect to latest/, 404 page, robots and sitemap."""
    versions = _released_versions(branch)
    entries = []
    for page in _pages(site):
        date = last_changed(branch, page, versions)
        if date:
            entries.append((_page_address(urls, page), date))
    files = [
        git_utils.FileInfo("index.html", REDIRECT.format(latest=LATEST, canonical=urls.latest() or "")),
        git_utils.FileInfo(ROBOTS, robots_txt(urls)),
        git_utils.FileInfo(SITEMAP, sitemap_xml(entries)),
    ]
    not_found = site / "404.html"
    if not_found.exists():  # its links are absolute (to latest/), so it works at the top too
        files.append(git_utils.FileInfo("404.html", not_found.read_bytes()))
    return files


def _newer_deployed(branch: str, version: str) -> str | None:
    """A version newer than VERSION already deployed: then `latest` and the top files stay its."""
    for info in mike.list_versions(branch):
        if str(info.version) != version and info.version > Version(version):
            return str(info.version)
    return None


def _tree_in_branch(branch: str, folder: str) -> dict[str, bytes]:
    """The files under FOLDER/ in the branch, by their path below it."""
    archive = _git("archive", "--format=tar", branch, f"{folder}/")
    files: dict[str, bytes] = {}
    if archive.returncode != 0:
        return files
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        for member in tar:
            data = tar.extractfile(member) if member.isfile() else None
            if data is not None:
                files[member.name.removeprefix(f"{folder}/")] = data.read()
    return files


def _same_as_deployed(branch: str, version: str, site: Path, address: str) -> None:
    """A version in the branch never changes: deploying it again is allowed only when every byte it
    would write is already there. Raises DeployError naming the first difference."""
    deployed = {str(info.version): info for info in mike.list_versions(branch)}
    if version not in deployed:
        return
    props = deployed[version].properties if isinstance(deployed[version].properties, dict) else {}
    expected = (
        f"expected a new version for any change, a new address included: `make publish` first "
        f"(version {version} stays as it was deployed)"
    )
    if props.get(ADDRESS) not in (None, address):
        raise DeployError(f"version {version} was deployed for {props[ADDRESS]}, not {address}; {expected}")
    built = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    there = _tree_in_branch(branch, version)
    changed = sorted(name for name in built.keys() | there.keys() if built.get(name) != there.get(name))
    if changed:
        raise DeployError(
            f"version {version} is already deployed, and {len(changed)} of its files would change "
            f"(first {version}/{changed[0]}); {expected}"
        )


def _deploy(root: Path, branch: str, remote: str | None, push: bool) -> str:
    """Under the project's lock, from the checks to the commit: nothing can change in between."""
    layout = DataLayout.of(root)
    try:
        with storage.lock(
            root, "make deploy", wait=LOCK_WAIT_SECONDS, sweep=[layout.data_dir, layout.studies_dir]
        ):
            return _deploy_locked(root, branch, remote, push)
    except storage.Busy as exc:
        raise DeployError(f"the project is busy ({exc}); nothing was deployed: try again") from None


def _deploy_locked(root: Path, branch: str, remote: str | None, push: bool) -> str:
    urls, version, date = _check_published(root)
    if _git("rev-parse", "--git-dir").returncode != 0:
        raise DeployError(f"{root} is not a git repository; expected the project's clone")
    if remote:
        _sync_with_remote(remote, branch)
    newer = _newer_deployed(branch, version)
    with tempfile.TemporaryDirectory(prefix=".deploy-", dir=root) as tmp:
        site = Path(tmp) / "site"
        with _environment(VERSION_VAR, version):
            if build_site(root, site, locked=True) != 0:
                raise DeployError(f"the build of version {version} failed; nothing was deployed")
        address = urls.version(version) or ""
        _same_as_deployed(branch, version, site, address)
        message = f"Deploy version {version} ({date}) with mike {mike_version}"
        try:
            with mike.deploy(
                {"site_dir": str(site), "use_directory_urls": urls.use_directory_urls},
                version,
                title=version,
                aliases=[] if newer else [LATEST],
                update_aliases=True,
                alias_type=mike.AliasType.copy,
                branch=branch,
                message=message,
                set_props=[(RELEASED, date), (ADDRESS, address)],
            ):
                pass  # built above
        except git_utils.GitEmptyCommit:
            pass  # this version was deployed before, as it is
        if not newer:
            try:
                with git_utils.Commit(branch, f"Site files for version {version}") as commit:
                    for info in _site_files(urls, branch, site):
                        commit.add_file(info)
            except git_utils.GitEmptyCommit:
                pass
    if push and remote:
        git_utils.push_branch(remote, branch)
    listed = ", ".join(v for v, _ in _released_versions(branch))
    where = f"pushed to {remote}" if push and remote else "not pushed"
    note = f"; {newer} stays latest" if newer else f" and as {LATEST}"
    return (
        f"deployed version {version} to the {branch} branch at {urls.version(version)}{note} "
        f"({where}); versions: {listed}"
    )


def deploy(root: Path, *, branch: str = BRANCH, remote: str | None = None, push: bool = False) -> int:
    root = root.resolve()
    try:
        with contextlib.chdir(root):  # mike works on the repository of the working folder
            print(_deploy(root, branch, remote, push))
        return 0
    except DeployError as exc:
        print(f"deploy: {exc}")
    except git_utils.GitError as exc:
        detail = str(getattr(exc, "stderr", "") or "").strip().splitlines()
        print(f"deploy: git: {exc}" + (f": {detail[-1]}" if detail else ""))
    return 1


# --- the versioned tree as plain files -------------------------------------------------------------


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise DeployError(f"{name}: a path outside the tree in the {BRANCH} branch")
    return path


def _write_tree(archive: bytes, folder: Path) -> int:
    count = 0
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar:
            target = folder / _safe_member(member.name)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                target.chmod(0o755)
            elif member.isfile():
                target.parent.mkdir(parents=True, exist_ok=True)
                data = tar.extractfile(member)
                target.write_bytes(data.read() if data else b"")
                target.chmod(0o644)
                count += 1
            elif member.name != "pax_global_header":
                raise DeployError(
                    f"{member.name}: not a plain file in the {BRANCH} branch (a symlinked alias?); "
                    "expected the copies `make deploy` writes"
                )
    for path in folder.rglob("*"):  # parents made on the way
        if path.is_dir():
            path.chmod(0o755)
    return count


# What an export may never be written into or over: the project's inputs and its history.
_PROTECTED = ("docs", "data", ".git", "overrides", "trialsite", "scripts", "tests")


def export_problem(root: Path, dest: Path) -> str | None:
    """Why DEST may not receive an export, or None. Both paths resolved (symlinks followed), so a
    link into docs/ is docs/: an export there would be published by the next build."""
    shown = os.path.relpath(dest, root) if dest.is_relative_to(root) else str(dest)
    expected = "expected a folder of its own, such as public"
    if dest == root or root.is_relative_to(dest):
        return f"{shown} is or holds the project; {expected}"
    for name in _PROTECTED:
        path = (root / name).resolve()
        if dest == path or dest.is_relative_to(path) or path.is_relative_to(dest):
            return f"{shown} is, holds or is inside {name}/; {expected}"
    if dest.exists() and not dest.is_dir():
        return f"{shown} is not a folder; {expected}"
    if dest.is_dir() and any(dest.iterdir()) and not (dest / mike.versions_file).is_file():
        return f"{shown} holds other files; expected a new folder or an earlier export"
    return None


def export(root: Path, dest: Path, *, branch: str = BRANCH) -> int:
    """Write the versioned site (the branch's tree) to DEST: files 0644, folders 0755, nothing else.
    DEST must not exist, be empty, or be an earlier export (it holds versions.json); the new tree is
    written beside it and swapped in, so DEST is always a whole export, the old or the new."""
    root, dest = root.resolve(), Path(os.path.abspath(dest)).resolve()
    tmp = dest.with_name(f".{dest.name}.export-tmp")
    try:
        problem = export_problem(root, dest)
        if problem:
            raise DeployError(problem)
        with contextlib.chdir(root):
            archive = _git("archive", "--format=tar", branch)
        if archive.returncode != 0:
            raise DeployError(f"no {branch} branch to export; expected `make deploy` first")
        dest.parent.mkdir(parents=True, exist_ok=True)
        with storage.lock(dest.parent, "make export"):
            shutil.rmtree(tmp, ignore_errors=True)  # left by a killed export
            count = _write_tree(archive.stdout, tmp)
            swap_in(tmp, dest)  # the old tree is removed only once the new one is in place
        versions = Versions.loads((dest / mike.versions_file).read_text("utf-8"))
        listed = ", ".join(str(v.version) for v in versions)
        print(f"exported {count} files of the {branch} branch to {dest} (versions: {listed})")
        return 0
    except DeployError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"export: {exc}")
    except storage.Busy as exc:
        print(f"export: {dest.parent} is busy ({exc}); expected one export at a time: try again")
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"export: cannot write {dest}: {exc.strerror}; expected a folder you can write")
    return 1
