"""满意度问卷: what changes a survey — preparing it with its dimensions, the dimensions edited before it
opens, opening it to its audience, its window ending early, the answer, hiding an abusive comment —
first for any subject, then for a project as the subject. Plain functions; nothing here commits.

An answer writes the "has answered" row, the answer with its stars and the comment, and nothing else:
no audit entry, no notification, no log line — each would say who answered when (docs/evaluation.md).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, insert, literal, select, union
from sqlalchemy.exc import IntegrityError

from .. import audit, clock, permissions, settings
from ..accounts.models import AccountStatus, User
from ..errors import DomainError
from ..extensions import db
from ..formatting import local_datetime
from ..hosting.participants import participants_of
from ..notify import operations as notify
from ..projects.models import Project
from ..statuses import NEW, StatusTable
from ..volunteers.models import Attendance, Position, Shift, Signup, SignupStatus
from . import tally
from .models import (
    STARS,
    CommentStatus,
    RaterGroup,
    SubjectKind,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyDimension,
    SurveyInvitation,
    SurveyRating,
    SurveyRespondent,
    SurveyStatus,
)
from .results import results_of, survey_of

MAX_DIMENSIONS = 8
MAX_LABEL = 30
MAX_COMMENT = 1000

SURVEY_TRANSITIONS = {
    "prepare": (frozenset({NEW}), SurveyStatus.PREPARED),
    "open": (frozenset({SurveyStatus.PREPARED}), SurveyStatus.OPEN),
    # The window ends early: the project closed before its end, or was cancelled.
    "close": (frozenset({SurveyStatus.OPEN}), SurveyStatus.CLOSED),
}
SURVEYS = StatusTable(
    "survey", _l("这份问卷"), SURVEY_TRANSITIONS, fields=("opens_at", "closes_at", "min_responses")
)

COMMENT_TRANSITIONS = {"hide": (frozenset({CommentStatus.SHOWN}), CommentStatus.HIDDEN)}
COMMENTS = StatusTable("survey_comment", _l("这条意见"), COMMENT_TRANSITIONS)


def move_survey(survey: Survey, action: str, actor, **facts) -> None:
    """The only way a survey's status changes (the system's own steps: actor None). Its entries go
    with its project's, which the union's staff read."""
    SURVEYS.move(survey, action, actor, project_id=survey.project_id, **facts)


def move_comment(comment: SurveyComment, action: str, actor, *, reason: str | None = None) -> None:
    """The only way a comment's status changes; ``reason`` is why (the entry never holds the text)."""
    project_id = db.session.scalar(select(Survey.project_id).where(Survey.id == comment.survey_id))
    COMMENTS.move(comment, action, actor, reason=reason, project_id=project_id)


# -- any subject ------------------------------------------------------------------------------------------


def prepare(survey: Survey, labels: list[str]) -> Survey:
    """A new survey of its subject (``survey`` carries the kind and key), 准备中, with ``labels``."""
    survey.dimensions = [SurveyDimension(position=i, label=label) for i, label in enumerate(labels)]
    db.session.add(survey)
    move_survey(survey, "prepare", None)
    db.session.flush()
    return survey


def _checked_labels(text: str) -> list[str]:
    """The dimensions typed one a line: 1 to ``MAX_DIMENSIONS``, each at most ``MAX_LABEL`` characters,
    none twice."""
    labels = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not labels:
        raise DomainError(_("请至少填写一个评价维度。"), field="dimensions")
    if len(labels) > MAX_DIMENSIONS:
        raise DomainError(_("评价维度最多 %(n)s 个。", n=MAX_DIMENSIONS), field="dimensions")
    if too_long := [label for label in labels if len(label) > MAX_LABEL]:
        raise DomainError(
            _("每个维度最多 %(n)s 个字：%(label)s", n=MAX_LABEL, label=too_long[0]), field="dimensions"
        )
    if len(set(labels)) < len(labels):
        raise DomainError(_("评价维度不能重复。"), field="dimensions")
    return labels


