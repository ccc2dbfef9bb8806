"""Results only after the window has closed and only from k answers — on every page that shows them
and through every function — then per dimension the exact mean, the distribution and the response
rate, public for a project; comments only for the posting union's staff and the host's managers, who
are shown them in random order, and the staff may hide an abusive one (the reason in the audit log,
not the text)."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select

from marketplace import clock, pagecache
from marketplace.audit import AuditEntry
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.surveys import operations as surveys
from marketplace.surveys.models import CommentStatus, SurveyComment
from marketplace.surveys.results import (
    chart_spec,
    comments_of,
    everyone_answered,
    response_counts,
    satisfaction_of,
)
from tests import factories
from tests.bids.helpers import signed_in
from tests.isolation import in_this_session
from tests.surveys.helpers import DEFAULT_LABELS

STARS = [(5, 4, 3, 5), (4, 4, 2, 5), (5, 3, 3, 4), (3, 5, 4, 5), (5, 4, 3, 1)]


@pytest.fixture
def world(world):
    world.evaluate()  # six invited
    world.students_ = [*world.volunteers, *world.participants[1:]]
    return world


def answer(world, n: int, comments: bool = False) -> None:
    for i, (student, stars) in enumerate(zip(world.students_[:n], STARS, strict=False)):
        world.answer_all([student], stars, f"第{i + 1}条意见" if comments else "")


def pages(app, world) -> dict[str, str]:
    """Every page that shows a survey's results, as the public and the staff see them."""
    survey = world.survey
    staff = signed_in(app, world.staff)
    return {
        "project page": signed_in(app, None).get(world.project.url).get_data(as_text=True),
        "results page": signed_in(app, None).get(survey.results_url).get_data(as_text=True),
        "staff results page": staff.get(survey.results_url).get_data(as_text=True),
        "setup page": staff.get(f"/surveys/{survey.id}/setup").get_data(as_text=True),
    }


def shows_results(page: str) -> bool:
    return 'data-testid="survey-results"' in page


def test_results_stay_hidden_while_the_survey_is_open_even_with_k_answers(app, world):
    answer(world, 5, comments=True)

    assert satisfaction_of(world.project) is None
    for name, page in pages(app, world).items():
        assert not shows_results(page), name
        assert "第1条意见" not in page, name
    assert "已有 5 人作答" in pages(app, world)["project page"]


def test_results_below_k_are_never_shown_and_the_page_says_how_many_answered(app, world):
    answer(world, 4, comments=True)
    world.close()

    assert satisfaction_of(world.project) is None
    shown = pages(app, world)
    for name, page in shown.items():
        assert not shows_results(page), name
        assert "第1条意见" not in page, name
    assert "共 4 人作答" in shown["project page"] and "至少 5 份答卷才公布结果" in shown["project page"]
    assert "共 4 人作答" in shown["results page"]


def test_after_the_window_with_k_answers_the_results_are_exact_and_public(app, world):
    answer(world, 5)
    world.close()

    result = satisfaction_of(world.project)

    assert (result.responses, result.invited, result.response_rate) == (5, 6, Fraction(5, 6))
    assert [d.label for d in result.dimensions] == DEFAULT_LABELS
    assert [d.mean for d in result.dimensions] == [Fraction(22, 5), 4, 3, 4]
    assert result.dimensions[0].distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 3}
    assert result.dimensions[3].distribution == {1: 1, 2: 0, 3: 0, 4: 1, 5: 3}
    assert result.overall == Fraction(77, 20)
    for name, page in pages(app, world).items():
        assert shows_results(page) == (name != "setup page"), name
    assert "4.40" in pages(app, world)["project page"] and "回收率 83%" in pages(app, world)["project page"]


def test_the_chart_spec_gives_each_dimension_s_mean_rounded(world):
    answer(world, 5)
    world.close()
    assert chart_spec(satisfaction_of(world.project)) == {
        "kind": "bar",
        "categories": DEFAULT_LABELS,
        "series": [{"name": "平均星级", "data": [4.4, 4.0, 3.0, 4.0]}],
        "y_max": 5,
    }


def test_response_counts_and_everyone_answered(world):
    assert (response_counts(world.project), everyone_answered(world.project)) == ((0, 6), False)
    answer(world, 5)
    assert (response_counts(world.project), everyone_answered(world.project)) == ((5, 6), False)
    world.answer_all(world.students_[5:])
    assert (response_counts(world.project), everyone_answered(world.project)) == ((6, 6), True)


def test_before_the_survey_opens_there_is_nothing_to_count(took_part):
    world = in_this_session(took_part)
    assert (response_counts(world.project), everyone_answered(world.project)) == ((0, 0), False)
    assert satisfaction_of(world.project) is None


