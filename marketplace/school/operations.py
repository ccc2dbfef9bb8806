"""The school calendar: creating, editing and removing academic years (学年) and terms (学期).

A credit belongs to the term containing its shift's start, so the calendar must answer that with one
term at most: terms never overlap (across years too), each term lies inside its year, and years do not
overlap either. Dates are inclusive school-calendar days.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit, permissions
from ..errors import DomainError
from ..extensions import db
from .models import AcademicYear, Term

YEAR_FIELDS = ["name", "starts_on", "ends_on"]
TERM_FIELDS = ["year_id", "name", "starts_on", "ends_on"]


def _check_order(starts_on: date, ends_on: date) -> None:
    if ends_on <= starts_on:
        raise DomainError(_("结束日期必须晚于开始日期。"), field="ends_on")


def _overlapping(model, starts_on: date, ends_on: date, except_id: int | None):
    stmt = select(model).where(model.starts_on <= ends_on, model.ends_on >= starts_on)
    if except_id is not None:
        stmt = stmt.where(model.id != except_id)
    return db.session.scalar(stmt.order_by(model.starts_on).limit(1))


def _span(obj) -> dict[str, str]:
    return {"name": obj.name, "start": obj.starts_on.isoformat(), "end": obj.ends_on.isoformat()}


def save_year(actor, year: AcademicYear, data: dict) -> AcademicYear:
    """Create or edit a 学年 (``name``, ``starts_on``, ``ends_on``). Its terms must still fit inside
    the new dates."""
    permissions.require(actor, "calendar.edit")
    name, starts_on, ends_on = data["name"].strip(), data["starts_on"], data["ends_on"]
    _check_order(starts_on, ends_on)
    clash = select(AcademicYear.id).where(func.lower(AcademicYear.name) == name.lower())
    if year.id is not None:
        clash = clash.where(AcademicYear.id != year.id)
    if db.session.scalar(clash) is not None:
        raise DomainError(_("已有同名学年。"), field="name")
    other = _overlapping(AcademicYear, starts_on, ends_on, year.id)
    if other is not None:
        raise DomainError(
            _("与%(name)s（%(start)s 至 %(end)s）的日期重叠，学年之间不能重叠。", **_span(other)),
            field="starts_on",
        )
    for term in year.terms if year.id is not None else ():
        if term.starts_on < starts_on or term.ends_on > ends_on:
            raise DomainError(
                _("%(name)s（%(start)s 至 %(end)s）将不在学年之内，请先调整该学期。", **_span(term)),
                field="starts_on" if term.starts_on < starts_on else "ends_on",
            )
    creating = year.id is None
    before = None if creating else audit.snapshot(year, YEAR_FIELDS)
    year.name, year.starts_on, year.ends_on = name, starts_on, ends_on
    db.session.add(year)
    db.session.flush()
    audit.record(
        actor,
        "academic_year.create" if creating else "academic_year.update",
        year,
        before=before,
        after=audit.snapshot(year, YEAR_FIELDS),
    )
    return year


def save_term(actor, term: Term, year: AcademicYear, data: dict) -> Term:
    """Create or edit a 学期 inside ``year`` (``name``, ``starts_on``, ``ends_on``), overlapping no
    other term."""
    permissions.require(actor, "calendar.edit")
    name, starts_on, ends_on = data["name"].strip(), data["starts_on"], data["ends_on"]
    _check_order(starts_on, ends_on)
    if starts_on < year.starts_on:
        raise DomainError(
            _("学期不能早于学年的开始日期（%(day)s）。", day=year.starts_on.isoformat()), field="starts_on"
        )
    if ends_on > year.ends_on:
        raise DomainError(
            _("学期不能晚于学年的结束日期（%(day)s）。", day=year.ends_on.isoformat()), field="ends_on"
        )
    clash = select(Term.id).where(Term.year_id == year.id, func.lower(Term.name) == name.lower())
    if term.id is not None:
        clash = clash.where(Term.id != term.id)
    if db.session.scalar(clash) is not None:
        raise DomainError(_("本学年已有同名学期。"), field="name")
    other = _overlapping(Term, starts_on, ends_on, term.id)
    if other is not None:
        raise DomainError(
            _(
                "与%(name)s（%(start)s 至 %(end)s）的日期重叠，学期之间不能重叠。",
                **dict(_span(other), name=other.full_name),
            ),
            field="starts_on",
        )
    creating = term.id is None
    before = None if creating else audit.snapshot(term, TERM_FIELDS)
    term.year, term.name, term.starts_on, term.ends_on = year, name, starts_on, ends_on
    db.session.add(term)
    db.session.flush()
    audit.record(
        actor,
        "term.create" if creating else "term.update",
        term,
        before=before,
        after=audit.snapshot(term, TERM_FIELDS),
    )
    return term


def _delete(actor, obj, action: str, fields: list[str], refusal: str) -> None:
    """Remove a calendar row unless other records (credits filed under a term, …) still point at it."""
    subject, before = (obj.__tablename__, obj.id), audit.snapshot(obj, fields)
    try:
        with db.session.begin_nested():
            db.session.delete(obj)
    except IntegrityError:
        raise DomainError(refusal) from None
    audit.record(actor, action, subject, before=before)


def delete_term(actor, term: Term) -> None:
    permissions.require(actor, "calendar.edit")
    _delete(
        actor,
        term,
        "term.delete",
        TERM_FIELDS,
        _("已有记录归入%(name)s，不能删除；如日期有误，请修改该学期。", name=term.full_name),
    )


def delete_year(actor, year: AcademicYear) -> None:
    """Only an empty year goes: removing its terms first is a deliberate step of its own."""
    permissions.require(actor, "calendar.edit")
    if year.terms:
        raise DomainError(_("请先删除该学年下的学期。"))
    _delete(
        actor,
        year,
        "academic_year.delete",
        YEAR_FIELDS,
        _("已有记录归入%(name)s，不能删除。", name=year.name),
    )
