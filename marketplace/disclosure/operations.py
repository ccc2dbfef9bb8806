"""What changes a union's charter and announcements: the staff draft, edit and submit them; the league
reviewer approves (published) or returns them with a reason (重要信息发布审核, policy section 十).
Approving a charter version publishes it as the union's next 第 N 版 and supersedes the one before,
whose text stays readable in the history. Plain functions; nothing here commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import clock, permissions
from ..errors import Conflict, DomainError
from ..extensions import db
from ..notify import operations as notify
from ..orgs.models import Organization
from ..satisfaction.operations import UNION_KINDS
from ..statuses import NEW, StatusTable
from .models import Announcement, AnnouncementKind, CharterVersion, PublicationStatus, Reviewed

P = PublicationStatus
MAX_BODY = 20000
MAX_TITLE = 100
MAX_NOTE = 200
MAX_REASON = 1000


def _reviewed(action: str, actor, reason: str | None) -> dict:
    """The facts of each step: when it was submitted; who reviewed it, when, and why it came back."""
    now = clock.now()
    if action == "submit":
        return {"submitted_at": now, "updated_at": now}
    if action in ("approve", "return"):
        facts = {"reviewed_by_id": actor.id, "reviewed_at": now, "return_reason": reason}
        return facts | ({"published_at": now} if action == "approve" else {})
    return {}


TRANSITIONS = {
    "create": (frozenset({NEW}), P.DRAFT),
    "submit": (frozenset({P.DRAFT, P.RETURNED}), P.PENDING),
    "approve": (frozenset({P.PENDING}), P.PUBLISHED),
    "return": (frozenset({P.PENDING}), P.RETURNED),
}
CHARTER_TRANSITIONS = {
    **TRANSITIONS,
    # The union's published version, when the league approves a newer one.
    "supersede": (frozenset({P.PUBLISHED}), P.SUPERSEDED),
}
CHARTERS = StatusTable("charter", _l("这个章程版本"), CHARTER_TRANSITIONS, facts=_reviewed)
ANNOUNCEMENTS = StatusTable("announcement", _l("这条公告"), TRANSITIONS, facts=_reviewed, fields=("title",))


def table_of(doc: Reviewed) -> StatusTable:
    return CHARTERS if isinstance(doc, CharterVersion) else ANNOUNCEMENTS


def move(doc: Reviewed, action: str, actor, *, reason: str | None = None, **facts) -> None:
    table_of(doc).move(doc, action, actor, reason=reason, **facts)


def union_or_none(union_id) -> Organization | None:
    """An active union (校学生会, 研究生会, 院系学生会) by id, or None."""
    org = db.session.get(Organization, union_id or 0)
    return org if org is not None and org.kind in UNION_KINDS and org.is_active else None


def _body(data: dict, what: str) -> str:
    body = (data.get("body") or "").strip()
    if not body:
        raise DomainError(_("请填写%(what)s的正文。", what=what), field="body")
    if len(body) > MAX_BODY:
        raise DomainError(
            _("正文最多 %(n)s 个字，现在有 %(m)s 个字。", n=MAX_BODY, m=len(body)), field="body"
        )
    return body


def _check_editable(actor, doc: Reviewed) -> None:
    permissions.require(actor, "disclosure.draft", doc)
    if not doc.status.is_editable:
        raise DomainError(
            _("这份内容当前为「%(state)s」，不能再修改。", state=doc.status.label),
        )


# -- the charter ------------------------------------------------------------------------------------------


def _charter_fields(version: CharterVersion, data: dict) -> None:
    note = (data.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(_("修订说明最多 %(n)s 个字。", n=MAX_NOTE), field="note")
    version.body, version.note = _body(data, _("章程")), note


def _draft(model, fill, actor, union: Organization, data: dict):
    """A new 草稿 of ``model`` by the union's staff, its fields filled by ``fill`` from ``data``."""
    permissions.require(actor, "disclosure.draft", union)
    doc = model(union_id=union.id, author_id=actor.id)
    doc.union = union
    fill(doc, data)
    move(doc, "create", actor)
    db.session.add(doc)
    db.session.flush()
    return doc