def set_dimensions(actor, survey: Survey, data: dict) -> None:
    """The staff set the dimensions (``data["dimensions"]``, one a line) while the survey is 准备中;
    once it has opened, its answers are about the dimensions it opened with."""
    permissions.require(actor, "survey.setup", survey)
    # Opening it (a conditional UPDATE) waits for this, or this reads it opened.
    db.session.execute(select(Survey.id).where(Survey.id == survey.id).with_for_update())
    db.session.refresh(survey)
    if survey.status != SurveyStatus.PREPARED:
        raise DomainError(_("问卷已经开始，评价维度不能再修改。"), field="dimensions")
    labels = _checked_labels(data["dimensions"])
    before = [d.label for d in survey.dimensions]
    if labels == before:
        return
    survey.dimensions = []
    db.session.flush()  # the old rows go before the new ones take their positions
    survey.dimensions = [SurveyDimension(position=i, label=label) for i, label in enumerate(labels)]
    db.session.flush()
    audit.record(
        actor,
        "survey.dimensions",
        survey,
        before={"dimensions": before},
        after={"dimensions": labels},
        project_id=survey.project_id,
    )


def _start(survey: Survey, closes_at: datetime, actor=None) -> None:
    """准备中 → 填写中 until ``closes_at``, with k from the setting in force."""
    now = clock.now()
    move_survey(
        survey,
        "open",
        actor,
        opens_at=now,
        closes_at=max(closes_at, now),
        min_responses=min_responses_now(),
    )


def open_survey(survey: Survey, *, closes_at: datetime, audience) -> int:
    """准备中 → 填写中 until ``closes_at``, with k from the setting in force: invite the students of
    ``audience`` (a SELECT of user ids) who may still answer (active accounts), and tell each of them.
    Returns how many were invited."""
    _start(survey, closes_at)
    invitees = db.session.scalars(
        select(User).where(User.id.in_(audience), User.status == AccountStatus.ACTIVE).order_by(User.id)
    ).all()
    db.session.add_all(SurveyInvitation(survey_id=survey.id, user_id=user.id) for user in invitees)
    survey.invited = len(invitees)
    for user in invitees:
        notify.send(user, "survey.invited", link=survey.url, survey=survey, subject=subject_title(survey))
    return survey.invited


def min_responses_now() -> int:
    """k for a survey opening now: the setting in force, never below 5."""
    return max(5, settings.get("survey_min_responses"))


def open_to_many(survey: Survey, *, closes_at: datetime, audience, actor, kind: str) -> int:
    """Open a survey whose audience is a whole body of students (thousands): the invitations are one
    INSERT … SELECT of the active accounts of ``audience``, and the notification ``kind`` goes to each
    of them in the app only, rendered once per language (see ``notify.send_in_app``). Returns how
    many were invited."""
    _start(survey, closes_at, actor)
    active = (User.id.in_(audience), User.status == AccountStatus.ACTIVE)
    db.session.execute(
        insert(SurveyInvitation).from_select(
            ["survey_id", "user_id"], select(literal(survey.id), User.id).where(*active)
        )
    )
    recipients = select(User.id, User.locale).where(*active)
    notify.send_in_app(recipients, kind, link=survey.url, survey=survey, subject=subject_title(survey))
    # (An INSERT … SELECT's rowcount is not reported by every driver.)
    survey.invited = db.session.scalar(select(func.count()).where(SurveyInvitation.survey_id == survey.id))
    return survey.invited


def close_early(survey: Survey) -> None:
    """The window ends now (its subject is done with: a project closed before the window's end, or
    cancelled). Nothing happens to a survey not open, or whose window has ended already."""
    now = clock.now()
    if survey.status == SurveyStatus.OPEN:
        move_survey(survey, "close", None, closes_at=min(survey.closes_at, now))


