"""Shared by the citation, download and metadata tests: the dataset as the site sees it, and one
copied project with a corrected value and hostile text, built once per session."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from corrections_helpers import resnapshot

from trialsite.commands.citation import project_context
from trialsite.context import BuildContext
from trialsite.data.model import Dataset

ROOT = Path(__file__).resolve().parent.parent

# A figure whose value a correction changes, and text a spreadsheet or a <script> would misread.
CORRECTED_FIGURE = "relapse-free-1y"
HOSTILE_FIGURE = "tolerability"
HOSTILE_LABEL = '=HYPERLINK("http://x.invalid")</script><script>alert(1)</script><!--'
HOSTILE_TITLE = "Results <b>bold</b> & *stars* _under_ {brace 50% \\ back</script><!--"
HOSTILE_NOTES = {
    "completed-full-course": "+1+1 spreadsheet formula",
    "prior-cancer-response": "-2+3 looks like arithmetic",
    "historical-comparison": "@SUM(A1:A2) as a formula",
    "age-range": "\tstarts with a tab",
}


# The public address the tests publish to (example.org is reserved for examples, RFC 2606).
PUBLIC_URL = "https://example.org/a041703/"


@contextlib.contextmanager
def site_url_env(url: str | None = PUBLIC_URL) -> Iterator[None]:
    """SITE_URL set (or unset, for None) while mkdocs.yml is read, as a maintainer would set it."""
    old = os.environ.get("SITE_URL")
    if url is None:
        os.environ.pop("SITE_URL", None)
    else:
        os.environ["SITE_URL"] = url
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = old


def site_context(root: Path = ROOT) -> BuildContext:
    """The build context as a build of this project makes it (mkdocs.yml through MkDocs, data/)."""
    return project_context(root)


def public_context(root: Path = ROOT, url: str = PUBLIC_URL) -> BuildContext:
    """The same, built for the public address `url` (SITE_URL)."""
    with site_url_env(url):
        return project_context(root)


def site_dataset(root: Path = ROOT) -> Dataset:
    return site_context(root).data


def _set_in_figure(text: str, figure_id: str, key: str, new_line: str) -> str:
    """Replace one top-level key's line inside one figure's block of the study YAML."""
    start = text.index(f"  - id: {figure_id}\n")
    end = text.find("\n  - id: ", start + 1)
    end = len(text) if end == -1 else end
    block = text[start:end]
    block, n = re.subn(rf"(?m)^    {key}: .*$", lambda _m: f"    {key}: {new_line}", block, count=1)
    assert n == 1, (figure_id, key)
    return text[:start] + block + text[end:]


def make_changed_project(dest: Path, new_value: int) -> None:
    """Correct one figure's value and give others hostile text, in a copy of data/."""
    study = dest / "data" / "studies" / "a041703-cohort-1.yaml"
    text = study.read_text("utf-8")
    text = _set_in_figure(text, CORRECTED_FIGURE, "value", str(new_value))
    text = _set_in_figure(text, HOSTILE_FIGURE, "label", _yaml_quote(HOSTILE_LABEL))
    for fid, note in HOSTILE_NOTES.items():
        text = _set_in_figure(text, fid, "notes", _yaml_quote(note))
    study.write_text(text, "utf-8")
    sources = dest / "data" / "sources.yaml"
    text = sources.read_text("utf-8")
    first_title = next(line for line in text.split("\n") if line.startswith("    title: "))
    text = text.replace(first_title, f"    title: {_yaml_quote(HOSTILE_TITLE)}", 1)
    # The words listed to keep their capitals must be in the title: the hostile one has none of them.
    text = re.sub(r"(?m)^    proper_nouns: .*\n", "", text, count=1)
    sources.write_text(text, "utf-8")
    # A changed copy on purpose, not a correction: accept it as published so the snapshot allows it.
    resnapshot(dest)


def _yaml_quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return f'"{escaped}"'


def context_for(data: Dataset, site_url: str = "", root: Path = ROOT) -> BuildContext:
    """A build context around a dataset made in a test (the site's settings given by hand)."""
    from trialsite.context import SiteSettings
    from trialsite.data.layout import DataLayout

    settings = SiteSettings(title=site_context(root).settings.title, url=site_url, description="")
    return BuildContext.make(data, settings, DataLayout.of(root))
