"""The public page of a review: that it took place (union, term, how many staff, how many ratings) and,
once published and from ten staff, how many got each result — never a name beside a result."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from marketplace import pagecache
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.staff_review import operations
from marketplace.staff_review.export import write_results
from marketplace.staff_review.models import ResultsExport, ReviewStatus, StaffGrade, StaffReview
from tests.bids.helpers import signed_in
from tests.downloads import disposition
from tests.spreadsheets import assert_finished
from tests.staff_review.helpers import StaffWorld

N = 3
GRADES = [StaffGrade.EXCELLENT, StaffGrade.COMPETENT, StaffGrade.BASICALLY_COMPETENT, StaffGrade.INCOMPETENT]


def published(world, review):
    world.close(review)
    for i, reviewee in enumerate(review.reviewees):
        data = {"grade": GRADES[i % 4], "notes": "私下的评语", "talk_due_on": world.term.ends_on}
        operations.record_result(world.reviewer, reviewee, data)
    operations.publish(world.reviewer, review)
    db.session.commit()


def test_the_public_page_shows_the_distribution_from_ten_staff_and_never_a_name(app, clock):
    world = StaffWorld(staff=10)
    review = world.open()
    world.rate(review, world.undergraduate_a, world.staff[0])
    published(world, review)
    page = signed_in(app, None).get(review.url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    summary = re.search(r'data-testid="summary".*?</dl>', html, re.S).group(0)
    assert ">10<" in summary and "1 份" in summary
    distribution = re.search(r'data-testid="distribution".*?</table>', html, re.S).group(0)
    assert re.findall(r'<td class="text-end">(\d+)</td>', distribution) == ["3", "3", "2", "2"]
    for staff in world.staff:
        assert staff.name not in html
    assert "私下的评语" not in html


def test_with_fewer_than_ten_staff_the_public_page_withholds_the_distribution(app, clock):
    world = StaffWorld(staff=9)
    review = world.open()
    published(world, review)
    html = signed_in(app, None).get(review.url).get_data(as_text=True)
    assert 'data-testid="distribution-withheld"' in html and 'data-testid="distribution"' not in html
    assert all(grade.label not in html.split('id="distribution-heading"')[1] for grade in GRADES)


def test_before_publication_the_public_page_has_no_distribution(app, clock):
    world = StaffWorld(staff=10)
    review = world.open()
    world.close(review)
    html = signed_in(app, None).get(review.url).get_data(as_text=True)
    assert 'data-testid="distribution"' not in html


def test_the_list_of_reviews_is_public(app, clock):
    world = StaffWorld(staff=2)
    review = world.open()
    html = signed_in(app, None).get("/staff-reviews").get_data(as_text=True)
    assert review.url in html and world.school_union.name in html


def test_the_league_exports_every_staff_members_result_to_excel_in_the_background(app, clock):
    world = StaffWorld(staff=4)
    review = world.open()
    published(world, review)
    reviewer = signed_in(app, world.reviewer)

    response = reviewer.post(f"/staff-reviews/{review.id}/exports")

    job = db.session.scalar(select(ResultsExport))
    assert response.status_code == 302 and response.location.endswith(
        f"/staff-reviews/exports/{job.public_id}"
    )
    status = reviewer.get(f"/staff-reviews/exports/{job.public_id}/status").get_json()
    assert status == {"percent": 100, "status": "done", "finished": True}
    page = reviewer.get(f"/staff-reviews/exports/{job.public_id}").get_data(as_text=True)
    assert "导出完成，共 4 条记录" in page and "data-poll" not in page
    download = reviewer.get(f"/staff-reviews/exports/{job.public_id}/download")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "private, no-store"
    assert disposition(download).fallback == f"staff-review-{review.id}.xlsx"
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("学号", "姓名", "职务")
    assert_finished(sheet, text=("学号",), dates=("谈话日期",))
    assert [(r[1], r[6]) for r in rows[1:]] == [
        (reviewee.user.name, str(GRADES[i].label)) for i, reviewee in enumerate(review.reviewees)
    ]
    assert rows[4][8] == "待谈话"
    ready = db.session.scalar(select(Notification).where(Notification.kind == "staff_review.export_ready"))
    assert ready.user_id == world.reviewer.id and ready.link == job.url


def test_there_is_no_export_while_the_review_is_open(app, clock):
    world = StaffWorld(staff=2)
    review = world.open()
    refused = signed_in(app, world.reviewer).post(
        f"/staff-reviews/{review.id}/exports", follow_redirects=True
    )
    assert "评议截止后才能导出结果" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ResultsExport)) == 0


def test_only_the_league_reads_an_export(app, clock):
    world = StaffWorld(staff=2)
    review = world.open()
    world.close(review)
    signed_in(app, world.reviewer).post(f"/staff-reviews/{review.id}/exports")
    job = db.session.scalar(select(ResultsExport))
    for user in (world.staff[0], world.undergraduate_a):
        client = signed_in(app, user)
        assert client.post(f"/staff-reviews/{review.id}/exports").status_code == 403
        assert client.get(f"/staff-reviews/exports/{job.public_id}").status_code == 403
        assert client.get(f"/staff-reviews/exports/{job.public_id}/download").status_code == 403
    assert signed_in(app, world.reviewer).get("/staff-reviews/exports/nope").status_code == 404


def test_the_results_workbook_reads_the_same_few_statements_however_many_staff(app, clock, count_queries):
    """The staff's results are read all at once (no survey loaded per staff member): the school union's
    N staff and a college union's 3N, each rated by k of the college's undergraduates (served by both)."""
    world = StaffWorld(staff=N)
    many = world.add_staff(world.college_union, 3 * N)
    reviews = [world.open(world.school_union), world.open(world.college_union)]
    for student in world.students(5, college=world.college_a):
        for review, staff in zip(reviews, (world.staff, many), strict=True):
            for member in staff:
                world.rate(review, student, member)
    for review in reviews:
        published(world, review)
    measured = []
    for review in reviews:
        db.session.expire_all()
        written = []
        measured.append(
            count_queries(lambda r=review, w=written: w.append(write_results(r.id, io.BytesIO())))
        )
        assert written == [len(review.reviewees)]
    assert [len(r.reviewees) for r in reviews] == [N, 3 * N]
    assert measured[0] == measured[1] <= 7, measured


def test_the_cached_public_page_reads_closed_one_second_after_the_window_and_shows_a_publication_at_once(
    app, clock, monkeypatch, count_queries
):
    monkeypatch.setitem(app.extensions, "page_cache", pagecache.MemoryStore())
    world = StaffWorld(staff=10)
    review = world.open()
    url, closes_at = review.url, review.closes_at
    visitor = signed_in(app, None)
    clock.set(closes_at - timedelta(seconds=30))  # within the cache's 60 seconds
    assert str(ReviewStatus.OPEN.label) in visitor.get(url).get_data(as_text=True)
    assert count_queries(lambda: visitor.get(url)) == 0  # served from the cache

    clock.set(closes_at + timedelta(seconds=1))
    assert str(ReviewStatus.CLOSED.label) in visitor.get(url).get_data(as_text=True)

    published(world, db.session.get(StaffReview, review.id))
    assert 'data-testid="distribution"' in visitor.get(url).get_data(as_text=True)
