"""No-shows through the pages: the student sees the record and appeals it on "my volunteering", the host
answers on the console, and an upheld appeal clears the mark."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.volunteers import reliability, tasks
from marketplace.volunteers.models import AppealStatus, NoShowAppeal, Signup, SignupStatus
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import error_of, signed_in


@pytest.fixture
def absent(app, clock):
    world = HostingWorld()
    shift = world.shift(world.position(title="图书馆值班"), capacity=1)
    student = world.students(1)[0]
    world.sign_up(student, shift)
    clock.set(shift.ends_at)
    tasks.mark_no_shows()
    return world, shift, student


def test_the_student_appeals_a_no_show_and_the_host_upholding_it_clears_the_mark(app, absent):
    world, shift, student = absent
    client = signed_in(app, student)
    mine = client.get("/volunteer/mine").get_data(as_text=True)
    assert "缺勤 1 次" in mine and "图书馆值班" in mine

    refused = client.post(f"/volunteer/shifts/{shift.id}/appeal", data={f"s{shift.id}-reason": ""})
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), f"s{shift.id}-reason") == "此项必填。"
    sent = client.post(
        f"/volunteer/shifts/{shift.id}/appeal", data={f"s{shift.id}-reason": "当天发烧，有校医院证明"}
    )
    assert sent.status_code == 302
    assert "等待承办方处理" in client.get("/volunteer/mine").get_data(as_text=True)

    host = signed_in(app, world.host)
    console = host.get(f"/hosting/projects/{world.project.id}").get_data(as_text=True)
    assert "当天发烧，有校医院证明" in console
    appeal = db.session.scalar(select(NoShowAppeal))
    no_ruling = host.post(f"/hosting/appeals/{appeal.id}", data={f"a{appeal.id}-decision": "uphold"})
    assert no_ruling.status_code == 422
    assert error_of(no_ruling.get_data(as_text=True), f"a{appeal.id}-ruling") == "此项必填。"
    upheld = host.post(
        f"/hosting/appeals/{appeal.id}",
        data={f"a{appeal.id}-decision": "uphold", f"a{appeal.id}-ruling": "证明属实"},
    )
    assert upheld.status_code == 302
    db.session.expire_all()
    assert db.session.get(NoShowAppeal, appeal.id).status == AppealStatus.UPHELD
    assert db.session.scalar(select(Signup.status)) == SignupStatus.EXCUSED
    assert "申诉成立：证明属实" in client.get("/volunteer/mine").get_data(as_text=True)


def test_another_manager_cannot_answer_an_appeal(app, absent):
    world, shift, student = absent
    appeal = reliability.appeal_no_show(student, db.session.scalar(select(Signup)), {"reason": "生病"})
    db.session.commit()
    response = signed_in(app, world.manager_b).post(
        f"/hosting/appeals/{appeal.id}",
        data={f"a{appeal.id}-decision": "uphold", f"a{appeal.id}-ruling": "好"},
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(NoShowAppeal, appeal.id).status == AppealStatus.PENDING
