"""The private calendar feed: accepted shifts only, a valid VCALENDAR (escaped, folded, UTC times),
a wrong token is 404, and resetting the link changes the token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from marketplace.extensions import db
from marketplace.volunteers import calendar
from marketplace.volunteers.models import Admission
from tests.downloads import Disposition, disposition
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


def subscribe(app, student) -> tuple[object, str]:
    client = signed_in(app, student)
    assert client.post("/volunteer/calendar/reset").status_code == 302
    db.session.refresh(student)
    return client, f"/calendar/{student.ical_token}.ics"


def unfolded(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_the_feed_holds_only_accepted_shifts_as_a_valid_calendar(app, world):
    accepted = world.shift(world.position(title="讲座签到, 引导; 答疑"), capacity=1)
    full = world.shift(world.position(title="满员岗位"), capacity=1, starts_in=timedelta(days=4))
    approval = world.shift(
        world.position(Admission.APPROVAL, title="待审核岗位"), starts_in=timedelta(days=5)
    )
    student, other = world.students(2)
    world.sign_up(other, full)
    for shift in (accepted, full, approval):
        world.sign_up(student, shift)
    _, url = subscribe(app, student)

    response = signed_in(app, None).get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert disposition(response) == Disposition("inline", "volunteer-shifts.ics", "我的志愿班次.ics")
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfolded(body)
    assert lines.count("BEGIN:VEVENT") == 1 == lines.count("END:VEVENT")
    assert any(line.startswith("SUMMARY:讲座签到\\, 引导\\; 答疑 · ") for line in lines)
    assert "满员岗位" not in body and "待审核岗位" not in body
    assert f"DTSTART:{accepted.starts_at.astimezone(UTC):%Y%m%dT%H%M%S}Z" in lines


def test_a_wrong_token_is_404_and_resetting_the_link_retires_the_old_one(app, world):
    student = world.students(1)[0]
    client, old = subscribe(app, student)
    assert signed_in(app, None).get("/calendar/not-a-token.ics").status_code == 404
    client.post("/volunteer/calendar/reset")
    db.session.refresh(student)
    new = f"/calendar/{student.ical_token}.ics"
    assert new != old
    assert signed_in(app, None).get(old).status_code == 404
    assert signed_in(app, None).get(new).status_code == 200
    assert new in client.get("/volunteer/mine").get_data(as_text=True)


def test_text_is_escaped_and_long_lines_are_folded_between_characters():
    assert calendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "志愿服务" * 30
    folded = calendar.fold(line)
    assert all(len(piece.encode()) <= 75 for piece in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert calendar.utc(datetime(2026, 3, 16, 10, 0, tzinfo=UTC)) == "20260316T100000Z"
