"""The dashboard: nothing before the window closes; then the union's means, response rate and trend
for anyone, signed in or not; the college × grade breakdown (with its suppression) only for the league
reviewer and the union's members; the export holds exactly what its viewer sees."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orgs.models import OrgKind
from marketplace.satisfaction import dashboard
from marketplace.satisfaction import operations as satisfaction
from marketplace.surveys.models import CommentStatus, SurveyComment
from tests import factories
from tests.bids.helpers import signed_in
from tests.satisfaction.helpers import YearWorld
from tests.spreadsheets import assert_finished


class Answered(YearWorld):
    """Last year's surveys, closed: the school union's answered by six undergraduates in three cells
    and two in the fourth (too few: hidden, with a second cell to protect it)."""

    def __init__(self):
        super().__init__(per_cell=6)
        self.staff = factories.staff_member(self.school_union, name="学生会干事")
        self.other_staff = factories.staff_member(self.graduate_union, name="研究生会干事")
        self.survey = self.open()[self.school_union.id]
        first, second = self.colleges
        for (college_id, grade), students in self.undergraduates.items():
            answering = students[:2] if (college_id, grade) == (second.id, 2024) else students
            self.answer_all(self.survey, answering, comment="" if grade == 2023 else "希望多听同学意见")

    def url(self, **args) -> str:
        query = "".join(f"&{k}={v}" for k, v in args.items()).replace("&", "?", 1)
        return f"/unions/{self.school_union.id}/satisfaction{query}"


@pytest.fixture
def world(app):
    return Answered()


def page(app, user, url) -> str:
    response = signed_in(app, user).get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_results_are_hidden_before_the_window_closes_even_from_the_league_reviewer(app, world):
    html = page(app, world.reviewer, world.url())

    assert 'data-testid="survey-pending"' in html
    assert 'data-testid="survey-results"' not in html and 'data-testid="breakdown"' not in html
    assert (
        signed_in(app, world.reviewer)
        .get(world.url().replace("satisfaction", "satisfaction.xlsx"))
        .status_code
        == 404
    )


def test_the_public_page_shows_the_means_and_trend_without_a_login_but_no_breakdown(app, world):
    world.close(world.survey)

    html = page(app, None, world.url())

    assert 'data-testid="survey-results"' in html and 'data-testid="trend"' in html
    assert "服务同学的实效" in html and "回收答卷 20 份" in html
    assert 'data-testid="breakdown"' not in html and "计算机学院" not in html
    assert 'data-testid="breakdown-private"' in html
    assert 'data-testid="comment"' not in html


@pytest.mark.parametrize("who", ["reviewer", "staff"])
def test_the_league_reviewer_and_the_unions_members_see_the_breakdown_with_the_small_cell_hidden(
    app, world, who
):
    world.close(world.survey)

    html = page(app, getattr(world, who), world.url())

    assert 'data-testid="breakdown"' in html
    # 外国语学院 2024 (2 answers) and, so that it cannot be subtracted out, a second cell in its row
    # and in its column, and the one closing the square: all four cells; the totals stay.
    assert html.count('data-testid="hidden-cell"') == 4
    assert html.count('data-testid="shown-cell"') == 5
    assert html.count('data-testid="comment"') == 8  # those who answered for 2024


def test_a_member_of_another_union_sees_no_breakdown_and_no_comments(app, world):
    world.close(world.survey)

    html = page(app, world.other_staff, world.url())

    assert 'data-testid="breakdown"' not in html and 'data-testid="comment"' not in html


def test_the_export_holds_exactly_what_its_viewer_sees(app, world):
    world.close(world.survey)
    url = world.url().replace("satisfaction", "satisfaction.xlsx")

    public = load_workbook(io.BytesIO(signed_in(app, None).get(url).data))
    reviewers = load_workbook(io.BytesIO(signed_in(app, world.reviewer).get(url).data))

    assert public.sheetnames == ["各维度", "历年趋势"]
    assert_finished(public["各维度"], header_row=3)
    assert_finished(public["历年趋势"])
    assert_finished(reviewers["学院×年级"], header_row=2)
    assert reviewers.sheetnames == ["各维度", "历年趋势", "学院×年级", "意见"]
    assert reviewers["意见"].max_row == 1 + 8
    values = [cell for row in reviewers["学院×年级"].iter_rows(values_only=True) for cell in row]
    assert values.count("不公布") == 4
    assert not any(isinstance(v, str) and v.startswith("2 /") for v in values)  # the small cell's count


def test_the_trend_shows_each_year_and_a_year_still_open_as_not_published(app, world):
    world.close(world.survey)
    this_year = world.academic_year("2026-2027学年", date(2026, 9, 1))
    world.open(this_year)

    html = page(app, None, world.url())

    assert html.count("2025-2026学年") >= 2 and "2026-2027学年" in html
    assert "未公布" in html
    assert 'data-testid="survey-pending"' in html  # the latest year is shown by default


def test_a_year_below_k_publishes_nothing_but_its_count(app, world):
    (survey,) = [s for s in satisfaction.surveys_of_year(world.year) if s.union_id == world.graduate_union.id]
    world.answer_all(survey, world.graduates[:3])
    world.close(survey)

    html = page(app, world.reviewer, f"/unions/{world.graduate_union.id}/satisfaction")

    assert 'data-testid="survey-too-few"' in html and 'data-testid="breakdown"' not in html


def test_an_organization_that_is_not_a_union_has_no_dashboard(app, world):
    club = factories.org(OrgKind.CLUB)

    assert signed_in(app, None).get(f"/unions/{club.id}/satisfaction").status_code == 404


def test_the_unions_page_links_to_its_dashboard(app, world):
    html = page(app, None, world.school_union.url)

    assert f'href="/unions/{world.school_union.id}/satisfaction"' in html


def test_a_student_sees_the_surveys_to_answer_and_then_that_they_answered(app, world):
    student = factories.user(college=world.colleges[0], grade=2025)
    this_year = world.academic_year("2026-2027学年", date(2026, 9, 1))
    surveys = world.open(this_year)

    html = page(app, student, "/satisfaction/mine")
    assert html.count('data-testid="yearly-survey"') == 2 and "去评价" in html

    world.answer_all(surveys[world.school_union.id], [student])
    html = page(app, student, "/satisfaction/mine")
    assert "已填写" in html and html.count("去评价") == 1


def test_the_page_draws_a_sample_of_the_comments_and_says_how_many_there_are(app, world, monkeypatch):
    monkeypatch.setattr(dashboard, "COMMENTS_SHOWN", 3)
    world.close(world.survey)

    html = page(app, world.reviewer, world.url())

    assert html.count('data-testid="comment"') == 3 and "共 8 条" in html


def test_the_league_reviewer_hides_an_abusive_comment_and_the_unions_staff_may_not(app, world):
    world.close(world.survey)
    comment = db.session.scalars(
        select(SurveyComment).where(SurveyComment.survey_id == world.survey.id)
    ).first()
    url = f"/surveys/comments/{comment.id}/hide"
    field = f"c{comment.id}-reason"

    assert signed_in(app, world.staff).post(url, data={field: "人身攻击"}).status_code == 403
    response = signed_in(app, world.reviewer).post(url, data={field: "人身攻击"})

    assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.status == CommentStatus.HIDDEN
