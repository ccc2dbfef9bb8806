"""What the home page asks of an administrator (待办): roster imports under way or failed, mail that
could not be delivered, and settings the school has not set up yet (no current term, no credit
category). Each is one small aggregate."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, cast, exists, func, literal, null, select

from .. import actions
from ..credits.models import CreditCategory
from ..notify.models import OutboxMessage, OutboxStatus
from ..roster.models import ImportJob, ImportStatus
from ..school.models import Term
from ..timeutil import UTCDateTime

UNFINISHED_IMPORTS = (
    ImportStatus.QUEUED,
    ImportStatus.CHECKING,
    ImportStatus.INVALID,
    ImportStatus.READY,
    ImportStatus.IMPORTING,
    ImportStatus.FAILED,
)


@actions.kind(
    "roster.unfinished",
    _l("名册导入未完成或失败：%(title)s"),
    lambda ref: url_for("roster.show", public_id=ref),
    when=_l("上传于 %(at)s"),
)
def imports_unfinished(viewer) -> Select:
    return select(
        ImportJob.public_id.label("ref"),
        ImportJob.filename.label("title"),
        ImportJob.created_at.label("at"),
        literal(1).label("n"),
    ).where(ImportJob.status.in_(UNFINISHED_IMPORTS))


@actions.kind(
    "outbox.failed",
    _l("%(n)s 封邮件无法投递"),
    lambda ref: url_for("admin.index"),
    when=_l("最早一封 %(at)s"),
)
def mail_undelivered(viewer) -> Select:
    return (
        select(
            literal("outbox").label("ref"),
            literal("").label("title"),
            func.min(OutboxMessage.created_at).label("at"),
            func.count(OutboxMessage.id).label("n"),
        )
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .having(func.count(OutboxMessage.id) > 0)
    )


def _missing(ref: str, condition) -> Select:
    return select(
        literal(ref).label("ref"),
        literal("").label("title"),
        cast(null(), UTCDateTime()).label("at"),
        literal(1).label("n"),
    ).where(condition)


@actions.kind("settings.term", _l("还没有设置当前学期"), lambda ref: url_for("admin.calendar"))
def no_current_term(viewer) -> Select:
    today = actions.TODAY
    return _missing("term", ~exists().where(Term.starts_on <= today, Term.ends_on >= today))


@actions.kind("settings.categories", _l("还没有设置学分类别"), lambda ref: url_for("admin.categories"))
def no_credit_categories(viewer) -> Select:
    return _missing("categories", ~exists().where(CreditCategory.is_active.is_(True)))


ADMIN_KINDS = [imports_unfinished, mail_undelivered, no_current_term, no_credit_categories]
