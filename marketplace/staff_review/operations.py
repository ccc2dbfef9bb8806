"""述职评议: what changes a review — opening it for a union and a term, a staff member's report and its
attachments, a rating, the league's result per staff member with its 提醒谈话, and publishing the
results. Plain functions; nothing here commits.

A rating goes through the survey engine (``surveys.operations.store_answer``): the "has answered" row
and an answer with its stars and the rater's group, and nothing else — no audit entry, no log line.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select
from sqlalchemy.exc import IntegrityError

from .. import audit, clock, permissions
from ..accounts.models import AccountStatus, User
from ..bids import files
from ..errors import DomainError
from ..extensions import db
from ..formatting import local_datetime
from ..notify import operations as notify
from ..orgs.models import UNION_KINDS, MemberRole, Membership, Organization
from ..school.models import Term
from ..statuses import NEW, StatusTable
from ..surveys import operations as surveys
from ..surveys.models import SubjectKind, Survey, SurveyRespondent
from ..urls import path_for
from . import eligibility, queries
from .models import (
    ReminderTalk,
    ReportAttachment,
    ResultsExport,
    ReviewStatus,
    StaffGrade,
    StaffReview,
    StaffReviewee,
    TalkStatus,
)

MAX_REPORT = 20000
MAX_ATTACHMENTS = 10
DIMENSIONS = (_l("履职尽责"), _l("服务同学"), _l("工作作风"), _l("团结协作"))

REVIEW_TRANSITIONS = {
    "open": (frozenset({NEW}), ReviewStatus.OPEN),
    "publish": (frozenset({ReviewStatus.OPEN}), ReviewStatus.PUBLISHED),
}
REVIEWS = StatusTable("staff_review", _l("这次述职评议"), REVIEW_TRANSITIONS, fields=("closes_at",))

TALK_TRANSITIONS = {
    "plan": (frozenset({NEW}), TalkStatus.PLANNED),
    "hold": (frozenset({TalkStatus.PLANNED}), TalkStatus.HELD),
}
TALKS = StatusTable("staff_reminder_talk", _l("这次提醒谈话"), TALK_TRANSITIONS, fields=("due_on", "held_on"))


def move_review(review: StaffReview, action: str, actor, **facts) -> None:
    REVIEWS.move(review, action, actor, **facts)


def move_talk(talk: ReminderTalk, action: str, actor, **facts) -> None:
    TALKS.move(talk, action, actor, **facts)


# -- opening ----------------------------------------------------------------------------------------------


def _staff_on(union_org: Organization, day: date) -> list[Membership]:
    """The union's active members on ``day`` with active accounts, one membership each (the senior
    post first: managers, then by when they took it)."""
    memberships = db.session.scalars(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.org_id == union_org.id,
            Membership.active_on(day),
            User.status == AccountStatus.ACTIVE,
        )
        .order_by(Membership.role != MemberRole.MANAGER, Membership.starts_on, Membership.id)
    ).all()
    seen, staff = set(), []
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            staff.append(membership)
    return staff


def open_review(actor, data: dict) -> StaffReview:
    """发起述职评议 of ``data["union"]`` (an organization id) for ``data["term"]`` (a term id), rated
    until ``data["closes_at"]``: the staff under review are the union's active members today; each
    gets a survey of their term, open now, and is asked for their report; everyone who may rate is
    told once (in the background: a school's students are many)."""
    permissions.require(actor, "staff_review.open")
    union_org = db.session.get(Organization, data.get("union") or 0)
    if union_org is None or union_org.kind not in UNION_KINDS or not union_org.is_active:
        raise DomainError(_("请选择一个学生会或研究生会。"), field="union")
    term = db.session.get(Term, data.get("term") or 0)
    if term is None:
        raise DomainError(_("请选择学期。"), field="term")
    now = clock.now()
    closes_at = data.get("closes_at")
    if closes_at is None or closes_at <= now:
        raise DomainError(_("截止时间须晚于现在。"), field="closes_at")
    staff = _staff_on(union_org, clock.today_local())
    if not staff:
        raise DomainError(_("这个组织目前没有在任的工作人员，无法发起述职评议。"), field="union")
    review = StaffReview(union_id=union_org.id, term_id=term.id, opens_at=now, closes_at=closes_at)
    review.union, review.term = union_org, term
    review.opened_by_id = actor.id
    review.audience_size = 0
    try:
        with db.session.begin_nested():
            move_review(review, "open", actor)
            db.session.add(review)
            db.session.flush()
    except IntegrityError:  # this union's review of this term exists, or another request made it
        raise DomainError(_("这个组织本学期的述职评议已经发起过了。"), field="term") from None
    review.reviewees = [
        StaffReviewee(user_id=m.user_id, position=i, title=m.title or m.role.label)
        for i, m in enumerate(staff)
    ]
    db.session.flush()
    review.audience_size = eligibility.audience_size(review)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        labels = [str(label) for label in DIMENSIONS]
    k = surveys.min_responses_now()
    for reviewee in review.reviewees:
        survey = surveys.prepare(
            Survey(kind=SubjectKind.STAFF_TERM, staff_review_id=review.id, staff_user_id=reviewee.user_id),
            labels,
        )
        surveys.move_survey(survey, "open", None, opens_at=now, closes_at=closes_at, min_responses=k)
    for membership in staff:
        notify.send(
            membership.user,
            "staff_review.report_requested",
            link=report_url(review),
            review=review,
            title=title(review),
        )
    db.session.flush()
    return review


def title(review: StaffReview) -> str:
    """How pages and messages name a review: 校学生会 2025-2026学年 第一学期 述职评议."""
    return _("%(union)s %(term)s 述职评议", union=review.union.name, term=review.term.full_name)


def report_url(review: StaffReview) -> str:
    return path_for("staff_review.report", review_id=review.id)


def rate_url(review: StaffReview) -> str:
    return path_for("staff_review.rate", review_id=review.id)


def raters(review: StaffReview):
    """A SELECT of the ids of everyone who may rate the review's staff (for telling them once)."""
    return select(User.id).where(
        or_(eligibility.served(review.union), User.id.in_(eligibility.staff_ids(review)))
    )


def raters_still_to_rate(review: StaffReview):
    """A SELECT of the ids of those who may rate and have not rated everyone yet: all the staff, but
    themselves for a member of staff (read from the "has answered" rows of the staff's surveys)."""
    staff = select(StaffReviewee.user_id).where(StaffReviewee.review_id == review.id)
    everyone = db.session.scalar(select(func.count()).select_from(staff.subquery()))
    done = (
        select(SurveyRespondent.user_id)
        .join(Survey, Survey.id == SurveyRespondent.survey_id)
        .where(Survey.staff_review_id == review.id)
        .group_by(SurveyRespondent.user_id)
        .having(func.count() + case((SurveyRespondent.user_id.in_(staff), 1), else_=0) >= everyone)
    )
    return raters(review).where(User.id.not_in(done))


# -- the report -------------------------------------------------------------------------------------------


def _check_report_open(actor, reviewee: StaffReviewee) -> None:
    permissions.require(actor, "staff_review.write_report", reviewee)
    review = reviewee.review
    if review.status_at(clock.now()) != ReviewStatus.OPEN:
        raise DomainError(
            _("评议已于 %(at)s 截止，述职报告不能再修改。", at=local_datetime(review.closes_at))
        )


def save_report(actor, reviewee: StaffReviewee, data: dict) -> None:
    """述职报告 (Markdown), editable by its author until the window closes. The entry records that it
    changed and its length, not its text."""
    _check_report_open(actor, reviewee)
    text = (data.get("report") or "").strip()
    if len(text) > MAX_REPORT:
        raise DomainError(_("述职报告最多 %(n)s 个字。", n=MAX_REPORT), field="report")
    if text == reviewee.report:
        return
    before = {"length": len(reviewee.report)}
    reviewee.report, reviewee.report_updated_at = text, clock.now()
    audit.record(actor, "staff_review.report", reviewee, before=before, after={"length": len(text)})


def add_attachment(actor, reviewee: StaffReviewee, data: dict) -> ReportAttachment:
    """A file beside the report (the bid attachments' types and size limit), until the window closes."""
    _check_report_open(actor, reviewee)
    if len(reviewee.attachments) >= MAX_ATTACHMENTS:
        raise DomainError(_("附件最多 %(n)s 个。", n=MAX_ATTACHMENTS), field="file")
    attachment = ReportAttachment(reviewee_id=reviewee.id, **files.check_and_store(data["file"]))
    db.session.add(attachment)
    db.session.flush()
    audit.record(actor, "staff_review.attach", attachment, after={"filename": attachment.filename})
    db.session.expire(reviewee, ["attachments"])
    return attachment


def remove_attachment(actor, attachment: ReportAttachment) -> None:
    _check_report_open(actor, attachment.reviewee)
    attachment.removed_at = clock.now()
    audit.record(actor, "staff_review.detach", attachment, before={"filename": attachment.filename})


# -- rating -----------------------------------------------------------------------------------------------


def rate(rater, reviewee: StaffReviewee, data: dict) -> None:
    """评价 a staff member: stars per dimension (``data["stars"]``) and an optional comment, within the
    window, by one who may rate (see ``eligibility``), never oneself, once — the survey engine's "has
    answered" key holds that under any race."""
    permissions.require(rater, "account.write")
    survey = queries.survey_of(reviewee)
    surveys.check_window(survey)
    if rater.id == reviewee.user_id:
        raise DomainError(_("不能评价自己。"))
    group = eligibility.rater_group(rater, reviewee.review)
    if group is None:
        raise DomainError(
            _("你不在这次述职评议的评价范围内：评价人是这个学生会服务的同学和它的其他工作人员。")
        )
    surveys.store_answer(rater, survey, data, rater_group=group)


# -- results ----------------------------------------------------------------------------------------------


def _check_grading(actor, review: StaffReview) -> None:
    permissions.require(actor, "staff_review.manage", review)
    status = review.status_at(clock.now())
    if status == ReviewStatus.OPEN:
        raise DomainError(_("评议截止后才能评定结果。"))
    if status == ReviewStatus.PUBLISHED:
        raise DomainError(_("结果已经公布，不能再修改。"))


def record_result(actor, reviewee: StaffReviewee, data: dict) -> None:
    """评定 a staff member after the window: ``data["grade"]`` (a ``StaffGrade``), ``data["notes"]``
    (for the league and the person only) and, for 不合格, ``data["talk_due_on"]``, the date of the
    提醒谈话. Changeable until the results are published. The entry records the grade, not the notes."""
    review = reviewee.review
    _check_grading(actor, review)
    # Two reviewers (or two tabs) grading the same person queue here, and the second reads the talk
    # the first planned: never a second talk for the one the database allows.
    db.session.execute(select(StaffReviewee.id).where(StaffReviewee.id == reviewee.id).with_for_update())
    db.session.refresh(reviewee)
    db.session.expire(reviewee, ["talk"])
    grade = data.get("grade")
    if not isinstance(grade, StaffGrade):
        raise DomainError(_("请选择评议结果。"), field="grade")
    notes = (data.get("notes") or "").strip()
    if len(notes) > 2000:
        raise DomainError(_("备注最多 %(n)s 个字。", n=2000), field="notes")
    due_on = data.get("talk_due_on")
    if grade == StaffGrade.INCOMPETENT and due_on is None:
        raise DomainError(_("评为不合格时，请安排提醒谈话的日期。"), field="talk_due_on")
    before = {"grade": reviewee.grade}
    reviewee.grade, reviewee.notes, reviewee.graded_at = grade, notes, clock.now()
    talk = reviewee.talk
    if grade == StaffGrade.INCOMPETENT:
        if talk is None:
            talk = ReminderTalk(reviewee=reviewee, due_on=due_on)
            db.session.add(talk)
            move_talk(talk, "plan", actor)
        else:
            talk.due_on = due_on
    elif talk is not None:  # no longer 不合格: no talk follows
        db.session.delete(talk)
    db.session.flush()
    audit.record(actor, "staff_review.grade", reviewee, before=before, after={"grade": grade})


def publish(actor, review: StaffReview) -> None:
    """公布结果: once every staff member has a result; each is told theirs is ready."""
    _check_grading(actor, review)
    if missing := [r for r in review.reviewees if r.grade is None]:
        raise DomainError(_("还有 %(n)s 人没有评定结果。", n=len(missing)))
    move_review(review, "publish", actor, published_at=clock.now())
    link = path_for("staff_review.mine", review_id=review.id)
    for reviewee in review.reviewees:
        notify.send(reviewee.user, "staff_review.result_ready", link=link, review=review, title=title(review))


def request_export(actor, review: StaffReview) -> ResultsExport:
    """Queue the league's workbook of the results (``tasks.run_export`` writes it), once the window
    has closed: before, there are no results to write."""
    permissions.require(actor, "staff_review.manage", review)
    if review.status_at(clock.now()) == ReviewStatus.OPEN:
        raise DomainError(_("评议截止后才能导出结果。"))
    job = ResultsExport(review_id=review.id, requested_by_id=actor.id, created_at=clock.now())
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "staff_review.export", job, after={"review": review.id})
    return job


def record_talk(actor, talk: ReminderTalk, data: dict) -> None:
    """提醒谈话已进行: on ``data["held_on"]`` (not in the future), once the results are published."""
    review = talk.reviewee.review
    permissions.require(actor, "staff_review.manage", review)
    if review.status != ReviewStatus.PUBLISHED:
        raise DomainError(_("结果公布后才能记录提醒谈话。"))
    held_on = data.get("held_on")
    if held_on is None:
        raise DomainError(_("请填写谈话日期。"), field="held_on")
    if held_on > clock.today_local():
        raise DomainError(_("谈话日期不能晚于今天。"), field="held_on")
    move_talk(talk, "hold", actor, held_on=held_on)
