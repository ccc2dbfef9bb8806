"""The append-only audit log (操作日志): who did what, when, from what to what, and why.

Entries are only ever inserted. The ORM refuses to update or delete one, and on PostgreSQL a trigger
(see the first migration) refuses it in SQL too. Sealed content (bids) is recorded by id and hash,
never by content; callers pass what may be shown. Personal values (个人信息: ``PERSONAL_KEYS``, and the
reasons of ``PERSONAL_REASONS``) are recorded as changed, never by value; entries written before that
rule are masked the same way when read (``conceal``), for everyone but admins.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .extensions import db
from .models_base import UTCDateTime, utcnow

# The keys of ``before``/``after`` whose values are personal: phone, email, 政治面貌, a 请假 reason.
PERSONAL_KEYS = frozenset({"phone", "email", "political_status", "leave_reason"})
# The actions whose reason is the person's own words (a sign-up's 请假, an appeal's text; "signup." is
# every sign-up action): the entry says that one was given (``after["reason_given"]``), never what.
PERSONAL_REASONS = frozenset({"signup.", "credit.appeal", "no_show.appeal"})
# What an entry holds in place of a personal value that changed.
CHANGED = "changed"


class AuditEntry(db.Model):
    """操作日志条目."""

    __tablename__ = "audit_entry"
    # The log is read newest first from any depth, by (time, id): see marketplace/pagination.py.
    __table_args__ = (Index("ix_audit_entry_at_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    # The project an entry belongs to, so sealing and recusal can filter a project's entries.
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)

    actor = relationship("User")


def plain(value: Any) -> Any:
    """``value`` in JSON-ready form (enums by value, dates in ISO form, decimals as strings)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def snapshot(obj, fields: list[str]) -> dict[str, Any]:
    """The named attributes of ``obj`` as JSON-ready values, for ``before``/``after``."""
    return {name: plain(getattr(obj, name)) for name in fields}


@contextmanager
def recording(actor, action: str, obj, fields: list[str], *, project_id: int | None = None):
    """Record one entry for the changes the ``with`` block makes to ``obj``'s ``fields``: before (none
    for a new row) and after, once the block has run and the row is flushed. A refusal raised inside
    the block records nothing."""
    before = None if getattr(obj, "id", None) is None else snapshot(obj, fields)
    yield obj
    db.session.add(obj)
    db.session.flush()
    record(actor, action, obj, before=before, after=snapshot(obj, fields), project_id=project_id)


def conceal(
    action: str, before: dict | None, after: dict | None, reason: str | None
) -> tuple[dict | None, dict | None, str | None]:
    """An entry's ``before``, ``after`` and ``reason`` without personal values: a personal key that
    changed stays in ``after`` as :data:`CHANGED` (and leaves ``before``), one that did not is left out;
    a personal reason becomes ``after["reason_given"]``. The writer stores this; readers who may not
    see personal values read entries written before through it too."""
    personal = PERSONAL_KEYS & ((before or {}).keys() | (after or {}).keys())
    if personal:
        old, new = before or {}, after or {}
        changed = sorted(key for key in personal if key in new and old.get(key) != new[key])
        if before is not None:
            before = {key: value for key, value in before.items() if key not in personal}
        if after is not None:
            after = {key: value for key, value in after.items() if key not in personal}
            after |= dict.fromkeys(changed, CHANGED)
    if reason and (action in PERSONAL_REASONS or action.partition(".")[0] + "." in PERSONAL_REASONS):
        after, reason = {**(after or {}), "reason_given": True}, None
    return before, after, reason


def content_hash(payload: Any) -> str:
    """SHA-256 of a canonical JSON form: lets the log prove what sealed content was without showing it."""
    data = json.dumps(plain(payload), sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(data).hexdigest()


def record(
    actor,
    action: str,
    subject,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
    project_id: int | None = None,
) -> AuditEntry:
    """Append one entry. ``subject`` is a model instance or a ``(type, id)`` pair. Does not commit.
    Personal values in ``before``/``after`` and a personal ``reason`` are recorded as changed or given."""
    if isinstance(subject, tuple):
        subject_type, subject_id = subject
    else:
        subject_type = subject.__tablename__
        # A new row known by its public id is written with the rest at the next flush.
        subject_id = getattr(subject, "public_id", None)
        if subject_id is None:
            if getattr(subject, "id", None) is None:
                db.session.flush()
            subject_id = subject.id
    before, after, reason = conceal(action, plain(before), plain(after), reason)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        project_id=project_id,
        before=before,
        after=after,
        reason=reason,
    )
    db.session.add(entry)
    return entry


@event.listens_for(Session, "before_flush")
def _refuse_rewriting_history(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("audit entries are append-only")