def _edit(fill, actor, doc, data: dict) -> None:
    _check_editable(actor, doc)
    fill(doc, data)
    doc.updated_at = clock.now()


def draft_charter(actor, union: Organization, data: dict) -> CharterVersion:
    """起草 a new version of the union's 章程 (``data["body"]``, Markdown, and ``data["note"]``, what
    changed), a 草稿 until submitted."""
    return _draft(CharterVersion, _charter_fields, actor, union, data)


def edit_charter(actor, version: CharterVersion, data: dict) -> None:
    _edit(_charter_fields, actor, version, data)


# -- announcements ----------------------------------------------------------------------------------------


def _announcement_fields(announcement: Announcement, data: dict) -> None:
    kind = data.get("kind")
    if not isinstance(kind, AnnouncementKind):
        raise DomainError(_("请选择公告类别。"), field="kind")
    title = (data.get("title") or "").strip()
    if not title:
        raise DomainError(_("请填写标题。"), field="title")
    if len(title) > MAX_TITLE:
        raise DomainError(_("标题最多 %(n)s 个字。", n=MAX_TITLE), field="title")
    announcement.kind, announcement.title = kind, title
    announcement.body = _body(data, _("公告"))


def draft_announcement(actor, union: Organization, data: dict) -> Announcement:
    """起草 an announcement of the union: ``data["kind"]`` (重要工作安排 or 改革进展), ``title``, ``body``."""
    return _draft(Announcement, _announcement_fields, actor, union, data)


def edit_announcement(actor, announcement: Announcement, data: dict) -> None:
    _edit(_announcement_fields, actor, announcement, data)


# -- the approval -----------------------------------------------------------------------------------------


def submit(actor, doc: Reviewed) -> None:
    """提交审核: to the league reviewer's queue."""
    permissions.require(actor, "disclosure.draft", doc)
    move(doc, "submit", actor)


def _tell_author(doc: Reviewed, kind: str) -> None:
    notify.send(doc.author, kind, link=doc.url, doc=doc, union=doc.union.name, heading=_heading(doc))


def _heading(doc: Reviewed) -> str:
    if isinstance(doc, CharterVersion):
        return _("%(union)s章程", union=doc.union.name)
    return doc.title


def approve(actor, doc: Reviewed) -> None:
    """审核通过: published now. A charter version becomes the union's next 第 N 版 and the version
    published before it goes to the history. The union's row is locked so two approvals of one
    union's charter take their turns; the database refuses a second published version anyway."""
    permissions.require(actor, "disclosure.approve", doc)
    if isinstance(doc, CharterVersion):
        db.session.execute(select(Organization.id).where(Organization.id == doc.union_id).with_for_update())
        current = published_charter(doc.union_id)
        number = 1 + (
            db.session.scalar(
                select(func.max(CharterVersion.number)).where(CharterVersion.union_id == doc.union_id)
            )
            or 0
        )
        try:
            with db.session.begin_nested():
                if current is not None and current.id != doc.id:
                    move(current, "supersede", actor, superseded_at=clock.now())
                move(doc, "approve", actor, number=number)
        except IntegrityError:
            raise Conflict(_("这个学生会的章程刚刚有新版本发布，请刷新页面后重试。")) from None
    else:
        move(doc, "approve", actor)
    _tell_author(doc, "disclosure.approved")


def return_(actor, doc: Reviewed, data: dict) -> None:
    """退回修改 with ``data["reason"]``, which the staff read beside their draft."""
    permissions.require(actor, "disclosure.approve", doc)
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise DomainError(_("请写明退回的理由，起草人会看到。"), field="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(_("退回理由最多 %(n)s 个字。", n=MAX_REASON), field="reason")
    move(doc, "return", actor, reason=reason)
    _tell_author(doc, "disclosure.returned")


def published_charter(union_id: int) -> CharterVersion | None:
    return db.session.scalar(
        select(CharterVersion).where(
            CharterVersion.union_id == union_id, CharterVersion.status == P.PUBLISHED
        )
    )
