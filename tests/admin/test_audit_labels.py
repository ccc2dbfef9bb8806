"""Every action the code records has a Chinese name and sentence in the audit log, and every field an
area snapshots has a Chinese name.

The actions are read from the source: the literal action of each ``audit.record(…)`` call, and for a
call whose action is built (``f"bid.{action}"``, a variable) the literals that feed it — plus every
step of the project lifecycle and every status table. A call whose action this test cannot trace
fails it: teach ``recorded_actions`` where that action comes from.
"""

from __future__ import annotations

import ast
import gc
from pathlib import Path

import marketplace
from marketplace.accounts.operations import PROFILE_FIELDS
from marketplace.admin.audit_labels import ACTIONS, FIELDS, GROUPS, SUBJECTS, field_name
from marketplace.credits.operations import CATEGORY_FIELDS
from marketplace.credits.records import RECORD_FIELDS
from marketplace.orgs.operations import MEMBERSHIP_FIELDS, ORG_FIELDS
from marketplace.projects import lifecycle
from marketplace.projects.operations import PROJECT_FIELDS
from marketplace.school.operations import TERM_FIELDS, YEAR_FIELDS
from marketplace.statuses import StatusTable
from marketplace.volunteers.positions import POSITION_FIELDS, SHIFT_FIELDS

ROOT = Path(marketplace.__file__).parent


def _is_audit_record(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "record"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "audit"
    )


def _literals(node: ast.expr) -> set[str] | None:
    """The strings an expression can be, when it is made of literals (``"a" if x else "b"``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


def _fed_to_action(tree: ast.Module) -> set[str]:
    """In one module, the literals that become an ``action``: assigned to a variable of that name, or
    passed for a parameter of that name to a function the module defines."""
    position = {
        fn.name: [a.arg for a in fn.args.args].index("action")
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef) and "action" in [a.arg for a in fn.args.args]
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "action" for t in node.targets):
            found |= _literals(node.value) or set()
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in position:
            index = position[node.func.id]
            if index < len(node.args):
                found |= _literals(node.args[index]) or set()
            found |= {v for k in node.keywords if k.arg == "action" for v in _literals(k.value) or ()}
    return found


def recorded_actions() -> tuple[set[str], list[str]]:
    """(every action the code records, the calls whose action could not be traced)."""
    actions: set[str] = {f"project.{action}" for action in lifecycle.TRANSITIONS}
    tables = [obj for obj in gc.get_objects() if isinstance(obj, StatusTable)]
    assert {t.subject for t in tables} >= {"signup", "credit", "credit_appeal", "notice", "objection"}
    actions |= {f"{table.subject}.{action}" for table in tables for action in table.transitions}
    untraced = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in filter(_is_audit_record, ast.walk(tree)):
            action = call.args[1] if len(call.args) > 1 else None
            where = f"{path.relative_to(ROOT.parent)}:{call.lineno}"
            if action is None:
                untraced.append(where)
            elif (literal := _literals(action)) is not None:
                actions |= literal
            elif isinstance(action, ast.Name) and action.id == "action":
                actions |= _fed_to_action(tree)
            elif isinstance(action, ast.JoinedStr) and ast.unparse(action) == "f'bid.{action}'":
                actions |= {f"bid.{a}" for a in _fed_to_action(tree)}
            elif ast.unparse(action) not in ("f'project.{action}'", "f'{self.subject}.{action}'"):
                untraced.append(where)  # the lifecycle's and the status tables' are counted above
    return actions, untraced


def test_every_action_the_code_records_has_a_chinese_name_and_sentence():
    actions, untraced = recorded_actions()
    assert not untraced, f"teach this test where these calls' actions come from: {untraced}"
    assert {"bid.submit", "bid.attach", "term.delete", "attendance.check_in", "signup.leave"} <= actions
    assert not sorted(actions - ACTIONS.keys()), "add these to marketplace/admin/audit_labels.py: ACTIONS"
    assert all("%(subject)s" in str(label.sentence) for label in ACTIONS.values())


def test_every_group_and_subject_the_log_names_has_a_chinese_name():
    assert {action.split(".")[0] for action in ACTIONS} <= GROUPS.keys()
    subjects = {"user", "organization", "project", "bid", "signup", "credit_record", "no_show_appeal"}
    assert subjects <= SUBJECTS.keys()


def test_every_field_an_area_snapshots_has_a_chinese_name():
    snapshotted = [
        *PROFILE_FIELDS,
        "student_no",
        "staff_no",
        *ORG_FIELDS,
        *MEMBERSHIP_FIELDS,
        *YEAR_FIELDS,
        *TERM_FIELDS,
        *CATEGORY_FIELDS,
        *RECORD_FIELDS,
        *POSITION_FIELDS,
        *SHIFT_FIELDS,
    ]
    assert not sorted(set(snapshotted) - FIELDS.keys())
    assert not [key for key in PROJECT_FIELDS if field_name("project", key) == key]
