"""结项报告: the host submits outcomes, participants, spending and photos; the project moves to
evaluating. Nobody else may."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.hosting.models import CompletionReport
from marketplace.projects.models import ProjectState
from tests.bids.helpers import signed_in
from tests.volunteers.helpers import HostingWorld


@pytest.fixture
def hosting(app):
    return HostingWorld()


def photo() -> tuple[io.BytesIO, str]:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(data, format="JPEG")
    data.seek(0)
    return data, "合影.jpg"


def report(**overrides) -> dict:
    return {
        "outcomes": "举办 12 次答疑，服务新生 240 人次，期末高数挂科率下降。",
        "participants": "240",
        "spending_summary": "共支出 3800 元，主要用于资料印刷和场地布置，未超出中标预算。",
        **overrides,
    }


def url(world) -> str:
    return f"/hosting/projects/{world.project.id}/complete"


def test_the_host_submits_the_report_and_the_project_moves_to_evaluating(app, hosting):
    host = signed_in(app, hosting.host)
    assert "结项报告" in host.get(url(hosting)).get_data(as_text=True)

    response = host.post(url(hosting), data=report(photos=[photo()]), content_type="multipart/form-data")

    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/projects/{hosting.project.id}"
    )
    db.session.refresh(hosting.project)
    assert hosting.project.state == ProjectState.EVALUATING
    saved = db.session.scalar(select(CompletionReport))
    assert saved.participants == 240 and "3800 元" in saved.spending_summary
    assert len(saved.update.photos) == 1 and saved.update.percent == 100


def test_missing_outcomes_are_refused_beside_the_field_keeping_what_was_typed(app, hosting):
    response = signed_in(app, hosting.host).post(url(hosting), data=report(outcomes=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "此项必填" in page and "资料印刷和场地布置" in page
    db.session.refresh(hosting.project)
    assert hosting.project.state == ProjectState.HOSTING


def test_a_photo_that_is_not_an_image_is_refused(app, hosting):
    data = report(photos=[(io.BytesIO(b"not an image"), "a.jpg")])
    response = signed_in(app, hosting.host).post(url(hosting), data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "不是可识别的图片" in response.get_data(as_text=True)
    assert db.session.scalar(select(CompletionReport)) is None


def test_nobody_but_the_host_may_report(app, hosting):
    for user in (hosting.staff, hosting.manager_b, hosting.reviewer):
        client = signed_in(app, user)
        assert client.get(url(hosting)).status_code == 403
        assert client.post(url(hosting), data=report()).status_code == 403
    db.session.refresh(hosting.project)
    assert hosting.project.state == ProjectState.HOSTING
    assert signed_in(app, hosting.host).get("/hosting/projects/999999/complete").status_code == 404


def test_a_second_report_is_refused_once_the_project_is_evaluating(app, hosting):
    host = signed_in(app, hosting.host)
    host.post(url(hosting), data=report())
    assert "项目不在承办阶段" in host.get(url(hosting)).get_data(as_text=True)
    response = host.post(url(hosting), data=report())
    assert response.status_code == 422
    assert db.session.scalar(select(db.func.count()).select_from(CompletionReport)) == 1
