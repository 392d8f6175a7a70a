"""The line each "Copy citation" button should copy, spelled out from the data, data/site.yaml and
site_url independently of wording.figure_sentence, so the tests check that function instead of
repeating it: the value, what it measures, the study, the article (authors, title, journal, year), the
news release it was transcribed from (with its issuer), the site with its version, the permalink."""

from __future__ import annotations

import yaml
from conftest import ROOT

from trialsite import wording as present
from trialsite.context import load_settings
from trialsite.data.model import Dataset, Source
from trialsite.urls import is_preview_address


def _article(a: Source) -> str:
    names = ", ".join(
        x.family if x.organisation else f"{x.family} {present.initials(x.given)}" for x in a.authors
    )
    names += "" if a.authors_complete else ", et al"  # the period follows
    title = present.sentence_case(a.title or "", a.proper_nouns)
    return f"{names}. {title}. {a.container_short}. {(a.issued or 'n.d.')[:4]}"


def expected_citation_lines(data: Dataset) -> dict[str, str]:
    settings = load_settings(ROOT / "mkdocs.yml")
    # A preview build (no public address: the test suite's own build) copies no address at all.
    site_url = "" if is_preview_address(settings.url) else f"{settings.url.rstrip('/')}/latest/"
    site_name = settings.title
    version = yaml.safe_load((ROOT / "data/site.yaml").read_text("utf-8"))["version"]
    lines = {}
    for study in data.studies:
        for f in study.figures:
            source = data.source(f.cite.source)
            how = f" ({present.provenance(data, f.primary)})"  # how the site knows it: in every line
            if source.reports:  # transcribed from a release that reports the article
                article = data.source(source.reports)
                where = (
                    f"Reported in: {_article(article)}. "
                    f"Transcribed from: {source.container} news release {source.number}{how}. "
                )
            else:  # read in the source itself (or its copies)
                where = f"Source: {present.source_short(source)}{how}. "
            lines[f.id] = (
                f"{f.label}: {present.value_text(f)}. {f.measures} {study.title} ({study.registry_id}). "
                + where
                + f"Site: {site_name}, version {version}"
                + (f", {site_url}results/#{f.id}" if site_url else "")
            )
    return lines
