"""Page weight: what a reader's browser downloads for each page stays under a budget.

Each page is loaded in Chromium and the bodies of every response are summed as served without
compression: the HTML, CSS, JavaScript (the search worker too), images, fonts and the search index,
after a first interaction, since Material's bundle waits for one.
A host that compresses sends less; the budget is on the uncompressed bytes so it does not depend
on the host.

The budgets grew with issue 15 (every report of every figure, from four sources): 400 KB became 440
KB for every page, because Material's CSS and scripts (about 330 KB) are shared and the search index
every page fetches holds the new sources, definitions and figures; and the Results page, which shows
every report of all 29 figures side by side, has its own 560 KB (about 17 KB of its HTML gzipped).
"""

from __future__ import annotations

from pathlib import Path

from conftest import start_material
from sitepages import site_pages

BUDGET_BYTES = 440 * 1024
# The page that carries every report of every figure, side by side.
BUDGETS = {"results/": 560 * 1024}


def _weigh(context, url: str) -> tuple[int, list[str]]:
    responses: list = []
    context.on("response", lambda r: responses.append(r))
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    # Material's bundle, and with it the search worker and index, comes with the first interaction
    # (material-start.js): a reader who moves the pointer downloads them, so they count.
    start_material(page)
    page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    total, seen = 0, []
    for response in responses:
        if response.status == 200:
            total += len(response.body())
            seen.append(response.url)
    page.close()
    return total, seen


def test_every_page_is_under_the_weight_budget(browser, server: str, built_site: Path) -> None:
    weights = {}
    for path in site_pages(built_site):
        # A fresh context per page: nothing comes from the cache of a page loaded before.
        context = browser.new_context()
        total, urls = _weigh(context, server + path)
        context.close()
        # The measurement saw what a page needs: styles, scripts and the search index.
        for needed in (".css", ".js", "search_index.json"):
            assert any(u.endswith(needed) for u in urls), f"/{path}: no {needed} among {urls}"
        weights[path] = total
    print("\n".join(f"{total / 1024:7.1f} KB  /{path}" for path, total in weights.items()))
    over = {f"/{p}": f"{w / 1024:.1f} KB" for p, w in weights.items() if w > BUDGETS.get(p, BUDGET_BYTES)}
    assert over == {}, f"over the budget ({BUDGET_BYTES // 1024} KB; {BUDGETS})"
