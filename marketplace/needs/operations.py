"""需求征集: what changes the needs pool — posting a need, supporting it, commenting, the staff's answer
(采纳 with the project that serves it, 合并 into another open need, 不采纳 with a reason), transferring it
to the other union, hiding a need or a comment, and the author's one appeal. Plain functions; nothing
here commits.

Privacy (docs/needs.md): no audit entry names the author of a need or a supporter — a post and an
appeal are recorded with no actor, a support and a comment are not recorded at all — while the staff's
and the league's acts are recorded with their names like everywhere else.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from .. import audit, clock, permissions, settings
from ..accounts.models import AccountKind, AccountStatus, User
from ..errors import DomainError
from ..extensions import db
from ..formatting import local_datetime
from ..hosting.operations import store_photo
from ..models_base import UTCDateTime, claim_due
from ..notify import operations as notify
from ..orgs.models import College, Organization, OrgKind
from ..orgs.queries import union_staff
from ..permissions import Role
from ..projects import operations as projects
from ..projects.models import Project, ProjectState
from ..statuses import NEW, StatusTable
from .models import (
    Need,
    NeedAppeal,
    NeedAppealStatus,
    NeedComment,
    NeedCommentStatus,
    NeedPhoto,
    NeedStatus,
    NeedSupport,
)

MAX_TITLE = 100
MAX_DESCRIPTION = 5000
MAX_COMMENT = 1000
MAX_REASON = 1000
MAX_PHOTOS = 6
REMIND_BEFORE = timedelta(days=1)

S = NeedStatus
NEED_TRANSITIONS = {
    "post": (frozenset({NEW}), S.OPEN),
    "accept": (frozenset({S.OPEN}), S.ACCEPTED),
    "merge": (frozenset({S.OPEN}), S.MERGED),
    "decline": (frozenset({S.OPEN}), S.DECLINED),
    "hide": (frozenset({S.OPEN, S.DECLINED}), S.HIDDEN),
    "restore": (frozenset({S.HIDDEN}), S.OPEN),  # the league upheld the author's appeal
}
# The title rides along in every entry: the project's timeline names the needs accepted with it from
# their entries alone (projects/queries.timeline_of).
NEEDS = StatusTable("need", _l("这条需求"), NEED_TRANSITIONS, fields=("title", "merged_into_id"))

COMMENT_TRANSITIONS = {
    "hide": (frozenset({NeedCommentStatus.SHOWN}), NeedCommentStatus.HIDDEN),
}
COMMENTS = StatusTable("need_comment", _l("这条评论"), COMMENT_TRANSITIONS)

APPEAL_TRANSITIONS = {
    "file": (frozenset({NEW}), NeedAppealStatus.PENDING),
    "uphold": (frozenset({NeedAppealStatus.PENDING}), NeedAppealStatus.UPHELD),
    "dismiss": (frozenset({NeedAppealStatus.PENDING}), NeedAppealStatus.DISMISSED),
}
APPEALS = StatusTable("need_appeal", _l("这项申诉"), APPEAL_TRANSITIONS)


def move_need(need: Need, action: str, actor, **facts) -> None:
    """The only way a need's status changes."""
    NEEDS.move(need, action, actor, **facts)


def move_comment(comment: NeedComment, action: str, actor, **facts) -> None:
    COMMENTS.move(comment, action, actor, **facts)


def move_appeal(appeal: NeedAppeal, action: str, actor, **facts) -> None:
    APPEALS.move(appeal, action, actor, **facts)


# -- whose need ---------------------------------------------------------------------------------------


def categories() -> list[str]:
    """The categories a need may take (the ``need_categories`` setting, one per line)."""
    lines = (line.strip() for line in str(settings.get("need_categories")).splitlines())
    return [line for line in lines if line]


def union_of_kind(kind: OrgKind) -> Organization | None:
    return db.session.scalar(
        select(Organization)
        .where(Organization.kind == kind, Organization.is_active)
        .order_by(Organization.id)
    )


def union_kind_for(student: User) -> OrgKind:
    """本科 → 校学生会, 硕士/博士 → 研究生会."""
    graduate = student.degree_level is not None and student.degree_level.is_graduate
    return OrgKind.GRADUATE_UNION if graduate else OrgKind.SCHOOL_UNION


