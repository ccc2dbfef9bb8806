"""After the window: the league grades each staff member (不合格 with a 提醒谈话), publishes, and each
person then sees their own ratings and result — nothing before; the breakdown by rater group only when
every group has k ratings."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.staff_review import operations, queries
from marketplace.staff_review.models import ReviewStatus, StaffGrade, TalkStatus
from marketplace.surveys.models import RaterGroup
from tests.bids.helpers import signed_in
from tests.staff_review.helpers import StaffWorld


@pytest.fixture
def world(app, clock):
    return StaffWorld(staff=7)


def grade_all(world, review, grade=StaffGrade.COMPETENT):
    for reviewee in review.reviewees:
        data = {"grade": grade, "notes": f"{reviewee.user.name}的评语", "talk_due_on": date(2026, 3, 20)}
        operations.record_result(world.reviewer, reviewee, data)
    db.session.commit()


def rate_by(world, review, target, students: int, staff: int) -> None:
    for rater in world.students(students):
        world.rate(review, rater, target, 4)
    for rater in [s for s in world.staff if s.id != target.id][:staff]:
        world.rate(review, rater, target, 2)


def test_a_staff_member_sees_nothing_before_the_close(app, world):
    review = world.open()
    target = world.staff[1]
    rate_by(world, review, target, students=6, staff=5)
    client = signed_in(app, target)
    assert client.get(f"/staff-reviews/{review.id}/mine").status_code == 200
    page = client.get(f"/staff-reviews/{review.id}/mine").get_data(as_text=True)
    assert 'data-testid="survey-results"' not in page and 'data-testid="grade"' not in page

    world.close(review)
    grade_all(world, review)
    page = client.get(f"/staff-reviews/{review.id}/mine").get_data(as_text=True)
    # The window has closed: the ratings (from k) show; the result waits for the publication.
    assert 'data-testid="survey-results"' in page
    assert 'data-testid="grade-pending"' in page and "的评语" not in page

    operations.publish(world.reviewer, review)
    db.session.commit()
    page = client.get(f"/staff-reviews/{review.id}/mine").get_data(as_text=True)
    assert 'data-testid="grade"' in page and f"{target.name}的评语" in page


def test_a_staff_members_ratings_show_only_from_k(app, world):
    review = world.open()
    target = world.reviewee(review, world.staff[1])
    rate_by(world, review, world.staff[1], students=4, staff=0)
    world.close(review)
    shown = queries.figures(target, 4)
    assert shown.result is None and shown.k == 5
    assert 'data-testid="ratings-too-few"' in signed_in(app, world.staff[1]).get(
        f"/staff-reviews/{review.id}/mine"
    ).get_data(as_text=True)


def test_no_breakdown_by_rater_group_unless_each_group_has_k_ratings(world):
    review = world.open()
    rate_by(world, review, world.staff[1], students=9, staff=4)
    rate_by(world, review, world.staff[2], students=5, staff=5)
    world.close(review)
    fewer = queries.figures(world.reviewee(review, world.staff[1]), 13)
    assert fewer.result is not None and fewer.groups is None  # four fellow staff: not shown apart
    enough = queries.figures(world.reviewee(review, world.staff[2]), 10)
    assert enough.groups is not None
    assert float(enough.groups[RaterGroup.STUDENT][0].mean) == 4.0
    assert float(enough.groups[RaterGroup.STAFF][0].mean) == 2.0
    assert float(enough.result.dimensions[0].mean) == 3.0


def test_the_response_rate_is_against_everyone_who_could_rate_them(world):
    review = world.open()
    rate_by(world, review, world.staff[1], students=5, staff=0)
    world.close(review)
    shown = queries.figures(world.reviewee(review, world.staff[1]), 5)
    # Everyone in the audience but themselves (the five students were added after the opening count).
    assert shown.audience == review.audience_size - 1


def test_results_are_recorded_only_after_the_window(world):
    review = world.open()
    with pytest.raises(DomainError, match="截止后才能评定"):
        operations.record_result(world.reviewer, review.reviewees[0], {"grade": StaffGrade.EXCELLENT})


def test_incompetent_needs_a_reminder_talk_date_and_plans_the_talk(world):
    review = world.open()
    world.close(review)
    reviewee = review.reviewees[1]
    with pytest.raises(DomainError, match="提醒谈话"):
        operations.record_result(world.reviewer, reviewee, {"grade": StaffGrade.INCOMPETENT, "notes": ""})
    operations.record_result(
        world.reviewer,
        reviewee,
        {"grade": StaffGrade.INCOMPETENT, "notes": "", "talk_due_on": date(2026, 3, 20)},
    )
    db.session.commit()
    assert reviewee.talk.status == TalkStatus.PLANNED and reviewee.talk.due_on == date(2026, 3, 20)
    operations.record_result(world.reviewer, reviewee, {"grade": StaffGrade.BASICALLY_COMPETENT, "notes": ""})
    db.session.commit()
    db.session.expire_all()
    assert reviewee.talk is None  # no longer 不合格: no talk follows


def test_publishing_needs_every_result_and_tells_each_staff_member(world):
    review = world.open()
    world.close(review)
    with pytest.raises(DomainError, match="没有评定结果"):
        operations.publish(world.reviewer, review)
    grade_all(world, review)
    operations.publish(world.reviewer, review)
    db.session.commit()
    assert review.status == ReviewStatus.PUBLISHED
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "staff_review.result_ready")
    ).all()
    assert sorted(told) == sorted(s.id for s in world.staff)
    with pytest.raises(DomainError, match="已经公布"):
        operations.record_result(world.reviewer, review.reviewees[0], {"grade": StaffGrade.EXCELLENT})


def test_the_reminder_talk_is_recorded_when_it_has_happened(app, world, clock):
    review = world.open()
    world.close(review)
    grade_all(world, review, StaffGrade.INCOMPETENT)
    operations.publish(world.reviewer, review)
    db.session.commit()
    reviewee = review.reviewees[0]
    client = signed_in(app, world.reviewer)
    url = f"/staff-reviews/{review.id}/results/{reviewee.id}/talk"
    tomorrow = (clock.today_local() + timedelta(days=1)).isoformat()
    refused = client.post(url, data={"held_on": tomorrow})
    assert refused.status_code == 422 and "不能晚于今天" in refused.get_data(as_text=True)
    assert client.post(url, data={"held_on": clock.today_local().isoformat()}).status_code == 302
    db.session.expire_all()
    assert reviewee.talk.status == TalkStatus.HELD and reviewee.talk.held_on == clock.today_local()


def test_the_league_grades_through_the_form_and_the_refusal_keeps_what_was_typed(app, world):
    review = world.open()
    world.close(review)
    reviewee = review.reviewees[2]
    client = signed_in(app, world.reviewer)
    url = f"/staff-reviews/{review.id}/results/{reviewee.id}"
    assert client.get(url).status_code == 200
    refused = client.post(url, data={"grade": "incompetent", "notes": "多次缺席例会"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "请安排提醒谈话的日期" in page and "多次缺席例会" in page
    assert client.post(url, data={"grade": "excellent", "notes": "表现突出"}).status_code == 302
    db.session.expire_all()
    assert reviewee.grade == StaffGrade.EXCELLENT


def test_a_grade_or_talk_sent_from_a_stale_tab_says_why_and_keeps_the_notes(app, world, clock):
    review = world.open()
    world.close(review)
    grade_all(world, review, StaffGrade.INCOMPETENT)
    operations.publish(world.reviewer, review)
    db.session.commit()
    reviewee = review.reviewees[0]
    client = signed_in(app, world.reviewer)
    url = f"/staff-reviews/{review.id}/results/{reviewee.id}"
    today = clock.today_local().isoformat()
    assert client.post(f"{url}/talk", data={"held_on": today}).status_code == 302

    regraded = client.post(url, data={"grade": "excellent", "notes": "其实表现不错"})
    talked_again = client.post(f"{url}/talk", data={"held_on": today})

    page = regraded.get_data(as_text=True)
    assert regraded.status_code == 422 and "已经公布" in page and "其实表现不错</textarea>" in page
    assert talked_again.status_code == 422 and 'role="alert"' in talked_again.get_data(as_text=True)


def test_another_staff_member_never_sees_someone_elses_result(app, world):
    review = world.open()
    world.close(review)
    grade_all(world, review)
    operations.publish(world.reviewer, review)
    db.session.commit()
    other = review.reviewees[1]
    client = signed_in(app, world.staff[0])
    assert client.get(f"/staff-reviews/{review.id}/results/{other.id}").status_code == 403
    assert client.get(f"/staff-reviews/{review.id}/results").status_code == 403
    assert client.post(f"/staff-reviews/{review.id}/exports").status_code == 403
    assert signed_in(app, world.undergraduate_a).get(f"/staff-reviews/{review.id}/mine").status_code == 404


def test_the_results_page_charts_each_staff_members_mean_beside_the_table_with_no_bar_under_k(app, world):
    review = world.open()
    first, second, third = review.reviewees[:3]
    for student in world.students(5):
        world.rate(review, student, world.staff[0], 4)
        world.rate(review, student, world.staff[1], 2)
    for student in world.students(4):  # one short of k
        world.rate(review, student, world.staff[2], 5)
    client = signed_in(app, world.reviewer)
    url = f"/staff-reviews/{review.id}/results"
    assert "staff-chart" not in client.get(url).get_data(as_text=True)  # nothing shows before the close

    world.close(review)
    html = client.get(url).get_data(as_text=True)

    spec = json.loads(re.search(r'id="staff-chart-spec">(.*?)</script>', html, re.S).group(1))
    assert spec["categories"] == [r.user.name for r in review.reviewees]
    assert spec["series"][0]["data"][:3] == [4.0, 2.0, None] and set(spec["series"][0]["data"][3:]) == {None}
    assert "vendor/echarts/echarts.min.js" in html
    means = re.findall(r'data-testid="mean">(.*?)</td>', html, re.S)
    assert means[0] == "4.00" and means[1] == "2.00" and "—" in means[2]
    assert [first.user.name, second.user.name, third.user.name] == spec["categories"][:3]
