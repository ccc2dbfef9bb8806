"""最终得分, the arithmetic: panel × w + satisfaction × (1 − w), satisfaction = (mean of the dimensions'
mean stars − 1) / 4 × 100, the survey left out below k answers, the panel left out when it never
submitted, nothing at all when neither — exact until one rounding, half up, to 0.01."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from marketplace.evaluation.final import final_score, satisfaction_score
from marketplace.evaluation.models import FinalOutcome

K, W = 5, 50


def score(panel, means, responses, *, k=K, w=W):
    return final_score(
        None if panel is None else Fraction(panel),
        means,
        responses,
        min_responses=k,
        panel_weight_percent=w,
    )


def test_satisfaction_is_the_mean_of_the_dimensions_means_scaled_from_one_to_five_stars_onto_100():
    assert satisfaction_score({"活动组织": Fraction(4), "实际帮助": Fraction(7, 2)}) == Fraction(
        275, 4
    )  # 68.75
    assert satisfaction_score({"活动组织": Fraction(5), "实际帮助": Fraction(5)}) == 100
    assert satisfaction_score({"活动组织": Fraction(1)}) == 0


def test_with_both_the_final_score_weighs_the_panel_by_w_and_the_students_by_the_rest():
    means = {"活动组织": Fraction(4), "实际帮助": Fraction(7, 2)}  # satisfaction 68.75

    half = score(80, means, 5)
    assert half.outcome == FinalOutcome.SCORED
    assert half.score == Decimal("74.38")  # 40 + 34.375 = 74.375, half up
    assert (half.panel, half.satisfaction) == (80, Fraction(275, 4))
    assert score(80, means, 5, w=70).score == Decimal("76.63")  # 56 + 20.625


def test_with_fewer_than_k_answers_the_panel_score_alone_counts():
    result = score(80, {"活动组织": Fraction(2)}, K - 1)
    assert result.score == Decimal("80.00")
    assert result.satisfaction is None
    assert score(80, {"活动组织": Fraction(2)}, K).score == Decimal(
        "52.50"
    )  # at k the survey counts: 40 + 12.5


def test_with_no_submitted_panel_the_satisfaction_alone_counts():
    result = score(None, {"活动组织": Fraction(21, 5)}, K)  # 4.2 stars
    assert result.outcome == FinalOutcome.SCORED
    assert result.score == Decimal("80.00")
    assert result.panel is None


def test_with_neither_panel_nor_k_answers_there_is_no_final_score_and_the_evaluation_is_incomplete():
    result = score(None, {"活动组织": Fraction(5)}, K - 1)
    assert result.outcome == FinalOutcome.INCOMPLETE
    assert result.score is None
    assert score(None, None, 0).outcome == FinalOutcome.INCOMPLETE


def test_the_final_score_rounds_half_up_at_half_a_cent_from_exact_values():
    # 60.01 × 0.5 + 60 × 0.5 = 60.005 exactly: half up is 60.01 (half-even, or floats, give 60.00).
    assert score("60.01", {"活动组织": Fraction(17, 5)}, K).score == Decimal("60.01")
    assert score("70.005", None, 0).score == Decimal("70.01")
    assert score("70.004999", None, 0).score == Decimal("70.00")
    assert score(Fraction(200, 3), None, 0).score == Decimal("66.67")  # a panel of three: 66.666…