def subject_title(survey: Survey) -> str:
    """What the survey is about, as its pages and messages name it (each kind names its subject)."""
    match survey.kind:
        case SubjectKind.PROJECT:
            return survey.project.title
        case SubjectKind.UNION_YEAR:
            return _("%(union)s %(year)s满意度评价", union=survey.union.name, year=survey.academic_year.name)
    raise ValueError(f"no title for a survey of {survey.kind!r}")


def not_invited_message(survey: Survey) -> str:
    """Why a student not invited may not answer, as the kind of subject has it."""
    if survey.kind == SubjectKind.UNION_YEAR:
        return _("你不在这份问卷的邀请范围内：问卷开放时在读、且属于该学生会服务范围的同学可以填写。")
    return _("你不在这份问卷的邀请范围内：只有参加过这个项目的志愿者和签到的同学可以填写。")


def is_invited(student, survey: Survey) -> bool:
    return db.session.get(SurveyInvitation, (survey.id, student.id)) is not None


def has_answered(student, survey: Survey) -> bool:
    return db.session.get(SurveyRespondent, (survey.id, student.id)) is not None


def _checked_stars(survey: Survey, given: dict) -> dict[int, int]:
    """Stars for every dimension, each a whole number from 1 to 5."""
    stars = {}
    for dimension in survey.dimensions:
        value = given.get(dimension.id)
        if isinstance(value, str):  # as a form sends it
            value = int(value) if value.strip() in {str(n) for n in STARS} else None
        if type(value) is not int or value not in STARS:  # not 3.5, not True
            raise DomainError(
                _("请为“%(label)s”选择 1 到 5 颗星。", label=dimension.label), field=f"d{dimension.id}"
            )
        stars[dimension.id] = value
    return stars


def answer(student, survey: Survey, data: dict) -> None:
    """作答: ``data["stars"]`` maps each dimension's id to 1–5, ``data["comment"]`` is optional. Only
    an invited student, only within the window, only once — the "has answered" row's key holds that
    under any race. Writes nothing that names the student beside that row (see the module)."""
    permissions.require(student, "account.write")
    check_window(survey)
    if not is_invited(student, survey):
        raise DomainError(not_invited_message(survey))
    store_answer(student, survey, data)


def check_window(survey: Survey) -> None:
    """Refuses an answer outside the survey's window."""
    now = clock.now()
    if survey.status == SurveyStatus.PREPARED or now < survey.opens_at:
        raise DomainError(_("问卷还没有开始。"))
    if survey.status_at(now) != SurveyStatus.OPEN:
        raise DomainError(_("问卷已于 %(at)s 截止，不能再提交。", at=local_datetime(survey.closes_at)))


