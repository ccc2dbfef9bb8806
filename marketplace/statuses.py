"""Status tables (状态流转表): every status of a record changes through its table.

A ``StatusTable`` declares, once per status-bearing model, ``action -> (source statuses, target
status)`` — the project lifecycle's idea (``projects/lifecycle.py``) for the smaller records: sign-ups,
credit records and appeals, award notices and objections. Its ``move`` is the only place such a status
changes: it refuses a record that is not in a source status (saying which status it is in), changes
the status and the columns that go with it in one conditional UPDATE (``WHERE status = :source``, so
of two requests moving the same record only one wins), and writes one audit entry
``"<subject>.<action>"`` with the status before and after — the system's own moves too (actor None).

The rules of *when* a person may take an action stay in the operations; row locks and conditional
UPDATEs that guard other rows (a shift's seats) stay where they are. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import inspect, update
from sqlalchemy.orm.attributes import set_committed_value

from . import audit, clock
from .errors import Conflict, DomainError
from .extensions import db

NEW = None  # as a source status: the record is being created and has no status yet

Transitions = Mapping[str, tuple[frozenset, Enum]]
# The columns that change together with the status: (action, actor, reason) -> {column: value}.
Facts = Callable[[str, Any, str | None], dict]


def ruled(action: str, actor, reason: str | None) -> dict:
    """The facts of a ruling on an objection or an appeal: what was written, by whom, when."""
    return {"ruling": reason, "ruled_by_id": getattr(actor, "id", None), "ruled_at": clock.now()}


class IllegalStatus(DomainError):
    def __init__(self, noun: str, status: Enum, action: str):
        super().__init__(
            _("%(subject)s当前为「%(state)s」，不能进行这项操作。", subject=noun, state=status.label)
        )
        self.status, self.action = status, action


@dataclass(frozen=True)
class StatusTable:
    subject: str  # the audit entry's prefix: "<subject>.<action>"
    noun: str  # how a refusal names the record (lazy): "这条报名"
    transitions: Transitions
    facts: Facts | None = None
    fields: tuple[str, ...] = ()  # recorded in the audit entry beside the status

    def move(
        self, obj, action: str, actor, *, reason: str | None = None, project_id: int | None = None, **facts
    ) -> None:
        """Take ``action`` on ``obj``: check its status, change it with its facts, write the audit entry.
        ``facts`` are more columns to set with the status (they override the table's)."""
        sources, target = self.transitions[action]
        source = obj.status
        if source not in sources:
            if source is NEW:
                raise ValueError(f"{self.subject}.{action} does not create a record")
            raise IllegalStatus(self.noun, source, action)
        values = {**(self.facts(action, actor, reason) if self.facts else {}), **facts, "status": target}
        before = {"status": source, **audit.snapshot(obj, list(self.fields))}
        if source is NEW or not inspect(obj).has_identity:
            # Not written yet: nobody else can be moving it, and the INSERT carries the last status.
            for name, value in values.items():
                setattr(obj, name, value)
        else:
            model = type(obj)
            result = db.session.execute(
                update(model)
                .where(model.id == obj.id, model.status == source)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                db.session.refresh(obj)
                raise Conflict(_("%(subject)s刚刚发生了变化，请刷新页面后重试。", subject=self.noun))
            for name, value in values.items():
                set_committed_value(obj, name, value)
        after = {"status": target, **audit.snapshot(obj, list(self.fields))}
        # A personal reason (a sign-up's 请假 reason) is recorded as given, not by text: see audit.record.
        audit.record(
            actor,
            f"{self.subject}.{action}",
            obj,
            before=before,
            after=after,
            reason=reason,
            project_id=project_id,
        )
