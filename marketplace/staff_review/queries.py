"""What the 述职评议 pages read, each query saying what it loads — and when a staff member's figures may
be shown at all (``may_see_own``): their ratings after the window (and from k, the survey engine's rule),
their result and notes once the league has published the results. The public sees only that the review
took place and, from ``PUBLIC_DISTRIBUTION_FROM`` staff, how many got each result — never a name with a
result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from .. import charts, clock
from ..extensions import db
from ..surveys.models import RaterGroup, Survey, SurveyDimension, SurveyRespondent, SurveyStarCount
from ..surveys.results import DimensionResult, SatisfactionResult, group_results, results_of, results_of_many
from .models import ReviewStatus, StaffGrade, StaffReview, StaffReviewee

# Fewer staff than this and a distribution of results would all but name who got which.
PUBLIC_DISTRIBUTION_FROM = 10


def next_close(now: datetime) -> datetime | None:
    """When an open review's rating window next ends (its page then reads 已截止). For the page cache."""
    return db.session.scalar(
        select(func.min(StaffReview.closes_at)).where(
            StaffReview.status == ReviewStatus.OPEN, StaffReview.closes_at > now
        )
    )


def review_page(review_id: int) -> StaffReview:
    """The review with its union, term and staff (their accounts), or 404."""
    return db.session.scalars(
        select(StaffReview)
        .where(StaffReview.id == review_id)
        .options(
            joinedload(StaffReview.union),
            joinedload(StaffReview.term),
            selectinload(StaffReview.reviewees).joinedload(StaffReviewee.user),
            selectinload(StaffReview.reviewees).joinedload(StaffReviewee.talk),
        )
    ).unique().one_or_none() or abort(404)


def reviewee_of(review: StaffReview, reviewee_id: int) -> StaffReviewee:
    """One of the review's staff (already loaded with it), or 404."""
    return next((r for r in review.reviewees if r.id == reviewee_id), None) or abort(404)


def own_reviewee(review: StaffReview, user) -> StaffReviewee | None:
    return next((r for r in review.reviewees if r.user_id == getattr(user, "id", None)), None)


def listing() -> list[StaffReview]:
    """Every review, newest term first (a few a term: the school's unions)."""
    return db.session.scalars(
        select(StaffReview)
        .options(joinedload(StaffReview.union), joinedload(StaffReview.term))
        .order_by(StaffReview.opens_at.desc(), StaffReview.id.desc())
    ).all()


def answer_counts(review: StaffReview) -> dict[int, int]:
    """user id of each staff member rated at least once -> how many rated them, in one statement."""
    # From the star counts: every answer rates every dimension, so each dimension's stars add up to
    # the staff member's answers (counting the answers themselves read 90,000 at a school's size).
    rows = db.session.execute(
        select(Survey.staff_user_id, SurveyStarCount.dimension_id, func.sum(SurveyStarCount.answers))
        .join(SurveyDimension, SurveyDimension.survey_id == Survey.id)
        .join(SurveyStarCount, SurveyStarCount.dimension_id == SurveyDimension.id)
        .where(Survey.staff_review_id == review.id)
        .group_by(Survey.staff_user_id, SurveyStarCount.dimension_id)
    ).all()
    return {user_id: int(answers) for user_id, _dimension, answers in rows}


def rated_by(user, review: StaffReview) -> set[int]:
    """The user ids of the review's staff whom ``user`` has rated."""
    return set(
        db.session.scalars(
            select(Survey.staff_user_id)
            .join(SurveyRespondent, SurveyRespondent.survey_id == Survey.id)
            .where(Survey.staff_review_id == review.id, SurveyRespondent.user_id == user.id)
        )
    )


def attachments_loaded(review: StaffReview) -> None:
    """Load every staff member's attachments in one statement (the rater's page shows them all)."""
    db.session.scalars(
        select(StaffReviewee)
        .where(StaffReviewee.review_id == review.id)
        .options(selectinload(StaffReviewee.attachments))
    ).all()


