"""The posting union's staff set a project survey's dimensions while it is being prepared (from the
start of hosting); once it has opened they are fixed. Nobody else sees the setup page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.audit import AuditEntry
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.surveys import operations as surveys
from tests import factories
from tests.bids.helpers import signed_in
from tests.surveys.helpers import DEFAULT_LABELS
from tests.volunteers.pages import error_of


def setup_url(world) -> str:
    return f"/surveys/{world.survey.id}/setup"


def labels(world) -> list[str]:
    db.session.expire_all()
    return [d.label for d in world.survey.dimensions]


def test_the_staff_set_the_dimensions_and_the_survey_opens_with_them(app, world):
    response = signed_in(app, world.staff).post(
        setup_url(world), data={"dimensions": "总体满意度\n讲解清楚\n\n时间安排合适 "}
    )

    assert response.status_code == 302
    assert labels(world) == ["总体满意度", "讲解清楚", "时间安排合适"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "survey.dimensions"))
    assert entry.after == {"dimensions": ["总体满意度", "讲解清楚", "时间安排合适"]}
    survey = world.evaluate()
    assert [d.label for d in survey.dimensions] == ["总体满意度", "讲解清楚", "时间安排合适"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("\n \n", "请至少填写一个评价维度。"),
        ("\n".join(f"维度{i}" for i in range(9)), "评价维度最多 8 个。"),
        ("总体满意度\n" + "很" * 31, "每个维度最多 30 个字"),
        ("总体满意度\n总体满意度", "评价维度不能重复。"),
    ],
)
def test_bad_dimensions_are_refused_beside_the_field(app, world, typed, message):
    response = signed_in(app, world.staff).post(setup_url(world), data={"dimensions": typed})
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "dimensions").startswith(message)
    assert labels(world) == DEFAULT_LABELS


def test_the_dimensions_are_fixed_once_the_survey_opens(app, world):
    world.evaluate()
    with pytest.raises(DomainError, match="问卷已经开始，评价维度不能再修改"):
        surveys.set_dimensions(world.staff, world.survey, {"dimensions": "只有一个"})
    db.session.rollback()
    page = signed_in(app, world.staff).get(setup_url(world)).get_data(as_text=True)
    assert 'name="dimensions"' not in page and "维度不能再修改" in page


def test_nobody_but_the_posting_union_s_staff_sets_a_survey_up(app, world):
    others = (world.host, world.manager_b, factories.staff_member(), world.reviewer, factories.user())
    for user in others:
        assert signed_in(app, user).get(setup_url(world)).status_code == 403
        response = signed_in(app, user).post(setup_url(world), data={"dimensions": "改掉"})
        assert response.status_code == 403
    assert signed_in(app, world.staff).get("/surveys/999999/setup").status_code == 404
    assert labels(world) == DEFAULT_LABELS


def test_the_project_page_offers_the_setup_to_the_staff_and_hides_a_prepared_survey_from_others(app, world):
    staff_page = signed_in(app, world.staff).get(world.project.url).get_data(as_text=True)
    public_page = signed_in(app, None).get(world.project.url).get_data(as_text=True)
    assert setup_url(world) in staff_page
    assert 'id="satisfaction"' not in public_page
