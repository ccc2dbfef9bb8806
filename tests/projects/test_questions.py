"""答疑: eligible bidders ask until a cut-off before the deadline; staff answer publicly, asker hidden."""

from __future__ import annotations

from datetime import timedelta

from marketplace import settings
from marketplace.notify.models import Notification
from marketplace.projects.models import Question
from tests import factories


def test_an_eligible_manager_asks_and_staff_answer_publicly_without_the_askers_name(client, app, world, db):
    project = world.open_project()
    factories.login(client, world.manager_a)

    asked = client.post(f"/projects/{project.id}/questions", data={"body": "预算可以包含场地费吗？"})

    assert asked.status_code == 302
    question = db.session.scalars(db.select(Question)).one()
    assert question.asker_id == world.manager_a.id
    assert "预算可以包含场地费吗？" not in app.test_client().get(f"/projects/{project.id}").get_data(
        as_text=True
    )

    staff = app.test_client()
    factories.login(staff, world.staff)
    assert "预算可以包含场地费吗？" in staff.get(f"/projects/{project.id}").get_data(as_text=True)
    answered = staff.post(
        f"/projects/{project.id}/questions/{question.id}/answer",
        data={f"q{question.id}-answer": "可以，但不超过两成。"},
    )
    assert answered.status_code == 302

    public = app.test_client().get(f"/projects/{project.id}").get_data(as_text=True)
    assert "预算可以包含场地费吗？" in public and "可以，但不超过两成。" in public
    assert world.manager_a.name not in public and world.club_a.name not in public
    told = db.session.scalars(
        db.select(Notification.user_id).where(Notification.kind == "project.question_answered")
    )
    assert list(told) == [world.manager_a.id]


def test_a_student_who_manages_nothing_may_not_ask(client, world, db):
    project = world.open_project()
    factories.login(client, factories.user())

    assert client.post(f"/projects/{project.id}/questions", data={"body": "我能问吗？"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0


def test_questions_close_a_set_time_before_the_deadline(client, world, db, clock):
    project = world.open_project()
    hours = settings.get("question_cutoff_hours")
    clock.set(project.bid_deadline - timedelta(hours=hours))
    factories.login(client, world.manager_a)
    assert "提问已于" in client.get(f"/projects/{project.id}").get_data(as_text=True)

    response = client.post(f"/projects/{project.id}/questions", data={"body": "还来得及问吗？"})

    assert response.status_code == 422
    assert f"提问已截止（截止前 {hours} 小时停止提问）。" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0


def test_an_empty_answer_is_refused_beside_the_field(client, world, db):
    project = world.open_project()
    factories.login(client, world.manager_a)
    client.post(f"/projects/{project.id}/questions", data={"body": "需要开发票吗？"})
    question = db.session.scalars(db.select(Question)).one()
    staff = client.application.test_client()
    factories.login(staff, world.staff)

    response = staff.post(
        f"/projects/{project.id}/questions/{question.id}/answer", data={f"q{question.id}-answer": ""}
    )

    assert response.status_code == 422
    assert "此项必填。" in response.get_data(as_text=True)


def test_only_the_posting_unions_staff_answer(client, world, db):
    project = world.open_project()
    factories.login(client, world.manager_a)
    client.post(f"/projects/{project.id}/questions", data={"body": "可以跨学院组队吗？"})
    question = db.session.scalars(db.select(Question)).one()

    response = client.post(
        f"/projects/{project.id}/questions/{question.id}/answer", data={f"q{question.id}-answer": "可以"}
    )

    assert response.status_code == 403