def _check_student(actor, doing: str) -> None:
    """A clear refusal for those who may not take part: graduates, deactivated accounts, faculty."""
    if getattr(actor, "status", None) == AccountStatus.GRADUATED:
        raise DomainError(_("你的账号已毕业，只能查看记录，不能%(doing)s。", doing=doing))
    if getattr(actor, "status", None) == AccountStatus.DEACTIVATED:
        raise DomainError(_("你的账号已停用，不能%(doing)s。", doing=doing))
    if getattr(actor, "kind", None) != AccountKind.STUDENT:
        raise DomainError(_("只有在校学生可以%(doing)s。", doing=doing))


def _require_union_staff(actor, action: str, need: Need) -> None:
    """Staff of another union are told whose need it is; anyone else is refused (403)."""
    if permissions.has_role(actor, Role.STAFF) and not permissions.can(actor, action, need):
        raise DomainError(_("这条需求属于%(union)s，只有它的工作人员可以处理。", union=need.union.name))
    permissions.require(actor, action, need)


def _text(data: dict, name: str, maximum: int, empty: str, too_long: str) -> str:
    text = (data.get(name) or "").strip()
    if not text:
        raise DomainError(empty, field=name)
    if len(text) > maximum:
        raise DomainError(too_long, field=name)
    return text


def _reason(data: dict) -> str:
    return _text(
        data,
        "reason",
        MAX_REASON,
        _("请写明理由。"),
        _("理由最多 %(n)s 个字。", n=MAX_REASON),
    )


# -- posting, supporting, commenting -------------------------------------------------------------------


def post_need(actor, data: dict) -> Need:
    """发布需求: ``title``, ``description`` (Markdown), ``category``, optional ``college`` (an id) and
    ``photos`` (uploads). It belongs to the union that serves the author and is to be answered within
    the ``need_answer_days`` setting."""
    _check_student(actor, _("发布需求"))
    permissions.require(actor, "need.post")
    title = _text(data, "title", MAX_TITLE, _("请填写需求标题。"), _("标题最多 %(n)s 个字。", n=MAX_TITLE))
    typed = (data.get("description") or "").strip()
    description = _text(
        data,
        "description",
        MAX_DESCRIPTION,
        _("请描述你的需求。"),
        _("需求描述最多 %(n)s 个字，现在有 %(m)s 个字。", n=MAX_DESCRIPTION, m=len(typed)),
    )
    category = (data.get("category") or "").strip()
    if category not in categories():
        raise DomainError(_("请选择类别。"), field="category")
    college_id = data.get("college") or None
    if college_id is not None and db.session.get(College, college_id) is None:
        raise DomainError(_("请选择学院。"), field="college")
    uploads = [u for u in data.get("photos") or () if getattr(u, "filename", "")]
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(_("照片最多 %(n)s 张。", n=MAX_PHOTOS), field="photos")
    union = union_of_kind(union_kind_for(actor))
    if union is None:
        raise DomainError(_("学校还没有设立服务你的学生会（研究生会），暂时不能发布需求。"))
    now = clock.now()
    need = Need(
        union_id=union.id,
        author_id=actor.id,
        title=title,
        description=description,
        category=category,
        college_id=college_id,
        support_count=0,
        created_at=now,
        answer_due_at=now + timedelta(days=settings.get("need_answer_days")),
    )
    need.photos = [NeedPhoto(**store_photo(upload)) for upload in uploads]
    db.session.add(need)
    # No actor: the log never names who wrote a need (docs/needs.md).
    move_need(need, "post", None)
    return need


