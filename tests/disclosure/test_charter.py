"""A union's 章程: drafted by its staff, public only once the league reviewer approves it; a newer
published version supersedes the older, whose text stays readable in the history."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.disclosure import operations
from marketplace.disclosure.models import CharterVersion, PublicationStatus
from marketplace.extensions import db
from marketplace.notify.models import Notification
from tests.bids.helpers import signed_in
from tests.disclosure.helpers import DisclosureWorld


@pytest.fixture
def world(app, clock):
    return DisclosureWorld()


def count(model=CharterVersion) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("stage", ["draft", "pending", "returned"])
def test_a_charter_version_not_yet_approved_is_a_404_to_the_public_and_other_students(app, world, stage):
    version = world.charter("# 草案\n尚未审核的条文", to=stage)
    for user in (None, world.student, world.college_staff):
        assert signed_in(app, user).get(version.url).status_code == 404
    assert "尚未审核的条文" not in signed_in(app, None).get(f"/disclosure/unions/{world.union.id}").get_data(
        True
    )
    for user in (world.staff, world.reviewer):
        assert signed_in(app, user).get(version.url).status_code == 200


def test_staff_draft_submit_and_the_league_reviewer_approves_then_everyone_reads_it(app, world):
    staff = signed_in(app, world.staff)
    drafted = staff.post(
        f"/disclosure/unions/{world.union.id}/charter/new",
        data={"body": "# 章程\n第一条 宗旨", "note": "首次发布"},
    )
    assert drafted.status_code == 302
    version = db.session.scalar(select(CharterVersion))
    assert version.status == PublicationStatus.DRAFT
    assert staff.post(f"/disclosure/charters/{version.id}/submit").status_code == 302
    reviewer = signed_in(app, world.reviewer)
    queue = reviewer.get("/disclosure/review").get_data(as_text=True)
    assert version.url in queue
    assert reviewer.post(f"/disclosure/charters/{version.id}/approve").status_code == 302
    db.session.refresh(version)
    assert (version.status, version.number) == (PublicationStatus.PUBLISHED, 1)
    page = signed_in(app, None).get(f"/disclosure/unions/{world.union.id}").get_data(as_text=True)
    assert "第一条 宗旨" in page and "第 1 版" in page
    told = db.session.scalar(select(Notification).where(Notification.user_id == world.staff.id))
    assert told.kind == "disclosure.approved"


def test_a_newer_published_version_supersedes_the_older_which_stays_readable_in_the_history(app, world):
    first = world.charter("第一版的条文", to="published", note="首次发布")
    second = world.charter("第二版的条文", to="published", note="增设权益部")
    db.session.refresh(first)
    assert first.status == PublicationStatus.SUPERSEDED and first.superseded_at is not None
    assert (first.number, second.number) == (1, 2)
    public = signed_in(app, None)
    page = public.get(f"/disclosure/unions/{world.union.id}").get_data(as_text=True)
    assert "第二版的条文" in page and "第一版的条文" not in page
    assert first.url in page and "增设权益部" in page
    old = public.get(first.url)
    assert old.status_code == 200 and "第一版的条文" in old.get_data(as_text=True)
    assert "历史版本" in old.get_data(as_text=True)


def test_the_database_holds_one_published_version_per_union(world):
    world.charter(to="published")
    other = world.charter("另一版", to="pending")
    other.status, other.number, other.published_at = PublicationStatus.PUBLISHED, 9, other.submitted_at
    with pytest.raises(Exception, match="uq_charter_version_one_published"):
        db.session.flush()
    db.session.rollback()


def test_a_returned_version_shows_the_reason_to_its_staff_who_edit_and_submit_it_again(app, world):
    version = world.charter(to="returned")
    staff = signed_in(app, world.staff)
    assert "请补充修订依据" in staff.get(version.url).get_data(as_text=True)
    edited = staff.post(
        f"/disclosure/charters/{version.id}/edit", data={"body": "改过的条文", "note": "补充依据"}
    )
    assert edited.status_code == 302
    assert staff.post(f"/disclosure/charters/{version.id}/submit").status_code == 302
    db.session.refresh(version)
    assert (version.status, version.body) == (PublicationStatus.PENDING, "改过的条文")


def test_returning_without_a_reason_is_refused_beside_the_field(app, world):
    version = world.charter(to="pending")
    refused = signed_in(app, world.reviewer).post(
        f"/disclosure/charters/{version.id}/return", data={"reason": " "}
    )
    assert refused.status_code == 422
    assert "请写明退回的理由" in refused.get_data(as_text=True)
    db.session.refresh(version)
    assert version.status == PublicationStatus.PENDING


def test_a_submitted_version_can_no_longer_be_edited(app, world):
    version = world.charter("提交时的条文", to="pending")
    refused = signed_in(app, world.staff).post(
        f"/disclosure/charters/{version.id}/edit", data={"body": "偷改"}
    )
    assert refused.status_code == 422
    assert "待审核" in refused.get_data(as_text=True)
    db.session.refresh(version)
    assert version.body == "提交时的条文"


def test_only_the_union_s_staff_draft_and_only_the_league_reviewer_approves(app, world):
    url = f"/disclosure/unions/{world.union.id}/charter/new"
    for outsider in (world.student, world.college_staff, world.reviewer):
        assert signed_in(app, outsider).post(url, data={"body": "条文"}).status_code == 403
    version = world.charter(to="pending")
    assert signed_in(app, world.staff).post(f"/disclosure/charters/{version.id}/approve").status_code == 403
    assert count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "此项必填"), ("   ", "请填写章程的正文"), ("条" * 20001, "最多 20000 个字符")],
)
def test_a_bad_charter_is_refused_in_chinese_and_nothing_is_saved(app, world, body, message):
    response = signed_in(app, world.staff).post(
        f"/disclosure/unions/{world.union.id}/charter/new", data={"body": body, "note": "说明"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'value="说明"' in html
    assert count() == 0


def test_html_and_script_in_the_charter_are_shown_as_text_never_run(app, world):
    version = world.charter(
        '# 章程\n<script>alert("x")</script>\n<img src=x onerror=alert(1)>\n[链接](javascript:alert(1))',
        to="published",
    )
    html = signed_in(app, None).get(version.url).get_data(as_text=True)
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html


def test_two_drafts_approved_one_after_the_other_number_in_turn(world):
    first, second = world.charter("甲", to="pending"), world.charter("乙", to="pending")
    operations.approve(world.reviewer, second)
    operations.approve(world.reviewer, first)
    db.session.commit()
    assert (second.number, first.number) == (1, 2)
    assert operations.published_charter(world.union.id).id == first.id
