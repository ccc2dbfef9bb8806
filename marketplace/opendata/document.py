"""One project's open-data document (开放数据文档), built from what the public pages already show.

The names and the structure follow the Open Contracting Data Standard (a compiled release: tender →
awards → contracts.implementation); the fields are those of ``fields.FIELDS``. What never goes in:
anyone's name, phone, 学号 or email (parties are organizations only), the content of any bid, the
text of progress updates and expenditures (typed by people, and shown on the project page where the
host answers for them), and — while the bids are sealed — how many there are and who made them.

``facts_for`` reads what the documents of a batch of projects need in a fixed number of statements,
whatever the size of the batch; ``release`` turns one project's facts into its document without
touching the database. A single document and the bulk download go through the same two steps.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..bids.models import Bid, BidStatus
from ..bids.visibility import sealed_in
from ..evaluation.models import FinalOutcome, FinalScore
from ..extensions import db
from ..hosting.models import Expenditure, ProgressUpdate
from ..orgs.models import Organization
from ..projects.lifecycle import effective_state_column
from ..projects.models import Criterion, CriterionPurpose, Project, ProjectState
from ..review.models import AwardNotice, NoticeStatus
from ..timeutil import SCHOOL_TZ

S = ProjectState
CURRENCY = "CNY"
DOCUMENT_LANGUAGE = "zh_CN"  # the school's data reads the same whatever the reader's language

TENDER_STATUS = {
    S.OPEN: "active",
    S.REVIEWING: "active",
    S.AWARD_NOTICE: "active",
    S.HOSTING: "complete",
    S.EVALUATING: "complete",
    S.CLOSED: "complete",
    S.FAILED: "unsuccessful",
    S.CANCELLED: "cancelled",
}
AWARD_STATUS = {
    NoticeStatus.ACTIVE: "pending",
    NoticeStatus.FINAL: "active",
    NoticeStatus.SUPERSEDED: "cancelled",
    NoticeStatus.DECLINED: "unsuccessful",
}
CONTRACT_STATUS = {
    S.HOSTING: "active",
    S.EVALUATING: "active",
    S.CLOSED: "terminated",
    S.CANCELLED: "cancelled",
}


def published():
    """The projects with a document: published once (drafts and those awaiting approval never were)."""
    return Project.published_at.is_not(None)


@dataclass
class Facts:
    """What one project's document is made of, read in bulk by :func:`facts_for`."""

    project: Project
    state: ProjectState
    criteria: list = field(default_factory=list)  # (name, weight) of the bid criteria
    notices: list = field(default_factory=list)  # rows of the award notices, oldest first
    tenderers: list = field(default_factory=list)  # (org id, name) of the submitted bids
    milestones: list = field(default_factory=list)  # rows of the progress updates, oldest first
    spent: Decimal = Decimal(0)
    spent_at: datetime | None = None
    final: object = None  # the FinalScore row, once closed