def store_answer(rater, survey: Survey, data: dict, *, rater_group: RaterGroup | None = None) -> None:
    """The answer of ``rater``, who may give it (the caller has checked the window and who may answer):
    once only — the "has answered" row's key refuses a second whatever the race — then the comment
    apart, and the stars: as counts only where the subject keeps a tally (no answer row, no date),
    otherwise as an answer with its stars (and ``rater_group`` where the subject breaks down by it), added
    to the survey's star counts in the same transaction."""
    if has_answered(rater, survey):
        raise DomainError(_("你已经提交过这份问卷，每人只能提交一次。"))
    if survey.kind.keeps_tally and (rater.college_id is None or rater.grade is None):
        # The tally counts by college and grade; the account lost one after the survey opened.
        raise DomainError(_("你的账号缺少学院或年级信息，暂时无法提交。请联系管理员补全后再填写。"))
    stars = _checked_stars(survey, data.get("stars") or {})
    comment = (data.get("comment") or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(_("意见最多 %(n)s 个字。", n=MAX_COMMENT), field="comment")
    try:
        with db.session.begin_nested():
            db.session.add(SurveyRespondent(survey_id=survey.id, user_id=rater.id))
            db.session.flush()
    except IntegrityError:  # the same rater's other request got there first
        raise DomainError(_("你已经提交过这份问卷，每人只能提交一次。")) from None
    if comment:
        db.session.add(SurveyComment(survey_id=survey.id, body=comment))
    if survey.kind.keeps_tally:
        tally.add(survey, rater.college_id, rater.grade, stars)
        db.session.flush()
        return
    answer_row = SurveyAnswer(survey_id=survey.id, answered_on=clock.today_local(), rater_group=rater_group)
    db.session.add(answer_row)
    db.session.flush()
    db.session.add_all(
        SurveyRating(answer_id=answer_row.id, dimension_id=dimension_id, stars=value)
        for dimension_id, value in stars.items()
    )
    db.session.flush()
    tally.count_stars(stars, rater_group)


def hide_comment(actor, comment: SurveyComment, data: dict) -> None:
    """The union's staff hide an abusive comment, saying why (``data["reason"]``). The audit entry
    records the reason, never the comment."""
    survey = db.session.get(Survey, comment.survey_id)
    permissions.require(actor, "survey.hide_comment", survey)
    if results_of(survey) is None:
        raise DomainError(_("结果公布后才能看到和处理意见。"))
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise DomainError(_("请写明隐藏的理由。"), field="reason")
    move_comment(comment, "hide", actor, reason=reason)


def remind(survey: Survey) -> int:
    """Tell the invited who have not answered that the survey closes soon (a whole student body's
    survey in the app only, as it was opened). Returns how many."""
    not_answered = (
        SurveyInvitation.survey_id == survey.id,
        ~exists().where(SurveyRespondent.survey_id == survey.id, SurveyRespondent.user_id == User.id),
    )
    if survey.kind.keeps_tally:
        recipients = select(User.id, User.locale).join(SurveyInvitation, SurveyInvitation.user_id == User.id)
        recipients = recipients.where(*not_answered)
        link, title = survey.url, subject_title(survey)
        notify.send_in_app(recipients, "survey.reminder", link=link, survey=survey, subject=title)
        return db.session.scalar(select(func.count()).select_from(recipients.subquery()))
    waiting = db.session.scalars(
        select(User)
        .join(SurveyInvitation, SurveyInvitation.user_id == User.id)
        .where(*not_answered)
        .order_by(User.id)
    ).all()
    for user in waiting:
        notify.send(user, "survey.reminder", link=survey.url, survey=survey, subject=subject_title(survey))
    return len(waiting)


# -- a project as the subject -----------------------------------------------------------------------------

DEFAULT_PROJECT_DIMENSIONS = (_l("总体满意度"), _l("内容对我有用"), _l("组织有序"), _l("愿意推荐给同学"))


def prepare_for_project(project: Project) -> Survey:
    """The project's survey, prepared with the default dimensions (in the school's language, whoever's
    request the step ran in) if it has none yet."""
    if (survey := survey_of(project)) is not None:
        return survey
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        labels = [str(label) for label in DEFAULT_PROJECT_DIMENSIONS]
    return prepare(Survey(kind=SubjectKind.PROJECT, project_id=project.id), labels)


def project_audience(project: Project):
    """Who took part: volunteers whose attendance on the project's shifts the host confirmed, and the
    students who checked in as participants (a SELECT of user ids)."""
    volunteers = (
        select(Signup.user_id)
        .join(Attendance, Attendance.signup_id == Signup.id)
        .join(Shift, Shift.id == Signup.shift_id)
        .join(Position, Position.id == Shift.position_id)
        .where(
            Position.project_id == project.id,
            Shift.attendance_confirmed_at.is_not(None),
            Signup.status == SignupStatus.ACCEPTED,
        )
    )
    return union(volunteers, participants_of(project))


def open_for_project(project: Project) -> int:
    """The project entered 评价中: its survey opens until the evaluation window ends."""
    survey = prepare_for_project(project)
    return open_survey(survey, closes_at=project.evaluation_ends_at, audience=project_audience(project))
