"""The MkDocs plugin (`plugins: - trialsite`): the only bridge between our model and MkDocs.

It loads and checks data/ once per build, makes the build context, adds the generated pages and
files, resolves figure references in hand-written pages, and points each generated page's edit link
at the data file it came from. Its state lives on the instance, for one build.
"""

from __future__ import annotations

import hashlib
import html
import os
import stat
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from trialsite import storage
from trialsite.context import BuildContext, SiteSettings
from trialsite.data.dataset import load_layout
from trialsite.data.layout import DataLayout
from trialsite.data.model import Dataset
from trialsite.outputs import generate_all
from trialsite.pages import anchors, head
from trialsite.pages.embed import embed_files
from trialsite.pages.figrefs import FigureReferences, UnresolvedReference
from trialsite.pages.figure import path_problems
from trialsite.pages.fragments import Fragments
from trialsite.pages.markup import Md, markdown_env, md_escape
from trialsite.pages.refs import Ref, Reported, check_pages, directives, parse, substitute
from trialsite.pages.registry import BY_SRC, FAMILIES, PAGES, family_of
from trialsite.problems import DataError, Problem
from trialsite.urls import ABOUT, CORRECTION_HOWTO, AddressError, preview_image

TEMPLATES = Path(__file__).parent / "pages" / "templates"
# Set by `make deploy` while it builds one version for the versioned site (mike's own variable).
VERSION_VAR = "MIKE_DOCS_VERSION"


class TrialsiteConfig(Config):
    data_dir = c.Type(str, default="data")
    cache_dir = c.Type(str, default=".cache/kit")


def _digest(layout: DataLayout) -> str:
    """What the data folder holds now: names, kinds and each entry's identity (inode, size and change
    times, from lstat). Nothing is opened, so a huge file is refused by the loader's size check, not
    read whole here; an edit in place changes the times, a command's rename the inode."""
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(layout.data_dir):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            st = path.lstat()
            h.update(
                f"{path.as_posix()}\0{stat.S_IFMT(st.st_mode)}\0{st.st_ino}\0{st.st_size}\0"
                f"{st.st_mtime_ns}\0{st.st_ctime_ns}\0".encode()
            )
    return h.hexdigest()


