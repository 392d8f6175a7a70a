"""Accessibility of every page of the built site: axe-core finds nothing in either palette at phone
and desktop widths, everything interactive is reachable with Tab (each citation menu opened and
walked too), glossary tooltips open from the keyboard, and every image has a text alternative.

Pages are discovered from the built site, so pages added later are checked without editing this file.
Each page is read once its load event has fired (its scripts, styles and images are in) and its
transitions have ended: waiting for the network to be idle as well added half a second of nothing to
each of some 300 page loads; the request-level gates (privacy, page weight) still wait for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import start_material
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sitepages import site_pages

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Material's palette schemes, chosen here through prefers-color-scheme (mkdocs.yml maps each media
# query to a scheme); the test then checks that the scheme really took on <body>.
PALETTES = {"light": "default", "dark": "slate"}


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[str]:
    found = site_pages(built_site)
    assert "" in found and len(found) >= 6, found
    return found


# Colours are read by axe as drawn: wait for every finite CSS transition or animation of the load
# (the theme fades its colours in) to end first, or contrast is measured between two palettes.
_SETTLED = """() => document.getAnimations().every(
  a => a.playState !== 'running' || a.effect.getComputedTiming().endTime === Infinity)"""


def _open(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_function(_SETTLED, timeout=10_000)


def _describe(violation: dict) -> str:
    targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_axe_finds_no_violations(browser, server: str, pages: list[str], palette: str, viewport) -> None:
    axe = Axe()
    context = browser.new_context(viewport=viewport, color_scheme=palette)
    page = context.new_page()
    problems = []
    for path in pages:
        _open(page, server + path)
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == PALETTES[palette], f"/{path}: palette {palette} did not take ({scheme})"
        results = axe.run(page)
        problems += [f"/{path}: {_describe(v)}" for v in results.response["violations"]]
    context.close()
    assert problems == []


# Everything a keyboard user must be able to reach: visible links, buttons, form controls and the
# glossary terms made focusable by trialsite.abbr_focus. Each gets a marker so Tab order can be
# compared with the list.
_MARK_TARGETS = """() => {
  const els = [...document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, ' +
    'abbr[tabindex]')];
  const out = [];
  els.forEach((el, i) => {
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return;
    if (el.closest('[hidden]')) return;
    // Tab reaches one radio button of a group (arrows move within it): one target per group.
    const kb = el.matches('input[type=radio]') ? 'radio:' + el.name : String(i);
    el.dataset.kb = kb;
    if (!out.some(t => t.kb === kb)) out.push({kb, what: el.outerHTML.slice(0, 120)});
  });
  return out;
}"""


def test_every_link_button_and_term_is_reachable_by_tab(browser, server: str, pages: list[str]) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    missed = []
    for path in pages:
        _open(page, server + path)
        # Material's bundle starts on the first interaction and adds its own controls: let it start
        # before counting, so a slow machine does not load it mid-walk and move the focus.
        start_material(page)
        targets = page.evaluate(_MARK_TARGETS)
        assert targets, f"/{path}: nothing focusable found"
        reached: set[str] = set()
        page.evaluate("document.activeElement && document.activeElement.blur()")
        for _ in range(len(targets) * 2 + 20):
            page.keyboard.press("Tab")
            kb = page.evaluate(
                "(() => { const e = document.activeElement; return e && e !== document.body ? "
                "(e.dataset.kb || '') : null; })()"
            )
            # No focus (None) does not end the walk: Material's back-to-top button shows while the
            # page scrolls up and hides again, and when it hides under the focus, Chromium (like a
            # reader's browser) goes on from where it was. The walk ends when the order wraps.
            if kb:
                if kb in reached:
                    break
                reached.add(kb)
        missed += [f"/{path}: {t['what']}" for t in targets if t["kb"] not in reached]
    context.close()
    assert missed == [], "\n".join(missed)


def test_every_citation_menu_is_walked_by_keyboard(browser, server: str, pages: list[str]) -> None:
    """The Tab walk above meets each closed menu's button; here every menu of every page is opened
    with Enter, Tab steps through its four buttons in order (APA 7, AMA 11, Vancouver, slide credit)
    and Escape closes it with the focus back on its button."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    walked, problems = 0, []
    for path in pages:
        _open(page, server + path)
        start_material(page)
        toggles = page.locator("button.cite-menu__toggle")
        for i in range(toggles.count()):
            toggle = toggles.nth(i)
            menu = toggle.get_attribute("aria-controls")
            toggle.focus()
            page.keyboard.press("Enter")
            if toggle.get_attribute("aria-expanded") != "true":
                problems.append(f"/{path} #{menu}: Enter did not open it")
                continue
            styles = []
            for _ in range(4):
                page.keyboard.press("Tab")
                styles.append(
                    page.evaluate(
                        "id => { const e = document.activeElement;"
                        " return e.closest('#' + CSS.escape(id)) ? e.dataset.style : null; }",
                        menu,
                    )
                )
            if styles != ["apa", "ama", "vancouver", "credit"]:
                problems.append(f"/{path} #{menu}: Tab reached {styles}")
            page.keyboard.press("Escape")
            back = page.evaluate("id => document.activeElement.getAttribute('aria-controls') === id", menu)
            if toggle.get_attribute("aria-expanded") != "false" or not back:
                problems.append(f"/{path} #{menu}: Escape did not close it onto its button")
            walked += 1
    context.close()
    assert problems == [], "\n".join(problems)
    # At least each figure's page and its Results row (the Home cards come on top).
    figure_pages = [p for p in pages if p.startswith("figures/") and p.count("/") == 2]
    assert figure_pages and walked >= 2 * len(figure_pages), (walked, len(figure_pages))


