"""Bidding (竞标): submitting, revising, confirming and withdrawing a bid, and its attachments.

Every write keeps a revision and writes the audit log by public id and content hash, never content.
Nothing here touches the project row or anything else the public can see.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit, clock, permissions
from ..errors import Conflict, DomainError
from ..extensions import db
from ..notify import operations as notify
from ..orgs.models import Membership, Organization
from ..orgs.queries import managers_of
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from . import files
from .models import Bid, BidAttachment, BidRevision, BidStatus

BID_FIELDS = ["summary", "plan", "requested_budget", "timeline", "team", "expected_volunteers"]


def _bidding_open(project: Project) -> None:
    """Lock the project, persist what the clock made due, and refuse once the deadline has passed."""
    lifecycle.lock(project)
    lifecycle.catch_up(project)
    if project.state != ProjectState.OPEN or clock.now() >= project.bid_deadline:
        raise DomainError(_("竞标已截止，不能再提交或修改标书。"))


def _open_bid(actor, bid: Bid) -> None:
    """Like ``_bidding_open`` for an existing bid, read afresh under the project's lock: the caller
    loaded it before waiting for the lock, and a stale copy would fail its version check at flush."""
    _bidding_open(bid.project)
    db.session.refresh(bid)
    _check_org(actor, bid.project, bid.org)


def _check_org(actor, project: Project, org: Organization) -> None:
    permissions.require(actor, "org.act_for", org)
    if org.id not in permissions.managed_org_ids(actor):
        raise DomainError(_("只有组织负责人可以代表组织竞标。"))
    if not org.is_active:
        raise DomainError(_("该组织已停用，不能竞标。"))
    if not project.admits(org.kind):
        raise DomainError(_("本项目不接受%(kind)s竞标。", kind=org.kind.label))


def _check_content(project: Project, org: Organization, data: dict) -> dict:
    budget = Decimal(data["requested_budget"])
    if budget < 0:
        raise DomainError(_("申请预算不能为负数。"), field="requested_budget")
    if budget > project.budget_cap:
        raise DomainError(
            _("申请预算不能超过项目预算上限 %(cap)s 元。", cap=project.budget_cap), field="requested_budget"
        )
    volunteers = int(data.get("expected_volunteers") or 0)
    if volunteers < 0:
        raise DomainError(_("预计志愿者人数不能为负数。"), field="expected_volunteers")
    team = sorted({int(uid) for uid in data.get("team") or []})
    if team:
        members = set(
            db.session.scalars(
                select(Membership.user_id).where(
                    Membership.org_id == org.id,
                    Membership.user_id.in_(team),
                    Membership.active_on(clock.today_local()),
                )
            )
        )
        if set(team) - members:
            raise DomainError(_("团队成员必须是本组织的现任成员。"), field="team")
    return {
        "summary": data["summary"].strip(),
        "plan": data["plan"].strip(),
        "requested_budget": budget,
        "timeline": (data.get("timeline") or "").strip(),
        "team": team,
        "expected_volunteers": volunteers,
    }


def _keep_revision(bid: Bid, actor) -> BidRevision:
    content = bid.content()
    number = len(bid.revisions) + 1
    revision = BidRevision(
        bid=bid,
        number=number,
        content=content,
        content_hash=audit.content_hash(content),
        author_id=actor.id,
        created_at=clock.now(),
    )
    db.session.add(revision)
    return revision


def _audit(actor, action: str, bid: Bid, **extra) -> None:
    # Sealed content: the log holds the bid's public id and a hash, never what it says.
    audit.record(
        actor,
        f"bid.{action}",
        bid,
        after={"content_hash": audit.content_hash(bid.content()), **extra},
        project_id=bid.project_id,
    )


def submit_bid(actor, project: Project, org: Organization, data: dict) -> Bid:
    """提交或修改本组织的标书 (until the deadline). A withdrawn bid is reactivated, not duplicated.
    ``data["version"]`` is the bid's version the manager started from (None: a new bid)."""
    version = data.get("version")
    _bidding_open(project)
    _check_org(actor, project, org)
    content = _check_content(project, org, data)
    now = clock.now()
    bid = db.session.scalar(select(Bid).where(Bid.project_id == project.id, Bid.org_id == org.id))
    if bid is None:
        bid = Bid(project_id=project.id, org_id=org.id, created_by_id=actor.id, submitted_at=now, **content)
        bid.confirmed, bid.confirmed_at, bid.updated_at = True, now, now
        try:
            with db.session.begin_nested():
                db.session.add(bid)
                db.session.flush()
        except IntegrityError:
            raise Conflict(_("本组织已经提交过这个项目的标书，请在“我的标书”中修改。")) from None
        action = "submit"
    else:
        if version is None and bid.status == BidStatus.SUBMITTED:
            raise Conflict(_("本组织已经提交过这个项目的标书，请在“我的标书”中修改。"))
        if version is not None and version != bid.version:
            raise Conflict(_("这份标书刚在别处被修改过。你填写的内容仍保留在下面，请对照最新版本后再保存。"))
        action = "resubmit" if bid.status == BidStatus.WITHDRAWN else "update"
        for name, value in content.items():
            setattr(bid, name, value)
        bid.status = BidStatus.SUBMITTED
        bid.confirmed, bid.confirmed_at, bid.updated_at = True, now, now
    revision = _keep_revision(bid, actor)
    db.session.flush()
    _audit(actor, action, bid, revision=revision.number)
    _notify_own_managers(bid, "bid.receipt", revision=revision)
    return bid


