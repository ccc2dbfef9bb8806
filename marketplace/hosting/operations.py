"""The host's public record: progress updates with photos (editable for a short while after posting,
then corrected only by new posts), and spending against the awarded budget."""

from __future__ import annotations

import io
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import audit, clock, permissions, settings, storage
from ..bids.models import Bid
from ..errors import DomainError
from ..extensions import db
from ..notify import operations as notify
from ..orgs.queries import union_staff
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from ..review.models import AwardNotice, NoticeStatus
from .models import CompletionReport, Expenditure, Photo, ProgressUpdate

MAX_SIDE = 1600  # phone photos are resized to at most this many pixels on the long side
MAX_PHOTO_BYTES = 15 * 1024 * 1024
PROGRESS_FIELDS = ["milestone", "percent", "body"]
_DOOMED_PHOTOS = "photos_to_remove"  # the session's list of photo files to remove after the commit


def require_host(actor, project: Project) -> None:
    """The host acting on its project in hosting. Persists first a hosting start that the end of the
    notice window made due (a write persists due steps), so the host is recorded before it acts."""
    lifecycle.lock(project)
    lifecycle.catch_up(project)
    permissions.require(actor, "project.host", project)
    if project.state != ProjectState.HOSTING:
        raise DomainError(_("项目不在承办阶段。"))


def photo_key(stored_name: str) -> str:
    return f"photos/{stored_name}"


def store_photo(upload) -> dict:
    """Decode, turn upright, shrink and re-encode as JPEG: what is stored carries no EXIF (so no GPS)."""
    data = upload.stream.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise DomainError(_("照片超过 15 MB。"), field="photos")
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        raise DomainError(
            _("“%(name)s”不是可识别的图片。", name=upload.filename or ""), field="photos"
        ) from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    stored_name = secrets.token_hex(16)
    encoded = io.BytesIO()
    image.save(encoded, format="JPEG", quality=85, optimize=True)
    storage.save(photo_key(stored_name), encoded.getvalue())
    return {"stored_name": stored_name, "width": image.width, "height": image.height}


def _progress_values(data: dict) -> dict:
    """``milestone``, ``percent`` and ``body`` of a progress update, checked and tidied."""
    if not 0 <= data["percent"] <= 100:
        raise DomainError(_("完成度应在 0 到 100 之间。"), field="percent")
    return {
        "milestone": data["milestone"].strip(),
        "percent": data["percent"],
        "body": (data.get("body") or "").strip(),
    }


def post_progress(actor, project: Project, data: dict) -> ProgressUpdate:
    """进展: ``milestone``, ``percent``, ``body`` and ``photos`` (uploads) on the public timeline."""
    require_host(actor, project)
    update = ProgressUpdate(
        project_id=project.id, author_id=actor.id, created_at=clock.now(), **_progress_values(data)
    )
    for upload in data.get("photos") or ():
        if upload and upload.filename:
            update.photos.append(Photo(**store_photo(upload)))
    db.session.add(update)
    db.session.flush()
    audit.record(
        actor,
        "hosting.progress",
        update,
        after={"percent": update.percent, "photos": len(update.photos)},
        project_id=project.id,
    )
    return update


def _with_photos_and_author():
    # Built when asked, not at import: a loader option configures every mapper.
    return selectinload(ProgressUpdate.photos), joinedload(ProgressUpdate.author)


def _newest_progress_first(project: Project):
    return (
        select(ProgressUpdate)
        .where(ProgressUpdate.project_id == project.id)
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    )


def progress_updates(project: Project) -> list[ProgressUpdate]:
    """The project's progress updates, newest first, with their photos and authors (two queries)."""
    return db.session.scalars(_newest_progress_first(project).options(*_with_photos_and_author())).all()


def progress_page(project: Project, page: int, per_page: int) -> tuple[list[ProgressUpdate], bool]:
    """Page ``page`` (from 1) of the project's progress updates, newest first, with their photos and
    authors, and whether older ones follow: one query (the page's updates joined to their photos),
    however many updates there are."""
    found = (
        db.session.scalars(
            _newest_progress_first(project)
            .options(joinedload(ProgressUpdate.photos), joinedload(ProgressUpdate.author))
            .offset((page - 1) * per_page)
            .limit(per_page + 1)
        )
        .unique()
        .all()
    )
    return found[:per_page], len(found) > per_page


def progress_editable_until(update: ProgressUpdate) -> datetime:
    """Until when the host may still edit or delete ``update``; later corrections are new posts."""
    return update.created_at + timedelta(minutes=settings.get("progress_edit_minutes"))


def _require_editable(actor, update: ProgressUpdate) -> Project:
    project = db.session.get(Project, update.project_id)
    require_host(actor, project)
    if clock.now() >= progress_editable_until(update):
        raise DomainError(
            _(
                "这条进展发布已超过 %(n)s 分钟，不能再修改或删除；如需更正，请发布一条新的进展。",
                n=settings.get("progress_edit_minutes"),
            )
        )
    return project


def edit_progress(actor, update: ProgressUpdate, data: dict) -> ProgressUpdate:
    """Correct a progress update's ``milestone``, ``percent`` and ``body`` within the edit window."""
    project = _require_editable(actor, update)
    values = _progress_values(data)
    with audit.recording(actor, "hosting.progress_edit", update, PROGRESS_FIELDS, project_id=project.id):
        for name, value in values.items():
            setattr(update, name, value)
    return update


