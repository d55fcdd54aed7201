#!/usr/bin/env python3
"""Fails when the server's top-level modules depend on each other in a circle.

The crate is grouped by job (`server/src/<group>/` or `<group>.rs`), and the
groups form layers: `settings` and `text` at the bottom, then `store` and
`telemetry`, the workflows (`auth`, `generation`, `gallery`), the HTTP edge,
and `app`, which builds everything. A group may use the ones below it only;
this finds every `crate::<group>` a file names (in paths and in
`use crate::{...}` lists) and prints each cycle with the files that make it.
"""

import collections
import pathlib
import re
import sys

SOURCE = pathlib.Path(__file__).resolve().parent.parent / "server" / "src"


def groups():
    names = {path.stem for path in SOURCE.glob("*.rs")} | {
        path.name for path in SOURCE.iterdir() if path.is_dir()
    }
    return names - {"lib", "main"}


def without_comments(text):
    return re.sub(r"//[^\n]*", "", text)


def named_groups(text, known):
    """The groups a file's `crate::` paths name, nested `use` lists included."""
    found = set(re.findall(r"crate::(\w+)", text))
    for start in re.finditer(r"crate::\{", text):
        depth, inner = 0, []
        for char in text[start.end() - 1 :]:
            depth += {"{": 1, "}": -1}.get(char, 0)
            inner.append(char)
            if depth == 0:
                break
        top, depth, current = [], 0, ""
        for char in "".join(inner)[1:-1] + ",":
            depth += {"{": 1, "}": -1}.get(char, 0)
            if char == "," and depth == 0:
                top.append(current.strip().split("::")[0])
                current = ""
            else:
                current += char
        found.update(top)
    return found & known


def main():
    known = groups()
    edges = collections.defaultdict(lambda: collections.defaultdict(set))
    for path in SOURCE.rglob("*.rs"):
        relative = path.relative_to(SOURCE)
        group = relative.parts[0].removesuffix(".rs")
        if group not in known:
            continue
        for other in named_groups(without_comments(path.read_text()), known) - {group}:
            edges[group][other].add(str(relative))

    cycles = []

    def visit(node, trail):
        for neighbour in sorted(edges[node]):
            if neighbour in trail:
                cycle = trail[trail.index(neighbour) :] + [neighbour]
                if min(cycle[:-1]) == cycle[0]:
                    cycles.append(cycle)
            else:
                visit(neighbour, trail + [neighbour])

    for group in sorted(known):
        visit(group, [group])
    for cycle in cycles:
        print("cycle: " + " -> ".join(cycle))
        for source, target in zip(cycle, cycle[1:]):
            print(f"  {source} -> {target}: {', '.join(sorted(edges[source][target]))}")
    if cycles:
        sys.exit(1)
    print(f"no cycles between the {len(known)} top-level modules")


if __name__ == "__main__":
    main()