def test_glossary_terms_show_their_definition_on_keyboard_focus(
    browser, server: str, pages: list[str]
) -> None:
    """Material moves an <abbr>'s title into a tooltip on first hover or focus, so the definitions
    are read (and each term marked) before any term is touched."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    checked = 0
    problems = []
    for path in pages:
        _open(page, server + path)
        terms = page.evaluate(
            """[...document.querySelectorAll('abbr[title]')].map((a, i) => {
                 a.dataset.term = String(i);
                 return {i: String(i), definition: a.title, focusable: a.getAttribute('tabindex') === '0'};
               })"""
        )
        focusable = [t for t in terms if t["focusable"]]
        # Every term used on the page can be reached at least once.
        missing = {t["definition"] for t in terms} - {t["definition"] for t in focusable}
        problems += [f"/{path}: no focusable use of {d[:40]!r}" for d in missing]
        for term in focusable:
            page.locator(f'abbr[data-term="{term["i"]}"]').focus()
            try:
                tip_id = page.wait_for_function(
                    "document.activeElement.getAttribute('aria-describedby')", timeout=3000
                ).json_value()
            except PlaywrightTimeout:
                tip_id = None
            if not tip_id:
                problems.append(f"/{path}: term {term['definition'][:40]!r} has no tooltip on focus")
                continue
            tip = page.locator(f"#{tip_id}")
            tip.wait_for(state="visible", timeout=3000)
            if " ".join(tip.inner_text().split()) != " ".join(term["definition"].split()):
                problems.append(f"/{path}: tooltip shows {tip.inner_text()[:40]!r}, not the definition")
            checked += 1
            page.evaluate("document.activeElement.blur()")
            tip.wait_for(state="hidden", timeout=3000)
    context.close()
    assert problems == []
    assert checked > 0, "no glossary term on any page"


_IMAGE_PROBLEMS = """() => {
  const out = [];
  for (const img of document.querySelectorAll('img')) {
    const alt = img.getAttribute('alt');
    const decorative = alt === '' && ['presentation', 'none'].includes(img.getAttribute('role'));
    if (!decorative && !(alt && alt.trim())) out.push('img without alt: ' + img.outerHTML.slice(0, 120));
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.closest('[aria-hidden="true"]')) continue;
    // An icon inside a control takes its meaning from the control's name, which axe checks.
    if (svg.parentElement.closest('a, button, label, summary')) continue;
    const named = (svg.getAttribute('aria-label') || '').trim() || svg.querySelector(':scope > title');
    if (!named) out.push('svg without title or aria-label: ' + svg.outerHTML.slice(0, 120));
  }
  return out;
}"""


def test_every_image_has_a_text_alternative(browser, server: str, pages: list[str]) -> None:
    page = browser.new_page(viewport=DESKTOP)
    problems = []
    for path in pages:
        _open(page, server + path)
        problems += [f"/{path}: {p}" for p in page.evaluate(_IMAGE_PROBLEMS)]
    page.close()
    assert problems == []
