"""Bad input never publishes: one small bad file per case under tests/data/bad/, each reported as
`FILE:LINE:COL: field: what was found; expected ...`, exit status 1, no traceback, site/ untouched.

Each case copies the project, puts ONE bad file in place of a real one (or beside it), and builds
against a previously built site. Most cases call build_site in-process (validation fails before
MkDocs runs); the cases in SUBPROCESS also run `python scripts/build.py --site ...` for real.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_project
from sitetree import leftover_temp_folders, tree_hash

from trialsite.build import build_site
from trialsite.data.load import MAX_BYTES

BAD = Path(__file__).parent / "data" / "bad"
STUDY = "data/studies/a041703-cohort-1.yaml"
# Where the real study file defines remission: a second study reusing the id is reported against it.
REMISSION_LINE = (Path(__file__).resolve().parent.parent / STUDY).read_text("utf-8").split("\n").index(
    "  - id: remission"
) + 1
SOURCES = "data/sources.yaml"
GLOSSARY = "data/glossary.yaml"
HOME = "docs/index.md"
SECOND_STUDY = "data/studies/z-cohort-2.yaml"
PROBLEM_LINE = re.compile(r"^(data|docs)/[^:\s]+:\d+:\d+: \S.*$")
SLUG = "an id of lowercase ASCII letters and digits joined by single hyphens"
# Where the real study file defines 'remission', which a second study's duplicate id points back to.
REMISSION_LINE = (Path(__file__).parent.parent / STUDY).read_text("utf-8").splitlines().index(
    "  - id: remission"
) + 1


def _target(file: str) -> str:
    """The project file a bad file replaces, from its name's prefix."""
    prefixes = {"study-": STUDY, "sources-": SOURCES, "glossary-": GLOSSARY, "docs-": HOME}
    if file.startswith("second-"):
        return SECOND_STUDY
    return next(target for prefix, target in prefixes.items() if file.startswith(prefix))


