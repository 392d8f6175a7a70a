"""The address map: every link and address the site prints is made here, from one base URL.

One `Urls` object is bound to the site's settings for a build (after datasette's `url_builder.py`).
Page URLs follow MkDocs' own rule (`File.url`), relative links MkDocs' own `get_relative_url`, and
this is the only module that joins the public address with a path.

The published site keeps every version at its own folder under the public address, with `latest`
following the newest (`make deploy`, with mike): https://example.org/a041703/0.1.0/results/ and
https://example.org/a041703/latest/results/. A headline permalink names `latest`; a citation of a
version names the version's own folder. A build with no public address, or a loopback one
(`mkdocs serve`), is a preview: it prints no absolute address at all.
"""

from __future__ import annotations

import functools
import ipaddress
import posixpath
import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

# The sources of the pages other pages link to. The list of generated pages is pages.registry.
HOME = "index.md"
RESULTS = "results.md"
DESIGN = "design.md"
SOURCES = "sources.md"
GLOSSARY = "glossary.md"
CITE = "cite.md"
CORRECTIONS = "corrections.md"
KIT = "kit.md"
ABOUT = "about.md"
CORRECTION_HOWTO = "reporting-and-correcting-an-error"  # the heading on About that says how
FIGURES_DIR = "figures"  # one generated page per figure: figures/<id>/
# Names a figure id may not take: they are, or will be, pages of the figures/ folder itself.
RESERVED_FIGURE_IDS = frozenset({"index"})

# Files the site publishes besides pages, as site paths.
FEED = "corrections.xml"
KIT_DIR = "kit"
CITE_DIR = "cite"
FIGURES_CSV = "downloads/figures.csv"
FIGURES_JSON = "downloads/figures.json"
DATAPACKAGE = "downloads/datapackage.json"  # the downloads' data contract (Frictionless Data Package)
FIGURES_SCHEMA = "downloads/figures.schema.json"  # JSON Schema of figures.json
REPORTS_CSV = "downloads/reports.csv"
CITATION_FORMATS = ("bib", "ris", "json")
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
# The folder (mike's alias) that always holds the newest published version.
LATEST = "latest"


# Host names that name this machine whatever the network (RFC 6761 and the usual /etc/hosts lines).
_THIS_MACHINE = frozenset(
    {"localhost", "localhost.localdomain", "localhost6", "localhost6.localdomain6"}
    | {"ip6-localhost", "ip6-loopback"}
)
# What a path may hold as typed: RFC 3986's unreserved and sub-delimiter characters, '/', ':', '@' and
# %XX escapes. Left out: quotes, '<', '>', '&', whitespace and controls, which would have to be
# escaped in every page (the theme prints the address unescaped).
_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$()*+,;=:@/]|%[0-9A-Fa-f]{2})*")
_NUMERIC_LABEL = re.compile(r"(?:0[xX][0-9A-Fa-f]*|[0-9]+)")
_EXPECTED = "expected the site's address as https://HOST/PATH/ (site_url in mkdocs.yml, or SITE_URL)"


class AddressError(ValueError):
    """A public address that cannot be used, as one line: what is wrong; what is expected."""


def _refuse(raw: str, what: str) -> AddressError:
    shown = re.sub(r"(?<=//)[^/]*@", "…@", raw)  # a password typed into it is not repeated
    return AddressError(f"the address {shown!r} {what}; {_EXPECTED}")


def _ipv4(host: str) -> ipaddress.IPv4Address | None:
    """A host whose last label is a number is an IPv4 address in any spelling the C library takes
    (127.1, 2130706433, 0x7f000001, 0177.0.0.1), as browsers read it (WHATWG URL); None if not."""
    if not _NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        raise ValueError(host) from None


