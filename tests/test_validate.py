"""Validation of the real data: it loads, derived counts come from data and say so, every source is used."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from trialsite.data.dataset import load_dataset
from trialsite.data.model import Dataset
from trialsite.data.validate import _whole_matches
from trialsite.words.citing import authors_short, or_not_reported
from trialsite.words.values import derived_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(ROOT / "data", ROOT)


def _rounds_to(count: int, denominator: int, percent: float) -> bool:
    exact = Decimal(100 * count) / Decimal(denominator)
    return exact.quantize(Decimal(1), rounding=ROUND_HALF_UP) == Decimal(str(percent))


def test_the_real_data_loads(data: Dataset) -> None:
    assert data.studies
    assert data.figures_by_id
    for figure in data.figures_by_id.values():
        assert data.source(figure.cite.source)
        assert figure.data_file == "data/studies/a041703-cohort-1.yaml"


def test_no_count_is_derived_from_a_denominator_the_source_does_not_state(data: Dataset) -> None:
    """The release says 97% went into remission but not 97% of whom: no count is shown for it, and
    none for any figure whose denominator is borrowed from another figure."""
    remission = data.figure("remission")
    assert remission.denominator is None and remission.derived is None
    for figure in data.figures_by_id.values():
        if figure.denominator_figure is not None:
            assert figure.derived is None, figure.id
    assert _rounds_to(32, 33, 97)  # a share of 33 would fit: still not shown, since not stated


def test_estimates_get_no_derived_count(data: Dataset) -> None:
    estimates = [f for f in data.figures_by_id.values() if f.basis == "estimate"]
    assert estimates
    for figure in estimates:
        assert figure.derived is None
        assert derived_text(figure) is None


def test_only_proportions_get_a_derived_count(data: Dataset) -> None:
    for figure in data.figures_by_id.values():
        if figure.derived is not None:
            assert figure.basis == "proportion"
            assert figure.kind == "percent"


def test_every_source_is_used(data: Dataset) -> None:
    used = {f.cite.source for f in data.figures_by_id.values()}
    for study in data.studies:
        used |= {study.publication, study.registration.source, study.chair_cite.source}
        used |= {study.population_cite.source, study.regimen_cite.source}
        used |= {g.cite.source for g in study.groups}
        used |= {d.cite.source for d in (*study.population_details, *study.regimen_details)}
    used |= {r.source for f in data.figures_by_id.values() for r in f.reports}
    used |= {s.reports for s in data.sources if s.reports}
    used |= {s.presented_at.source for s in data.sources if s.presented_at}
    used |= {t.cite.source for t in data.terms if t.cite}
    assert {s.id for s in data.sources} == used


def test_unknown_fields_are_none_so_they_show_as_not_reported(data: Dataset) -> None:
    article = next(s for s in data.sources if s.kind == "journal-article")
    assert article.doi is None
    assert or_not_reported(article.doi) == "not reported"
    assert not article.authors_complete
    assert authors_short(article).endswith(", et al.")


def test_whole_number_matches_do_not_count_up_to_a_huge_denominator() -> None:
    assert _whole_matches(33, 97, 0) == [32]
    assert _whole_matches(33, 75, 0) == []
    assert len(_whole_matches(10**15, 97, 0)) == 3  # several: no derived count, and no hang


def test_publication_must_be_the_article_with_a_title(tmp_path: Path, data: Dataset) -> None:
    """A study whose publication is not the journal article would break every citation format."""
    import shutil

    from trialsite.problems import DataError

    shutil.copytree(ROOT / "data", tmp_path / "data")
    study = data.studies[0]
    release = next(s for s in data.sources if s.kind == "news-release")
    path = tmp_path / study.data_file
    text = path.read_text("utf-8")
    path.write_text(text.replace(f"publication: {study.publication}", f"publication: {release.id}"), "utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(tmp_path / "data", tmp_path)
    assert "study.publication: '" + release.id + "' is a news-release" in err.value.report()
    assert "expected the id of the journal article" in err.value.report()
