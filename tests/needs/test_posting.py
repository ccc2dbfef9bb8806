"""Posting a need: to the union that serves the author, Markdown sanitised, clear refusals of what is
empty, too long or posted by an account that may not, nothing half-saved; rate-limited per student."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from marketplace import storage
from marketplace.errors import DomainError
from marketplace.extensions import db, limiter
from marketplace.needs import operations
from marketplace.needs.models import Need, NeedPhoto, NeedStatus
from tests.bids.helpers import signed_in
from tests.needs.helpers import NeedWorld, need_form


def needs_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Need))


def test_an_undergraduates_need_goes_to_the_school_union_and_waits_for_an_answer(app, clock):
    world = NeedWorld()
    client = signed_in(app, world.author)

    response = client.post("/needs/new", data=need_form(college=str(world.college_a.id)))

    assert response.status_code == 302
    need = db.session.scalars(select(Need)).one()
    assert response.headers["Location"].endswith(f"/needs/{need.id}")
    assert (need.union_id, need.status, need.college_id) == (
        world.school_union.id,
        NeedStatus.OPEN,
        world.college_a.id,
    )
    assert need.answer_due_at == need.created_at + timedelta(days=7)


def test_a_masters_students_need_goes_to_the_graduate_union(app, clock):
    world = NeedWorld()
    need = world.post(world.master)
    assert need.union_id == world.graduate_union.id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "请填写需求标题。"),
        ("description", "", "请描述你的需求。"),
        ("description", "长" * 20000, "需求描述最多 5000 个字，现在有 20000 个字。"),
        ("title", "题" * 101, "标题最多 100 个字。"),
        ("category", "不存在的类别", "请选择类别。"),
    ],
)
def test_an_empty_or_overlong_need_is_refused_beside_its_field_and_nothing_is_saved(
    app, clock, field, value, message
):
    world = NeedWorld()
    client = signed_in(app, world.author)

    response = client.post("/needs/new", data=need_form(**{field: value}))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "图书馆自习座位太少" in page or field == "title"  # what was typed stays
    assert needs_count() == 0


def test_html_and_script_in_the_markdown_are_not_rendered(app, clock):
    world = NeedWorld()
    need = world.post(
        description='<script>alert("x")</script><img src=x onerror=alert(1)> '
        "**加粗** [链接](javascript:alert(1))"
    )

    page = signed_in(app, world.students[0]).get(need.url).get_data(as_text=True)

    assert "<script>alert" not in page
    assert "onerror" not in page
    assert "javascript:alert" not in page
    assert "<strong>加粗</strong>" in page


def test_a_graduate_is_told_on_the_form_that_their_account_is_read_only(app, clock):
    world = NeedWorld()
    client = signed_in(app, world.graduated)

    shown = client.get("/needs/new")
    posted = client.post("/needs/new", data=need_form())  # graduates' accounts write nothing (security.py)

    assert shown.status_code == 403
    assert "你的账号已毕业，只能查看记录，不能发布需求。" in shown.get_data(as_text=True)
    assert 'name="title"' not in shown.get_data(as_text=True)
    assert posted.status_code == 403
    with pytest.raises(DomainError, match="你的账号已毕业，只能查看记录，不能发布需求。"):
        operations.post_need(world.graduated, need_form())
    assert needs_count() == 0


@pytest.mark.parametrize(
    ("who", "message"),
    [("deactivated", "你的账号已停用，不能发布需求。"), ("teacher", "只有在校学生可以发布需求。")],
)
def test_a_deactivated_account_or_a_teacher_may_not_post(app, clock, who, message):
    world = NeedWorld()
    with pytest.raises(DomainError, match=message):
        operations.post_need(getattr(world, who), need_form())


def test_a_deactivated_account_cannot_even_sign_in_to_post(app, clock):
    world = NeedWorld()
    client = app.test_client()
    response = client.post(
        "/login", data={"identifier": world.deactivated.identifier, "password": "test-pass-123"}
    )
    assert response.status_code != 302
    assert client.post("/needs/new", data=need_form()).status_code == 302  # to the login page
    assert needs_count() == 0


def test_posting_is_limited_per_student_and_refusals_do_not_count(app, clock, monkeypatch):
    monkeypatch.setitem(app.config, "NEED_POST_LIMIT", "2 per hour")
    limiter.reset()
    world = NeedWorld()
    client = signed_in(app, world.author)

    codes = [client.post("/needs/new", data=need_form(title="")).status_code]
    codes += [client.post("/needs/new", data=need_form(title=f"需求{i}")).status_code for i in range(3)]
    other = signed_in(app, world.students[0]).post("/needs/new", data=need_form()).status_code

    assert codes == [422, 302, 302, 429]
    assert other == 302
    assert needs_count() == 3


def test_a_photo_is_resized_and_stored_without_its_exif(app, clock):
    world = NeedWorld()
    image = Image.new("RGB", (3000, 2000), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif)
    client = signed_in(app, world.author)

    response = client.post(
        "/needs/new",
        data={**need_form(), "photos": (io.BytesIO(raw.getvalue()), "IMG_0001.jpg")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    photo = db.session.scalars(select(NeedPhoto)).one()
    assert max(photo.width, photo.height) == 1600
    stored = Image.open(storage.open_stream(f"photos/{photo.stored_name}"))
    assert not stored.getexif()
    assert signed_in(app, None).get(photo.url).status_code == 200


def test_a_nul_character_is_refused_beside_its_field_keeping_the_text(app, clock):
    world = NeedWorld()
    need = world.post()
    client = signed_in(app, world.students[0])

    posted = client.post("/needs/new", data=need_form(title="自习座位\x00太少"))
    commented = client.post(f"/needs/{need.id}/comments", data={"body": "同感\x00"})

    for response in (posted, commented):
        assert response.status_code == 422
        assert "内容含有无法保存的控制字符，请删除后再提交。" in response.get_data(as_text=True)
    assert "自习座位" in posted.get_data(as_text=True)
    assert needs_count() == 1