def normal_host(raw: str, host: str) -> str:
    """The host as browsers and resolvers see it: IPv6 compressed, every IPv4 spelling dotted,
    a name mapped by UTS #46 and IDNA-encoded, lower case, without a trailing dot."""
    if host.startswith("["):
        if not host.endswith("]") or "%" in host:
            raise _refuse(raw, "has an IPv6 host that cannot be read")
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:
            raise _refuse(raw, "has an IPv6 host that cannot be read") from None
    try:
        mapped = idna.uts46_remap(host, std3_rules=True, transitional=False).rstrip(".")
    except idna.IDNAError:
        raise _refuse(raw, "has a host name with characters a host name cannot hold") from None
    if not mapped:
        raise _refuse(raw, "has no host")
    try:
        ip = _ipv4(mapped)
    except ValueError:
        raise _refuse(raw, "has a host that ends in a number but is no IPv4 address") from None
    if ip is not None:
        return str(ip)
    try:
        return idna.encode(mapped, uts46=False).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError):
        raise _refuse(raw, "has a host name that is not a valid (international) domain name") from None


def parse_site_url(raw: str | None) -> str:
    """The site's address, checked and normalised once for every use ('' when none is set): http or
    https, a host and a path, nothing else (no user info, port 0, query, fragment, whitespace,
    quotes or angle brackets); the host normalised (normal_host); the path ending in '/'."""
    if raw is None or raw == "":
        return ""
    if any(c.isspace() or not c.isprintable() for c in raw):
        raise _refuse(raw, "holds whitespace or a control character")
    if any(c in raw for c in "\"'<>`\\{}|^"):
        raise _refuse(raw, "holds a quote, an angle bracket or another character an address cannot hold")
    if "?" in raw or "#" in raw:
        raise _refuse(raw, "has a query (?) or a fragment (#)")
    try:
        parts = urlsplit(raw)
    except ValueError:
        raise _refuse(raw, "cannot be read as an address") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not raw[len(scheme) :].startswith("://"):
        raise _refuse(raw, "is not an http(s) address")
    if "@" in parts.netloc:
        raise _refuse(raw, "holds user info (a name or password before @)")
    netloc = parts.netloc
    host, port = netloc, ""
    if netloc.startswith("["):
        end = netloc.find("]") + 1
        host, rest = netloc[:end] or netloc, netloc[end:] if end else ""
        if rest and not rest.startswith(":"):
            raise _refuse(raw, "has an IPv6 host that cannot be read")
        port = rest[1:]
    elif ":" in netloc:
        host, port = netloc.rsplit(":", 1)
    if ":" in port or (port and (not port.isdigit() or not 0 < int(port) < 65536)) or netloc.endswith(":"):
        raise _refuse(raw, "has a port that is not a number from 1 to 65535")
    if "%" in host:
        raise _refuse(raw, "has a %-escaped host")
    name = normal_host(raw, host)
    if not _PATH.fullmatch(parts.path):
        raise _refuse(raw, "has a path with a character an address cannot hold as typed")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{scheme}://{name}{':' + str(int(port)) if port else ''}{path}"


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return None


def is_loopback_host(host: str | None) -> bool:
    """A host that names this machine: localhost and its usual names, *.localhost (RFC 6761),
    127.0.0.0/8, ::1, 0.0.0.0 and :: (which serve no one else), and IPv4 loopback inside IPv6
    (::ffff:127.0.0.1, ::127.0.0.1). `host` as normal_host gives it."""
    name = (host or "").lower().rstrip(".")
    if not name:
        return True
    if name in _THIS_MACHINE or name.endswith(".localhost"):
        return True
    ip = _ip(name)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is None and int(ip) >> 32 == 0 and int(ip) > 1:  # IPv4-compatible ::a.b.c.d
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None and (inner.is_loopback or inner.is_unspecified):
            return True
    return ip.is_loopback or ip.is_unspecified


def is_preview_address(site_url: str | None) -> bool:
    """No address, or one only this machine can reach: the build is a preview, never published."""
    if not site_url:
        return True
    try:
        return is_loopback_host(urlsplit(parse_site_url(site_url)).hostname)
    except ValueError:
        return True


def not_public_host(host: str) -> str | None:
    """Why a host that is not this machine still cannot be a public address; None if it can."""
    ip = _ip(host)
    if ip is not None:
        return None if ip.is_global else "is a private or reserved network address, not a public one"
    if "." not in host:
        return "has a host name of one label, which only a local network can resolve"
    return None


