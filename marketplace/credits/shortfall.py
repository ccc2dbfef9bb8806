"""未达标名单: the students of a cohort (year of entry and degree level), perhaps of one college, whose
verified credits since entry are below the cohort's requirement — written in the background
(``exports.run``) for the verifying role and admins, who follow up with them."""

from __future__ import annotations

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import audit, clock, exports, permissions, spreadsheets
from ..accounts.models import AccountKind, AccountStatus, DegreeLevel, User
from ..errors import DomainError
from ..extensions import db
from ..queue import task
from . import requirements
from .models import CreditRequirement, CreditRequirementItem, ShortfallExport

CHUNK = exports.CHUNK
UNIT_WORDS = {"credits": "学分", "hours": "学时"}


def _requirement(grade: int, level: DegreeLevel) -> CreditRequirement | None:
    return db.session.scalar(
        select(CreditRequirement)
        .where(CreditRequirement.grade == grade, CreditRequirement.degree_level == level)
        .options(joinedload(CreditRequirement.items).joinedload(CreditRequirementItem.category))
    )


def request_shortfall(actor, data: dict) -> ShortfallExport:
    """Queue the list of ``data["grade"]``'s ``data["degree_level"]`` students below the requirement,
    of ``data["college_id"]`` only when given."""
    permissions.require(actor, "credit.export_shortfall")
    level = DegreeLevel(data["degree_level"])
    if _requirement(data["grade"], level) is None:
        raise DomainError(_("这个年级和学历层次还没有设定达标要求，请先请管理员设定。"), field="grade")
    job = ShortfallExport(
        grade=data["grade"],
        degree_level=level,
        college_id=data.get("college_id") or None,
        requested_by_id=actor.id,
        created_at=clock.now(),
    )
    db.session.add(job)
    db.session.flush()
    audit.record(
        actor,
        "credit.export_shortfall",
        job,
        after={"grade": job.grade, "degree_level": level.value, "college_id": job.college_id},
    )
    return job


def _cohort(job: ShortfallExport):
    stmt = select(User.id).where(
        User.kind == AccountKind.STUDENT,
        User.status != AccountStatus.DEACTIVATED,
        User.grade == job.grade,
        User.degree_level == job.degree_level,
    )
    return stmt.where(User.college_id == job.college_id) if job.college_id else stmt


def write_shortfall(job: ShortfallExport, out, progress) -> int:
    """Write the students below the requirement, one row each with every line's amount; returns the
    number of students written."""
    requirement = _requirement(job.grade, job.degree_level)
    items = sorted(requirement.items, key=lambda i: (i.category.position, i.category.name))  # as the lines
    cohort = _cohort(job).subquery()
    sums = requirements.sums_of(select(cohort.c.id), requirements.entry_start(job.grade))
    headers = [
        ("学号", "id"),
        ("姓名", "text"),
        ("学院", "text"),
        (f"合计（要求 {requirement.total} {UNIT_WORDS[requirement.total_unit.value]}）", "number"),
    ]
    headers += [
        (f"{i.category.name}（要求 {i.minimum} {UNIT_WORDS[i.unit.value]}）", "number") for i in items
    ]
    headers.append(("未达标项", "long"))
    book = Workbook(write_only=True)
    append = spreadsheets.table(book, "未达标名单", spreadsheets.columns(*headers))
    total = db.session.scalar(select(func.count()).select_from(cohort))
    students = (
        select(User)
        .where(User.id.in_(select(cohort.c.id)))
        .options(joinedload(User.college))
        .order_by(User.student_no, User.id)
        .execution_options(yield_per=CHUNK)
    )
    seen = written = 0
    for student in db.session.scalars(students):
        seen += 1
        lines = requirements.progress_from(requirement, sums.get(student.id, {})).lines
        short = [line.label for line in lines if not line.met]
        if short:
            college = student.college.name if student.college else ""
            append(
                [
                    student.student_no,
                    student.name,
                    college,
                    *[line.achieved for line in lines],
                    "、".join(short),
                ]
            )
            written += 1
        if seen % CHUNK == 0:
            progress(seen, total)
    book.save(out)
    progress(seen, total)
    return written


@task()
def run_shortfall(job_id: int) -> None:
    """Write the list in the background; the page polls its progress."""
    exports.run(ShortfallExport, job_id, write_shortfall)
    db.session.commit()
