"""Shared pieces of the corrections tests: a project copy with corrections recorded through the command."""

from __future__ import annotations

import html.parser
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from trialsite.data.dataset import load_dataset
from trialsite.data.load import load_document

STUDY = "data/studies/a041703-cohort-1.yaml"
SUPPORT = "eurekalert-1102627"
TEST_DOI = "10.5555/trialsite.test.0001"  # 10.5555 is a prefix reserved for tests


def run_correct(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "correct.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@dataclass(frozen=True)
class Recorded:
    root: Path
    before: dict[str, str]  # file -> text before the corrections


def record_sample_corrections(root: Path) -> Recorded:
    """Three corrections made the way a maintainer makes them: a count, a cycles figure, a DOI.

    The new values are derived from the data (one fewer patient; one fewer cycle at the low end)."""
    data = load_dataset(root / "data", root)
    treated = data.figure("patients-treated").value
    cycles = data.figure("blinatumomab-cycles").value
    before = {f: (root / f).read_text("utf-8") for f in (STUDY, "data/sources.yaml", "data/corrections.yaml")}
    runs = [
        ("figure", "patients-treated", str(treated - 1)),  # type: ignore[operator]
        ("figure", "blinatumomab-cycles", f"{cycles.min - 1} to {cycles.max}"),  # type: ignore[union-attr]
        ("source", "jco-2025-wieduwilt", "doi", TEST_DOI),
    ]
    for args in runs:
        done = run_correct(
            root,
            *args,
            "--reason",
            "Test correction: the value was transcribed wrongly.",
            "--source",
            SUPPORT,
            "--locator",
            'section "What the Study Found"',
            "--date",
            "2026-11-25",
        )
        assert done.returncode == 0, done.stderr
    return Recorded(root, before)


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(markup: str) -> str:
    """The visible text of some HTML, whitespace collapsed (tooltips' <abbr> tags removed)."""
    parser = _Text()
    parser.feed(markup)
    return " ".join("".join(parser.parts).split())


def element(page_html: str, element_id: str, tag: str) -> str:
    """The HTML of the first <tag id=element_id> ... </tag> (no nesting of the same tag inside)."""
    m = re.search(rf'<{tag}[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</{tag}>', page_html, re.S)
    assert m, f"no <{tag} id={element_id}>"
    return m.group(1)


def resnapshot(root: Path) -> None:
    """For tests that change data in a copy on purpose (not a correction): accept the data as published,
    keeping the version, so the snapshot check does not stand in the way of what they test."""
    from trialsite.commands.publish import make_snapshot

    release = load_document(root / "data/site.yaml", "data/site.yaml").data
    (root / "data/published.yaml").write_text(
        make_snapshot(root, str(release["version"]), str(release["date"])), "utf-8"
    )


def as_published(root: Path) -> None:
    """Put a project copy back as its last published version showed it: every value that a log entry
    made since then changed gets its previous value back, and those entries leave the log. Tests that
    count or read the log's entries start from there, whatever corrections the real data carries."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from trialsite.commands.yamledit import dump, round_trip_yaml
    from trialsite.data.layout import DataLayout
    from trialsite.data.targets import FigureTarget, parse_target

    layout = DataLayout.of(root)
    log_text = layout.corrections.read_text("utf-8")
    y = round_trip_yaml()
    log = y.load(log_text)
    published = len(load_document(layout.published, "p").data["corrections"])
    unpublished = list(log["entries"])[published:]
    if not unpublished:
        return
    sources = load_document(layout.sources, "s").data["sources"]
    for entry in reversed(unpublished):
        target = parse_target(str(entry["corrects"]))
        if isinstance(target, FigureTarget):
            path = root / STUDY
            tree = y.load(path.read_text("utf-8"))
            node = next(f for f in tree["figures"] if f["id"] == target.figure_id)
            key = "value"
        else:
            assert target is not None
            path = layout.sources
            tree = y.load(path.read_text("utf-8"))
            node = tree["sources"][next(i for i, s in enumerate(sources) if s["id"] == target.source_id)]
            key = target.field
        previous = entry["previous"]
        if isinstance(previous, list):
            seq = CommentedSeq([CommentedMap(dict(a)) for a in previous])
            if not previous:
                seq.fa.set_flow_style()
            previous = seq
        node[key] = previous
        path.write_text(dump(y, tree), "utf-8")
    del log["entries"][published:]
    if not log["entries"]:
        log["entries"] = CommentedSeq()
        log["entries"].fa.set_flow_style()
    layout.corrections.write_text(dump(y, log), "utf-8")
