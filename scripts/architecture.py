"""How the package's modules depend on each other: `python scripts/architecture.py [PACKAGE_DIR]`.

Prints the number of modules and lines, the import arrows between our own modules, the longest chain
of imports, and any import circle, from grimp's import graph (the library behind import-linter).
Run it on another checkout to compare: `python scripts/architecture.py /path/to/other/trialsite`.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def measure(package_dir: Path) -> dict[str, object]:
    sys.path.insert(0, str(package_dir.parent))
    name = package_dir.name
    graph = grimp.build_graph(name, cache_dir=None)
    modules = sorted(graph.modules)
    files = sorted(package_dir.rglob("*.py"))
    lines = sum(len(p.read_text("utf-8").splitlines()) for p in files)
    arrows = [
        (m, t) for m in modules for t in sorted(graph.find_modules_directly_imported_by(m)) if t in modules
    ]
    imports = {m: {t for s, t in arrows if s == m} for m in modules}

    cycles: list[tuple[str, ...]] = []

    @functools.cache
    def longest(module: str, trail: tuple[str, ...] = ()) -> tuple[str, ...]:
        best: tuple[str, ...] = (module,)
        for target in imports[module]:
            if target in trail or target == module:
                path = (*trail, module)
                cycles.append((*path[path.index(target) :], target))  # the loop itself
                continue
            chain = (module, *longest(target, (*trail, module)))
            if len(chain) > len(best):
                best = chain
        return best

    chain = max((longest(m) for m in modules), key=len)
    return {
        "modules": len(files),
        "lines": lines,
        "import arrows": len(arrows),
        "longest chain": " -> ".join(chain),
        "chain length": len(chain),
        "circles": sorted({" -> ".join(c) for c in cycles}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("package", nargs="?", type=Path, default=ROOT / "trialsite")
    args = parser.parse_args(argv)
    for key, value in measure(args.package.resolve()).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