def support(actor, need: Need) -> None:
    """支持 a need: once per student (the unique key holds it under any race), never one's own, while
    it is open. Counted beside the rows in the same transaction; no audit entry names the supporter."""
    _check_student(actor, _("支持需求"))
    permissions.require(actor, "need.support", need)
    if need.author_id == actor.id:
        raise DomainError(_("这是你自己发布的需求，不能再支持。"))
    try:
        with db.session.begin_nested():
            # The conditional UPDATE locks the need first: a merge or an answer waits, or wins and
            # this support is refused — never carried half.
            counted = db.session.execute(
                update(Need)
                .where(Need.id == need.id, Need.status == S.OPEN)
                .values(support_count=Need.support_count + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if counted != 1:
                raise _not_open(need)
            db.session.add(NeedSupport(need_id=need.id, user_id=actor.id, created_at=clock.now()))
            db.session.flush()
    except IntegrityError:
        raise DomainError(_("你已经支持过这条需求了。")) from None
    db.session.refresh(need, ["support_count", "status"])


def _not_open(need: Need) -> DomainError:
    db.session.refresh(need, ["status"])
    return DomainError(_("这条需求已经「%(state)s」，不能再支持。", state=need.status.label))


def comment(actor, need: Need, data: dict) -> NeedComment:
    """评论 a need (shown, as the need is, without its author to others). Not audited: it names the
    author, and the comment row itself is the record."""
    _check_student(actor, _("发表评论"))
    permissions.require(actor, "need.comment", need)
    if need.status == S.HIDDEN:
        raise DomainError(_("这条需求已被隐藏，不能评论。"))
    body = _text(data, "body", MAX_COMMENT, _("请填写评论内容。"), _("评论最多 %(n)s 个字。", n=MAX_COMMENT))
    # Created shown, with no entry: the only move a comment makes is being hidden.
    note = NeedComment(need_id=need.id, author_id=actor.id, body=body, status=NeedCommentStatus.SHOWN)
    note.created_at = clock.now()
    db.session.add(note)
    db.session.flush()
    return note


# -- answering -----------------------------------------------------------------------------------------


def _answered(actor) -> dict:
    return {"answered_at": clock.now(), "answered_by_id": actor.id}


def _lock(*needs: Need) -> None:
    """SELECT … FOR UPDATE on the needs, in id order (two merges crossing never deadlock), then read
    them afresh (a no-op lock on SQLite)."""
    db.session.execute(
        select(Need.id).where(Need.id.in_([n.id for n in needs])).order_by(Need.id).with_for_update()
    )
    for need in needs:
        db.session.refresh(need)


def answerable_projects(need: Need) -> list:
    """(id, title) of the projects a need may be linked to: its union's, not cancelled or failed, the
    newest fifty first (rows, not objects: the answer form only names them)."""
    return db.session.execute(
        select(Project.id, Project.title)
        .where(
            Project.union_id == need.union_id,
            Project.state.not_in([ProjectState.CANCELLED, ProjectState.FAILED]),
        )
        .order_by(Project.created_at.desc(), Project.id.desc())
        .limit(50)
    ).all()


def accept(actor, need: Need, data: dict) -> None:
    """采纳: the need is served by ``data["project"]`` (an id), a project of the need's union."""
    _require_union_staff(actor, "need.answer", need)
    project = db.session.get(Project, data.get("project") or 0)
    if project is None:
        raise DomainError(_("请选择服务这条需求的项目。"), field="project")
    if project.union_id != need.union_id:
        raise DomainError(_("只能关联%(union)s发布的项目。", union=need.union.name), field="project")
    if project.state in (ProjectState.CANCELLED, ProjectState.FAILED):
        raise DomainError(
            _("这个项目处于「%(state)s」状态，不能用来采纳需求。", state=project.state.label), field="project"
        )
    _lock(need)
    # The column first (an open need may name a project); the move's ``project_id`` files the entry
    # with the project's, where its union's staff read it.
    need.project_id = project.id
    db.session.flush()
    move_need(need, "accept", actor, project_id=project.id, **_answered(actor))
    _tell_of_answer(need)


def post_project(actor, need: Need, data: dict) -> Project:
    """发榜 from a need: the project's draft (the posting form's fields, ``projects.create_draft``), and
    the need accepted with it."""
    _require_union_staff(actor, "need.answer", need)
    if data.get("union_id") != need.union_id:
        raise DomainError(
            _("这条需求属于%(union)s，请以它的名义发榜。", union=need.union.name), field="union_id"
        )
    if need.status != S.OPEN:
        raise DomainError(_("这条需求已经「%(state)s」，不能再据此发榜。", state=need.status.label))
    project = projects.create_draft(actor, data)
    accept(actor, need, {"project": project.id})
    return project


def merge(actor, need: Need, data: dict) -> Need:
    """合并 into ``data["target"]`` (an id): another open need of the same union. Its supporters (and its
    author) become the target's supporters, each counted once — a student who supported both, or the
    target's own author, adds nothing."""
    _require_union_staff(actor, "need.answer", need)
    target = db.session.get(Need, data.get("target") or 0)
    if target is None:
        raise DomainError(_("请填写要合并到的需求编号。"), field="target")
    if target.id == need.id:
        raise DomainError(_("不能把需求合并到它自己。"), field="target")
    _lock(need, target)
    if target.union_id != need.union_id:
        raise DomainError(
            _("只能合并到同一学生会的需求：这条需求属于%(here)s，目标需求属于%(there)s。",
              here=need.union.name, there=target.union.name),
            field="target",
        )  # fmt: skip
    if target.status != S.OPEN:
        raise DomainError(
            _("目标需求已经「%(state)s」，只能合并到待答复的需求。", state=target.status.label),
            field="target",
        )
    move_need(need, "merge", actor, merged_into_id=target.id, **_answered(actor))
    _carry_supports(need, target)
    _tell_of_answer(need)
    return target


def _carry_supports(source: Need, target: Need) -> None:
    """Each supporter of ``source``, and its author, supports ``target`` — unless they already do or
    wrote it — dated when they supported (or posted) it: a carried support is not a new one, and must
    not lift the target in the last seven days' trend. One INSERT … SELECT, then the count recounted
    from the rows."""
    already = aliased(NeedSupport)
    people = (
        select(NeedSupport.user_id.label("user_id"), NeedSupport.created_at.label("created_at"))
        .where(NeedSupport.need_id == source.id)
        .union(
            select(
                literal(source.author_id).label("user_id"),
                literal(source.created_at, UTCDateTime()).label("created_at"),
            )
        )
        .subquery()
    )
    rows = select(literal(target.id), people.c.user_id, people.c.created_at).where(
        people.c.user_id != target.author_id,
        ~exists().where(already.need_id == target.id, already.user_id == people.c.user_id),
    )
    db.session.execute(insert(NeedSupport).from_select(["need_id", "user_id", "created_at"], rows))
    counted = select(func.count()).where(NeedSupport.need_id == target.id).scalar_subquery()
    db.session.execute(
        update(Need)
        .where(Need.id == target.id)
        .values(support_count=counted)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(target, ["support_count"])


def decline(actor, need: Need, data: dict) -> None:
    """不采纳, with a reason every visitor reads."""
    _require_union_staff(actor, "need.answer", need)
    reason = _reason(data)
    _lock(need)
    move_need(need, "decline", actor, reason=reason, decline_reason=reason, **_answered(actor))
    _tell_of_answer(need)


def transfer(actor, need: Need) -> Organization:
    """转交 an open need to the other school-level union (校学生会 ↔ 研究生会), which then answers it."""
    _require_union_staff(actor, "need.transfer", need)
    _lock(need)
    if need.status != S.OPEN:
        raise DomainError(_("需求已经「%(state)s」，不能再转交。", state=need.status.label))
    other_kind = OrgKind.GRADUATE_UNION if need.union.kind == OrgKind.SCHOOL_UNION else OrgKind.SCHOOL_UNION
    other = union_of_kind(other_kind)
    if other is None:
        raise DomainError(_("学校还没有设立%(kind)s，无法转交。", kind=other_kind.label))
    before = need.union_id
    need.union_id, need.union = other.id, other
    # The answer stays due when it was (the student has waited that long), but the reminder is the
    # new union's to receive: one sent to the old union's staff must not stand for it.
    need.reminded_at = None
    audit.record(actor, "need.transfer", need, before={"union_id": before}, after={"union_id": other.id})
    return other


# -- telling the supporters ----------------------------------------------------------------------------


def audience(ids):
    """A SELECT of (id, locale) of the supporters and authors of the needs ``ids`` (a list or a SELECT
    of need ids), each once."""
    supporters = select(NeedSupport.user_id).where(NeedSupport.need_id.in_(ids))
    authors = select(Need.author_id).where(Need.id.in_(ids))
    return select(User.id, User.locale).where(or_(User.id.in_(supporters), User.id.in_(authors)))


def _tell_of_answer(need: Need) -> None:
    """Supporters and the author hear the answer in the notification centre (a need may have thousands
    of supporters: one INSERT per language, no mail)."""
    target = need.merged_into
    notify.send_in_app(
        audience([need.id]),
        "need.answered",
        link=need.url,
        need=need,
        project=need.project,
        target=target,
    )


def tell_of_project(project: Project, kind: str, **context) -> None:
    """The supporters and authors of the needs a project serves hear of its step (``kind``): read in
    the INSERT itself, not loaded (a project may serve hundreds of needs); nobody, no row."""
    served = select(Need.id).where(Need.project_id == project.id, Need.status == S.ACCEPTED)
    notify.send_in_app(audience(served), kind, link=project.url, project=project, **context)


def send_answer_reminders(now: datetime | None = None) -> int:
    """A day before an open need's answer is due, its union's staff are reminded, once (claimed first,
    so two workers never send it twice)."""
    now = now or clock.now()
    sent = 0
    for need in claim_due(Need, "reminded_at", Need.answer_due_at, REMIND_BEFORE, now, Need.status == S.OPEN):
        for person in union_staff(need.union_id):
            notify.send(
                person, "need.answer_due", link=need.url, need=need, due=local_datetime(need.answer_due_at)
            )
        sent += 1
    return sent


# -- hiding and appeals --------------------------------------------------------------------------------


def hide(actor, need: Need, data: dict) -> None:
    """隐藏 a need that breaks the rules: the reason shows in its place; the author is told and may appeal."""
    _require_union_staff(actor, "need.hide", need)
    reason = _reason(data)
    _lock(need)
    move_need(
        need, "hide", actor, reason=reason, hidden_reason=reason, hidden_at=clock.now(), hidden_by_id=actor.id
    )
    notify.send(need.author, "need.hidden", link=need.url, need=need, reason=reason)


def hide_comment(actor, note: NeedComment, data: dict) -> None:
    need = db.session.get(Need, note.need_id)
    _require_union_staff(actor, "need.hide", need)
    reason = _reason(data)
    move_comment(note, "hide", actor, reason=reason, hidden_reason=reason)


def appeal(actor, need: Need, data: dict) -> NeedAppeal:
    """申诉 the hiding, once, to the league reviewers. Recorded without an actor, like the post."""
    permissions.require(actor, "need.appeal", need)
    if need.status != S.HIDDEN:
        raise DomainError(_("这条需求没有被隐藏，无需申诉。"))
    body = _text(
        data, "body", MAX_REASON, _("请写明申诉理由。"), _("申诉理由最多 %(n)s 个字。", n=MAX_REASON)
    )
    record = NeedAppeal(need_id=need.id, body=body)
    try:
        with db.session.begin_nested():
            db.session.add(record)
            move_appeal(record, "file", None)
            db.session.flush()
    except IntegrityError:
        raise DomainError(_("每条需求只能申诉一次，你已经申诉过了。")) from None
    return record


def rule_appeal(actor, record: NeedAppeal, data: dict) -> None:
    """处理申诉: ``data["decision"]`` "uphold" shows the need again (open, due afresh), "dismiss" keeps it
    hidden; ``data["reason"]`` is told to the author."""
    permissions.require(actor, "need.rule_appeal", record)
    decision = data.get("decision")
    if decision not in ("uphold", "dismiss"):
        raise DomainError(_("请选择处理结果。"), field="decision")
    reason = _reason(data)
    need = record.need
    move_appeal(
        record, decision, actor, reason=reason, ruling=reason, ruled_by_id=actor.id, ruled_at=clock.now()
    )
    if decision == "uphold":
        _lock(need)
        due = clock.now() + timedelta(days=settings.get("need_answer_days"))
        move_need(need, "restore", actor, reason=reason, answer_due_at=due, reminded_at=None)
    notify.send(
        need.author, "need.appeal_ruled", link=need.url, need=need, upheld=decision == "uphold", reason=reason
    )
