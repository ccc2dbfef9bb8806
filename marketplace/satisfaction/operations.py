"""What changes the yearly surveys: the league reviewer prepares a year's surveys of every union (one
action, with the standard dimensions, editable on each survey's setup page until it opens), then opens
them all with a window. Plain functions; nothing here commits.

The audience is fixed when a survey opens (``audience``): invitations are written with one
INSERT … SELECT, so the response rate has its denominator and the answer checks one key, as for a
project. Answering is the survey engine's (``surveys.operations.answer``): a union's survey keeps
counts only (``surveys.tally``).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from .. import audit, clock, permissions
from ..accounts.models import User
from ..errors import DomainError
from ..extensions import db
from ..orgs.models import UNION_KINDS, Organization
from ..orgs.queries import served
from ..school.models import AcademicYear
from ..surveys import operations as surveys
from ..surveys.models import SubjectKind, Survey, SurveyStatus
from ..timeutil import start_of_local_day

STANDARD_DIMENSIONS = (
    _l("服务同学的实效"),
    _l("维护同学权益"),
    _l("活动的质量"),
    _l("作风与工作公开"),
    _l("倾听和回应意见"),
)
# A window shorter than this would not reach the students who look once a week.
MIN_WINDOW = timedelta(days=3)


def audience(union: Organization):
    """The students the union serves (``orgs.queries.served``), as a SELECT of user ids — less those
    without a college or grade on record: the tally counts every answer under both."""
    return select(User.id).where(served(union), User.college_id.is_not(None), User.grade.is_not(None))


def of_year(year: AcademicYear):
    """The statement of the year's union surveys, each with its union."""
    return (
        select(Survey)
        .join(Survey.union)
        .where(Survey.kind == SubjectKind.UNION_YEAR, Survey.academic_year_id == year.id)
        .options(contains_eager(Survey.union))
    )


def union_order(survey: Survey) -> tuple:
    """The school-level unions first, then the college unions by name."""
    return UNION_KINDS.index(survey.union.kind), survey.union.name


def surveys_of_year(year: AcademicYear) -> list[Survey]:
    return sorted(db.session.scalars(of_year(year)).all(), key=union_order)


def prepare_year(actor, year: AcademicYear) -> int:
    """One survey 准备中 for each active union without one for ``year``, with the standard dimensions
    in the school's language. Returns how many were prepared."""
    permissions.require(actor, "satisfaction.run")
    have = select(Survey.union_id).where(
        Survey.kind == SubjectKind.UNION_YEAR, Survey.academic_year_id == year.id
    )
    unions = db.session.scalars(
        select(Organization)
        .where(Organization.kind.in_(UNION_KINDS), Organization.is_active, Organization.id.not_in(have))
        .order_by(Organization.id)
    ).all()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        labels = [str(label) for label in STANDARD_DIMENSIONS]
    for union in unions:
        surveys.prepare(
            Survey(kind=SubjectKind.UNION_YEAR, union_id=union.id, academic_year_id=year.id), labels
        )
    if unions:
        audit.record(actor, "satisfaction.prepare", year, after={"unions": [u.id for u in unions]})
    return len(unions)


def open_year(actor, year: AcademicYear, data: dict) -> int:
    """填写中: every survey of ``year`` still 准备中 opens until the end of ``data["closes_on"]`` (a
    date, school time), each to its union's students. Returns how many students were invited."""
    permissions.require(actor, "satisfaction.run")
    closes_at = start_of_local_day(data["closes_on"] + timedelta(days=1)) - timedelta(seconds=1)
    if closes_at - clock.now() < MIN_WINDOW:
        raise DomainError(_("截止日期至少要在 3 天之后，给同学留出填写的时间。"), field="closes_on")
    waiting = [s for s in surveys_of_year(year) if s.status == SurveyStatus.PREPARED]
    if not waiting:
        raise DomainError(_("%(year)s没有待开放的问卷，请先准备问卷。", year=year.name))
    invited = 0
    for survey in waiting:
        invited += surveys.open_to_many(
            survey,
            closes_at=closes_at,
            audience=audience(survey.union),
            actor=actor,
            kind="survey.yearly_invited",
        )
    return invited
