"""The site's own citable facts: version and date from data/site.yaml, title and address from
mkdocs.yml. One function joins them, used by the hook, the CITATION.cff script and the tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from trialsite.model import Dataset


def with_site_config(data: Dataset, site_name: str | None, site_url: str | None) -> Dataset:
    data = replace(data, site_url=site_url or "")
    if data.site is None:
        return data
    return replace(data, site=replace(data.site, title=site_name or None, url=site_url or None))


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV or !!python/name:; the three keys we read hold none."""


_TolerantLoader.add_multi_constructor("", lambda _loader, _suffix, _node: None)


def read_mkdocs_settings(root: Path) -> dict[str, Any]:
    """site_name, site_url and site_description from mkdocs.yml, read without building."""
    config = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=_TolerantLoader)
    return {k: config.get(k) for k in ("site_name", "site_url", "site_description")}
