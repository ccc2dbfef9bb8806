"""Recording the final score when a project closes: through the one seam (``inputs.final_inputs``), with
the settings in force kept beside it, once per project, dated by the evaluation's end — and never for
a cancelled project. The project page and its timelines show it, or 评价未完成."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace import settings
from marketplace.audit import AuditEntry
from marketplace.evaluation import inputs
from marketplace.evaluation import operations as evaluation
from marketplace.evaluation.models import FinalOutcome, FinalScore
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.projects import lifecycle
from marketplace.projects.models import ProjectState
from marketplace.projects.tasks import tick
from tests.bids.helpers import signed_in
from tests.evaluation.helpers import closed
from tests.volunteers.helpers import HostingWorld

REPORT = {
    "outcomes": "举办 12 次答疑。",
    "participants": 40,
    "spending_summary": "支出 800 元。",
    "photos": [],
}


@pytest.fixture
def world(app, monkeypatch):
    # The staff close here at once; what an early close waits for is tested in test_closing.py.
    monkeypatch.setattr(lifecycle, "close_conditions", [])
    world = HostingWorld()
    hosting.submit_completion(world.host, world.project, REPORT)
    db.session.commit()
    return world


def fed(monkeypatch, panel, means, responses) -> None:
    """What the outcome panel and the survey hand over at the close."""
    monkeypatch.setattr(
        inputs,
        "final_inputs",
        lambda project: inputs.FinalInputs(panel, means, responses, settings.get("survey_min_responses")),
    )


def close(world) -> FinalScore:
    lifecycle.apply(world.project, "close", world.staff)
    db.session.commit()
    return db.session.scalar(select(FinalScore).where(FinalScore.project_id == world.project.id))


def test_closing_records_the_final_score_from_what_the_panel_and_the_survey_hand_over(
    world, monkeypatch, clock
):
    fed(monkeypatch, Fraction(235, 3), {"活动组织": Fraction(4), "实际帮助": Fraction(4)}, 6)

    final = close(world)

    # 78.333… × 0.5 + 75 × 0.5 = 76.666…
    assert (final.outcome, final.score) == (FinalOutcome.SCORED, Decimal("76.67"))
    assert (final.panel_score, final.satisfaction_score) == (Decimal("78.3333"), Decimal("75.0000"))
    assert (final.responses, final.min_responses, final.panel_weight_percent) == (6, 5, 50)
    assert final.closed_at == final.computed_at == clock.now()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "evaluation.final_score")).one()
    assert entry.after["score"] == "76.67" and entry.project_id == world.project.id


def test_closing_with_no_panel_and_no_survey_marks_the_project_incomplete(world):
    final = close(world)  # nobody sat on the panel, and the project has no survey
    assert final.outcome == FinalOutcome.INCOMPLETE and final.score is None


def test_the_settings_in_force_at_the_close_are_kept_and_changing_them_later_rewrites_no_score(
    world, monkeypatch, admin
):
    settings.put("panel_weight_percent", 70, admin)
    fed(monkeypatch, Fraction(80), {"活动组织": Fraction(3)}, 5)  # satisfaction 50
    final = close(world)
    assert (final.score, final.panel_weight_percent) == (Decimal("71.00"), 70)  # 56 + 15

    settings.put("panel_weight_percent", 30, admin)
    settings.put("survey_min_responses", 10, admin)
    db.session.commit()
    db.session.refresh(final)
    assert (final.score, final.panel_weight_percent, final.min_responses) == (Decimal("71.00"), 70, 5)


def test_the_clock_closing_the_project_late_dates_the_close_at_the_windows_end(world, clock):
    ends = world.project.evaluation_ends_at
    clock.set(ends + timedelta(hours=5))  # no tick ran in between

    tick()

    final = db.session.scalar(select(FinalScore).where(FinalScore.project_id == world.project.id))
    assert final.closed_at == ends and final.computed_at == clock.now()


def test_a_cancelled_project_never_gets_a_final_score(world, monkeypatch):
    fed(monkeypatch, Fraction(90), None, 0)
    lifecycle.apply(world.project, "request_cancel", world.host, reason="主讲嘉宾无法到场")
    lifecycle.apply(world.project, "approve_cancel", world.reviewer)
    db.session.commit()

    assert world.project.state == ProjectState.CANCELLED
    assert db.session.scalar(select(func.count()).select_from(FinalScore)) == 0
    with pytest.raises(ValueError, match="only a closed project"):
        evaluation.record_final_score(world.project, panel=Fraction(90), dimension_means=None, responses=0)


def test_a_project_has_one_final_score(app):
    world = HostingWorld()
    project = closed(world, world.club_a)
    evaluation.record_final_score(project, panel=Fraction(80), dimension_means=None, responses=0)
    db.session.commit()

    with pytest.raises(IntegrityError):
        evaluation.record_final_score(project, panel=Fraction(90), dimension_means=None, responses=0)
    db.session.rollback()


def test_the_project_page_shows_the_final_score_with_its_inputs_and_the_timeline_its_line(
    app, world, monkeypatch
):
    fed(monkeypatch, Fraction(80), {"活动组织": Fraction(2)}, 3)  # 3 answers: below k
    close(world)

    page = signed_in(app, None).get(world.project.url).get_data(as_text=True)
    assert 'data-testid="final-score">80.00<' in page
    assert "满意度问卷收到 3 份答卷，不足 5 份，不计入" in page
    assert 'data-testid="timeline-final"' in page and "最终得分 80.00 分" in page
    progress = signed_in(app, None).get(f"/projects/{world.project.id}/timeline").get_data(as_text=True)
    assert "最终得分 80.00 分" in progress


def test_an_incomplete_evaluation_reads_as_such_on_the_project_page_and_its_timeline(app, world):
    close(world)
    page = signed_in(app, None).get(world.project.url).get_data(as_text=True)
    assert 'data-testid="final-score">评价未完成<' in page
    timeline = page[page.index('data-testid="timeline"') :]
    assert "评价未完成" in timeline
    progress = signed_in(app, None).get(f"/projects/{world.project.id}/timeline").get_data(as_text=True)
    assert "评价未完成" in progress
