"""A project published twice, with a correction between, to a local bare git remote (no network):
the versioned site as `make deploy` leaves it, exported as `make export` writes it for a host.

Each step is what a maintainer runs: deploy 0.1.0 (pushed), correct a figure with scripts/correct.py,
publish (0.1.1), publish again (nothing changed), then deploy 0.1.1 from a clone that has no gh-pages
branch of its own, so the remote's versions must be fetched and kept.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from citehelpers import PUBLIC_URL, site_url_env
from conftest import copy_project
from corrections_helpers import run_correct

FIGURE = "remission"
# Both releases in the past or today, as the correction command allows no date in the future: the
# project's first version is moved a week back, and the corrected one is published today.
SECOND_RELEASE = dt.datetime.now(dt.UTC).date()
FIRST_RELEASE = SECOND_RELEASE - dt.timedelta(7)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


@dataclass(frozen=True)
class Versioned:
    root: Path
    remote: Path
    tree: Path  # `make export` of the remote's gh-pages, as a host receives it
    outputs: dict[str, str]  # what each command printed
    first: str  # the first version
    second: str  # the version the correction made
    old_value: int
    new_value: int


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def make_versioned(base: Path) -> Versioned:
    from trialsite.commands.deploy import deploy, export
    from trialsite.commands.publish import make_snapshot, publish
    from trialsite.data.dataset import load_dataset

    old_env = {k: os.environ.get(k) for k in GIT_ENV}
    os.environ.update(GIT_ENV)
    try:
        remote = base / "remote.git"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
        root = copy_project(base / "project")
        site_yaml = root / "data/site.yaml"
        text = re.sub(r"(?m)^date: .*$", f"date: {FIRST_RELEASE.isoformat()}", site_yaml.read_text("utf-8"))
        site_yaml.write_text(text, "utf-8")
        version = re.search(r'(?m)^version: "(.*)"$', text).group(1)  # type: ignore[union-attr]
        (root / "data/published.yaml").write_text(
            make_snapshot(root, version, FIRST_RELEASE.isoformat(), keep_first=False), "utf-8"
        )
        (root / ".gitignore").write_text("/site/\n/.cache/\n/.site-*\n/.deploy-*/\n", "utf-8")
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "The project")
        git(root, "remote", "add", "origin", str(remote))
        git(root, "push", "-q", "origin", "main")
        data = load_dataset(root / "data", root)
        first = data.release.version
        old_value = int(data.figure(FIGURE).value)  # type: ignore[arg-type]
        new_value = old_value - 3  # computed, never typed
        outputs: dict[str, str] = {}
        with site_url_env(PUBLIC_URL):
            assert deploy(root, remote="origin", push=True) == 0
            done = run_correct(
                root,
                "figure",
                FIGURE,
                str(new_value),
                "--reason",
                "Test correction: transcribed wrongly.",
                "--source",
                "eurekalert-1102627",
                "--locator",
                'section "What the Study Found", item "Results"',
                "--date",
                SECOND_RELEASE.isoformat(),
            )
            assert done.returncode == 0, done.stderr
            assert publish(root, today=SECOND_RELEASE) == 0
            second = load_dataset(root / "data", root).release.version
            before = (root / "data/site.yaml").read_text("utf-8")
            outputs["publish again"] = _captured(
                lambda: publish(root, today=SECOND_RELEASE + dt.timedelta(1))
            )
            assert (root / "data/site.yaml").read_text("utf-8") == before
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", f"Publish {second}")
            git(root, "branch", "-D", "gh-pages")  # as in a fresh clone: only the remote has versions
            outputs["deploy"] = _captured(lambda: deploy(root, remote="origin", push=True))
        tree = base / "public"
        clone = base / "clone"
        subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True)
        git(clone, "branch", "-q", "gh-pages", "origin/gh-pages")
        assert export(clone, tree) == 0
        return Versioned(root, remote, tree, outputs, first, second, old_value, new_value)
    finally:
        for key, value in old_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _captured(call) -> str:  # type: ignore[no-untyped-def]
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert call() == 0, out.getvalue()
    return out.getvalue()
