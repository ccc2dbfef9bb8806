"""A project in review (or in evaluation, for its outcome panel) with a panel, in a line."""

from __future__ import annotations

import hashlib
import html
from datetime import timedelta

from marketplace import clock, draw
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.review import operations as review
from marketplace.review.outcome import OUTCOME_PANEL
from tests import factories
from tests.projects.helpers import World
from tests.volunteers.helpers import HostingWorld


class ReviewWorld(World):
    """World + n evaluators, a project with bids from both clubs, bidding closed."""

    def __init__(self, panelists: int = 3):
        super().__init__()
        self.evaluators = [factories.user(name=f"评议人{i}", roles=("evaluator",)) for i in range(panelists)]
        self.project = self.open_project()
        self.bid_a = self.bid(self.project, self.manager_a, self.club_a, requested_budget=4000)
        self.bid_b = self.bid(self.project, self.manager_b, self.club_b, requested_budget=4500)
        clock.set(self.project.bid_deadline + timedelta(minutes=1))

    @property
    def criteria(self):
        return self.project.bid_criteria

    def seat_everyone(self):
        seat(self.staff, self.project, self.evaluators)

    def score(self, evaluator, bid, values, submit=False):
        """values: one int per criterion, in order (or a single int for all)."""
        if isinstance(values, int):
            values = [values] * len(self.criteria)
        review.save_scores(
            evaluator, self.project, bid, {c.id: (v, "") for c, v in zip(self.criteria, values, strict=True)}
        )
        db.session.commit()
        if submit:
            review.submit_scores(evaluator, self.project)
            db.session.commit()

    def score_all(self, marks: dict):
        """marks: {bid: [value per evaluator]} — every criterion gets the same value."""
        for i, evaluator in enumerate(self.evaluators):
            for bid, values in marks.items():
                self.score(evaluator, bid, values[i])
            review.submit_scores(evaluator, self.project)
            db.session.commit()


def seat(staff, project, evaluators):
    """Put ``evaluators`` on the project's panel, each declaring no conflict."""
    for evaluator in evaluators:
        review.assign_panelist(staff, project, {"user": evaluator.id})
        db.session.commit()
        review.declare_no_conflict(evaluator, project)
        db.session.commit()


def score_and_submit(project, evaluators, bids):
    """Every evaluator scores every bid (bid i gets 90 - i on every criterion) and submits."""
    for evaluator in evaluators:
        for i, bid in enumerate(bids):
            review.save_scores(evaluator, project, bid, {c.id: (90 - i, "") for c in project.bid_criteria})
        db.session.commit()
        review.submit_scores(evaluator, project)
        db.session.commit()


def awarded(world: ReviewWorld):
    """The world's project scored by its panel (club A first) and awarded to club A."""
    world.seat_everyone()
    world.score_all({world.bid_a: [90, 85, 88], world.bid_b: [70, 75, 72]})
    review.award(world.staff, world.project, {"bid": world.bid_a.public_id})
    db.session.commit()
    return world


def tied(world: ReviewWorld) -> list[str]:
    """Both bids asking the same budget and scored the same by everyone: the draw decides. The public
    ids in drawn order."""
    world.bid_b.requested_budget = world.bid_a.requested_budget
    db.session.commit()
    world.seat_everyone()
    world.score_all({world.bid_a: [80, 80, 80], world.bid_b: [80, 80, 80]})
    db.session.refresh(world.project)
    return draw.draw_order(world.project.tiebreak_seed, [world.bid_a.public_id, world.bid_b.public_id])


def says_the_draw_decided(page: str, world: ReviewWorld) -> bool:
    """The page says the bids tied and the draw decided, with the values and how to recompute them."""
    text = html.unescape(page)
    seed = world.project.tiebreak_seed
    ids = sorted([world.bid_a.public_id, world.bid_b.public_id])
    seed_text = f"{world.project.id}:{','.join(ids)}"
    assert hashlib.sha256(seed_text.encode()).hexdigest() == seed  # the page's recipe does give the seed
    section = text[text.index('data-testid="drawn-ties"') :]
    return (
        "第 1、2 名的标书得分相同、申请预算也相同，名次由公开抽签决定" in section
        and all(hashlib.sha256(f"{seed}:{pid}".encode()).hexdigest() in section for pid in ids)
        and f"printf %s '{seed_text}' | sha256sum" in section
        and all(f"printf %s '{seed}:{pid}' | sha256sum" in section for pid in ids)
        and 'key  = sha256(f"{seed}:{public_id}").hexdigest()' in section
        and text.count('data-testid="drawn"') == 2  # both rows of the ranking say so
    )


REPORT = {
    "outcomes": "举办 12 次答疑，覆盖 260 名新生。",
    "participants": 260,
    "spending_summary": "场地免费，资料印刷 800 元。",
    "photos": [],
}


class OutcomeWorld(HostingWorld):
    """HostingWorld (both clubs bid, club A hosts) a month past the bidding deadline, with the
    completion report in: the project is 评价中 and its outcome panel open on the template's
    criteria; and n evaluators."""

    def __init__(self, panelists: int = 3):
        super().__init__(bids=True)
        self.evaluators = [factories.user(name=f"评议人{i}", roles=("evaluator",)) for i in range(panelists)]
        clock.set(self.project.bid_deadline + timedelta(days=30))
        hosting.submit_completion(self.host, self.project, REPORT)
        db.session.commit()

    @property
    def criteria(self):
        return self.project.outcome_criteria

    def seat(self, evaluators=None):
        """Put ``evaluators`` (all by default) on the outcome panel, each declaring no conflict."""
        for evaluator in self.evaluators if evaluators is None else evaluators:
            review.assign_panelist(self.staff, self.project, {"user": evaluator.id}, OUTCOME_PANEL)
            db.session.commit()
            review.declare_no_conflict(evaluator, self.project, OUTCOME_PANEL)
            db.session.commit()

    def score(self, evaluator, values, submit=False):
        """values: one int per criterion, in order (or a single int for all)."""
        if isinstance(values, int):
            values = [values] * len(self.criteria)
        marks = {c.id: (v, "") for c, v in zip(self.criteria, values, strict=True)}
        review.save_scores(evaluator, self.project, None, marks, OUTCOME_PANEL)
        db.session.commit()
        if submit:
            review.submit_scores(evaluator, self.project, OUTCOME_PANEL)
            db.session.commit()
