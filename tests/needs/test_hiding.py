"""Hiding what breaks the rules: the staff hide a need or a comment with a reason shown in its place
(audited); the author is told and may appeal once to the league reviewers, who restore it or not."""

from __future__ import annotations

import io
import re

import pytest
from markupsafe import escape
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.needs import operations
from marketplace.needs.models import Need, NeedAppeal, NeedComment, NeedCommentStatus, NeedStatus
from marketplace.notify.models import Notification
from tests.bids.helpers import signed_in
from tests.needs.helpers import NeedWorld


def hidden(world) -> Need:
    need = world.post(title="某某老师是骗子")
    operations.hide(world.staff, need, {"reason": "含有对他人的人身攻击"})
    db.session.commit()
    return need


def test_a_hidden_need_shows_the_reason_in_its_place_to_everyone_else(app, clock):
    world = NeedWorld()
    need = world.post(title="某某老师是骗子")

    response = signed_in(app, world.staff).post(
        f"/needs/{need.id}/hide", data={"hide-reason": "含有对他人的人身攻击"}
    )

    assert response.status_code == 302
    for page in (f"/needs/{need.id}", "/needs"):
        text = signed_in(app, world.students[0]).get(page).get_data(as_text=True)
        assert "含有对他人的人身攻击" in text and "某某老师是骗子" not in text
    assert "某某老师是骗子" in signed_in(app, world.author).get(need.url).get_data(as_text=True)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "need.hide")).one()
    assert (entry.actor_id, entry.reason) == (world.staff.id, "含有对他人的人身攻击")
    assert db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "need.hidden")
    ).all() == [world.author.id]


def test_a_hidden_needs_comments_are_hidden_with_it(app, clock):
    world = NeedWorld()
    need = world.post(title="某某老师是骗子")
    operations.comment(world.students[1], need, {"body": "对，就是某某老师"})
    operations.hide(world.staff, need, {"reason": "含有对他人的人身攻击"})
    db.session.commit()

    for viewer in (None, world.students[0]):
        assert "就是某某老师" not in signed_in(app, viewer).get(need.url).get_data(as_text=True)
    for moderator in (world.staff, world.reviewer):
        assert "就是某某老师" in signed_in(app, moderator).get(need.url).get_data(as_text=True)


def test_hiding_without_a_reason_is_refused(app, clock):
    world = NeedWorld()
    need = world.post()
    response = signed_in(app, world.staff).post(f"/needs/{need.id}/hide", data={"hide-reason": ""})
    assert response.status_code == 422
    assert db.session.get(Need, need.id).status == NeedStatus.OPEN


def test_a_hidden_comment_shows_the_reason_in_its_place(app, clock):
    world = NeedWorld()
    need = world.post()
    note = operations.comment(world.students[0], need, {"body": "广告：代写论文加微信"})
    db.session.commit()

    response = signed_in(app, world.staff).post(
        f"/needs/comments/{note.id}/hide", data={f"c{note.id}-reason": "广告"}
    )

    assert response.status_code == 302
    page = signed_in(app, world.students[1]).get(need.url).get_data(as_text=True)
    assert "该评论已被隐藏：广告" in page and "代写论文" not in page
    assert db.session.get(NeedComment, note.id).status == NeedCommentStatus.HIDDEN


@pytest.mark.parametrize(
    ("typed", "message"),
    [("   ", "请写明理由。"), ("长" * 1001, "最多 1000 个字符。")],
    ids=["blank", "too long"],
)
def test_a_refused_comment_hiding_says_why_beside_that_comments_field_and_keeps_what_was_typed(
    app, clock, typed, message
):
    world = NeedWorld()
    need = world.post()
    first = operations.comment(world.students[0], need, {"body": "图书馆晚上太吵"})
    second = operations.comment(world.students[1], need, {"body": "广告：代写论文加微信"})
    db.session.commit()

    response = signed_in(app, world.staff).post(
        f"/needs/comments/{second.id}/hide", data={f"c{second.id}-reason": typed}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    field = re.search(rf'<input[^>]*id="c{second.id}-reason"[^>]*>', page).group(0)
    assert "is-invalid" in field and f'value="{escape(typed)}"' in field
    assert re.search(rf'id="c{second.id}-reason-error">{message}</div>', page)
    assert "is-invalid" not in re.search(rf'<input[^>]*id="c{first.id}-reason"[^>]*>', page).group(0)
    assert db.session.get(NeedComment, second.id).status == NeedCommentStatus.SHOWN


def test_the_author_appeals_once_and_the_league_restores_the_need(app, clock):
    world = NeedWorld()
    need = hidden(world)
    author = signed_in(app, world.author)

    first = author.post(f"/needs/{need.id}/appeal", data={"body": "我只是描述了真实经历。"})
    second = author.post(f"/needs/{need.id}/appeal", data={"body": "再申诉一次"})

    assert first.status_code == 302
    assert second.status_code == 422
    assert "每条需求只能申诉一次，你已经申诉过了。" in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(NeedAppeal)) == 1

    record = db.session.scalars(select(NeedAppeal)).one()
    league = signed_in(app, world.reviewer)
    assert "我只是描述了真实经历。" in league.get("/needs/appeals").get_data(as_text=True)
    ruled = league.post(
        f"/needs/appeals/{record.id}",
        data={f"a{record.id}-decision": "uphold", f"a{record.id}-reason": "属实"},
    )

    assert ruled.status_code == 302
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert need.status == NeedStatus.OPEN
    assert need.answer_due_at > need.created_at
    assert "某某老师是骗子" in signed_in(app, world.students[0]).get(need.url).get_data(as_text=True)
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "need.appeal_ruled")
    ).all()
    assert told == [world.author.id]


def test_only_the_author_may_appeal_and_only_the_league_may_rule(app, clock):
    world = NeedWorld()
    need = hidden(world)
    assert (
        signed_in(app, world.students[0]).post(f"/needs/{need.id}/appeal", data={"body": "x"}).status_code
        == 403
    )
    operations.appeal(world.author, need, {"body": "请复核"})
    db.session.commit()
    record = db.session.scalars(select(NeedAppeal)).one()
    assert signed_in(app, world.staff).get("/needs/appeals").status_code == 403
    refused = signed_in(app, world.staff).post(
        f"/needs/appeals/{record.id}", data={f"a{record.id}-decision": "uphold", f"a{record.id}-reason": "x"}
    )
    assert refused.status_code == 403


def test_appealing_a_need_that_is_not_hidden_is_refused(app, clock):
    world = NeedWorld()
    need = world.post()
    response = signed_in(app, world.author).post(f"/needs/{need.id}/appeal", data={"body": "为什么"})
    assert response.status_code == 422
    assert "这条需求没有被隐藏，无需申诉。" in response.get_data(as_text=True)


def test_a_hidden_needs_photo_is_served_to_the_author_only(app, clock):
    world = NeedWorld()
    raw = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(raw, format="JPEG")
    need = world.post(photos=[FileStorage(io.BytesIO(raw.getvalue()), "a.jpg")])
    url = need.photos[0].url
    assert signed_in(app, None).get(url).status_code == 200

    operations.hide(world.staff, need, {"reason": "含有他人照片"})
    db.session.commit()

    assert signed_in(app, None).get(url).status_code == 404
    assert signed_in(app, world.students[0]).get(url).status_code == 404
    assert signed_in(app, world.author).get(url).status_code == 200
