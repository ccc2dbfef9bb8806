"""Star counts (``SurveyStarCount``): each answer adds its stars, per rater group, in the statement that
stores it, so that results read counts instead of every rating. They must always say what the ratings
say; the benchmark's bulk seed counts them again from the ratings (``tally.recount_stars``)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.staff_review import queries as staff_queries
from marketplace.surveys import tally
from marketplace.surveys.models import RaterGroup, SurveyAnswer, SurveyRating, SurveyStarCount
from marketplace.surveys.results import group_results, results_of
from tests.staff_review.helpers import StaffWorld
from tests.surveys.helpers import SurveyWorld


def ratings_counted() -> Counter:
    """(dimension, group, stars) -> answers, counted from the ratings themselves."""
    rows = db.session.execute(
        select(SurveyRating.dimension_id, SurveyAnswer.rater_group, SurveyRating.stars).join(
            SurveyAnswer, SurveyAnswer.id == SurveyRating.answer_id
        )
    )
    return Counter((d, group.value if group else "", stars) for d, group, stars in rows)


def star_counts() -> Counter:
    rows = db.session.execute(
        select(
            SurveyStarCount.dimension_id,
            SurveyStarCount.rater_group,
            SurveyStarCount.stars,
            SurveyStarCount.answers,
        )
    )
    return Counter({(d, group, stars): n for d, group, stars, n in rows})


def test_each_answer_adds_its_stars_to_the_counts_the_results_read(app, clock):
    world = SurveyWorld(volunteers=6, participants=0)
    survey = world.evaluate()
    world.answer_all(world.volunteers[:3], stars=(5, 4, 3, 2))
    world.answer_all(world.volunteers[3:], stars=(5, 5, 1, 2))
    world.close()

    assert star_counts() == ratings_counted() and sum(star_counts().values()) == 6 * 4
    result = results_of(survey)
    assert result.responses == 6
    assert [d.distribution for d in result.dimensions][:3] == [
        {1: 0, 2: 0, 3: 0, 4: 0, 5: 6},
        {1: 0, 2: 0, 3: 0, 4: 3, 5: 3},
        {1: 3, 2: 0, 3: 3, 4: 0, 5: 0},
    ]


def test_a_staff_members_counts_keep_the_rater_group_and_count_their_answers(app, clock):
    world = StaffWorld(staff=1)
    fellows = world.add_staff(world.school_union, 5)
    review = world.open()
    rated = world.staff[0]
    for student in world.students(5):
        world.rate(review, student, rated, value=5)
    for fellow in fellows:
        world.rate(review, fellow, rated, value=2)

    assert star_counts() == ratings_counted()
    assert staff_queries.answer_counts(review) == {rated.id: 10}
    world.close(review)
    by_group = group_results(staff_queries.survey_of(world.reviewee(review, rated)))
    assert [d.distribution[5] for d in by_group[RaterGroup.STUDENT]] == [5] * len(
        by_group[RaterGroup.STUDENT]
    )
    assert [d.distribution[2] for d in by_group[RaterGroup.STAFF]] == [5] * len(by_group[RaterGroup.STAFF])


def test_counting_again_from_the_ratings_gives_the_counts_the_answers_kept(app, clock):
    world = SurveyWorld(volunteers=2, participants=2)
    world.evaluate()
    world.answer_all([*world.volunteers, world.participants[1]], stars=(3, 4, 5, 1))
    kept = star_counts()

    tally.recount_stars()

    assert star_counts() == kept == ratings_counted()
