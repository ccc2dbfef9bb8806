"""What a user typed, or an admin named, reaches the page as text: messages that carry it are escaped
(tests/test_lint.py keeps lazy strings, which Jinja does not escape, free of such values)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.credits.models import CreditCategory
from marketplace.extensions import db
from marketplace.volunteers.models import Training
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import signed_in

MARKUP = '"><img src=x onerror=alert(1)>'
ESCAPED = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def world(app):
    return HostingWorld()


def test_a_typed_student_number_in_the_training_attendance_error_is_escaped(app, world):
    host = signed_in(app, world.host)
    host.post(
        f"/hosting/projects/{world.project.id}/trainings",
        data={"title": "急救培训", "held_at": "2026-03-17T19:00", "place": "校医院"},
    )
    training = db.session.scalar(select(Training))

    response = host.post(f"/hosting/trainings/{training.id}", data={"student_nos": MARKUP})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<img" not in page
    # Spaces separate numbers: the four pieces are listed as unknown, each one escaped.
    assert "以下学号没有对应的学生：&#34;&gt;&lt;img、src=x、onerror=alert(1)&gt;" in page


def test_an_admin_set_category_name_in_the_position_form_is_escaped(app, world):
    category = CreditCategory(code="xss", name=MARKUP)
    db.session.add(category)
    world.project.credit_category = category
    db.session.commit()

    page = signed_in(app, world.host).get(f"/hosting/projects/{world.project.id}/positions/new")

    html = page.get_data(as_text=True)
    assert "<img" not in html
    assert f"同项目（{ESCAPED}）" in html
