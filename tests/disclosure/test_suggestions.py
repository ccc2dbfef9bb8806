"""意见建议: a student writes to a union; its staff see it with the author and answer; the author is
told. Published — text and answer, never the author — only when answered and the author asked for it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.disclosure.models import Suggestion, SuggestionStatus
from marketplace.extensions import db
from marketplace.notify.models import Notification
from tests.bids.helpers import signed_in
from tests.disclosure.helpers import DisclosureWorld


@pytest.fixture
def world(app, clock):
    return DisclosureWorld()


def form(world, **overrides) -> dict:
    return {
        "union": world.union.id,
        "title": "食堂夜宵",
        "body": "希望二食堂开夜宵窗口。",
        "wants_public": "y",
    } | overrides


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Suggestion))


def test_a_student_writes_and_sees_their_own_suggestion_which_others_cannot(app, world):
    author = signed_in(app, world.student)
    posted = author.post("/disclosure/suggestions/new", data=form(world))
    assert posted.status_code == 302
    suggestion = db.session.scalar(select(Suggestion))
    assert (suggestion.status, suggestion.wants_public) == (SuggestionStatus.SUBMITTED, True)
    assert "食堂夜宵" in author.get("/disclosure/suggestions/mine").get_data(as_text=True)
    assert author.get(suggestion.url).status_code == 200
    for user in (None, world.other_student, world.college_staff):
        assert signed_in(app, user).get(suggestion.url).status_code == 404
    assert "食堂夜宵" not in signed_in(app, None).get("/disclosure/suggestions").get_data(as_text=True)


def test_the_union_s_staff_see_every_suggestion_with_its_author_and_answer_it(app, world):
    private = world.suggestion(title="不愿公开的意见", wants_public=False)
    staff = signed_in(app, world.staff)
    listing = staff.get(f"/disclosure/unions/{world.union.id}/suggestions").get_data(as_text=True)
    assert "不愿公开的意见" in listing and world.student.name in listing
    assert (
        signed_in(app, world.college_staff)
        .get(f"/disclosure/unions/{world.union.id}/suggestions")
        .status_code
        == 403
    )
    answered = staff.post(f"/disclosure/suggestions/{private.id}/answer", data={"answer": "已转交后勤处"})
    assert answered.status_code == 302
    db.session.refresh(private)
    assert private.status == SuggestionStatus.ANSWERED and private.answered_by_id == world.staff.id
    told = db.session.scalar(select(Notification).where(Notification.user_id == world.student.id))
    assert told.kind == "suggestion.answered" and told.link == private.url
    assert signed_in(app, None).get(private.url).status_code == 404  # answered, but not to be published


def test_an_answered_suggestion_the_author_opted_in_is_public_without_their_name(app, world):
    waiting = world.suggestion(title="还没答复的意见")
    published = world.suggestion(title="答复过的意见", answered=True)
    public = signed_in(app, None)
    assert public.get(waiting.url).status_code == 404
    for page in ("/disclosure/suggestions", published.url, "/disclosure"):
        html = public.get(page).get_data(as_text=True)
        assert "答复过的意见" in html and "考试周开放到 23 点" in html
        assert world.student.name not in html and world.staff.name not in html
        assert "还没答复的意见" not in html
    # Signed in as another student: still no name.
    assert world.student.name not in signed_in(app, world.other_student).get(published.url).get_data(
        as_text=True
    )


def test_the_author_may_withdraw_publication_and_the_suggestion_leaves_the_public_pages(app, world):
    published = world.suggestion(answered=True)
    author = signed_in(app, world.student)
    assert author.post(f"/disclosure/suggestions/{published.id}/publicity", data={}).status_code == 302
    assert signed_in(app, None).get(published.url).status_code == 404
    other = signed_in(app, world.other_student).post(
        f"/disclosure/suggestions/{published.id}/publicity", data={"wants_public": "y"}
    )
    assert other.status_code == 404


def test_only_students_write_suggestions(app, world):
    for user in (world.teacher, world.reviewer):
        assert signed_in(app, user).post("/disclosure/suggestions/new", data=form(world)).status_code == 403
    response = signed_in(app, None).get("/disclosure/suggestions/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"body": ""}, "此项必填"),
        ({"body": "   "}, "请填写意见建议的内容"),
        ({"body": "长" * 20000}, "最多 5000 个字符"),
        ({"title": ""}, "此项必填"),
        ({"union": "0"}, "不是有效的选择"),
    ],
)
def test_a_bad_suggestion_is_refused_in_chinese_keeping_what_was_typed(app, world, overrides, message):
    response = signed_in(app, world.student).post(
        "/disclosure/suggestions/new", data=form(world, **overrides)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if overrides.get("title") != "":
        assert 'value="食堂夜宵"' in html
    assert count() == 0


def test_an_empty_answer_is_refused_and_the_suggestion_stays_unanswered(app, world):
    suggestion = world.suggestion()
    response = signed_in(app, world.staff).post(
        f"/disclosure/suggestions/{suggestion.id}/answer", data={"answer": " "}
    )
    assert response.status_code == 422 and "请填写答复" in response.get_data(as_text=True)
    db.session.refresh(suggestion)
    assert suggestion.status == SuggestionStatus.SUBMITTED


def test_markdown_in_a_suggestion_is_sanitised(app, world):
    suggestion = world.suggestion(body='<script>alert("x")</script>**加粗**', answered=True)
    html = signed_in(app, None).get(suggestion.url).get_data(as_text=True)
    assert "<script>alert" not in html and "<strong>加粗</strong>" in html


def test_a_student_posting_too_often_is_stopped(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "SUGGESTION_LIMIT_PER_STUDENT", "2 per hour")
    author = signed_in(app, world.student)
    codes = [author.post("/disclosure/suggestions/new", data=form(world)).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert count() == 2
    # Another student is not held back by the first one's posts.
    assert (
        signed_in(app, world.other_student).post("/disclosure/suggestions/new", data=form(world)).status_code
        == 302
    )
