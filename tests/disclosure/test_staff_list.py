"""工作人员名单: name, post and term of office of the union's staff, from their memberships — for the
students, signed in ("面向全体学生"), out of search engines, and never a phone or a student number."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.bids.helpers import signed_in
from tests.disclosure.helpers import DisclosureWorld


@pytest.fixture
def world(app, clock):
    return DisclosureWorld()


def test_a_visitor_signed_out_is_sent_to_log_in_and_sees_no_name(app, world):
    response = signed_in(app, None).get(f"/disclosure/unions/{world.union.id}/staff")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert world.staff.name not in response.get_data(as_text=True)


def test_a_student_signed_in_sees_names_posts_and_terms_but_no_phone_number_or_email(app, world):
    former = factories.user(name="已卸任的干事")
    factories.membership(former, world.union, ends_on=date(2020, 1, 1), starts_on=date(2019, 1, 1))
    response = signed_in(app, world.student).get(f"/disclosure/unions/{world.union.id}/staff")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for person in (world.chair, world.staff):
        assert person.name in html
        assert person.phone not in html and person.student_no not in html and person.email not in html
    assert "干事" in html and "负责人" in html and "至今" in html
    assert "已卸任的干事" not in html


def test_the_staff_list_is_kept_out_of_search_engines(app, world):
    response = signed_in(app, world.student).get(f"/disclosure/unions/{world.union.id}/staff")
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.get_data(as_text=True)


def test_an_organization_that_is_not_a_union_has_no_staff_list(app, world):
    assert signed_in(app, world.student).get(f"/disclosure/unions/{world.club.id}/staff").status_code == 404
