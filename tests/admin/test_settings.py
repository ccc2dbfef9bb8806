"""Site settings and credit categories: stored, and every change audited."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from sqlalchemy import select

from marketplace import settings
from marketplace.audit import AuditEntry
from marketplace.credits import export
from marketplace.credits.models import CreditCategory
from marketplace.extensions import db
from tests.admin.helpers import error_beside


def test_the_settings_form_shows_every_declared_setting(as_admin):
    page = as_admin.get("/admin/settings").get_data(as_text=True)
    for spec in settings.SETTINGS.values():
        assert str(spec.label) in page
    assert 'type="checkbox"' in page and "<select" in page and "<textarea" in page


def test_the_export_column_help_names_every_field_in_chinese(as_admin):
    page = html.unescape(as_admin.get("/admin/settings").get_data(as_text=True))
    for key in export.FIELDS:
        assert re.search(rf"[\u4e00-\u9fff]+ {key}[、。]", page), key


def as_submitted(values: dict) -> dict:
    """What the browser sends for ``values``: unchecked boxes are left out, numbers are text."""
    return {key: "y" if value is True else str(value) for key, value in values.items() if value is not False}


def test_a_settings_change_is_stored_and_audited(as_admin, admin):
    wanted = dict(settings.all_values(), open_registration=True, credit_verifier_role="staff")
    form = as_submitted(dict(wanted, union_charter="第一条\r\n第二条"))
    assert as_admin.post("/admin/settings", data=form).status_code == 302
    assert settings.all_values() == dict(wanted, union_charter="第一条\n第二条")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "setting.update")).all()
    assert {e.subject_id for e in entries} == {"open_registration", "credit_verifier_role", "union_charter"}
    assert all(e.actor_id == admin.id for e in entries)
    [verifier] = [e for e in entries if e.subject_id == "credit_verifier_role"]
    assert (verifier.before, verifier.after) == (
        {"credit_verifier_role": "league_reviewer"},
        {"credit_verifier_role": "staff"},
    )

    # Saving the same values again changes nothing and logs nothing.
    as_admin.post("/admin/settings", data=form)
    assert db.session.scalar(select(db.func.count()).where(AuditEntry.action == "setting.update")) == 3


def test_a_setting_choice_outside_its_list_is_refused(as_admin):
    form = as_submitted(dict(settings.all_values(), credit_verifier_role="anyone"))
    response = as_admin.post("/admin/settings", data=form)
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "credit_verifier_role")
    assert settings.get("credit_verifier_role") == "league_reviewer"


def test_a_credit_category_is_renamed_and_its_rate_changed(as_admin):
    category = db.session.scalar(select(CreditCategory).where(CreditCategory.code == "volunteer"))
    form = {
        "name": "志愿服务",
        "code": "volunteer",
        "hours_per_credit": "10",
        "position": "2",
        "is_active": "y",
    }
    assert as_admin.post(f"/admin/credit-categories/{category.id}/edit", data=form).status_code == 302
    category = db.session.get(CreditCategory, category.id)
    assert (category.name, category.hours_per_credit, category.position) == ("志愿服务", Decimal("10"), 2)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "credit_category.save"))
    assert entry.before["name"] == "志愿公益" and entry.after["name"] == "志愿服务"


def test_a_credit_category_needs_a_positive_rate_and_a_unique_code(as_admin):
    form = {"name": "劳动教育", "code": "labour", "hours_per_credit": "0", "position": "8"}
    response = as_admin.post("/admin/credit-categories/new", data=form)
    assert response.status_code == 422 and error_beside(response.get_data(as_text=True), "hours_per_credit")

    form.update(hours_per_credit="8", code="volunteer")
    response = as_admin.post("/admin/credit-categories/new", data=form)
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "code") == "已有相同的类别名称或代码。"

    form.update(code="labour")
    assert as_admin.post("/admin/credit-categories/new", data=form).status_code == 302
    assert db.session.scalar(select(CreditCategory).where(CreditCategory.code == "labour")).is_active is False


def test_a_number_setting_below_its_minimum_is_refused(as_admin):
    spec = next(s for s in settings.SETTINGS.values() if s.kind is int and s.minimum is not None)
    form = as_submitted(dict(settings.all_values(), **{spec.key: spec.minimum - 1}))
    response = as_admin.post("/admin/settings", data=form)
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), spec.key) == f"不能小于 {spec.minimum}。"
    assert settings.get(spec.key) == spec.default
