"""The league reviewer's console, through its pages: prepare the year's surveys, open them with a
closing date; a bad date is refused beside the field with what was typed kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace import clock
from marketplace.extensions import db
from marketplace.satisfaction import operations as satisfaction
from marketplace.surveys.models import SurveyStatus
from tests import factories
from tests.bids.helpers import signed_in
from tests.satisfaction.helpers import YearWorld


@pytest.fixture
def world(app):
    return YearWorld()


def test_the_console_is_the_league_reviewers_only(app, world):
    student = signed_in(app, world.all_undergraduates()[0])
    assert student.get("/satisfaction").status_code == 403
    assert signed_in(app, None).get("/satisfaction").status_code == 302  # to the login
    # A refused form would show the console: the role is asked before the form is read.
    assert student.post(f"/satisfaction/{world.year.id}/open", data={"closes_on": ""}).status_code == 403
    assert student.post(f"/satisfaction/{world.year.id}/prepare").status_code == 403


def test_a_year_beyond_any_id_is_not_found(app, world):
    client = signed_in(app, world.reviewer)

    assert client.get("/satisfaction?year=99999999999999999999").status_code == 404


def test_the_reviewer_prepares_and_opens_the_years_surveys_from_the_console(app, world):
    client = signed_in(app, world.reviewer)

    assert client.post(f"/satisfaction/{world.year.id}/prepare").status_code == 302
    html = client.get(f"/satisfaction?year={world.year.id}").get_data(as_text=True)
    assert html.count('/setup">') == 4 and 'data-testid="open"' in html

    closes_on = (clock.today_local() + timedelta(days=14)).isoformat()
    response = client.post(f"/satisfaction/{world.year.id}/open", data={"closes_on": closes_on})

    assert response.status_code == 302
    assert {s.status for s in satisfaction.surveys_of_year(world.year)} == {SurveyStatus.OPEN}
    html = client.get(response.location).get_data(as_text=True)
    assert "已邀请 28 人次" in html  # 8 undergraduates, 6 graduate students, 7 in each college


def test_a_closing_date_too_soon_is_refused_beside_the_field_keeping_it(app, world):
    client = signed_in(app, world.reviewer)
    client.post(f"/satisfaction/{world.year.id}/prepare")
    closes_on = (clock.today_local() + timedelta(days=1)).isoformat()

    response = client.post(f"/satisfaction/{world.year.id}/open", data={"closes_on": closes_on})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "至少要在 3 天之后" in html and f'value="{closes_on}"' in html
    assert {s.status for s in satisfaction.surveys_of_year(world.year)} == {SurveyStatus.PREPARED}


def test_a_closing_date_that_is_not_a_date_is_refused_beside_the_field(app, world):
    client = signed_in(app, world.reviewer)
    client.post(f"/satisfaction/{world.year.id}/prepare")

    response = client.post(f"/satisfaction/{world.year.id}/open", data={"closes_on": "下周五"})

    assert response.status_code == 422
    assert 'class="invalid-feedback' in response.get_data(as_text=True)


def test_the_reviewer_edits_a_unions_dimensions_on_the_surveys_setup_page_and_its_staff_may_not(app, world):
    satisfaction.prepare_year(world.reviewer, world.year)
    survey = satisfaction.surveys_of_year(world.year)[0]
    staff = factories.staff_member(world.school_union)
    url = f"/surveys/{survey.id}/setup"

    assert signed_in(app, staff).get(url).status_code == 403
    client = signed_in(app, world.reviewer)
    assert "服务同学的实效" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"dimensions": "服务同学\n维护权益\n活动质量\n作风与公开"})

    assert response.status_code == 302
    db.session.refresh(survey)
    assert [d.label for d in survey.dimensions] == ["服务同学", "维护权益", "活动质量", "作风与公开"]