def test_comments_are_for_the_posting_union_s_staff_and_the_host_s_managers_only(app, world):
    answer(world, 5, comments=True)
    world.close()
    readers = {"staff": world.staff, "host": world.host}
    others = {
        "public": None,
        "student who answered": world.volunteers[0],
        "other club's manager": world.manager_b,
        "other union's staff": factories.staff_member(),
        "league reviewer": world.reviewer,
    }
    for name, user in {**readers, **others}.items():
        page = signed_in(app, user).get(world.survey.results_url).get_data(as_text=True)
        assert shows_results(page), name
        assert ("第3条意见" in page) == (name in readers), name


def test_comments_come_in_random_order(world):
    answer(world, 5, comments=True)
    world.close()
    orders = {tuple(c.body for c in comments_of(world.survey)) for _ in range(20)}
    assert len(orders) > 1


def test_the_staff_hide_an_abusive_comment_with_a_reason_logged_and_not_the_text(app, world):
    answer(world, 5, comments=True)
    world.close()
    comment = db.session.scalar(select(SurveyComment).where(SurveyComment.body == "第2条意见"))
    client = signed_in(app, world.staff)

    refused = client.post(f"/surveys/comments/{comment.id}/hide", data={f"c{comment.id}-reason": "   "})
    assert refused.status_code == 422 and "请写明隐藏的理由" in refused.get_data(as_text=True)
    response = client.post(
        f"/surveys/comments/{comment.id}/hide", data={f"c{comment.id}-reason": "含有人身攻击"}
    )

    assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.status == CommentStatus.HIDDEN
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "survey_comment.hide"))
    assert entry.reason == "含有人身攻击" and entry.actor_id == world.staff.id
    assert entry.project_id == world.project.id
    assert "第2条意见" not in f"{entry.before}{entry.after}{entry.reason}{entry.subject_id}"
    for user in (world.staff, world.host):
        page = signed_in(app, user).get(world.survey.results_url).get_data(as_text=True)
        assert "第2条意见" not in page and "第1条意见" in page


def test_only_the_posting_union_s_staff_may_hide_a_comment(app, world):
    answer(world, 5, comments=True)
    world.close()
    comment = db.session.scalar(select(SurveyComment))
    for user in (world.host, factories.staff_member(), world.volunteers[0]):
        response = signed_in(app, user).post(
            f"/surveys/comments/{comment.id}/hide", data={f"c{comment.id}-reason": "不当"}
        )
        assert response.status_code == 403
    assert signed_in(app, world.staff).post("/surveys/comments/nosuchcomment/hide").status_code == 404
    db.session.refresh(comment)
    assert comment.status == CommentStatus.SHOWN


def test_no_comment_is_hidden_before_the_results_may_be_shown(world):
    answer(world, 5, comments=True)
    comment = db.session.scalar(select(SurveyComment))
    with pytest.raises(DomainError, match="结果公布后"):
        surveys.hide_comment(world.staff, comment, {"reason": "不当"})


@pytest.mark.parametrize("last", ["-", "_"])
def test_a_comment_whose_random_id_ends_in_a_separator_is_hidden_from_its_own_form(app, world, last):
    answer(world, 5, comments=True)
    world.close()
    comment = db.session.scalar(select(SurveyComment))
    comment.id = comment.id[:-1] + last
    db.session.commit()

    response = signed_in(app, world.staff).post(
        f"/surveys/comments/{comment.id}/hide", data={f"c{comment.id}-reason": "含有人身攻击"}
    )

    assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.status == CommentStatus.HIDDEN


def test_the_public_results_page_is_cached_and_shows_the_results_one_second_after_the_window(
    app, world, monkeypatch, count_queries
):
    """Anonymous visitors get the results page from the page cache, which lets go of it when the
    window closes: the page cached while the survey ran never hides the results once they are due."""
    monkeypatch.setitem(app.extensions, "page_cache", pagecache.MemoryStore())
    answer(world, 5)
    visitor, url, closes_at = signed_in(app, None), world.survey.results_url, world.survey.closes_at
    clock.set(closes_at - timedelta(seconds=30))  # within the cache's 60 seconds
    assert not shows_results(visitor.get(url).get_data(as_text=True))
    assert count_queries(lambda: visitor.get(url)) == 0  # served from the cache

    clock.set(closes_at + timedelta(seconds=1))

    assert shows_results(visitor.get(url).get_data(as_text=True))


def test_an_answer_committed_as_the_window_closes_is_in_the_cached_results(app, world, monkeypatch):
    monkeypatch.setitem(app.extensions, "page_cache", pagecache.MemoryStore())
    answer(world, 4)
    visitor = signed_in(app, None)
    assert "4 人作答" in visitor.get(world.survey.results_url).get_data(as_text=True)

    answer_last = world.students_[4]
    world.answer_all([answer_last], STARS[4])
    world.close()

    # Shown only from k = 5 answers: the fifth, committed after the page was cached, is counted.
    assert shows_results(visitor.get(world.survey.results_url).get_data(as_text=True))
