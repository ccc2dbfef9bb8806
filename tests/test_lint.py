"""Rules of the source that no page test would catch everywhere, read from the syntax tree.

- A lazy string (``lazy_gettext``, imported as ``_l``) calls itself safe HTML (``__html__``), so Jinja
  prints it unescaped: interpolating anything into one — a typed 学号, an admin's category name — puts
  markup on the page. Lazy strings are for module-level constants only; a message with values is
  built at request time with ``gettext`` (``_``), whose plain ``str`` Jinja escapes.
- Number fields come from ``marketplace.forms``, whose subclasses give one Chinese message for text
  that is not a number (WTForms' own say it in English, and the validators add a second message).
"""

from __future__ import annotations

import ast
from pathlib import Path

import marketplace

ROOT = Path(marketplace.__file__).parent
NUMBER_FIELDS = {"IntegerField", "DecimalField", "FloatField", "IntegerRangeField", "DecimalRangeField"}


def _trees():
    for path in sorted(ROOT.rglob("*.py")):
        yield path.relative_to(ROOT.parent), ast.parse(path.read_text(encoding="utf-8"))


def _lazy_names(tree: ast.Module) -> set[str]:
    """The names ``lazy_gettext`` goes by in this module (``_l`` by custom)."""
    names = {"_l"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "flask_babel":
            names |= {alias.asname or alias.name for alias in node.names if alias.name.startswith("lazy_")}
    return names


def test_no_lazy_string_is_given_values_to_interpolate():
    found = []
    for where, tree in _trees():
        lazy = _lazy_names(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in lazy
                and (node.keywords or len(node.args) > 1)
            ):
                found.append(f"{where}:{node.lineno}")
    assert found == [], "lazy strings with values (use gettext at request time): " + ", ".join(found)


def test_number_fields_come_from_marketplace_forms():
    found = []
    for where, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wtforms"):
                found += [f"{where}:{node.lineno} {a.name}" for a in node.names if a.name in NUMBER_FIELDS]
    assert found == [], "import number fields from marketplace.forms: " + ", ".join(found)