def _grouped(rows, key="project_id") -> dict:
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def facts_for(project_ids: list[int]) -> list[Facts]:
    """The facts of the published projects among ``project_ids``, in their order: seven statements."""
    found = {
        project.id: Facts(project, state)
        for project, state in db.session.execute(
            select(Project, effective_state_column())
            .where(Project.id.in_(project_ids), published())
            .options(joinedload(Project.union))
        )
    }
    ids = list(found)
    if not ids:
        return []
    for row in db.session.execute(
        select(Criterion.project_id, Criterion.name, Criterion.weight)
        .where(Criterion.project_id.in_(ids), Criterion.purpose == CriterionPurpose.BID)
        .order_by(Criterion.position, Criterion.id)
    ):
        found[row.project_id].criteria.append((row.name, row.weight))
    notices = db.session.execute(
        select(
            AwardNotice.project_id,
            AwardNotice.number,
            AwardNotice.status,
            AwardNotice.published_at,
            AwardNotice.ranking,
            Bid.org_id,
            Bid.requested_budget,
            Organization.name.label("org_name"),
        )
        .join(Bid, Bid.id == AwardNotice.bid_id)
        .join(Organization, Organization.id == Bid.org_id)
        .where(AwardNotice.project_id.in_(ids))
        .order_by(AwardNotice.number)
    )
    for project_id, rows in _grouped(notices).items():
        found[project_id].notices = rows
    # Who bid is read for every project of the batch and kept only where the bids are unsealed
    # (``release``): one statement whatever the mix of states.
    for row in db.session.execute(
        select(Bid.project_id, Organization.id, Organization.name)
        .join(Organization, Organization.id == Bid.org_id)
        .where(Bid.project_id.in_(ids), Bid.status == BidStatus.SUBMITTED)
        .order_by(Organization.name, Organization.id)
    ):
        found[row.project_id].tenderers.append((row.id, row.name))
    updates = db.session.execute(
        select(
            ProgressUpdate.project_id,
            ProgressUpdate.id,
            ProgressUpdate.milestone,
            ProgressUpdate.percent,
            ProgressUpdate.created_at,
        )
        .where(ProgressUpdate.project_id.in_(ids))
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    )
    for project_id, rows in _grouped(updates).items():
        found[project_id].milestones = rows
    for project_id, total, last in db.session.execute(
        select(Expenditure.project_id, func.sum(Expenditure.amount), func.max(Expenditure.created_at))
        .where(Expenditure.project_id.in_(ids))
        .group_by(Expenditure.project_id)
    ):
        found[project_id].spent, found[project_id].spent_at = Decimal(total), last
    for row in db.session.execute(
        select(
            FinalScore.project_id,
            FinalScore.outcome,
            FinalScore.score,
            FinalScore.panel_score,
            FinalScore.satisfaction_score,
            FinalScore.closed_at,
            FinalScore.computed_at,
        ).where(FinalScore.project_id.in_(ids))
    ):
        found[row.project_id].final = row
    return [found[i] for i in project_ids if i in found]


# -- the document --------------------------------------------------------------------------------------


def ocid(project_id: int) -> str:
    return f"{current_app.config['OPEN_DATA_OCID_PREFIX']}-{project_id}"


def _when(moment: datetime) -> str:
    return moment.isoformat()


def _day(day: date) -> str:
    """A calendar day as the moment it starts at the school (a period's bounds are moments)."""
    return datetime.combine(day, time(0), SCHOOL_TZ).isoformat()


def _money(amount) -> dict:
    return {"amount": float(Decimal(str(amount))), "currency": CURRENCY}


def _cent(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(Decimal("0.01")))


def _org(org_id: int, name: str) -> dict:
    return {"id": f"org-{org_id}", "name": name}


class _Parties:
    """The organizations a document names, each once, with every role it plays."""

    def __init__(self):
        self.found: dict[str, dict] = {}

    def add(self, org_id: int, name: str, role: str) -> dict:
        ref = _org(org_id, name)
        party = self.found.setdefault(ref["id"], {**ref, "roles": []})
        if role not in party["roles"]:
            party["roles"].append(role)
        return {"id": party["id"], "name": party["name"]}


def _without_empty(value):
    """Leave out what has no value (the standard omits a field rather than writing null)."""
    if isinstance(value, dict):
        kept = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def _award(facts: Facts, notice, parties: _Parties) -> dict:
    project = facts.project
    names = dict(facts.tenderers)
    ranking = []
    for entry in notice.ranking:
        org_id = entry.get("org_id")
        tenderer = (
            parties.add(org_id, names.get(org_id, entry["org"]), "tenderer")
            if org_id is not None
            else {"id": f"bid-{entry['public_id']}", "name": entry["org"]}
        )
        ranking.append(
            {
                "rank": entry["rank"],
                "tenderer": tenderer,
                "score": entry["score"],
                "value": _money(entry["requested_budget"]),
            }
        )
    return {
        "id": f"{ocid(project.id)}-award-{notice.number}",
        "title": _("《%(title)s》第 %(n)s 次结果公示", title=project.title, n=notice.number),
        "status": AWARD_STATUS[notice.status],
        "date": _when(notice.published_at),
        "value": _money(notice.requested_budget),
        "suppliers": [parties.add(notice.org_id, notice.org_name, "supplier")],
        "ranking": ranking,
    }


