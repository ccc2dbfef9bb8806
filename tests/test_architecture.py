"""The import contract of ``marketplace``: areas depend on each other in one direction only.

The graph holds every import, at module level and inside functions alike (an import inside a function
is still a dependency; it only hides a circle). Left out is the app factory, ``marketplace/__init__.py``,
which imports every area to wire them together. The contract:

- no import circle joins modules of two areas (an area is a subpackage, or a top-level module);
- inside one area, no circle is longer than a pair, and a pair says why on one of its imports;
- the policy (``permissions.py``) imports no area but accounts and orgs, so every area may import it;
- an import inside a function says why on its line or the line above (a slow library, the factory).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import marketplace

ROOT = Path(marketplace.__file__).parent
FACTORY = "marketplace"
POLICY = "marketplace.permissions"
POLICY_MAY_IMPORT = {"marketplace.accounts", "marketplace.orgs"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # a marketplace module, or the name of another library
    where: str  # path:line, for the failure message
    in_function: bool
    explained: bool  # a comment on the import, or just above its run of imports


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in ROOT.rglob("*.py")}


def area(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _targets(node: ast.stmt, source: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        base = node.module
    else:
        package = source if MODULES[source].name == "__init__.py" else source.rpartition(".")[0]
        parent = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join(parent + ([node.module] if node.module else []))
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _bodies(node: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists nested in a compound statement (a function's body, an if's branches …)."""
    for field in ("body", "orelse", "finalbody"):
        value = getattr(node, field, None)
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            yield value
    for nested in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
        yield nested.body


def _imports_of(module: str) -> list[Import]:
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    comments = {tok.start[0] for tok in tokens if tok.type == tokenize.COMMENT}
    found: list[Import] = []

    def visit(body: list[ast.stmt], in_function: bool) -> None:
        explained = False
        for i, node in enumerate(body):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                for nested in _bodies(node):
                    visit(nested, inner)
                continue
            # A comment on the import or the line above it; one above a run of imports covers the run.
            continues_run = i > 0 and isinstance(body[i - 1], ast.Import | ast.ImportFrom)
            own = any(line in comments for line in range(node.lineno - 1, node.end_lineno + 1))
            explained = own or (continues_run and explained)
            for target in _targets(node, module):
                found.append(
                    Import(
                        module,
                        target,
                        f"{path.relative_to(ROOT.parent)}:{node.lineno}",
                        in_function,
                        explained,
                    )
                )

    visit(ast.parse(text).body, False)
    return found


IMPORTS = [imp for module in MODULES if module != FACTORY for imp in _imports_of(module)]
GRAPH: dict[str, set[str]] = defaultdict(set)
for _imp in IMPORTS:
    if _imp.target in MODULES and _imp.target != FACTORY:
        GRAPH[_imp.source].add(_imp.target)


def circles() -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for module in sorted(MODULES):
        if module not in index:
            connect(module)
    return found


def test_the_graph_sees_module_and_function_level_imports():
    assert "marketplace.bids.validity" in GRAPH["marketplace.projects.lifecycle"]
    assert any(i.source == "marketplace.queue" and i.target == FACTORY and i.in_function for i in IMPORTS)


def _listed(circles_: list[set[str]]) -> str:
    return "\n".join(" ⇄ ".join(sorted(c)) for c in circles_)


def test_no_import_circle_joins_two_areas():
    crossing = [c for c in circles() if len({area(m) for m in c}) > 1]
    assert not crossing, f"import circles across areas:\n{_listed(crossing)}"


def test_inside_an_area_a_circle_is_at_most_an_explained_pair():
    long = [c for c in circles() if len(c) > 2]
    assert not long, f"import circles of more than two modules:\n{_listed(long)}"
    unexplained = [
        pair
        for pair in circles()
        if len(pair) == 2 and not any(i.explained for i in IMPORTS if {i.source, i.target} == pair)
    ]
    assert not unexplained, (
        f"say on one of their imports why these two import each other:\n{_listed(unexplained)}"
    )


def test_the_policy_imports_no_area_but_accounts_and_orgs():
    areas = {area(i.target) for i in IMPORTS if i.source == POLICY and i.target in MODULES}
    domains = {a for a in areas if (ROOT / a.split(".")[1]).is_dir()}
    assert domains <= POLICY_MAY_IMPORT, f"permissions.py imports {sorted(domains - POLICY_MAY_IMPORT)}"


def test_every_import_inside_a_function_says_why():
    silent = [i.where for i in IMPORTS if i.in_function and not i.explained]
    assert not silent, "imports inside functions with no comment saying why:\n" + "\n".join(silent)