def delete_progress(actor, update: ProgressUpdate) -> None:
    """Take a progress update off the timeline within the edit window, its photos with it. The audit
    entry keeps what it said (the host's public text, no personal data)."""
    project = _require_editable(actor, update)
    audit.record(
        actor,
        "hosting.progress_delete",
        update,
        before={**audit.snapshot(update, PROGRESS_FIELDS), "photos": len(update.photos)},
        project_id=project.id,
    )
    _remove_after_commit([photo.stored_name for photo in update.photos])
    db.session.delete(update)


def _remove_after_commit(stored_names: list[str]) -> None:
    """Photo files go once the deletion is committed (a rolled-back one keeps them)."""
    db.session.info.setdefault(_DOOMED_PHOTOS, []).extend(stored_names)


@event.listens_for(Session, "after_commit")
def _remove_doomed_photos(session):
    # Releasing a SAVEPOINT fires after_commit too; only the real commit makes the deletion final.
    if session.in_nested_transaction():
        return
    for stored_name in session.info.pop(_DOOMED_PHOTOS, []):
        try:
            storage.delete(photo_key(stored_name))
        except Exception:  # the deletion is committed: an object store out of reach leaves only a stray file
            current_app.logger.exception("photo file %s was not removed", stored_name)


@event.listens_for(Session, "after_rollback")
def _keep_doomed_photos(session):
    session.info.pop(_DOOMED_PHOTOS, None)


def budget_and_spent(project: Project) -> tuple[Decimal | None, Decimal]:
    """The budget the host won with (the requested budget of the final notice's bid; None before
    one) and what has been spent so far, in one statement."""
    budget = (
        select(Bid.requested_budget)
        .join(AwardNotice, AwardNotice.bid_id == Bid.id)
        .where(AwardNotice.project_id == project.id, AwardNotice.status == NoticeStatus.FINAL)
        .scalar_subquery()
    )
    spent = (
        select(func.coalesce(func.sum(Expenditure.amount), 0))
        .where(Expenditure.project_id == project.id)
        .scalar_subquery()
    )
    awarded, total = db.session.execute(select(budget, spent)).one()
    return awarded, Decimal(total or 0)


def record_expenditure(actor, project: Project, data: dict) -> Expenditure:
    """支出登记 (``spent_on``, ``item``, ``amount``, ``note``). Going over the awarded budget needs a
    reason (``over_budget_reason``), and the union's staff are told."""
    require_host(actor, project)
    amount = data["amount"]
    if amount is None or amount <= 0:
        raise DomainError(_("金额必须大于 0。"), field="amount")
    budget, spent = budget_and_spent(project)
    total = spent + amount
    over = budget is not None and total > budget
    reason = (data.get("over_budget_reason") or "").strip() or None
    if over and not reason:
        raise DomainError(
            _(
                "登记后累计支出 %(total)s 元，超出中标预算 %(budget)s 元，请说明超支原因。",
                total=total,
                budget=budget,
            ),
            field="over_budget_reason",
        )
    expense = Expenditure(
        project_id=project.id,
        author_id=actor.id,
        spent_on=data["spent_on"],
        item=data["item"].strip(),
        amount=amount,
        note=(data.get("note") or "").strip(),
        over_budget_reason=reason if over else None,
        created_at=clock.now(),
    )
    db.session.add(expense)
    db.session.flush()
    audit.record(
        actor,
        "hosting.expenditure",
        expense,
        after={"amount": amount, "total": total, "over": over},
        reason=reason if over else None,
        project_id=project.id,
    )
    if over:
        for staff in union_staff(project.union_id):
            notify.send(
                staff,
                "hosting.overspent",
                link=project.url,
                project=project,
                total=total,
                budget=budget,
                reason=reason,
            )
    return expense


def timeline(project: Project) -> list:
    """Progress updates and expenditures, newest first (two queries)."""
    updates = db.session.scalars(
        select(ProgressUpdate)
        .options(*_with_photos_and_author())
        .where(ProgressUpdate.project_id == project.id)
    ).all()
    expenses = db.session.scalars(select(Expenditure).where(Expenditure.project_id == project.id)).all()
    return sorted([*updates, *expenses], key=lambda item: item.created_at, reverse=True)


def submit_completion(actor, project: Project, data: dict) -> CompletionReport:
    """结项: the host's report (``outcomes``, ``participants``, ``spending_summary``, with ``photos`` on
    a final 100 % update); the project moves to evaluating."""
    outcomes, participants = data["outcomes"], data["participants"]
    require_host(actor, project)
    if not (outcomes or "").strip():
        raise DomainError(_("请填写项目成效。"), field="outcomes")
    if participants is None or participants < 0:
        raise DomainError(_("参与人数不能为负数。"), field="participants")
    final = {"milestone": _("结项"), "percent": 100, "body": outcomes, "photos": data.get("photos")}
    update = post_progress(actor, project, final)
    report = CompletionReport(
        project_id=project.id,
        submitted_by_id=actor.id,
        submitted_at=clock.now(),
        outcomes=outcomes.strip(),
        participants=participants,
        spending_summary=(data.get("spending_summary") or "").strip(),
        update_id=update.id,
    )
    db.session.add(report)
    lifecycle.apply(project, "complete", actor)
    return report
