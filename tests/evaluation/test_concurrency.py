"""At the same moment: two managers of the host submitting its improvement plan leave one plan — the
other is told in words, never a server error — and two workers running the reminder send it once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.errors import DomainError
from marketplace.evaluation import operations as evaluation
from marketplace.evaluation.models import ImprovementPlan, ImprovementStatus
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.projects.models import Project
from tests import factories
from tests.evaluation.helpers import scored
from tests.projects.helpers import World

pytestmark = [pytest.mark.postgres, pytest.mark.commits]


def at_once(app, steps: list[Callable[[], object]]) -> list[str]:
    """Run each step in its own thread and session, started together; what each came to."""
    barrier = threading.Barrier(len(steps))
    outcomes: list[str] = []

    def run(step) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                result = step()
                db.session.commit()
                outcomes.append(str(result))
            except DomainError as refusal:
                db.session.rollback()
                outcomes.append(refusal.message)
            except Exception as error:  # anything else would have been a 500
                db.session.rollback()
                outcomes.append(f"unexpected {error!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_managers_submitting_the_plan_at_once_leave_one_plan(app):
    world = World()
    co_manager = factories.manager_of(world.club_a, name="学业互助社副社长")
    project_id = scored(world, world.club_a, "50").project_id

    def submit(user_id: int, body: str):
        def step():
            actor, project = db.session.get(User, user_id), db.session.get(Project, project_id)
            return evaluation.submit_improvement(actor, project, {"body": body}).status

        return step

    outcomes = at_once(
        app, [submit(world.manager_a.id, "甲的整改说明"), submit(co_manager.id, "乙的整改说明")]
    )

    # The one who came second is told, whether it read the plan before the first one's commit or after.
    saved = str(ImprovementStatus.SUBMITTED)
    assert outcomes.count(saved) == 1
    assert [o for o in outcomes if o != saved][0] in (
        "这份整改说明刚刚发生了变化，请刷新页面后重试。",
        "这份整改说明当前为「已提交整改说明」，不能进行这项操作。",
    )
    plan = db.session.scalar(select(ImprovementPlan))
    assert plan.status == ImprovementStatus.SUBMITTED and plan.body in ("甲的整改说明", "乙的整改说明")


def test_two_workers_reminding_at_once_send_the_reminder_once(app, clock):
    world = World()
    final = scored(world, world.club_a, "50")
    plan = db.session.scalar(select(ImprovementPlan).where(ImprovementPlan.project_id == final.project_id))
    clock.set(plan.due_at - timedelta(days=1))

    outcomes = at_once(app, [evaluation.send_improvement_reminders] * 2)

    assert sorted(outcomes) == ["0", "1"]  # one manager reminded, by one of the two
    reminded = select(func.count()).select_from(Notification)
    assert db.session.scalar(reminded.where(Notification.kind == "evaluation.improvement_due")) == 1
