#!/usr/bin/env python3
"""Fails when the crate's top-level modules import each other in a cycle.

Reads every `crate::<module>` path in src/, and `super::<module>` in a
top-level module's own file (comments and `#[cfg(test)] mod tests` blocks
left out) and looks for strongly connected components with
Tarjan's algorithm. docs/architecture.md draws the layering this keeps true.
Run by `make test`; prints the module graph with --graph.
"""
import re
import sys
from collections import defaultdict
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


def cycles(edges) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            visit(v)
    return found


def main() -> int:
    edges = graph()
    if "--graph" in sys.argv:
        for module in sorted(edges):
            print(f"{module} -> {', '.join(sorted(edges[module]))}")
    found = cycles(edges)
    for component in found:
        print(f"import cycle between modules: {', '.join(component)}", file=sys.stderr)
        for a in component:
            for b in component:
                if b in edges.get(a, {}):
                    print(f"  {a} -> {b}: {', '.join(sorted(edges[a][b]))}", file=sys.stderr)
    if not found:
        print(f"modules: no import cycle among {len(set(edges) | {w for ws in edges.values() for w in ws})} top-level modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
