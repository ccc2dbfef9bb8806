"""The matrix every status table is held to: each action from each status — allowed sources move to
the target and write one audit entry, every other source is refused and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.statuses import IllegalStatus, StatusTable


def entries() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def last_entry(action: str) -> AuditEntry:
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    ).first()


def check_action(
    table: StatusTable,
    action: str,
    obj,
    put_in: Callable[[object, object], None],
    move: Callable[..., None],
    actor,
    reason: str | None = None,
) -> None:
    """Take ``action`` on ``obj`` from every status of its enum. ``put_in(obj, status)`` sets the status
    (and the facts its CHECK constraints need) directly and commits; ``move`` is the table's move_…()."""
    sources, target = table.transitions[action]
    for status in type(target):
        put_in(obj, status)
        logged = entries()
        if status in sources:
            move(obj, action, actor, reason=reason)
            db.session.commit()
            db.session.refresh(obj)
            assert obj.status == target, status
            entry = last_entry(f"{table.subject}.{action}")
            assert entry.before["status"] == status.value
            assert entry.after["status"] == target.value
            assert entry.actor_id == getattr(actor, "id", None)
            assert entries() == logged + 1
        else:
            with pytest.raises(IllegalStatus) as refused:
                move(obj, action, actor, reason=reason)
            assert status.label in refused.value.message
            db.session.rollback()
            db.session.refresh(obj)
            assert obj.status == status, action
            assert entries() == logged
