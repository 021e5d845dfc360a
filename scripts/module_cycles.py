#!/usr/bin/env python3
"""Fails when the crate's top-level modules import each other in a cycle.

Reads every `crate::<module>` path in src/, and `super::<module>` in a
top-level module's own file (comments and `#[cfg(test)] mod tests` blocks
left out) and asks the standard library's graphlib for a topological order,
which fails on a cycle. docs/architecture.md draws the layering this keeps true.
Run by `make test`; prints the module graph with --graph.
"""
import re
import sys
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def top_module(path: Path) -> str | None:
    parts = path.relative_to(SRC).with_suffix("").parts
    if parts[0] in ("lib", "main"):
        return None
    return parts[0]


def graph() -> dict[str, dict[str, set[str]]]:
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(SRC.rglob("*.rs")):
        module = top_module(path)
        if module is None:
            continue
        text = path.read_text(encoding="utf-8")
        cut = text.find("#[cfg(test)]\nmod tests")
        if cut >= 0:
            text = text[:cut]
        code = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
        used_paths = re.findall(r"\bcrate::(\w+)", code)
        parts = path.relative_to(SRC).parts
        if len(parts) == 1 or parts[1:] == ("mod.rs",):
            # In a top-level module's own file, `super::` is the crate root.
            used_paths += re.findall(r"\bsuper::(\w+)", code)
        for used in used_paths:
            if used != module:
                edges[module][used].add(str(path.relative_to(SRC.parent)))
    return edges


def cycle(edges) -> list[str]:
    """One import cycle (each module imports the next; the first repeated
    last), or []."""
    try:
        # A module's imports are its predecessors in the order.
        TopologicalSorter({m: set(used) for m, used in edges.items()}).prepare()
    except CycleError as e:
        # graphlib lists each node before the nodes that need it.
        return e.args[1][::-1]
    return []


def main() -> int:
    edges = graph()
    if "--graph" in sys.argv:
        for module in sorted(edges):
            print(f"{module} -> {', '.join(sorted(edges[module]))}")
    found = cycle(edges)
    if found:
        print(f"import cycle between modules: {' -> '.join(found)}", file=sys.stderr)
        for a, b in zip(found, found[1:]):
            print(f"  {a} -> {b}: {', '.join(sorted(edges[a][b]))}", file=sys.stderr)
    else:
        print(f"modules: no import cycle among {len(set(edges) | {w for ws in edges.values() for w in ws})} top-level modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