class TrialsitePlugin(BasePlugin[TrialsiteConfig]):
    def __init__(self) -> None:
        self._loaded: tuple[str, Dataset] | None = None
        self.ctx: BuildContext | None = None
        self.has_preview = False
        self.anchor_problems: list[Problem] = []
        self._page: tuple[str, Reported | None] = ("", None)

    # --- data ----------------------------------------------------------------------------------

    def layout(self, config: MkDocsConfig) -> DataLayout:
        # The folder that holds mkdocs.yml as named, not where a symlinked mkdocs.yml points.
        return DataLayout.of(Path(os.path.abspath(config.config_file_path)).parent, self.config.data_dir)

    def load(self, config: MkDocsConfig) -> Dataset:
        """The checked dataset; loaded again only when a data file changed since the last load."""
        layout = self.layout(config)
        # Under the project's lock (already held under scripts/build.py; taken here for a plain
        # `mkdocs build` or `serve`): an interrupted write is finished or rolled back before reading.
        try:
            with storage.lock(layout.root, "a build", sweep=[layout.data_dir]):
                digest = _digest(layout)
                if self._loaded and self._loaded[0] == digest:
                    return self._loaded[1]
                data = load_layout(layout)
        except storage.Busy as exc:
            raise PluginError(
                f"a command is writing the data ({exc}); expected one at a time: try again"
            ) from None
        except storage.WriteRefused as exc:
            raise PluginError(str(exc)) from None
        self._loaded = (digest, data)
        return data

    def problems(self, config: MkDocsConfig) -> list[Problem]:
        """Every problem in data/ and in the figure references of docs/, before anything is built."""
        try:
            data = self.load(config)
        except DataError as exc:
            return exc.problems
        names = [e for e in config.markdown_extensions if isinstance(e, str)]
        return check_pages(Path(config.docs_dir), data, names, dict(config.mdx_configs)) + path_problems(
            Path(config.docs_dir), data
        )

    def _ctx(self) -> BuildContext:
        if self.ctx is None:
            raise PluginError("trialsite: the build context is made in on_config")
        return self.ctx

    # --- events --------------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            data = self.load(config)
        except DataError as exc:
            raise PluginError("Data problems:\n" + exc.report()) from None
        layout = self.layout(config)
        cache = Path(self.config.cache_dir)
        try:
            settings = SiteSettings.from_config(config)
        except AddressError as exc:
            raise PluginError(f"trialsite: {exc}") from None
        self.ctx = BuildContext.make(
            data, settings, layout, cache_dir=cache if cache.is_absolute() else layout.root / cache
        )
        self.anchor_problems = []
        if "abbr" in config.markdown_extensions:
            # The glossary's tooltips on every page, handed to the abbr extension as data.
            config.mdx_configs.setdefault("abbr", {})["glossary"] = Fragments(self.ctx).tooltips()
        self._versioning(config)
        # `[[fig:...]]` in prose, read by an inline pattern of the site's own Markdown (pages/figrefs.py).
        config.markdown_extensions.append(FigureReferences(self._resolve, self._report))  # type: ignore[arg-type]
        # MkDocs' own canonical links (and Open Graph's og:url, from them) name the `latest` folder;
        # a preview gets none, rather than a loopback address.
        config["site_url"] = self.ctx.urls.latest()
        return config

    def _versioning(self, config: MkDocsConfig) -> None:
        """Material's version selector reads versions.json beside the version folders, which only the
        versioned site has: kept when `make deploy` builds a version, dropped from any other build."""
        if "mike" in config.plugins:
            raise PluginError(
                "trialsite: build versions with `make deploy` (scripts/deploy.py), which uses mike's "
                "library; remove the mike plugin (mike deploy would give the pages wrong canonical links)"
            )
        building = os.environ.get(VERSION_VAR)
        release = self._ctx().data.release
        if not building:
            config.extra.pop("version", None)
            return
        if release is None or building != release.version:
            shown = release.version if release else "no version"
            raise PluginError(f"trialsite: building version {building}, but data/site.yaml says {shown}")
        if self._ctx().urls.is_preview:
            raise PluginError("trialsite: a version is built only for a public address (SITE_URL)")

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """`mkdocs serve` rebuilds when a data file or one of our templates changes."""
        server.watch(str(self.layout(config).data_dir))
        server.watch(str(TEMPLATES))
        return server

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        """For the templates in overrides/: whether this is a preview (the banner), and the site's
        version, date, own address, licence and publisher (the footer)."""
        ctx = self._ctx()
        env.globals["trialsite_preview"] = ctx.urls.is_preview
        release = ctx.data.release
        if release is not None:
            env.globals["trialsite_release"] = {
                "version": release.version,
                "date": release.date,
                "url": ctx.urls.version(release.version),
                "licence": release.licence,
                "publisher": release.publisher,
            }
        return env

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        ctx = self._ctx()
        for page in PAGES:
            if files.get_file_from_path(page.src) is not None:
                raise PluginError(
                    f"{ctx.settings.docs_dir}/{page.src}: this page is generated from data/; "
                    "remove the hand-written file"
                )
            files.append(File.generated(config, page.src, content=page.render(ctx)))
        clashes = path_problems(Path(config.docs_dir), ctx.data)
        if clashes:
            raise PluginError("Data problems:\n" + "\n".join(str(p) for p in clashes))
        for family in FAMILIES:
            for src in family.sources(ctx):
                files.append(
                    File.generated(
                        config, src, content=family.render(ctx, src), inclusion=InclusionLevel.NOT_IN_NAV
                    )
                )
        # Each figure's embed card and oEmbed description: standalone files, not Material pages.
        for path, text in embed_files(ctx).items():
            files.append(File.generated(config, path, content=text))
        for path, content in generate_all(ctx).items():
            if isinstance(content, Path):  # a cached drawing: copied, so the site owns plain files
                files.append(File.generated(config, path, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, path, content=content))
        # Publish the data files themselves, so readers can see exactly what the site is built from.
        layout = ctx.layout
        validated = [path for path, _ in layout.fixed_files()] + layout.study_files()
        for path in sorted(validated, key=lambda p: layout.display(p)):
            files.append(File.generated(config, layout.display(path), abs_src_path=str(path)))
        preview = preview_image([s.id for s in ctx.data.studies])
        self.has_preview = preview is not None and files.get_file_from_path(preview) is not None
        # The theme's source maps are for its developers; they also quote 'localhost' addresses.
        for file in [f for f in files if f.src_uri.endswith(".map")]:
            files.remove(file)
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        ctx = self._ctx()
        parts = Fragments(ctx)
        src = page.file.src_uri
        # Only hand-written pages hold references: in a generated page, '[[...]]' is data text.
        text = "" if page.file.generated_by else markdown
        refs = directives(text)
        # The inline references are resolved while this page is converted (self._resolve), and
        # reported after it (on_page_content); a generated page has none.
        self._page = (src, Reported(f"{ctx.settings.docs_dir}/{src}", markdown) if text else None)

        def replace(ref: Ref) -> str:
            if ref.kind == "key-results":
                return parts.key_results(src)
            if ref.kind == "at-a-glance":
                return parts.at_a_glance_all(src)
            if ref.kind == "not-reported":
                return "\n\n".join(str(parts.not_reported_html(s, src)) for s in ctx.data.studies)
            if ref.kind == "data-files":
                files = [(p.title, p.data_file(ctx)) for p in PAGES]
                rows = [(Md(t), md_escape(f), Md(ctx.urls.data_file(src, f))) for t, f in files]
                return markdown_env().get_template("data-files.md.j2").render(files=rows).removesuffix("\n")
            return "\n\n".join(str(parts.limits_html(s, src)) for s in ctx.data.studies)

        family = family_of(src) if page.file.generated_by else None
        if family is not None:
            title, description = family.meta(ctx, src)
            page.meta["trialsite_title"] = title
            page.meta["trialsite_description"] = description
            page.meta["description"] = html.escape(description)  # the theme prints it as it is
        if BY_SRC.get(src) is not None or family is not None:
            # Readers are told how to report an error; maintainers find the data files on About.
            page.edit_url = ctx.urls.href(src, ABOUT, CORRECTION_HOWTO)
            page.meta["trialsite_edit_label"] = "Suggest a correction"
        return substitute(markdown, refs, replace)

    def _resolve(self, body: str) -> str:
        """What an inline reference on the page being converted becomes, in Markdown."""
        src, reported = self._page
        if reported is None:  # a generated page: its text is data, escaped; nothing to resolve
            raise UnresolvedReference("")
        ref = parse(body, self._ctx().data)
        parts = Fragments(self._ctx())
        if ref.kind == "source":
            return parts.source_inline(ref.target, src, address=ref.form == "address")
        return parts.figure_inline(self._ctx().data.figure(ref.target), ref.form, src)

    def _report(self, written: str, message: str) -> None:
        _, reported = self._page
        if reported is not None:
            reported(written, message)

    def on_page_content(self, html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        _, reported = self._page
        if reported is not None and reported.problems:
            raise PluginError(
                "Unresolved figure references:\n" + "\n".join(str(p) for p in reported.problems)
            )
        return html_text

    def on_page_context(
        self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        """Citation, preview and structured-data tags for <head> (written by overrides/main.html)."""
        page.meta["trialsite_head"] = head.head(
            self._ctx(),
            page.file.src_uri,
            page.meta.get("trialsite_title") or page.title or "",
            page.meta.get("trialsite_description") or page.meta.get("description") or config.site_description,
            page.canonical_url,
            self.has_preview,
        )
        page.meta["trialsite_print"] = head.print_info(self._ctx(), page.url)
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Every id on the built page is used once (pages/anchors.py); reported after the last page."""
        ctx, src = self._ctx(), page.file.src_uri
        generated = BY_SRC.get(src) or (family_of(src) if page.file.generated_by else None)
        made_by = (
            generated.render.__module__.replace(".", "/") + ".py"
            if generated
            else f"{ctx.settings.docs_dir}/{src}"
        )
        self.anchor_problems += anchors.duplicate_problems(ctx, output, made_by, page.url)
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.anchor_problems:
            problems = sorted(set(self.anchor_problems))
            raise PluginError("Ids used twice on a page:\n" + "\n".join(str(p) for p in problems))
