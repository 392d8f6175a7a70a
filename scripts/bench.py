"""Build benchmark: `python scripts/bench.py` (or `make bench`). Not a test: it only measures.

Cases, each the median of --runs runs, every build in a fresh process unless said otherwise:
- cold: a full build of the project (validation + strict MkDocs build) in a fresh copy of its inputs;
- rebuild: after a one-figure correction in a copy of data/, timed both in the process that has
  already built once (as `mkdocs serve` would) and in a fresh process;
- N studies (1, 10, 30, 100, 300) of ten figures each, generated into a temporary folder from the
  real study (never into data/); each set passes validation.
Beside each size, the floor: the very Markdown our plugin hands MkDocs, written out as files and
built by plain `mkdocs build` without it, timed in turns with ours after one untimed run of each (so ours
starts with the image cache an earlier build left, as a maintainer's does). Peak memory is the
child's maximum resident set (os.wait4's rusage, the per-child form of RUSAGE_CHILDREN). Writes
reports/bench.csv and reports/bench.png.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from trialsite.commands.new_study import rename_figures

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZES = (1, 10, 30, 100, 300)
FIGURES_PER_STUDY = 10
REAL_STUDY = ROOT / "data" / "studies" / "a041703-cohort-1.yaml"

OUR_BUILD = (
    "import sys; from pathlib import Path; from trialsite.build import build_site; "
    "sys.exit(build_site(Path.cwd(), Path(sys.argv[1])))"
)
# Saves the Markdown each page has after our hook: the input of the plain-MkDocs floor.
CAPTURE_HOOK = """
import os
from pathlib import Path

def on_page_markdown(markdown, page, config, files):
    out = Path(os.environ["BENCH_CAPTURE"]) / page.file.src_uri
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, "utf-8")
    return markdown
"""
IN_PROCESS_REBUILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench import correct_one_figure
from trialsite.build import build_site
root = Path.cwd()
assert build_site(root, Path(sys.argv[1])) == 0
correct_one_figure(root / "data")
start = time.perf_counter()
assert build_site(root, Path(sys.argv[2])) == 0
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: an `!ENV [NAME, default]` tag reads as its default."""


_ConfigLoader.add_constructor(
    "!ENV",
    lambda loader, node: loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None,
)


# --- inputs --------------------------------------------------------------------------------------


