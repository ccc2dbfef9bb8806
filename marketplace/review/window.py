"""The award notice's window (公示期): the notice in force, whether its window is over, and the host
it makes.

When the window has ended and no objection is pending, the winner becomes the host. Only models are
read here, so the lifecycle's due rule for ``start_hosting`` and the policy can both ask.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select

from .. import clock
from ..extensions import db
from ..projects.models import Project, ProjectState
from .models import AwardNotice, NoticeStatus, Objection, ObjectionStatus


def active_notice(project: Project) -> AwardNotice | None:
    return db.session.scalar(
        select(AwardNotice).where(
            AwardNotice.project_id == project.id, AwardNotice.status == NoticeStatus.ACTIVE
        )
    )


def window_over(project: Project, now: datetime) -> bool:
    notice = active_notice(project)
    if notice is None or now < notice.window_ends_at:
        return False
    pending = db.session.scalar(
        select(func.count())
        .select_from(Objection)
        .where(Objection.notice_id == notice.id, Objection.status == ObjectionStatus.PENDING)
    )
    return pending == 0


def window_over_sql(now: datetime):
    """``window_over`` as an SQL condition on Project, for lists."""
    pending = exists(
        select(Objection.id).where(
            Objection.notice_id == AwardNotice.id, Objection.status == ObjectionStatus.PENDING
        )
    )
    return exists(
        select(AwardNotice.id).where(
            AwardNotice.project_id == Project.id,
            AwardNotice.status == NoticeStatus.ACTIVE,
            AwardNotice.window_ends_at <= now,
            ~pending,
        )
    )


def winner_org_id(project: Project) -> int:
    """The organization the notice in force awards the project to."""
    return active_notice(project).bid.org_id


def host_org_id(project: Project) -> int | None:
    """承办方: recorded when hosting starts; between the end of the notice window and the first write
    or tick that records it, the winner of the notice."""
    if project.host_org_id is not None:
        return project.host_org_id
    if project.state == ProjectState.AWARD_NOTICE and window_over(project, clock.now()):
        return winner_org_id(project)
    return None
