"""The school calendar: terms lie inside their year and never overlap, so a day has one term at most."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from marketplace.audit import AuditEntry
from marketplace.credits.models import CreditExport
from marketplace.extensions import db
from marketplace.school.models import AcademicYear, Term, term_containing
from tests.admin.helpers import error_beside, value_of


def add_term(client, year, name, starts_on, ends_on):
    return client.post(
        f"/admin/calendar/years/{year.id}/terms/new",
        data={"name": name, "starts_on": starts_on, "ends_on": ends_on},
    )


def test_a_term_is_added_inside_its_year_and_audited(as_admin, academic_year):
    assert add_term(as_admin, academic_year, "第二学期", "2026-02-23", "2026-07-05").status_code == 302
    assert term_containing(date(2026, 3, 16)).name == "第二学期"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "term.create"))
    assert entry.after == {
        "year_id": academic_year.id,
        "name": "第二学期",
        "starts_on": "2026-02-23",
        "ends_on": "2026-07-05",
    }


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [("2026-01-10", "2026-03-01"), ("2025-10-01", "2025-12-01"), ("2025-08-01", "2026-08-31")],
    ids=["overlaps the end", "inside another", "covers another"],
)
def test_overlapping_terms_are_refused(as_admin, academic_year, starts_on, ends_on):
    academic_year = db.session.merge(academic_year)
    academic_year.starts_on = date(2025, 8, 1)
    db.session.commit()
    response = add_term(as_admin, academic_year, "小学期", starts_on, ends_on)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(page, "starts_on") == (
        "与2025-2026学年 第一学期（2025-09-01 至 2026-01-18）的日期重叠，学期之间不能重叠。"
    )
    assert value_of(page, "starts_on") == starts_on and value_of(page, "name") == "小学期"
    assert db.session.scalar(select(Term).where(Term.name == "小学期")) is None


def test_a_term_reaching_beyond_its_year_is_refused(as_admin, academic_year):
    response = add_term(as_admin, academic_year, "第二学期", "2026-02-23", "2026-09-10")
    assert response.status_code == 422
    assert (
        error_beside(response.get_data(as_text=True), "ends_on")
        == "学期不能晚于学年的结束日期（2026-08-31）。"
    )


def test_a_term_may_end_the_day_before_the_next_begins(as_admin, academic_year):
    assert add_term(as_admin, academic_year, "寒假", "2026-01-19", "2026-02-22").status_code == 302


def test_editing_a_term_does_not_count_it_as_overlapping_itself(as_admin, academic_year):
    term = academic_year.terms[0]
    form = {"name": "秋季学期", "starts_on": "2025-09-01", "ends_on": "2026-01-20"}
    assert as_admin.post(f"/admin/calendar/terms/{term.id}/edit", data=form).status_code == 302
    assert db.session.get(Term, term.id).name == "秋季学期"


def test_a_year_cannot_shrink_away_from_its_terms_nor_overlap_another_year(as_admin, academic_year):
    form = {"name": "2025-2026学年", "starts_on": "2025-10-01", "ends_on": "2026-08-31"}
    response = as_admin.post(f"/admin/calendar/years/{academic_year.id}/edit", data=form)
    assert response.status_code == 422
    assert "第一学期" in error_beside(response.get_data(as_text=True), "starts_on")

    form = {"name": "2026-2027学年", "starts_on": "2026-08-01", "ends_on": "2027-07-31"}
    response = as_admin.post("/admin/calendar/years/new", data=form)
    assert response.status_code == 422
    assert "学年之间不能重叠" in error_beside(response.get_data(as_text=True), "starts_on")

    form["starts_on"] = "2026-09-01"
    assert as_admin.post("/admin/calendar/years/new", data=form).status_code == 302


def test_a_year_with_terms_is_not_deleted_but_an_empty_one_is(as_admin, academic_year):
    year_id, term_id = academic_year.id, academic_year.terms[0].id
    as_admin.post(f"/admin/calendar/years/{year_id}/delete")
    assert db.session.get(AcademicYear, year_id) is not None
    assert "请先删除该学年下的学期。" in as_admin.get("/admin/calendar").get_data(as_text=True)

    as_admin.post(f"/admin/calendar/terms/{term_id}/delete")
    as_admin.post(f"/admin/calendar/years/{year_id}/delete")
    assert db.session.get(AcademicYear, year_id) is None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"term.delete", "academic_year.delete"} <= actions


def test_a_term_that_records_are_filed_under_is_not_deleted(as_admin, academic_year):
    term = academic_year.terms[0]
    db.session.add(CreditExport(term_id=term.id, file_format="csv"))
    db.session.commit()
    as_admin.post(f"/admin/calendar/terms/{term.id}/delete")
    assert db.session.get(Term, term.id) is not None
    assert "已有记录归入2025-2026学年 第一学期，不能删除" in as_admin.get("/admin/calendar").get_data(
        as_text=True
    )
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "term.delete")) is None