def figure_src(figure_id: str) -> str:
    """The source path of a figure's own page: 'figures/remission.md' -> 'figures/remission/'."""
    return f"{FIGURES_DIR}/{figure_id}.md"


def figure_files(figure_id: str) -> dict[str, str]:
    """Where one figure's own rows of the downloads are published: format -> site path."""
    return {fmt: f"downloads/figures/{figure_id}.{fmt}" for fmt in ("csv", "json")}


def figure_citation_files(figure_id: str) -> dict[str, str]:
    """Where one figure's reference-manager files are published, beside its page: format -> path."""
    return {fmt: f"{FIGURES_DIR}/{figure_id}/{figure_id}.{fmt}" for fmt in ("ris", "bib")}


def key_results_name(study_id: str) -> str:
    """The file stem of a study's key-results image and slide deck under kit/: one of each per study."""
    return f"{study_id}-key-results"


def key_results_file(study_id: str, suffix: str) -> str:
    """A study's key-results image ('svg', 'png') or slide deck ('pptx'), as a site path."""
    return f"{KIT_DIR}/{key_results_name(study_id)}.{suffix}"


def preview_image(study_ids: Sequence[str]) -> str | None:
    """The preview image of every page (og:image): the first study's key-results PNG."""
    return key_results_file(study_ids[0], "png") if study_ids else None


@functools.cache
def _page_url(src: str, use_directory_urls: bool) -> str:
    url = File(src, None, "", use_directory_urls).url
    return "" if url == "./" else url


def _anchored(path: str, anchor: str) -> str:
    return f"{path}#{anchor}" if anchor else path


