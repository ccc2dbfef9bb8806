"""Phone numbers appear on the roster for the host of an accepted volunteer — and nowhere else: not on
the shift page, the recruitment pages, to another organization's manager, or to the union's staff.
The roster's Excel export has its columns and the phone."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from marketplace.timeutil import local
from marketplace.volunteers.exports import COLUMNS
from tests.downloads import disposition
from tests.spreadsheets import assert_finished
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


@pytest.fixture
def roster(world):
    shift = world.shift(world.position(), capacity=1)
    accepted = world.students(1, phone="13800001111")[0]
    waiting = world.students(1, phone="13900002222")[0]
    world.sign_up(accepted, shift)
    world.sign_up(waiting, shift)
    return shift, accepted, waiting


def test_the_host_sees_the_phone_of_an_accepted_volunteer_on_the_roster_only(app, world, roster):
    shift, accepted, waiting = roster
    page = signed_in(app, world.host).get(f"/hosting/shifts/{shift.id}/roster").get_data(as_text=True)
    assert "13800001111" in page
    assert waiting.name in page and "13900002222" not in page


def test_no_other_page_shows_the_phone_number(app, world, roster):
    shift, accepted, waiting = roster
    public_pages = (f"/volunteer/shifts/{shift.id}", f"/projects/{world.project.id}/volunteer", "/volunteer")
    for viewer in (None, world.host, waiting, accepted, world.manager_b, world.staff):
        client = signed_in(app, viewer)
        for path in public_pages:
            response = client.get(path)
            assert response.status_code == 200
            assert "13800001111" not in response.get_data(as_text=True), (viewer, path)


def test_another_manager_and_the_staff_cannot_open_the_roster_or_its_export(app, world, roster):
    shift, *_ = roster
    for viewer in (world.manager_b, world.staff):
        client = signed_in(app, viewer)
        for path in (f"/hosting/shifts/{shift.id}/roster", f"/hosting/shifts/{shift.id}/roster.xlsx"):
            response = client.get(path)
            assert response.status_code == 403
            assert b"13800001111" not in response.data


def test_the_roster_export_has_its_columns_and_the_accepted_volunteers_phone(app, world, roster):
    shift, accepted, waiting = roster
    response = signed_in(app, world.host).get(f"/hosting/shifts/{shift.id}/roster.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    names = disposition(response)
    assert names.fallback == f"volunteers-shift-{shift.id}-{local(shift.starts_at):%Y%m%d}.xlsx"
    assert names.name == f"志愿者名单-{shift.position.title}-{local(shift.starts_at):%Y%m%d}.xlsx"
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert_finished(sheet, text=("学号", "手机"))
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0]
        == tuple(c.header for c in COLUMNS)
        == ("学号", "姓名", "学院", "手机", "状态", "签到", "签退", "认定时长")
    )
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[accepted.student_no][1:5] == (accepted.name, None, "13800001111", "已录用")
    assert by_number[waiting.student_no][3] is None and by_number[waiting.student_no][4] == "候补中"