def confirm_bid(actor, bid: Bid) -> None:
    """确认标书 after the project's requirements changed."""
    _open_bid(actor, bid)
    if bid.status != BidStatus.SUBMITTED:
        raise DomainError(_("标书已撤回，请重新提交。"))
    if bid.requested_budget > bid.project.budget_cap:
        raise DomainError(_("项目预算上限已调整，请先修改申请预算再确认。"), field="requested_budget")
    bid.confirmed, bid.confirmed_at = True, clock.now()
    _audit(actor, "confirm", bid)


def withdraw_bid(actor, bid: Bid) -> None:
    _open_bid(actor, bid)
    if bid.status == BidStatus.WITHDRAWN:
        return
    bid.status = BidStatus.WITHDRAWN
    bid.updated_at = clock.now()
    _audit(actor, "withdraw", bid)


def add_attachment(actor, bid: Bid, data: dict) -> BidAttachment:
    _open_bid(actor, bid)
    if bid.status != BidStatus.SUBMITTED:
        raise DomainError(_("标书已撤回，请重新提交后再上传附件。"))
    stored = files.check_and_store(data["file"])
    attachment = BidAttachment(bid_id=bid.id, uploaded_by_id=actor.id, uploaded_at=clock.now(), **stored)
    db.session.add(attachment)
    db.session.flush()
    _audit(actor, "attach", bid, attachment=attachment.public_id, file_sha256=attachment.sha256)
    return attachment


def remove_attachment(actor, attachment: BidAttachment) -> None:
    _open_bid(actor, attachment.bid)
    db.session.refresh(attachment)
    if attachment.removed_at is not None:
        return
    attachment.removed_at = clock.now()
    _audit(actor, "detach", attachment.bid, attachment=attachment.public_id)


def ask_bidders_to_reconfirm(project: Project) -> int:
    """After a requirement change: every submitted bid must be confirmed again before the deadline."""
    bids = db.session.scalars(
        select(Bid).where(
            Bid.project_id == project.id, Bid.status == BidStatus.SUBMITTED, Bid.confirmed.is_(True)
        )
    ).all()
    for bid in bids:
        bid.confirmed, bid.confirmed_at = False, None
    return len(bids)


def _notify_own_managers(bid: Bid, kind: str, **context) -> None:
    for membership in managers_of([bid.org_id]):
        notify.send(
            membership.user,
            kind,
            link=bid.url,
            bid=bid,
            project=bid.project,
            org=membership.org,
            **context,
        )


def notify_bidders(project: Project, kind: str, *, except_org_id: int | None = None, **context) -> None:
    """Tell the managers of every organization with a submitted bid (never anyone else), but those of
    ``except_org_id``, who are told otherwise."""
    org_ids = db.session.scalars(
        select(Bid.org_id).where(
            Bid.project_id == project.id, Bid.status == BidStatus.SUBMITTED, Bid.org_id != except_org_id
        )
    ).all()
    for membership in managers_of(org_ids):
        notify.send(
            membership.user,
            kind,
            link=project.url,
            project=project,
            org=membership.org,
            **context,
        )


def tell_unconfirmed_at_deadline(project: Project) -> None:
    """Bidding closed: an organization whose bid was never re-confirmed after a change of the
    requirements hears that it does not count."""
    unconfirmed = db.session.scalars(
        select(Bid).where(
            Bid.project_id == project.id, Bid.status == BidStatus.SUBMITTED, Bid.confirmed.is_(False)
        )
    ).all()
    for bid in unconfirmed:
        _notify_own_managers(bid, "bid.unconfirmed")
