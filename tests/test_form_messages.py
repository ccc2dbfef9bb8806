"""One mistake, one Chinese message beside the field: a number field answers text that is not a number
once (not in English, not followed by a range or "required" message about the same mistake), and a
text too long says how long it may be."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from marketplace import clock
from tests.bids.helpers import bid_form, signed_in
from tests.projects.helpers import World, project_form
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import shift_form

FEEDBACK = r'<div class="invalid-feedback(?: d-block)?">([^<]*)</div>'


def errors_of(page: str, field_id: str) -> list[str]:
    """Every message shown beside the field with this id."""
    field = rf'<(?:input|textarea|select)[^>]*\bid="{re.escape(field_id)}"[^>]*>'
    found = re.search(rf"{field}\s*((?:{FEEDBACK}\s*)*)", page)
    assert found, f"no field {field_id} on the page"
    return re.findall(FEEDBACK, found.group(1))


@pytest.fixture
def world(app):
    return World()


def post_project(app, world, **changes):
    return signed_in(app, world.staff).post("/projects/new", data=project_form(world.union, **changes))


def test_a_title_too_long_says_the_most_it_may_have(app, world):
    response = post_project(app, world, title="长" * 201)

    assert response.status_code == 422
    assert errors_of(response.get_data(as_text=True), "title") == ["最多 200 个字符。"]


def test_a_criterion_weight_that_is_not_a_number_gets_one_chinese_message(app, world):
    response = post_project(app, world, **{"criteria-0-weight": "三十"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert errors_of(page, "criteria-0-weight") == ["请输入整数。"]
    assert "Not a valid" not in page


def test_a_budget_that_is_not_a_number_gets_one_message(app, world):
    response = post_project(app, world, budget_cap="五千")

    assert errors_of(response.get_data(as_text=True), "budget_cap") == ["请输入数字。"]


def test_an_empty_required_number_says_only_that_it_is_required(app, world):
    response = post_project(app, world, budget_cap="")

    assert errors_of(response.get_data(as_text=True), "budget_cap") == ["此项必填。"]


def test_an_empty_optional_number_is_no_mistake(app, world):
    response = post_project(app, world, **{"criteria-5-weight": ""})

    assert response.status_code == 302


def test_a_number_out_of_range_still_says_the_range(app, world):
    response = post_project(app, world, **{"criteria-0-weight": "0"})

    assert errors_of(response.get_data(as_text=True), "criteria-0-weight") == ["请输入 1 到 100 之间的数。"]


def test_bid_numbers_that_are_not_numbers_get_one_message_each(app, world):
    project = world.open_project()

    response = signed_in(app, world.manager_a).post(
        f"/projects/{project.id}/bid", data=bid_form(requested_budget="4千", expected_volunteers="二十")
    )

    page = response.get_data(as_text=True)
    assert errors_of(page, "requested_budget") == ["请输入数字。"]
    assert errors_of(page, "expected_volunteers") == ["请输入整数。"]


def test_shift_numbers_that_are_not_numbers_get_one_message_each(app):
    hosting = HostingWorld()
    position = hosting.position()
    starts = clock.now() + timedelta(days=3)

    response = signed_in(app, hosting.host).post(
        f"/hosting/positions/{position.id}/shifts/new",
        data=shift_form(starts, starts + timedelta(hours=2), capacity="三", credit_hours="两"),
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert errors_of(page, "capacity") == ["请输入整数。"]
    assert errors_of(page, "credit_hours") == ["请输入数字。"]


def test_the_new_project_form_gives_the_major_project_hint_once(app, world):
    page = signed_in(app, world.staff).get("/projects/new").get_data(as_text=True)

    assert page.count("重大项目须经校团委审核后才能发布") == 1


def test_a_late_bid_is_refused_with_one_message(app, world, clock):
    project = world.open_project()
    client = signed_in(app, world.manager_a)
    client.get(f"/projects/{project.id}/bid")
    clock.set(project.bid_deadline)

    response = client.post(f"/projects/{project.id}/bid", data=bid_form())

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("竞标已截止") == 1
    assert "由学业互助社承办" in page  # what was typed is still there to copy


def test_wtforms_own_messages_follow_the_readers_language(app, world):
    # WTForms' catalogue is read once per language and process: a reader who chose English after
    # a Chinese page was answered still gets English, and the Chinese reader still gets Chinese.
    staff = signed_in(app, world.staff)
    chinese = staff.post("/projects/new", data=project_form(world.union, category="gossip"))
    staff.post("/language", data={"locale": "en"})
    english = staff.post("/projects/new", data=project_form(world.union, category="gossip"))
    staff.post("/language", data={"locale": "zh_CN"})
    again = staff.post("/projects/new", data=project_form(world.union, category="gossip"))

    assert choice_errors(chinese, "category") == ["不是有效的选择。"]
    assert choice_errors(english, "category") == ["Not a valid choice."]
    assert choice_errors(again, "category") == ["不是有效的选择。"]


def choice_errors(response, field_id: str) -> list[str]:
    """The messages shown below a select (its options stand between the field and them)."""
    page = response.get_data(as_text=True)
    found = re.search(rf'<select[^>]*\bid="{field_id}".*?</select>\s*((?:{FEEDBACK}\s*)*)', page, re.DOTALL)
    assert found, f"no select {field_id} on the page"
    return re.findall(FEEDBACK, found.group(1))