@dataclass(frozen=True)
class Urls:
    """Addresses for one build. `site_url` is the address as configured ('' when none is set);
    `current_version` the version this build shows (data/site.yaml). In a preview (no address, or
    a loopback one) no absolute address exists: `latest` and `version` give None, `absolute` falls
    back to the site-relative path."""

    site_url: str = ""
    use_directory_urls: bool = True
    repo_url: str | None = None
    edit_uri: str | None = None
    docs_dir: str = "docs"
    current_version: str | None = None

    def __post_init__(self) -> None:
        # The one place the address is read: everything below uses the normalised form.
        object.__setattr__(self, "site_url", parse_site_url(self.site_url))

    # --- pages -------------------------------------------------------------------------------

    def page(self, src: str) -> str:
        """A page's URL path relative to the site's root: 'results.md' -> 'results/', home ''."""
        return _page_url(src, self.use_directory_urls)

    def href(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """A relative link from one page to another, for HTML that MkDocs does not rewrite."""
        here = self.page(from_src) or "./"
        return _anchored(get_relative_url(self.page(to_src) or "./", here), anchor)

    def file_href(self, from_src: str, path: str) -> str:
        """A relative link from a page to a published file such as 'kit/remission.svg'."""
        base = posixpath.dirname(from_src) if not self.use_directory_urls else self.page(from_src)
        return posixpath.relpath(path, base or ".")

    def md_link(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """A link in Markdown, to the target page's source (MkDocs checks and rewrites it)."""
        return _anchored(posixpath.relpath(to_src, posixpath.dirname(from_src) or "."), anchor)

    def md_file(self, from_src: str, path: str) -> str:
        """A link in Markdown to a published file, relative to the page's source."""
        return posixpath.relpath(path, posixpath.dirname(from_src) or ".")

    # --- the public address --------------------------------------------------------------------

    @property
    def is_preview(self) -> bool:
        return is_preview_address(self.site_url)

    @property
    def root(self) -> str | None:
        """The public address that holds every version's folder, ending in '/'; None in a preview."""
        if self.is_preview:
            return None
        return self.site_url.rstrip("/") + "/"

    def publication_problem(self, command: str) -> str | None:
        """Why this address cannot be published to, as one line for people; None if it can."""
        where = "(site_url in mkdocs.yml, or SITE_URL)"
        parts = urlsplit(self.site_url)
        if self.is_preview:
            what = "no public address is set"
            if self.site_url:
                what = f"the address {self.site_url} names this machine"
            what += f" {where}, so this is a preview"
        elif parts.scheme != "https":
            what = f"the address {self.site_url} {where} is not https"
        elif reason := not_public_host(parts.hostname or ""):
            what = f"the address {self.site_url} {where} {reason}"
        else:
            return None
        return (
            f"{what}; expected the public https address: SITE_URL=https://HOST/PATH/ {command}, "
            "or site_url in mkdocs.yml"
        )

    def version(self, version: str, path: str = "") -> str | None:
        """A site path in one published version's own folder: where a citation of it points."""
        root = self.root
        return f"{root}{version}/{path}" if root else None

    def latest(self, path: str = "") -> str | None:
        """A site path in the newest version (the `latest` folder): where a headline permalink points."""
        return self.version(LATEST, path)

    def this_version(self, path: str = "") -> str | None:
        """A site path in the version this build shows."""
        return self.version(self.current_version, path) if self.current_version else self.latest(path)

    def sitemap(self) -> str | None:
        """The sitemap `make deploy` writes beside the version folders."""
        root = self.root
        return f"{root}{SITEMAP}" if root else None

    # --- absolute addresses ------------------------------------------------------------------

    def absolute(self, path: str = "") -> str:
        """A site path on the published site (in `latest`); the path itself in a preview."""
        return self.latest(path) or path

    def page_absolute(self, src: str, anchor: str = "") -> str:
        return self.absolute(_anchored(self.page(src), anchor))

    def page_public(self, src: str, anchor: str = "") -> str | None:
        """A page's public address in `latest`; None in a preview (for outputs that leave it out)."""
        return self.latest(_anchored(self.page(src), anchor))

    # --- what the site addresses ---------------------------------------------------------------

    def figure(self, figure_id: str) -> str:
        """A figure's permanent address: its row on the Results page."""
        return self.page_absolute(RESULTS, figure_id)

    def figure_page(self, figure_id: str) -> str:
        """A figure's own page (everything about it), on the published site or as a site path."""
        return self.page_absolute(figure_src(figure_id))

    def figure_public(self, figure_id: str) -> str | None:
        """The same, or None in a preview, for what is printed or copied (images, citations)."""
        return self.page_public(RESULTS, figure_id)

    def source(self, source_id: str) -> str:
        return self.page_absolute(SOURCES, source_id)

    def correction(self, entry_id: str) -> str:
        """A correction's entry on the Corrections page."""
        return self.page_absolute(CORRECTIONS, entry_id)

    def correction_in_version(self, entry_id: str) -> str:
        """A correction's entry on this version's own Corrections page: what an image or a download
        drawn for this version names (the entry is there, and the page stays as it was cited)."""
        path = _anchored(self.page(CORRECTIONS), entry_id)
        return self.this_version(path) or path

    def citation_files(self, study_id: str) -> dict[str, str]:
        """Where a study's citation downloads are published: format -> site path."""
        return {fmt: f"{CITE_DIR}/{study_id}.{fmt}" for fmt in CITATION_FORMATS}

    def report_citation_files(self, study_id: str) -> dict[str, str]:
        """Where a study's citations of its other reports (abstract, news, review) are published."""
        return {fmt: f"{CITE_DIR}/{study_id}-other-reports.{fmt}" for fmt in CITATION_FORMATS}

    def figure_citation_files(self, figure_id: str) -> dict[str, str]:
        return figure_citation_files(figure_id)

    def kit_file(self, name: str) -> str:
        return f"{KIT_DIR}/{name}"

    def data_file(self, page_src: str, data_file: str) -> str:
        """A link, in a page's Markdown, to a data file: in the repository when one is configured
        (to edit it), else the copy published with the site."""
        if self.repo_url and self.edit_uri:
            # edit_uri points into docs/ ("edit/main/docs/"); the data file sits beside docs/.
            base = self.edit_uri.rstrip("/").removesuffix(self.docs_dir)
            return f"{self.repo_url.rstrip('/')}/{base.lstrip('/')}{data_file}"
        return self.md_file(page_src, data_file)


def group_anchor(study_id: str, group_id: str) -> str:
    """The anchor of a study's group of results on the Results page."""
    return f"group-{study_id}-{group_id}"