def _contract(facts: Facts, award: dict) -> dict:
    project, final = facts.project, facts.final
    score = None
    if final is not None:
        score = {
            "status": final.outcome.value,
            "score": _cent(final.score) if final.outcome == FinalOutcome.SCORED else None,
            "panelScore": _cent(final.panel_score),
            "satisfactionScore": _cent(final.satisfaction_score),
            "date": _when(final.closed_at),
        }
    return {
        "id": f"{ocid(project.id)}-contract",
        "awardID": award["id"],
        "status": CONTRACT_STATUS[facts.state],
        "value": award["value"],
        "period": {"startDate": _day(project.hosting_starts_on), "endDate": _day(project.hosting_ends_on)},
        "implementation": {
            "milestones": [
                {
                    "id": f"progress-{m.id}",
                    "title": m.milestone,
                    "type": "delivery",
                    "status": "met",
                    "dateMet": _when(m.created_at),
                    "progressPercent": m.percent,
                }
                for m in facts.milestones
            ],
            "spendingTotal": _money(facts.spent),
            "finalScore": score,
        },
    }


def _changed_at(facts: Facts) -> datetime:
    """When the document last changed: the latest of the moments it shows. A bid's time is not one of
    them, so writing a bid changes nothing here."""
    project = facts.project
    moments = [project.published_at, facts.spent_at]
    if not sealed_in(facts.state, project):
        moments.append(project.bidding_closed_at)
    moments += [n.published_at for n in facts.notices]
    moments += [m.created_at for m in facts.milestones]
    if facts.final is not None:
        moments.append(facts.final.computed_at)
    return max(m for m in moments if m is not None)


def _content(facts: Facts) -> dict:
    project, state = facts.project, facts.state
    parties = _Parties()
    union = parties.add(project.union_id, project.union.name, "buyer")
    parties.add(project.union_id, project.union.name, "procuringEntity")
    tender = {
        "id": f"{ocid(project.id)}-tender",
        "title": project.title,
        "description": project.description,
        "status": TENDER_STATUS[state],
        "category": project.category.value,
        "value": _money(project.budget_cap),
        "procurementMethod": "open",
        "mainProcurementCategory": "services",
        "eligibilityCriteria": _(
            "可以竞标：%(kinds)s", kinds="、".join(str(k.label) for k in project.eligible_kinds)
        ),
        "procuringEntity": union,
        "tenderPeriod": {"startDate": _when(project.published_at), "endDate": _when(project.bid_deadline)},
        "contractPeriod": {
            "startDate": _day(project.hosting_starts_on),
            "endDate": _day(project.hosting_ends_on),
        },
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": "；".join(f"{name} {weight}%" for name, weight in facts.criteria),
    }
    if not sealed_in(state, project):
        tender["numberOfTenderers"] = len(facts.tenderers)
        tender["tenderers"] = [parties.add(org_id, name, "tenderer") for org_id, name in facts.tenderers]
    awards = [_award(facts, notice, parties) for notice in facts.notices]
    finals = [a for a, n in zip(awards, facts.notices, strict=True) if n.status == NoticeStatus.FINAL]
    final = finals[-1] if finals else None
    contracts = [_contract(facts, final)] if final is not None and state in CONTRACT_STATUS else None
    return _without_empty(
        {
            "ocid": ocid(project.id),
            "date": _when(_changed_at(facts)),
            "tag": ["compiled"],
            "initiationType": "tender",
            "language": "zh",
            "parties": list(parties.found.values()),
            "buyer": union,
            "tender": tender,
            "awards": awards or None,
            "contracts": contracts,
        }
    )


def canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def release(facts: Facts) -> dict:
    """The project's document; its ``id`` changes exactly when its content does."""
    with force_locale(DOCUMENT_LANGUAGE):
        content = _content(facts)
    digest = hashlib.sha256(canonical(content)).hexdigest()[:12]
    return {"ocid": content["ocid"], "id": f"{content['ocid']}-{digest}", **content}


def document_of(project_id: int) -> dict | None:
    """One published project's document; None for any other id."""
    facts = facts_for([project_id])
    return release(facts[0]) if facts else None
