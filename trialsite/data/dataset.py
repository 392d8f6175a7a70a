"""Load and check everything under data/: the one entry point from files to the validated model.

Every file is loaded and schema-checked, then what a schema cannot see (unique ids, references between
files, numbers that agree, the corrections rules); every problem is collected before any is raised.
"""

from __future__ import annotations

from pathlib import Path

from trialsite.data import corrections as corrections_rules
from trialsite.data.layout import DataLayout
from trialsite.data.load import Document, load_document
from trialsite.data.model import Citation, Dataset, Term
from trialsite.data.targets import SourceFieldTarget, parse_target
from trialsite.data.validate import (
    Checker,
    build_sources,
    build_study,
    check_characters,
    check_evidence,
    check_proper_nouns,
    check_read_in,
    check_schema,
    check_sources,
)
from trialsite.problems import DataError, Problem


def _load_all(layout: DataLayout) -> tuple[list[tuple[Document, str]], list[Problem]]:
    """Load every data file; a file that fails to load is reported and the rest still checked."""
    wanted = layout.fixed_files()
    study_files = layout.study_files()
    problems: list[Problem] = [
        Problem(
            layout.display(path),
            1,
            1,
            f"{why}; expected only regular data files in {layout.display(layout.data_dir)}/ "
            f"({', '.join(layout.display(p) for p, _ in wanted)}, "
            f"{layout.display(layout.studies_dir)}/NAME.yaml) and .md notes: move or delete it",
        )
        for path, why in layout.unexpected()
    ]
    if not study_files:
        problems.append(
            Problem(
                layout.display(layout.studies_dir),
                1,
                1,
                "no study files; expected at least one data/studies/NAME.yaml",
            )
        )
    wanted += [(p, "study") for p in study_files]
    docs = []
    for path, kind in wanted:
        try:
            doc = load_document(path, layout.display(path))
            problems.extend(doc.problems)
            docs.append((doc, kind))
        except DataError as exc:
            problems.extend(exc.problems)
    return docs, problems


def _corrected_fields(shaped: list[tuple[Document, str]]) -> set[tuple[str, str]]:
    """(source id, field) for each source field the corrections log changes: its evidence is there."""
    out = set()
    for doc, kind in shaped:
        if kind == "corrections":
            for entry in doc.data["entries"]:
                target = parse_target(str(entry.get("corrects", "")))
                if isinstance(target, SourceFieldTarget):
                    out.add((target.source_id, target.field))
    return out


def load_dataset(data_dir: Path, root: Path | None = None) -> Dataset:
    """Load and check the data folder of a project; raise DataError listing every problem."""
    return load_layout(DataLayout.of(root or data_dir.parent, data_dir))


def load_layout(layout: DataLayout) -> Dataset:
    docs, load_problems = _load_all(layout)
    ck = Checker()
    ck.add(load_problems)
    shaped = []
    for doc, kind in docs:
        before = len(ck.problems)
        ck.add(check_schema(doc, kind))
        ck.add(check_characters(doc))
        if len(ck.problems) == before:
            shaped.append((doc, kind))
    # Cross-file checks only make sense when every file has the right shape.
    if ck.problems:
        raise DataError(ck.problems)

    source_doc = next(d for d, k in shaped if k == "sources")
    glossary_doc = next(d for d, k in shaped if k == "glossary")
    ck.unique(
        source_doc,
        [(("sources", i, "id"), s["id"]) for i, s in enumerate(source_doc.data["sources"])],
        "source",
        {},
    )
    ck.add(check_proper_nouns(source_doc))
    # Checked now, reported after the corrections rules: a field without evidence may be one whose
    # log entry was removed, and that rule's message says what happened.
    evidence_problems = check_evidence(source_doc, _corrected_fields(shaped))
    sources = {s.id: s for s in build_sources(source_doc)}
    used: set[str] = set()
    for i, raw in enumerate(source_doc.data["sources"]):
        if "reports" in raw:
            ck.source_ref(source_doc, ("sources", i, "reports"), raw["reports"], sources, used)
    check_sources(ck, source_doc, sources, used)

    figure_ids: dict[str, str] = {}
    study_ids: dict[str, str] = {}
    studies = []
    for doc, kind in shaped:
        if kind != "study":
            continue
        ck.unique(doc, [(("study", "id"), doc.data["study"]["id"])], "study", study_ids)
        study = build_study(ck, doc, sources, used, figure_ids)
        if study:
            studies.append(study)

    # A glossary definition restated from a source cites it, and so uses it.
    terms_raw = glossary_doc.data["terms"]
    term_reads: list[tuple[str, ...]] = []
    for i, t in enumerate(terms_raw):
        if "source" in t:
            ck.source_ref(glossary_doc, ("terms", i, "source"), t["source"], sources, used)
            term_reads.append(
                check_read_in(ck, glossary_doc, ("terms", i), t["source"], t.get("read_in"), sources)
            )
        else:
            term_reads.append(())

    # A source that supports a correction is in use too (the log's references are checked later).
    used.update(e["source"] for d, k in shaped if k == "corrections" for e in d.data["entries"])
    for i, raw in enumerate(source_doc.data["sources"]):
        if raw["id"] not in used:
            ck.add(
                [
                    source_doc.problem(
                        ("sources", i, "id"),
                        f"sources[{i}].id: source '{raw['id']}' is cited by "
                        "no figure or study; expected every source to be used (or remove it)",
                    )
                ]
            )

    ck.unique(glossary_doc, [(("terms", i, "id"), t["id"]) for i, t in enumerate(terms_raw)], "term", {})
    matches: dict[str, str] = {}
    ck.unique(
        glossary_doc,
        [
            (("terms", i, "matches", j), m)
            for i, t in enumerate(terms_raw)
            for j, m in enumerate(t["matches"])
        ],
        "tooltip spelling",
        matches,
    )
    terms = tuple(
        Term(
            t["id"],
            t["term"],
            tuple(t["matches"]),
            t["definition"],
            Citation(t["source"], t["locator"]) if "source" in t else None,
            term_reads[i],
        )
        for i, t in enumerate(terms_raw)
    )

    # Corrections: checked only against data that is otherwise sound.
    release, corrections = None, ()
    if not ck.problems:
        kinds = {k: d for d, k in shaped if k in ("site", "corrections", "published")}
        current = corrections_rules.current_values([d for d, k in shaped if k == "study"], source_doc)
        release, corrections, problems = corrections_rules.check(
            kinds["site"], kinds["corrections"], kinds["published"], current, set(sources)
        )
        ck.add(problems)
    ck.add(evidence_problems)

    if ck.problems:
        raise DataError(ck.problems)
    figures_by_id = {f.id: f for s in studies for f in s.figures}
    return Dataset(
        studies=tuple(studies),
        sources=tuple(sources.values()),
        terms=terms,
        figures_by_id=figures_by_id,
        release=release,
        corrections=corrections,
    )
