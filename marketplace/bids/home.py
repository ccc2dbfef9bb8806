"""What the home page asks of an organization's bids (待办): bids to confirm again after the project's
requirements changed, and the bids waiting for the deadline. Only the organization's own bids."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, literal, select

from .. import actions
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from .models import Bid, BidStatus


def _own_open_bids(viewer, *, confirmed: bool) -> Select:
    return (
        select(
            Bid.public_id.label("ref"),
            Project.title.label("title"),
            Project.bid_deadline.label("at"),
            literal(1).label("n"),
        )
        .join(Project, Project.id == Bid.project_id)
        .where(
            Bid.org_id.in_(viewer.managed_org_ids),
            Bid.status == BidStatus.SUBMITTED,
            Bid.confirmed.is_(confirmed),
            lifecycle.effective_state_in(ProjectState.OPEN),
        )
    )


@actions.kind(
    "bid.reconfirm",
    _l("项目要求有变，请重新确认标书：%(title)s"),
    lambda ref: url_for("bids.show", public_id=ref),
    when=_l("%(at)s 前确认"),
    applies=actions.manages,
)
def bids_to_reconfirm(viewer) -> Select:
    return _own_open_bids(viewer, confirmed=False)


@actions.kind(
    "bid.submitted",
    _l("标书已提交，截止前可修改：%(title)s"),
    lambda ref: url_for("bids.show", public_id=ref),
    when=_l("%(at)s 截止"),
    applies=actions.manages,
)
def bids_before_deadline(viewer) -> Select:
    return _own_open_bids(viewer, confirmed=True)
