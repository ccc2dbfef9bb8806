"""What the home page asks of the needs pool (需求征集, 待办): a student's needs — posted or supported —
that were answered lately; the union staff's needs past their answer time; the league reviewer's
appeals against hiding.

A row names the need, never who posted it: a supporter's row reads the same as the author's, and the
staff's row is a count. A hidden need is news to its author only (the others no longer see it).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, literal, or_, select

from .. import actions
from .models import Need, NeedAppeal, NeedAppealStatus, NeedStatus
from .queries import followed_by, overdue

# How long an answer stays news on the student's home page (the notification centre keeps it).
NEWS_DAYS = 14
ANSWERED = (NeedStatus.ACCEPTED, NeedStatus.MERGED, NeedStatus.DECLINED)


def _need_link(ref: str) -> str:
    return url_for("needs.show", need_id=int(ref))


@actions.kind("need.answered", _l("你关注的需求有了新进展：%(title)s"), _need_link, when=_l("更新于 %(at)s"))
def needs_answered(viewer) -> Select:
    """Needs the student posted or supports whose status changed in the last two weeks — answered
    (采纳, 合并, 未采纳), or, for the author alone, hidden — the status in the title."""
    since = actions.ago(days=NEWS_DAYS)
    own = Need.author_id == viewer.id
    hidden = Need.status == NeedStatus.HIDDEN
    changed_at = case((hidden, Need.hidden_at), else_=Need.answered_at)
    # The label is chosen in SQL among words translated now, for the user's language.
    label = case(*((Need.status == s, literal(str(s.label))) for s in (*ANSWERED, NeedStatus.HIDDEN)))
    title = Need.title + literal("（") + label + literal("）")
    return select(*actions.columns(Need.id, title, changed_at)).where(
        Need.id.in_(followed_by(viewer)),
        or_(Need.status.in_(ANSWERED), hidden & own),
        changed_at > since,
    )


@actions.kind(
    "need.overdue",
    _l("%(n)s 条同学需求已超过答复时限"),
    lambda ref: url_for("needs.staff"),
    when=_l("最早一条 %(at)s 到期"),
    applies=actions.works_for_union,
)
def needs_overdue(viewer) -> Select:
    """The staff dashboard's note counts the same statement (``queries.overdue``)."""
    return overdue(viewer.staff_union_ids, actions.NOW)


@actions.kind(
    "need.appeal_pending",
    _l("需求隐藏申诉待处理：%(title)s"),
    lambda ref: url_for("needs.appeals"),
    when=_l("提出于 %(at)s"),
)
def appeals_to_rule(viewer) -> Select:
    return (
        select(*actions.columns(NeedAppeal.id, Need.title, NeedAppeal.created_at))
        .join(Need, Need.id == NeedAppeal.need_id)
        .where(NeedAppeal.status == NeedAppealStatus.PENDING)
    )
