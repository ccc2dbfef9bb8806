"""The public page of a review: that it took place (union, term, how many staff, how many ratings) and,
once published and from ten staff, how many got each result — never a name beside a result."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from marketplace.extensions import db
from marketplace.staff_review import operations
from marketplace.staff_review.models import StaffGrade
from tests.bids.helpers import signed_in
from tests.staff_review.helpers import StaffWorld

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


def test_the_league_exports_every_staff_members_result_to_excel(app, clock):
    world = StaffWorld(staff=4)
    review = world.open()
    published(world, review)
    response = signed_in(app, world.reviewer).get(f"/staff-reviews/{review.id}/export.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("学号", "姓名", "职务")
    assert [(r[1], r[6]) for r in rows[1:]] == [
        (reviewee.user.name, str(GRADES[i].label)) for i, reviewee in enumerate(review.reviewees)
    ]
    assert rows[4][8] == "待谈话"


def test_there_is_no_export_while_the_review_is_open(app, clock):
    world = StaffWorld(staff=2)
    review = world.open()
    assert signed_in(app, world.reviewer).get(f"/staff-reviews/{review.id}/export.xlsx").status_code == 404