def _oversize(project: Path) -> None:
    text = (project / STUDY).read_text("utf-8")
    padding = "# padding to go over the size limit\n" * (MAX_BYTES // 30)
    (project / STUDY).write_text(text + padding, "utf-8")


def _no_studies_folder(project: Path) -> None:
    shutil.rmtree(project / "data" / "studies")


@dataclass(frozen=True)
class Case:
    """file: under tests/data/bad/ (or a name for a generated case); where and what is reported."""

    file: str
    line: int
    col: int
    fragments: tuple[str, ...]
    make: Callable[[Path], None] | None = None
    reported: str = ""

    @property
    def shown_path(self) -> str:
        return self.reported or _target(self.file)


C = Case
CASES: list[Case] = [
    # --- YAML syntax and what the loader refuses ---
    C(
        "study-unclosed-quote.yaml",
        130,
        23,
        ("YAML syntax", "from line 120", "expected valid YAML", "quotes"),
    ),
    C(
        "study-bad-indentation.yaml",
        122,
        11,
        ("YAML syntax", "mapping values are not allowed", "indentation"),
    ),
    C("study-tab-indentation.yaml", 121, 1, ("YAML syntax", "'\\t'", "expected valid YAML", "spaces only")),
    C("study-two-documents.yaml", 230, 1, ("YAML syntax", "single document", "expected valid YAML")),
    C(
        "study-duplicate-key.yaml",
        124,
        5,
        ("figures[4].value", "duplicate key 'value'", "line 123", "expected each key once"),
    ),
    C(
        "sources-duplicate-key.yaml",
        33,
        5,
        ("sources[1].container", "duplicate key 'container'", "expected each key once"),
    ),
    C(
        "study-python-object-apply-tag.yaml",
        199,
        12,
        ("figures[8].notes", "python/object/apply:os.system", "not allowed", "expected a plain"),
    ),
    C(
        "glossary-python-name-tag.yaml",
        31,
        17,
        ("terms[6].definition", "python/name:os.system", "not allowed", "expected a plain value"),
    ),
    C("study-alias-bomb.yaml", 120, 13, ("aliases", "not allowed", "expected each value written out")),
    C(
        "oversize (generated)",
        1,
        1,
        ("bytes", f"expected at most {MAX_BYTES} bytes"),
        make=_oversize,
        reported=STUDY,
    ),
    C("study-not-utf8.yaml", 121, 19, ("byte 0xf3 is not UTF-8", "expected UTF-8 text")),
    C("study-nul-character.yaml", 121, 17, ("character U+0000 is not allowed", "expected printable text")),
    C("glossary-empty.yaml", 1, 1, ("the file is empty", "expected a YAML mapping")),
    C("sources-comment-only.yaml", 1, 1, ("the file is empty", "expected a YAML mapping")),
    C(
        "glossary-top-level-list.yaml",
        1,
        1,
        ("the file: found a list", "expected a mapping with the key 'terms'"),
    ),
    C("study-octal-number.yaml", 57, 12, ("figures[0].value", "'033'", "expected a plain decimal number")),
    C(
        "study-base-60-number.yaml",
        123,
        12,
        ("figures[4].value", "'1:37'", "expected a plain decimal number"),
    ),
    # --- shape and types ---
    C(
        "study-missing-measures.yaml",
        120,
        5,
        ("figures[4]", "missing field 'measures'", "expected a figure: id, label"),
    ),
    C(
        "study-unknown-field.yaml",
        124,
        5,
        ("figures[4].confidence", "unknown field 'confidence'", "expected one of: also_reported, basis"),
    ),
    C(
        "study-headline-not-boolean.yaml",
        168,
        15,
        ("figures[6].headline", "'maybe'", "expected true or false"),
    ),
    C("study-no-read-as-boolean.yaml", 8, 11, ("study.cohort", "reads 'NO' as a boolean", "expected text")),
    C(
        "glossary-yes-read-as-boolean.yaml",
        29,
        11,
        ("terms[6].term", "reads 'yes' as a boolean", "expected text"),
    ),
    C(
        "study-on-where-number-expected.yaml",
        57,
        12,
        ("figures[0].value", "reads 'on' as a boolean", "expected a whole number"),
    ),
    C(
        "sources-date-where-text-expected.yaml",
        13,
        16,
        ("sources[0].container", "reads '2025-09-30' as a date", "expected text", "quotes"),
    ),
    C(
        "study-1e3-where-number-expected.yaml",
        57,
        12,
        ("figures[0].value", "the text '1e3'", "expected a whole number"),
    ),
    C(
        "study-quoted-percent.yaml",
        123,
        12,
        ("figures[4].value", "the text '97'", "expected a percentage from 0 to 100"),
    ),
    C(
        "study-percent-nan.yaml",
        123,
        12,
        ("figures[4].value", "'.nan'", "not finite", "expected a percentage from 0 to 100"),
    ),
    C(
        "study-percent-inf.yaml",
        123,
        12,
        ("figures[4].value", "'.inf'", "not finite", "expected a percentage from 0 to 100"),
    ),
    C(
        "study-percent-above-100.yaml",
        123,
        12,
        ("figures[4].value", "101", "expected a percentage from 0 to 100"),
    ),
    C(
        "study-percent-below-0.yaml",
        159,
        12,
        ("figures[6].value", "-5", "expected a percentage from 0 to 100"),
    ),
    C(
        "study-figure-kind-unknown.yaml",
        158,
        11,
        ("figures[6].kind", "'ratio'", "expected one of count, percent"),
    ),
    C(
        "study-figure-no-group.yaml",
        278,
        5,
        (
            "figures[4]",
            "missing field 'group'",
            "expected one of: participants (who took part)",
            "safety (side effects and safety)",
        ),
    ),
    C(
        "study-figure-group-unknown.yaml",
        289,
        12,
        ("figures[4].group", "'toxicity'", "expected one of: participants", "primary-endpoint", "safety"),
    ),
    C(
        "sources-kind-unknown.yaml",
        28,
        11,
        ("sources[1].kind", "'blog-post'", "expected one of journal-article"),
    ),
    C(
        "study-registry-id-malformed.yaml",
        11,
        18,
        ("study.registration.registry_id", "NCT3739814", "expected a ClinicalTrials.gov number"),
    ),
    C("study-empty-label.yaml", 121, 12, ("figures[4].label", "''", "expected text")),
    # --- numbers that disagree ---
    C(
        "study-count-does-not-round.yaml",
        128,
        12,
        (
            "figures[4].count",
            "30 of 33",
            "does not round to the stated 97%",
            "expected a count and denominator",
        ),
    ),
    C(
        "study-proportion-no-whole-number.yaml",
        141,
        12,
        ("figures[5].value", "no whole number of 33 gives 75%", "expected a percent that is a share"),
    ),
    C(
        "study-range-inverted.yaml",
        73,
        12,
        ("figures[1].value", "low 84 is above high 60", "expected low <= high"),
    ),
    C(
        "study-cycles-min-above-max.yaml",
        107,
        12,
        ("figures[3].value", "min 6 is above max 5", "expected min <= max"),
    ),
    C(
        "study-count-on-range-figure.yaml",
        75,
        5,
        ("figures[1].count", "only for a percent", "expected no 'count' here"),
    ),
    # --- references between files ---
    C(
        "study-unknown-source.yaml",
        129,
        13,
        ("figures[4].source", "unknown source 'nejm-2025-unknown'", "expected one of:", "eurekalert-1102627"),
    ),
    C(
        "study-unknown-denominator-figure.yaml",
        127,
        18,
        (
            "figures[4].denominator",
            "'patients-enrolled' is not a count figure",
            "expected one of: patients-treated",
        ),
    ),
    C(
        "study-unknown-regimen-figure.yaml",
        49,
        17,
        (
            "study.regimen.steps[1].figure",
            "'rituximab-cycles'",
            "expected one of: blinatumomab-cycles, inotuzumab-cycles",
        ),
    ),
    C(
        "study-regimen-figure-not-cycles.yaml",
        47,
        17,
        ("study.regimen.steps[0].figure", "'remission' is not a cycles figure", "expected one of"),
    ),
    C(
        "sources-unused-source.yaml",
        64,
        9,
        (
            "sources[3].id",
            "'unused-registry-record' is cited by no figure",
            "expected every source to be used",
        ),
    ),
    C(
        "sources-reports-unknown-source.yaml",
        42,
        14,
        ("sources[1].reports", "unknown source 'jco-2024-other'", "expected one of"),
    ),
    C(
        "study-duplicate-figure-id.yaml",
        186,
        9,
        ("figures[8].id", "figure id 'remission' is already used", f"{STUDY}:120", "expected a unique id"),
    ),
    C(
        "second-study-duplicate-figure-id.yaml",
        53,
        9,
        (
            "figures[1].id",
            "figure id 'remission' is already used",
            f"{STUDY}:{REMISSION_LINE}",
            "expected a unique id",
        ),
    ),
    C(
        "glossary-duplicate-term-id.yaml",
        28,
        9,
        ("terms[6].id", "term id 'remission' is already used", "expected a unique id"),
    ),
    C(
        "missing studies folder (generated)",
        1,
        1,
        ("no study files", "expected at least one data/studies/NAME.yaml"),
        make=_no_studies_folder,
        reported="data/studies",
    ),
    # --- ids ---
    C("study-id-uppercase.yaml", 120, 9, ("figures[4].id", "'Remission'", SLUG)),
    C("study-id-with-space.yaml", 69, 9, ("figures[1].id", "'age range'", SLUG)),
    C("sources-id-trailing-hyphen.yaml", 46, 9, ("sources[2].id", "'nct03739814-'", SLUG)),
    C(
        "study-id-zero-width-space.yaml",
        186,
        9,
        ("figures[8].id", "U+200B (ZERO WIDTH SPACE)", "expected visible text only"),
    ),
    C(
        "glossary-id-right-to-left-override.yaml",
        28,
        9,
        ("terms[6].id", "U+202E (RIGHT-TO-LEFT OVERRIDE)", "expected visible text only"),
    ),
    C(
        "study-label-right-to-left-override.yaml",
        121,
        12,
        ("figures[4].label", "U+202E (RIGHT-TO-LEFT OVERRIDE)", "expected visible text only"),
    ),
    C(
        "glossary-term-zero-width-joiner.yaml",
        29,
        11,
        ("terms[6].term", "U+200D (ZERO WIDTH JOINER)", "expected visible text only"),
    ),
    # --- addresses, DOIs and dates ---
    C(
        "sources-url-javascript.yaml",
        59,
        10,
        ("sources[2].url", "'javascript:alert(1)'", "expected an https:// address"),
    ),
    C("sources-url-data.yaml", 59, 10, ("sources[2].url", "'data:text/html", "expected an https:// address")),
    C(
        "sources-url-plain-http.yaml",
        59,
        10,
        ("sources[2].url", "'http://clinicaltrials.gov", "expected an https:// address"),
    ),
    C(
        "sources-doi-malformed.yaml",
        17,
        10,
        ("sources[0].doi", "'JCO.25.00001'", "expected a DOI such as 10."),
    ),
    C(
        "sources-volume-without-evidence.yaml",
        184,
        13,
        ("sources[5].volume", "'24' is stated without evidence", "expected evidence.volume"),
    ),
    C(
        "sources-doi-as-url.yaml",
        17,
        10,
        ("sources[0].doi", "'https://doi.org/", "expected a DOI", "without https://doi.org/"),
    ),
    C(
        "sources-impossible-date.yaml",
        16,
        13,
        ("sources[0].issued", "'2025-02-30'", "day is out of range", "expected a real date"),
    ),
    C(
        "sources-datetime-for-date.yaml",
        16,
        13,
        ("sources[0].issued", "date and time", "expected a date alone (YYYY-MM-DD)"),
    ),
    C(
        "sources-date-not-iso.yaml",
        16,
        13,
        ("sources[0].issued", "'30/09/2025'", "expected an ISO date YYYY-MM-DD"),
    ),
    # --- figure references in hand-written pages ---
    C(
        "docs-unknown-figure-id.md",
        28,
        5,
        ("unknown figure id 'patients-enrolled'", "expected one of: age-median, age-range"),
    ),
    C(
        "docs-malformed-reference.md",
        35,
        5,
        ("'[[fig tolerability]]' is not a figure reference", "expected [[fig:ID]]"),
    ),
    C("docs-unknown-reference-form.md", 35, 5, ("unknown form '|bold'", "expected one of: value, bare")),
    C(
        "docs-unclosed-reference.md",
        35,
        5,
        ("'[[' opens a figure reference that is not closed", "expected [[fig:ID]]"),
    ),
    C("docs-not-utf8.md", 25, 9, ("byte 0xe9 is not UTF-8", "expected a UTF-8 text file")),
    # --- several reports of one figure (also_reported), copies and provenance ---
    C(
        "study-report-unknown-source.yaml",
        359,
        17,
        ("figures[6].also_reported[0].source", "unknown source 'asco-2023-7006'", "expected one of"),
    ),
    C(
        "study-report-same-source-twice.yaml",
        373,
        17,
        (
            "figures[6].also_reported[1].source",
            "'jco-2023-abstract-7006' already reports this figure",
            "figures[6].also_reported[0].source, line 359",
            "expected one report per source",
        ),
    ),
    C(
        "study-report-same-source-as-figure.yaml",
        359,
        17,
        (
            "figures[6].also_reported[0].source",
            "'eurekalert-1102627' already reports this figure (figures[6].source, line 353)",
            "expected one report per source",
        ),
    ),
    C(
        "study-ci-excludes-value.yaml",
        366,
        13,
        (
            "figures[6].also_reported[0].ci[0]",
            "the 95% interval 86 to 98 does not contain the value 84",
            "expected an interval around the value",
        ),
    ),
    C(
        "study-ci-low-above-high.yaml",
        308,
        18,
        ("figures[5].also_reported[0].ci[1]", "low 89 is above high 63", "expected low <= high"),
    ),
    C(
        "study-report-unknown-copy.yaml",
        371,
        19,
        (
            "figures[6].also_reported[0].read_in[0]",
            "unknown copy 'github-copy' of source 'jco-2023-abstract-7006'",
            "expected one of: github-texts-jsx, paperexplained",
        ),
    ),
    C(
        "study-report-read-in-missing.yaml",
        359,
        17,
        (
            "figures[6].also_reported[0]",
            "was read in copies, but read_in does not say which",
            "expected read_in",
        ),
    ),
    C(
        "study-reports-without-comparison.yaml",
        358,
        5,
        ("figures[6].also_reported", "2 reports but no comparison", "expected comparison: same_measure"),
    ),
    C(
        "study-comparison-no-reason.yaml",
        375,
        16,
        ("figures[6].comparison.reasons", "same_measure is unknown, but no reason is given", "lay-wording"),
    ),
    C(
        "study-related-unknown-figure.yaml",
        381,
        23,
        ("figures[6].related[1]", "'follow-up-mean' is not a figure of this study", "expected the id"),
    ),
    C(
        "study-report-value-as-text.yaml",
        360,
        16,
        ("figures[6].also_reported[0].value", "the text '84'", "expected a percentage from 0 to 100"),
    ),
    C(
        "sources-copy-duplicate-id.yaml",
        107,
        13,
        ("sources[3].copies[1].id", "copy id 'github-texts-jsx' is already used", "expected a unique id"),
    ),
    C(
        "glossary-term-unknown-source.yaml",
        94,
        13,
        ("terms[18].source", "unknown source 'blood-cancers-today'", "expected one of"),
    ),
    C(
        "second-study-related-other-study.yaml",
        67,
        15,
        ("figures[1].related[0]", "'remission' is not a figure of this study", "expected the id"),
    ),
]

# Run for real as `python scripts/build.py --site ...` too: one of each family.
SUBPROCESS = {
    "study-unclosed-quote.yaml",
    "study-python-object-apply-tag.yaml",
    "study-alias-bomb.yaml",
    "oversize (generated)",
    "study-not-utf8.yaml",
    "study-percent-nan.yaml",
    "study-count-does-not-round.yaml",
    "sources-url-javascript.yaml",
    "second-study-duplicate-figure-id.yaml",
    "missing studies folder (generated)",
    "docs-unknown-figure-id.md",
    "study-report-unknown-source.yaml",
    "study-ci-excludes-value.yaml",
}


def _bad_project(tmp_path: Path, case: Case) -> Path:
    project = copy_project(tmp_path / "project")
    if case.make:
        case.make(project)
    else:
        shutil.copyfile(BAD / case.file, project / _target(case.file))
    return project


def assert_reported(stderr: str, case: Case) -> None:
    """The expected problem line is there, every line is in our format, and nothing crashed."""
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert lines, "nothing was reported"
    assert re.fullmatch(r"\d+ problems? found; nothing was built\.", lines[-1]), stderr
    for line in lines[:-1]:
        assert PROBLEM_LINE.match(line), f"not a path:line:col: line: {line!r}"
    prefix = f"{case.shown_path}:{case.line}:{case.col}: "
    at_place = [line for line in lines if line.startswith(prefix)]
    assert at_place, f"nothing reported at {prefix}\n{stderr}"
    assert any(all(f in line for f in case.fragments) for line in at_place), (
        f"no line at {prefix} says all of {case.fragments}:\n{stderr}"
    )


def test_every_bad_file_has_a_case() -> None:
    files = {p.name for p in BAD.iterdir() if p.suffix in (".yaml", ".md")}
    named = {c.file for c in CASES} | {"study-several-problems.yaml"}
    assert files - named == set(), "bad files without an expectation"
    assert {c.file for c in CASES if not c.make} - files == set(), "cases without a file"
    assert len(CASES) >= 45


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_bad_input_is_reported_and_nothing_is_published(
    case: Case, tmp_path: Path, previous_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_hash(previous_site)
    project = _bad_project(tmp_path, case)
    status = build_site(project, previous_site)
    captured = capsys.readouterr()
    assert status == 1
    assert_reported(captured.err, case)
    assert "built" not in captured.out
    assert tree_hash(previous_site) == before
    assert leftover_temp_folders(previous_site.parent) == []
    assert not Path("/tmp/trialsite-yaml-tag-was-executed").exists()


@pytest.mark.parametrize("case", [c for c in CASES if c.file in SUBPROCESS], ids=lambda c: c.file)
def test_bad_input_fails_the_real_build_script(case: Case, tmp_path: Path, previous_site: Path) -> None:
    before = tree_hash(previous_site)
    project = _bad_project(tmp_path, case)
    result = subprocess.run(
        [sys.executable, "scripts/build.py", "--site", str(previous_site)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout
    assert_reported(result.stderr, case)
    assert tree_hash(previous_site) == before
    assert leftover_temp_folders(previous_site.parent) == []


def test_several_problems_in_one_file_are_all_reported_in_one_run(
    tmp_path: Path, previous_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copyfile(BAD / "study-several-problems.yaml", project / STUDY)
    assert build_site(project, previous_site) == 1
    err = capsys.readouterr().err
    expected = [
        Case("", 8, 11, ("study.cohort", "reads 'NO' as a boolean")),
        Case("", 72, 5, ("figures[1].kind", "duplicate key 'kind'")),
        Case("", 105, 12, ("figures[3].label", "U+200B")),
        Case("", 124, 12, ("figures[4].value", "expected a percentage from 0 to 100")),
        Case("", 189, 5, ("figures[8].severity", "unknown field 'severity'")),
    ]
    for case in expected:
        assert_reported(err, Case(case.file, case.line, case.col, case.fragments, reported=STUDY))
    assert err.strip().splitlines()[-1] == "5 problems found; nothing was built."
