"""What the home page asks of 信息公开 (待办): the union staff's suggestions waiting for an answer; the
league reviewer's charter versions and announcements waiting for approval (重要信息发布审核).

A suggestion row counts a union's unanswered suggestions and names the union, never an author."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from .. import actions, permissions
from ..orgs.models import Organization
from .models import Announcement, CharterVersion, PublicationStatus, Suggestion, SuggestionStatus

WAITING = SuggestionStatus.SUBMITTED


@actions.kind(
    "suggestion.waiting",
    _l("%(title)s：%(n)s 条意见建议待回复"),
    lambda ref: url_for("disclosure.union_suggestions", org_id=int(ref), status=WAITING.value),
    when=_l("最早一条提交于 %(at)s"),
    applies=lambda user: bool(permissions.active_memberships(user)),
)
def suggestions_waiting(viewer) -> Select:
    """Per union the user is a member of today: those whose box `suggestion.moderate` lets them answer."""
    first, n = func.min(Suggestion.created_at), func.count(Suggestion.id)
    return (
        select(*actions.columns(Organization.id, Organization.name, first, n))
        .join(Organization, Organization.id == Suggestion.union_id)
        .where(Suggestion.union_id.in_(viewer.member_org_ids), Suggestion.status == WAITING)
        .group_by(Organization.id, Organization.name)
    )


def _review_link(ref: str) -> str:
    return url_for("disclosure.review")


@actions.kind("charter.pending", _l("章程修订待审核：%(title)s"), _review_link, when=_l("提交于 %(at)s"))
def charters_to_approve(viewer) -> Select:
    return (
        select(*actions.columns(CharterVersion.id, Organization.name, CharterVersion.submitted_at))
        .join(Organization, Organization.id == CharterVersion.union_id)
        .where(CharterVersion.status == PublicationStatus.PENDING)
    )


@actions.kind("announcement.pending", _l("公告待审核：%(title)s"), _review_link, when=_l("提交于 %(at)s"))
def announcements_to_approve(viewer) -> Select:
    return select(*actions.columns(Announcement.id, Announcement.title, Announcement.submitted_at)).where(
        Announcement.status == PublicationStatus.PENDING
    )