@dataclass(frozen=True)
class Figures:
    """A staff member's ratings as they may be shown: the counts always; the results (None while
    hidden) and the breakdown by rater group (None unless every group has k)."""

    survey: Survey
    answers: int
    audience: int
    k: int
    result: SatisfactionResult | None
    groups: dict[RaterGroup, list[DimensionResult]] | None


def figures(reviewee: StaffReviewee, answers: int, now: datetime | None = None) -> Figures:
    """The ratings of ``reviewee`` (``answers`` counted by the page): results only after the window
    and from k answers; the rate is against all who could rate them (the audience, less themselves)."""
    survey = survey_of(reviewee)
    audience = max(reviewee.review.audience_size - 1, 0)
    result = results_of(survey, now, counted=(answers, audience))
    groups = group_results(survey, now) if result is not None else None
    return Figures(survey, answers, audience, survey.min_responses, result, groups)


@dataclass(frozen=True)
class StaffResults:
    """Every staff member's results (user id -> None while hidden) and the review's k."""

    by_user: dict[int, SatisfactionResult | None]
    k: int


def results_by_staff(
    review: StaffReview, counts: dict[int, int], now: datetime | None = None
) -> StaffResults:
    """Each staff member's results, hidden before the close and under k: the surveys with their
    dimensions and every rating's count, in the same few statements however many staff there are (the
    league's results page and its export)."""
    surveys = db.session.scalars(
        select(Survey).where(Survey.staff_review_id == review.id).options(selectinload(Survey.dimensions))
    ).all()
    audience = max(review.audience_size - 1, 0)
    found = results_of_many(surveys, {s.id: (counts.get(s.staff_user_id, 0), audience) for s in surveys}, now)
    k = surveys[0].min_responses if surveys else 0  # fixed for all at opening
    return StaffResults({s.staff_user_id: found[s.id] for s in surveys}, k)


def results_chart(review: StaffReview, results: StaffResults) -> dict | None:
    """Each staff member's overall mean stars (综合平均星级), a bar each in the roster's order, with a
    gap where their results are hidden: no bar ever stands for fewer than k ratings. None while no
    one's results show (the window is open, or nobody has k)."""
    means = [results.by_user.get(r.user_id) for r in review.reviewees]
    if all(result is None for result in means):
        return None
    return charts.spec(
        "bar",
        [r.user.name for r in review.reviewees],
        [(_("综合平均星级"), [None if m is None else round(float(m.overall), 2) for m in means])],
        y_max=5,
    )


def survey_of(reviewee: StaffReviewee) -> Survey:
    """The survey of the staff member's term with its dimensions, in one statement."""
    return (
        db.session.scalars(
            select(Survey)
            .where(Survey.staff_review_id == reviewee.review_id, Survey.staff_user_id == reviewee.user_id)
            .options(joinedload(Survey.dimensions))
        )
        .unique()
        .one()
    )


def may_see_own(reviewee: StaffReviewee, now: datetime | None = None) -> bool:
    """The person sees their ratings, result and notes only once the review is published — after the
    window, when the league has recorded every result."""
    return reviewee.review.status_at(now or clock.now()) == ReviewStatus.PUBLISHED


@dataclass(frozen=True)
class PublicSummary:
    """What anyone may know of a review: how many staff, how many ratings were given out of how many
    who could give them, and — published, and from ``PUBLIC_DISTRIBUTION_FROM`` staff — how many got
    each result."""

    staff: int
    answers: int
    audience: int
    distribution: dict[StaffGrade, int] | None


def public_summary(review: StaffReview, counts: dict[int, int], now: datetime | None = None) -> PublicSummary:
    staff = len(review.reviewees)
    distribution = None
    if review.status_at(now or clock.now()) == ReviewStatus.PUBLISHED and staff >= PUBLIC_DISTRIBUTION_FROM:
        distribution = dict.fromkeys(StaffGrade, 0)
        for reviewee in review.reviewees:
            distribution[reviewee.grade] += 1
    return PublicSummary(staff, sum(counts.values()), review.audience_size, distribution)