def copy_inputs(dest: Path, data: Path | None = None) -> Path:
    """A project copy to build in: docs/, mkdocs.yml, data/ (or the given data), the package linked."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(data or ROOT / "data", dest / "data")
    (dest / "trialsite").symlink_to(ROOT / "trialsite")
    if data is not None:
        # Synthetic studies were never published: snapshot them as the current version.
        from trialsite.commands.publish import make_snapshot

        release = yaml.safe_load((dest / "data" / "site.yaml").read_text("utf-8"))
        (dest / "data" / "published.yaml").write_text(
            make_snapshot(dest, str(release["version"]), str(release["date"])), "utf-8"
        )
    return dest


def correct_one_figure(data_dir: Path) -> None:
    """Correct one value of one figure the way a maintainer does (scripts/correct.py's function):
    the upper age of the age range, one year more."""
    from trialsite.commands.correct import record

    path = data_dir / "studies" / REAL_STUDY.name
    text = path.read_text("utf-8")
    block = text.index("- id: age-range")
    match = re.compile(r"low: (\d+)\s+high: (\d+)").search(text, block)
    assert match, "no range figure to correct"
    new = f"{match.group(1)} to {int(match.group(2)) + 1}"
    record(
        data_dir.parent,
        "figures/age-range",
        new,
        reason="benchmark",
        source="eurekalert-1102627",
        locator="benchmark",
    )


def synthetic_data(dest: Path, studies: int) -> Path:
    """data/ with `studies` studies of ten figures each, made from the real study: the first keeps
    its ids (the hand-written pages refer to them), the others get prefixed study and figure ids.
    Sources and glossary are the real ones, so every source stays used."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "sources.yaml", dest / "sources.yaml")
    shutil.copy2(ROOT / "data" / "glossary.yaml", dest / "glossary.yaml")
    for name in ("site.yaml", "corrections.yaml"):
        shutil.copy2(ROOT / "data" / name, dest / name)
    (dest / "studies").mkdir()
    real = yaml.safe_load(REAL_STUDY.read_text("utf-8"))
    # Ten figures: keep those a page, step or denominator refers to, then the first of the others.
    referenced = {s["figure"] for s in real["study"]["regimen"]["steps"]}
    referenced |= {f["denominator"] for f in real["figures"] if isinstance(f["denominator"], str)}
    referenced |= set(
        re.findall(r"\[\[fig:([\w-]+)", "".join(p.read_text("utf-8") for p in (ROOT / "docs").rglob("*.md")))
    )
    referenced &= {f["id"] for f in real["figures"]}
    others = [f["id"] for f in real["figures"] if f["id"] not in referenced]
    keep = referenced | set(others[: max(0, FIGURES_PER_STUDY - len(referenced))])
    real["figures"] = [f for f in real["figures"] if f["id"] in keep]
    assert len(real["figures"]) == FIGURES_PER_STUDY, "cannot make ten figures from the real study"
    # References to figures left out go too (related figures, the regimen's further figures).
    for figure in real["figures"]:
        figure["related"] = [r for r in figure.get("related", []) if r in keep]
        if not figure["related"]:
            del figure["related"]
    regimen = real["study"]["regimen"]
    regimen["figures"] = [r for r in regimen.get("figures", []) if r in keep]
    if not regimen["figures"]:
        del regimen["figures"]
    for limit in real["study"].get("limits", []):  # a limit keeps its words; its figure only if kept
        if limit.get("figure") not in keep:
            limit.pop("figure", None)
    glance = [g for g in real["study"].get("at_a_glance", []) if g in keep]  # the kept ones, in order
    real["study"].pop("at_a_glance", None)
    if glance:
        real["study"]["at_a_glance"] = glance
    for i in range(studies):
        doc = json.loads(json.dumps(real))  # a deep copy of plain data
        study = doc["study"]
        if i:
            study["id"] = f"synthetic-{i:03d}"
            study["cohort"] = f"Synthetic cohort {i}"
            # Every figure reference renamed with its figure, as make new-study does.
            rename_figures(doc, {f["id"]: f"s{i:03d}-{f['id']}" for f in doc["figures"]})
        text = "# Benchmark data made from the real study: not real results.\n" + yaml.safe_dump(
            doc, sort_keys=False, allow_unicode=True, width=1000
        )
        (dest / "studies" / f"{study['id']}.yaml").write_text(text, "utf-8")
    return dest


def floor_project(project: Path, dest: Path) -> Path:
    """The same pages as pre-rendered Markdown, with mkdocs.yml minus our plugin."""
    capture = dest / "docs"
    config = yaml.load((project / "mkdocs.yml").read_text("utf-8"), Loader=_ConfigLoader)
    assert "trialsite" in config.get("plugins", []), "mkdocs.yml has no trialsite plugin to capture"
    (project / "capture.py").write_text(CAPTURE_HOOK, "utf-8")
    # Hooks run after the plugins: the capture sees the Markdown our plugin made.
    hooked = {**config, "hooks": [*config.get("hooks", []), "capture.py"]}
    (project / "mkdocs-capture.yml").write_text(yaml.safe_dump(hooked, sort_keys=False), "utf-8")
    env = dict(os.environ, BENCH_CAPTURE=str(capture))
    code = (
        "import sys; from pathlib import Path; from trialsite.build import build_site; "
        "sys.exit(build_site(Path.cwd(), Path(sys.argv[1]), 'mkdocs-capture.yml'))"
    )
    subprocess.run(
        [PYTHON, "-c", code, str(project / "site-capture")],
        cwd=project,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # What else the hook publishes (the data files) and the hand-written pages' assets.
    for path in (project / "docs").rglob("*"):
        if path.is_file() and path.suffix != ".md":
            target = capture / path.relative_to(project / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    shutil.copytree(project / "data", capture / "data")
    (dest / "trialsite").symlink_to(ROOT / "trialsite")  # the Markdown extension
    shutil.copytree(project / "overrides", dest / "overrides")  # the theme override
    plain = {k: v for k, v in config.items() if k not in ("hooks", "watch")}
    plain["plugins"] = [p for p in config.get("plugins", []) if p != "trialsite"]
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(plain, sort_keys=False), "utf-8")
    return dest


# --- measuring ----------------------------------------------------------------------------------


def run_child(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed in {cwd}:\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def our_build(project: Path, out: Path) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    return run_child([PYTHON, "-c", OUR_BUILD, str(out)], project)


def floor_build(floor: Path, out: Path) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    return run_child([PYTHON, "-m", "mkdocs", "build", "--quiet", "--strict", "-d", str(out)], floor)


def median_of(runs: int, measure) -> tuple[float, float]:
    results = [measure() for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def paired_medians(runs: int, ours, floor) -> tuple[tuple[float, float], tuple[float, float]]:
    """Our build and the floor taken in turns, after one untimed run of each (which also fills the
    image cache, as any earlier build would have): a machine that slows down or speeds up during the
    benchmark then weighs on both sides alike."""
    ours()
    floor()
    pairs = [(ours(), floor()) for _ in range(runs)]
    return (
        (statistics.median(o[0] for o, _ in pairs), max(o[1] for o, _ in pairs)),
        (statistics.median(f[0] for _, f in pairs), max(f[1] for _, f in pairs)),
    )


# --- report ---------------------------------------------------------------------------------------


def plot(rows: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sized = [r for r in rows if r["case"] == "studies"]
    n = [r["studies"] for r in sized]
    fig, (ax_time, ax_mem) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    ax_time.plot(n, [r["ours_s"] for r in sized], "o-", label="our build (hook)")
    ax_time.plot(n, [r["floor_s"] for r in sized], "s--", label="floor: plain mkdocs build")
    ax_time.set(
        xscale="log", yscale="log", xlabel="studies (10 figures each)", ylabel="median build time (s)"
    )
    ax_time.set_title("Build time")
    ax_mem.plot(n, [r["ours_mb"] for r in sized], "o-", label="our build (hook)")
    ax_mem.plot(n, [r["floor_mb"] for r in sized], "s--", label="floor: plain mkdocs build")
    ax_mem.axhline(500, color="grey", linewidth=0.8, linestyle=":", label="500 MB target")
    ax_mem.set(xscale="log", xlabel="studies (10 figures each)", ylabel="peak memory (MB)")
    ax_mem.set_title("Peak memory")
    for ax in (ax_time, ax_mem):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.savefig(out, dpi=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--reports", type=Path, default=ROOT / "reports")
    args = parser.parse_args(argv)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="trialsite-bench-") as tmp_name:
        tmp = Path(tmp_name)

        # Cold full build of the real project, a fresh copy (so no cache of any kind) each run.
        def cold() -> tuple[float, float]:
            project = copy_inputs(Path(tempfile.mkdtemp(dir=tmp)) / "p")
            return our_build(project, project / "site")

        t, mb = median_of(args.runs, cold)
        rows.append({"case": "cold full build", "studies": 1, "ours_s": t, "ours_mb": mb})
        print(f"cold full build: {t:.2f} s, peak {mb:.0f} MB", flush=True)

        # One-figure correction, in the process that built before, and in a fresh process.
        def rebuild_in_process() -> tuple[float, float]:
            project = copy_inputs(Path(tempfile.mkdtemp(dir=tmp)) / "p")
            out = subprocess.run(
                [
                    PYTHON,
                    "-c",
                    IN_PROCESS_REBUILD,
                    str(project / "s1"),
                    str(project / "s2"),
                    str(ROOT / "scripts"),
                ],
                cwd=project,
                capture_output=True,
                text=True,
                check=True,
            )
            return json.loads(out.stdout.strip().splitlines()[-1])["seconds"], 0.0

        def rebuild_fresh() -> tuple[float, float]:
            project = copy_inputs(Path(tempfile.mkdtemp(dir=tmp)) / "p")
            our_build(project, project / "site")  # the site (and its image cache) as it was
            correct_one_figure(project / "data")
            return our_build(project, project / "site")

        t, _ = median_of(args.runs, rebuild_in_process)
        rows.append({"case": "rebuild after one-figure correction (same process)", "studies": 1, "ours_s": t})
        print(f"rebuild after a one-figure correction, same process: {t:.2f} s", flush=True)
        t, mb = median_of(args.runs, rebuild_fresh)
        rows.append(
            {
                "case": "rebuild after one-figure correction (fresh process)",
                "studies": 1,
                "ours_s": t,
                "ours_mb": mb,
            }
        )
        print(
            f"rebuild after a one-figure correction, fresh process: {t:.2f} s, peak {mb:.0f} MB", flush=True
        )

        for n in args.sizes:
            base = tmp / f"n{n}"
            project = copy_inputs(base / "project", synthetic_data(base / "data", n))
            floor = floor_project(project, base / "floor")
            (ours_t, ours_mb), (floor_t, floor_mb) = paired_medians(
                args.runs,
                lambda p=project: our_build(p, p / "site"),
                lambda f=floor: floor_build(f, f / "site"),
            )
            rows.append(
                {
                    "case": "studies",
                    "studies": n,
                    "ours_s": ours_t,
                    "ours_mb": ours_mb,
                    "floor_s": floor_t,
                    "floor_mb": floor_mb,
                    "ratio": ours_t / floor_t,
                }
            )
            print(
                f"{n:4d} studies: ours {ours_t:.2f} s ({ours_mb:.0f} MB), floor {floor_t:.2f} s "
                f"({floor_mb:.0f} MB), ratio {ours_t / floor_t:.2f}",
                flush=True,
            )
            shutil.rmtree(base)

    args.reports.mkdir(parents=True, exist_ok=True)
    fields = ["case", "studies", "ours_s", "ours_mb", "floor_s", "floor_mb", "ratio"]
    with (args.reports / "bench.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.3f}" if isinstance(v, float) else v) for k, v in row.items()})
    sized = {r["studies"]: r for r in rows if r["case"] == "studies"}
    if len(sized) > 1:
        plot(rows, args.reports / "bench.png")
    print(markdown_table(rows, args.runs))
    if 30 in sized and 300 in sized:
        print(f"growth: 300 studies take {sized[300]['ours_s'] / sized[30]['ours_s']:.1f}x the time of 30")
    return 0


def markdown_table(rows: list[dict], runs: int) -> str:
    lines = [
        f"Median of {runs} runs; peak memory is the largest of the runs.",
        "",
        "| Case | Studies | Our build (s) | Peak MB | Plain mkdocs floor (s) | Floor peak MB | Ours/floor |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:

        def cell(key: str, fmt: str, r: dict = r) -> str:
            return format(r[key], fmt) if r.get(key) else ""

        lines.append(
            f"| {r['case']} | {r['studies']} | {cell('ours_s', '.2f')} | {cell('ours_mb', '.0f')} | "
            f"{cell('floor_s', '.2f')} | {cell('floor_mb', '.0f')} | {cell('ratio', '.2f')} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
