"""A world for the open data: a project in every state of the lifecycle (tests/test_permissions.py's
scene), and for the hosted ones what their documents show — the final award notice, progress,
spending and, once closed, the final score — with people whose names, phones, 学号 and emails the
published files must never hold."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from marketplace import clock
from marketplace.evaluation.models import FinalOutcome, FinalScore
from marketplace.extensions import db
from marketplace.hosting.models import Expenditure, ProgressUpdate
from marketplace.projects.models import ProjectState
from marketplace.review.models import AwardNotice, NoticeStatus, ReviewRound
from tests.test_permissions import Scene

S = ProjectState
SECRET_PLAN = "密封方案：只在标书里出现的句子"
HOSTED = (S.HOSTING, S.EVALUATING, S.CLOSED)


class OpenDataWorld(Scene):
    def __init__(self):
        super().__init__()
        self.users_by_role = self.users()
        for state in HOSTED:
            self._hosted(self.projects[state], self.bids[state])
        db.session.commit()

    def bid(self, project, manager=None, org=None, **overrides):
        return super().bid(
            project, manager, org, **{"plan": SECRET_PLAN, "summary": SECRET_PLAN, **overrides}
        )

    def _hosted(self, project, bid):
        round_ = ReviewRound(project_id=project.id, number=1)
        db.session.add(round_)
        db.session.flush()
        entry = {
            "public_id": bid.public_id,
            "org": bid.org.name,
            "org_id": bid.org_id,
            "score": "88.00",
            "requested_budget": str(bid.requested_budget),
            "rank": 1,
            "tie_key": "",
            "draw_group": None,
        }
        db.session.add(
            AwardNotice(
                project_id=project.id,
                round_id=round_.id,
                number=1,
                bid_id=bid.id,
                ranking=[entry],
                published_at=clock.now(),
                window_ends_at=clock.now() + timedelta(days=3),
                status=NoticeStatus.FINAL,
            )
        )
        author = self.manager_a.id
        db.session.add(
            ProgressUpdate(project_id=project.id, author_id=author, milestone="中期检查", percent=50)
        )
        db.session.add(
            Expenditure(
                project_id=project.id,
                author_id=author,
                spent_on=clock.now().date(),
                item="打印资料",
                amount=Decimal("320.50"),
                note=f"经手人 {self.manager_a.name}",
            )
        )
        if project.state == S.CLOSED:
            db.session.add(
                FinalScore(
                    project_id=project.id,
                    outcome=FinalOutcome.SCORED,
                    score=Decimal("87.25"),
                    panel_score=Decimal("86.5"),
                    satisfaction_score=Decimal("88.0"),
                    responses=12,
                    min_responses=5,
                    panel_weight_percent=60,
                    closed_at=clock.now(),
                )
            )
