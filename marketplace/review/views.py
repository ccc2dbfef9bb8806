"""Review pages (评标、成效评估与公示): the staff's review of a project (panel, progress, ranked result,
award and passing it on after a decline), the panelist's declaration and scoring — one bid at a time,
for a phone — the outcome panel (成效评估: its criteria, panel and result for the staff; for the
panelist, what they judge and their scores on one page), the public award notice with objections and
declining, and the league reviewer's objection queue.

The panel's pages serve both panels: ``panel_route`` registers a view at ``/review/projects/<id>…``
for bid review and at ``/review/projects/<id>/outcome…`` for the outcome panel, and the view gets
the panel's ``purpose``.

Each view parses its form, calls one operation, commits, then redirects or re-renders with the
refusal beside the field (422). Project and bid pages live in their own areas and are linked by
their ``url``.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from .. import clock, pagecache, permissions, settings
from ..bids.models import Bid
from ..bids.validity import valid_bids
from ..bids.visibility import hidden_bid_projects
from ..downloads import send_download
from ..evaluation.closing import early_close_refusal
from ..evaluation.record import bidder_records
from ..extensions import db
from ..formatting import local_datetime
from ..forms import ActionForm, Form, attempt, flash_refusal
from ..projects import lifecycle
from ..projects.forms import ReasonForm
from ..projects.models import Project, ProjectState
from ..projects.queries import is_public, paginate_rows
from . import notice_pdf as notice_printing
from . import operations as review
from . import outcome, queries, scoring
from .forms import (
    AwardForm,
    DeclarationForm,
    ObjectionForm,
    OutcomeCriteriaForm,
    OutcomeDeclarationForm,
    PanelistForm,
    RulingForm,
    ScoreForm,
)
from .models import AwardNotice, NoticeStatus, Objection, ObjectionStatus, PanelSeat, ReviewRound

bp = Blueprint("review", __name__)

PANELS: dict[str, review.Panel] = {"bid": review.BID_PANEL, "outcome": outcome.OUTCOME_PANEL}


def panel_route(rule: str, **options):
    """Register a view for both panels: bid review at ``/review/projects/<id><rule>``, the outcome
    panel at ``/review/projects/<id>/outcome<rule>``. The view receives ``purpose`` ("bid" or
    "outcome"), and ``url_for(…, purpose=…)`` builds either address."""

    def register(view):
        for purpose, prefix in (("bid", ""), ("outcome", "/outcome")):
            bp.add_url_rule(
                f"/review/projects/<int:project_id>{prefix}{rule}",
                view_func=view,
                defaults={"purpose": purpose},
                **options,
            )
        return view

    return register


def panelist_url(purpose: str, project_id: int) -> str:
    """Where a panelist scores: the first bid still to score, or the outcome page."""
    if purpose == "outcome":
        return url_for("review.outcome_score", project_id=project_id)
    return url_for("review.start", project_id=project_id)


@bp.context_processor
def _helpers():
    return {"shown": scoring.shown, "panelist_url": panelist_url}


def _project_or_404(project_id: int, *options) -> Project:
    """The published project, loaded with ``options``; 404 otherwise."""
    project = db.session.get(Project, project_id, options=list(options))
    if project is None or not is_public(project):
        abort(404)
    return project


# -- the staff's review of a project --------------------------------------------------------------------


def _overview(
    project: Project,
    *,
    panel_form: PanelistForm | None = None,
    award_form: AwardForm | None = None,
    pass_form: ReasonForm | None = None,
    status: int = 200,
):
    state = lifecycle.effective_state(project)
    may_act = permissions.can(current_user, "project.award", project)
    rounds = review.rounds_of(project)
    current = rounds[-1] if rounds else None
    # Scores show only once every panelist of the round has submitted (independence).
    results = {
        r.id: scoring.rank(r, project) for r in rounds if review.can_see_others_scores(current_user, r)
    }
    ranked = results.get(current.id) if current else None
    drawn = scoring.drawn_ties(project, [r.snapshot() for r in ranked]) if ranked else None

    award_form = award_form or AwardForm(formdata=None, bid=ranked[0].bid.public_id if ranked else None)
    award_form.bid.choices = [(r.bid.public_id, r.bid.org.name) for r in ranked or []]

    notices = review.notices_of(project)
    active = next((n for n in notices if n.status == NoticeStatus.ACTIVE), None)
    declined = notices[-1] if state == ProjectState.AWARD_NOTICE and active is None and notices else None
    # Beside each ranked bid: its organization's reputation and improvement plans, for every round at once.
    bidders = {entry.bid.org_id for ranking in results.values() for entry in ranking}
    return render_template(
        "review/project.html",
        project=project,
        state=state,
        rounds=rounds,
        results=results,
        ranked=ranked,
        drawn=drawn,
        records=bidder_records(bidders),
        active=active,
        declined=declined,
        next_bid=review.next_in_line(project) if declined and may_act else None,
        award_form=award_form,
        pass_form=pass_form or ReasonForm(formdata=None, prefix="pass"),
        **_panel(review.BID_PANEL, project, state, current, may_act, panel_form),
    ), status


def _panel(panel: review.Panel, project: Project, state, current, may_act: bool, panel_form) -> dict:
    """What the panel card (review/_macros.html: panel_card) shows, for either panel."""
    # Once every panelist has submitted the panel is closed: nobody joins after the scores show.
    may_add = may_act and state == panel.state and not (current and review.panel_complete(current))
    panel_form = panel_form or PanelistForm(formdata=None)
    if may_add:
        seated = {s.user_id for s in current.seats} if current else set()
        panel_form.offer([u for u in review.eligible_panelists(project, panel) if u.id not in seated])
    done, seated_count = review.progress(current) if current else (0, 0)
    return {
        "may_act": may_act,
        "current": current,
        "sitting": state == panel.state,
        "may_add_panelist": may_add,
        "panel_form": panel_form,
        "done": done,
        "seated_count": seated_count,
        "min_panel": review.MIN_PANEL,
    }


def _outcome_overview(
    project: Project,
    *,
    panel_form: PanelistForm | None = None,
    criteria_form: OutcomeCriteriaForm | None = None,
    status: int = 200,
):
    """成效评估 for the posting union's staff: the criteria (editable until the panel starts), the
    panel, and the result once it may show."""
    panel = outcome.OUTCOME_PANEL
    state = lifecycle.effective_state(project)
    may_act = permissions.can(current_user, panel.manage, project)
    rounds = review.rounds_of(project, panel.purpose)
    current = rounds[-1] if rounds else None
    started = current is not None and outcome.has_started(current)
    may_edit_criteria = may_act and state == panel.state and not started
    if criteria_form is None and may_edit_criteria:
        criteria_form = OutcomeCriteriaForm(
            formdata=None, data={"criteria": outcome.editable_criteria(project)}
        )
    if criteria_form is not None:
        criteria_form.pad_criteria()
    may_close = state == ProjectState.EVALUATING and permissions.can(current_user, "project.close", project)
    totals = (
        scoring.outcome_totals(current, project.outcome_criteria)
        if current is not None and outcome.result_visible(current_user, current, state)
        else None
    )
    return render_template(
        "review/outcome.html",
        project=project,
        state=state,
        started=started,
        criteria=project.outcome_criteria or None,
        may_edit_criteria=may_edit_criteria,
        criteria_form=criteria_form,
        totals=totals,
        score=scoring.aggregate(list(totals.values())) if totals else None,
        # 提前结项: offered to those who may close, with what it still waits for.
        close_refusal=early_close_refusal(project) if may_close else None,
        may_close=may_close,
        close_form=ActionForm(formdata=None),
        **_panel(panel, project, state, current, may_act, panel_form),
    ), status


_PANEL_PAGES = {"bid": _overview, "outcome": _outcome_overview}


@panel_route("")
@login_required
def overview(project_id: int, purpose: str):
    """For the staff who manage the panel (and, for bid review, league reviewers, who read). A
    panelist following the link of an invitation or a reminder lands on their own pages instead."""
    project = _project_or_404(project_id)
    panel = PANELS[purpose]
    if permissions.can(current_user, panel.manage, project) or (
        purpose == "bid" and permissions.can(current_user, "project.rule_objection", project)
    ):
        return _PANEL_PAGES[purpose](project)
    if permissions.can(current_user, panel.panelist, project):
        return redirect(panelist_url(purpose, project.id))
    abort(403)


def _staff_project(project_id: int, panel: review.Panel = review.BID_PANEL) -> Project:
    project = _project_or_404(project_id)
    permissions.require(current_user, panel.manage, project)
    return project


def _to_overview(project: Project, purpose: str = "bid"):
    return redirect(url_for(".overview", project_id=project.id, purpose=purpose))


@panel_route("/panel", methods=["POST"])
@login_required
def add_panelist(project_id: int, purpose: str):
    panel = PANELS[purpose]
    project = _staff_project(project_id, panel)
    form = PanelistForm()
    if seated := attempt(form, lambda: review.assign_panelist(current_user, project, form.to_data(), panel)):
        flash(_("已邀请%(name)s加入评审组，并通知了本人。", name=seated.result.user.name), "success")
        return _to_overview(project, purpose)
    return _PANEL_PAGES[purpose](project, panel_form=form, status=422)


def _button(
    form: Form,
    operation: Callable[[], object],
    project: Project,
    done: Callable[[object], str],
    purpose: str = "bid",
):
    """A button on the review page: say on the page what happened, or why not."""
    if taken := attempt(form, operation):
        flash(done(taken.result), "success")
    flash_refusal(form)
    return _to_overview(project, purpose)


@panel_route("/seats/<int:seat_id>/remove", methods=["POST"])
@login_required
def remove_panelist(project_id: int, seat_id: int, purpose: str):
    panel = PANELS[purpose]
    project = _staff_project(project_id, panel)
    seat = db.get_or_404(PanelSeat, seat_id)
    if seat.round.project_id != project.id or seat.round.purpose != panel.purpose:
        abort(404)
    name = seat.user.name
    return _button(
        ActionForm(),
        lambda: review.remove_panelist(current_user, project, seat, panel),
        project,
        lambda _result: _("已将%(name)s移出评审组。", name=name),
        purpose,
    )


@panel_route("/remind", methods=["POST"])
@login_required
def remind(project_id: int, purpose: str):
    panel = PANELS[purpose]
    project = _staff_project(project_id, panel)
    return _button(
        ActionForm(),
        lambda: review.remind(current_user, project, panel),
        project,
        lambda n: _("已提醒 %(n)s 位尚未提交评分的评议人。", n=n),
        purpose,
    )


@bp.post("/review/projects/<int:project_id>/outcome/criteria")
@login_required
def outcome_criteria(project_id: int):
    """成效评估标准: the staff adapt the template to the project until the panel starts."""
    project = _staff_project(project_id, outcome.OUTCOME_PANEL)
    form = OutcomeCriteriaForm()
    if attempt(form, lambda: outcome.save_criteria(current_user, project, form.to_data())):
        flash(_("成效评估标准已保存。"), "success")
        return _to_overview(project, "outcome")
    return _outcome_overview(project, criteria_form=form, status=422)


@bp.post("/review/projects/<int:project_id>/award")
@login_required
def award(project_id: int):
    project = _staff_project(project_id)
    form = AwardForm()
    if published := attempt(form, lambda: review.award(current_user, project, form.to_data())):
        window_ends_at = local_datetime(published.result.window_ends_at)
        flash(_("已定标并发布公示，公示期至 %(at)s。", at=window_ends_at), "success")
        return redirect(url_for(".notice", project_id=project.id))
    return _overview(project, award_form=form, status=422)


@bp.post("/review/projects/<int:project_id>/pass")
@login_required
def pass_award(project_id: int):
    project = _staff_project(project_id)
    form = ReasonForm(prefix="pass")
    passed = attempt(form, lambda: review.pass_award(current_user, project, form.to_data()))
    if not passed:
        return _overview(project, pass_form=form, status=422)
    if (published := passed.result) is None:
        flash(_("没有可以顺延的标书，项目已流标。"), "warning")
        return redirect(project.url)
    flash(_("已顺延给「%(org)s」，新的公示已发布。", org=published.bid.org.name), "success")
    return redirect(url_for(".notice", project_id=project.id))


# -- the panelist's pages --------------------------------------------------------------------------------


@bp.get("/review/mine")
@login_required
def mine():
    """我的评审: the panels (评标 and 成效评估) the signed-in evaluator sits on, newest first."""
    return render_template("review/mine.html", page=paginate_rows(queries.panels_of(current_user)))


def _seat(project: Project, panel: review.Panel) -> tuple[ReviewRound, PanelSeat]:
    """The signed-in panelist's seat on the panel's current round; 403 for anyone else."""
    permissions.require(current_user, panel.panelist, project)
    round_ = queries.panel_round(project, panel.purpose)
    seat = review.seat_of(round_, current_user) if round_ is not None else None
    if seat is None:
        abort(403)
    return round_, seat


@panel_route("/declare", methods=["GET", "POST"])
@login_required
def declare(project_id: int, purpose: str):
    """利益冲突声明: before seeing anything of what is judged."""
    panel = PANELS[purpose]
    project = _project_or_404(project_id)
    round_, seat = _seat(project, panel)
    form = OutcomeDeclarationForm() if purpose == "outcome" else DeclarationForm()
    if form.has_conflict:
        if attempt(form, lambda: review.declare_conflict(current_user, project, form.to_data(), panel)):
            flash(_("已登记利益冲突，你已退出本项目的评审组，学生会将另请评议人。"), "success")
            return redirect(url_for(".mine"))
    elif attempt(form, lambda: review.declare_no_conflict(current_user, project, panel)):
        flash(_("已声明无利益冲突，可以开始评分。"), "success")
        return redirect(panelist_url(purpose, project.id))
    parties = [project.host_org] if purpose == "outcome" else [bid.org for bid in valid_bids(project)]
    return render_template(
        "review/declare.html",
        project=project,
        purpose=purpose,
        round=round_,
        seat=seat,
        form=form,
        parties=[org for org in parties if org is not None],
        sitting=lifecycle.effective_state(project) == panel.state,
    ), form.status_code


def _complete_bids(bids: list[Bid], criteria, mine: dict) -> set[int]:
    """Ids of the bids this panelist has scored on every criterion."""
    wanted = {c.id for c in criteria}
    return {b.id for b in bids if wanted <= mine.get(b.id, {}).keys()}


def _first_to_score(bids: list[Bid], criteria, mine: dict) -> Bid:
    complete = _complete_bids(bids, criteria, mine)
    return next((b for b in bids if b.id not in complete), bids[0])


@bp.get("/review/projects/<int:project_id>/score")
@login_required
def start(project_id: int):
    """Where a bid review panelist starts: the declaration, then the first bid still to score."""
    project = _project_or_404(project_id)
    _round, seat = _declared_seat(project, review.BID_PANEL)
    bids = valid_bids(project)
    if not bids:
        abort(404)
    first = _first_to_score(bids, project.bid_criteria, queries.scores_of_seat(seat))
    return redirect(url_for(".score", project_id=project.id, public_id=first.public_id))


def _others(round_: ReviewRound, seat: PanelSeat, bid: Bid | None, criteria) -> list[tuple]:
    """(name, {criterion id: Score}, weighted total) of each other panelist who has submitted, for a
    panelist who may see them; [] otherwise. Independence: nothing of another panelist's scores is
    even read before one's own are submitted."""
    if not review.can_see_others_scores(current_user, round_):
        return []
    weights = {c.id: c.weight for c in criteria}
    names = queries.panelist_names(round_)
    return [
        (names[seat_id], scores, scoring.weighted_total({cid: s.value for cid, s in scores.items()}, weights))
        for seat_id, scores in queries.others_scores(round_, bid, seat).items()
    ]


def _own_total(own: dict, criteria):
    """One's weighted total once every criterion is scored, else None."""
    weights = {c.id: c.weight for c in criteria}
    if not weights.keys() <= own.keys():
        return None
    return scoring.weighted_total({cid: s.value for cid, s in own.items()}, weights)


def _score_page(project, round_, seat, bids, bid, form, mine: dict, *, submit_form=None):
    criteria = project.bid_criteria
    position = bids.index(bid)
    complete = _complete_bids(bids, criteria, mine)
    return render_template(
        "review/score.html",
        project=project,
        round=round_,
        seat=seat,
        bids=bids,
        bid=bid,
        position=position,
        previous=bids[position - 1] if position > 0 else None,
        following=bids[position + 1] if position + 1 < len(bids) else None,
        complete=complete,
        missing=len(bids) - len(complete),
        own_total=_own_total(mine.get(bid.id, {}), criteria),
        others=_others(round_, seat, bid, criteria),
        team=queries.team_names(bid),
        record=bidder_records([bid.org_id])[bid.org_id],
        form=form,
        submit_form=submit_form or ActionForm(formdata=None),
        locked=seat.submitted_at is not None or lifecycle.effective_state(project) != ProjectState.REVIEWING,
    )


def _declared_seat(project: Project, panel: review.Panel) -> tuple[ReviewRound, PanelSeat]:
    """The panelist's round and seat; a panelist who has not declared yet is sent to declare."""
    round_, seat = _seat(project, panel)
    if seat.declared_at is None:
        abort(redirect(url_for(".declare", project_id=project.id, purpose=panel.purpose.value)))
    return round_, seat


def _scores_form(criteria, saved: dict, *, posted: bool = False) -> ScoreForm:
    """The scoring form of one bid (or of the outcome): what was posted, or else the panelist's saved
    scores of it ({criterion id: Score})."""
    if posted:
        return ScoreForm.of(criteria)
    return ScoreForm.of(criteria, formdata=None, data=ScoreForm.initial(criteria, saved))


@bp.route("/review/projects/<int:project_id>/score/<public_id>", methods=["GET", "POST"])
@login_required
def score(project_id: int, public_id: str):
    """One bid at a time: its plan and attachments, and a mark and comment per criterion."""
    project = _project_or_404(project_id)
    round_, seat = _declared_seat(project, review.BID_PANEL)
    bids = valid_bids(project)
    bid = next((b for b in bids if b.public_id == public_id), None)
    if bid is None:
        abort(404)
    mine = queries.scores_of_seat(seat)
    form = _scores_form(project.bid_criteria, mine.get(bid.id, {}), posted=request.method == "POST")
    if attempt(form, lambda: review.save_scores(current_user, project, bid, form.to_data())):
        flash(_("已保存对「%(org)s」的评分。", org=bid.org.name), "success")
        position = bids.index(bid)
        if request.form.get("go") == "next" and position + 1 < len(bids):
            bid = bids[position + 1]
        return redirect(url_for(".score", project_id=project.id, public_id=bid.public_id))
    return _score_page(project, round_, seat, bids, bid, form, mine), form.status_code


def _outcome_page(project, round_, seat, form, mine: dict, *, submit_form=None):
    """成效评估 for a panelist: what they judge — the completion report, spending against the budget,
    the volunteers, a page of the progress posts — beside their scores (``mine``), on one page."""
    criteria = project.outcome_criteria
    own = mine.get(None, {})
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template(
        "review/outcome_score.html",
        project=project,
        round=round_,
        seat=seat,
        evidence=outcome.evidence(project, page),
        page=page,
        criteria=criteria,
        missing=len(criteria) - len(own.keys() & {c.id for c in criteria}),
        own_total=_own_total(own, criteria),
        others=_others(round_, seat, None, criteria),
        form=form,
        submit_form=submit_form or ActionForm(formdata=None),
        locked=seat.submitted_at is not None or lifecycle.effective_state(project) != ProjectState.EVALUATING,
    )


def _outcome_project(project_id: int) -> Project:
    # The page names the host and scores on every criterion: both come with the project.
    return _project_or_404(project_id, joinedload(Project.host_org), joinedload(Project.criteria))


@bp.route("/review/projects/<int:project_id>/outcome/score", methods=["GET", "POST"])
@login_required
def outcome_score(project_id: int):
    """The outcome panelist's page: the evidence and a mark and comment per outcome criterion."""
    panel = outcome.OUTCOME_PANEL
    project = _outcome_project(project_id)
    round_, seat = _declared_seat(project, panel)
    mine = queries.scores_of_seat(seat)
    form = _scores_form(project.outcome_criteria, mine.get(None, {}), posted=request.method == "POST")
    if attempt(form, lambda: review.save_scores(current_user, project, None, form.to_data(), panel)):
        flash(_("已保存成效评估评分。"), "success")
        return redirect(url_for(".outcome_score", project_id=project.id))
    return _outcome_page(project, round_, seat, form, mine), form.status_code


@panel_route("/submit", methods=["POST"])
@login_required
def submit(project_id: int, purpose: str):
    """提交评分: all at once, locked from then on."""
    panel = PANELS[purpose]
    project = _project_or_404(project_id)
    round_, seat = _declared_seat(project, panel)
    form = ActionForm()
    if attempt(form, lambda: review.submit_scores(current_user, project, panel)):
        flash(_("评分已提交，不能再修改。现在可以看到其他已提交评议人的评分。"), "success")
        return redirect(panelist_url(purpose, project.id))
    mine = queries.scores_of_seat(seat)
    if purpose == "outcome":
        scores = _scores_form(project.outcome_criteria, mine.get(None, {}))
        return _outcome_page(project, round_, seat, scores, mine, submit_form=form), 422
    bids = valid_bids(project)
    bid = _first_to_score(bids, project.bid_criteria, mine)
    scores = _scores_form(project.bid_criteria, mine.get(bid.id, {}))
    return _score_page(project, round_, seat, bids, bid, scores, mine, submit_form=form), 422


# -- the public award notice (公示) ---------------------------------------------------------------------


def _shown_status(notice: AwardNotice, state: ProjectState) -> NoticeStatus:
    """A notice whose window has run out with nothing pending is over, whether or not the clock's
    step has been persisted yet."""
    if notice.status == NoticeStatus.ACTIVE and state not in (
        ProjectState.AWARD_NOTICE,
        ProjectState.CANCELLED,
    ):
        return NoticeStatus.FINAL
    return notice.status


def _notice_page(project: Project, *, objection_form=None, decline_form=None, status: int = 200):
    notices = review.notices_of(project)
    if not notices:
        abort(404)
    notice = notices[-1]
    state = lifecycle.effective_state(project)
    running = state == ProjectState.AWARD_NOTICE and notice.status == NoticeStatus.ACTIVE
    window_open = running and clock.now() < notice.window_ends_at
    mine = queries.objection_of(notice, current_user)
    may_object = window_open and mine is None and permissions.can(current_user, "review.object", project)
    return render_template(
        "review/notice.html",
        project=project,
        state=state,
        notice=notice,
        drawn=scoring.drawn_ties(project, notice.ranking),
        status=_shown_status(notice, state),
        earlier=[(n, _shown_status(n, state)) for n in reversed(notices[:-1])],
        window_open=window_open,
        pending=queries.pending_count(notice),
        rulings=queries.ruled_objections(notice),
        my_objection=mine,
        objection_form=objection_form or (ObjectionForm(formdata=None) if may_object else None),
        decline_form=decline_form
        or (
            ReasonForm(formdata=None, prefix="decline")
            if running and permissions.can(current_user, "review.decline", notice)
            else None
        ),
        may_act=permissions.can(current_user, "project.award", project),
    ), status


@bp.get("/projects/<int:project_id>/notice")
@pagecache.public
def notice(project_id: int):
    """公示: public, no login."""
    return _notice_page(_project_or_404(project_id))


@bp.get("/projects/<int:project_id>/notice.pdf")
def notice_pdf(project_id: int):
    """公示 printed for a notice board: public like the notice, for a notice in force or final only."""
    project = _project_or_404(project_id)
    notices = review.notices_of(project)
    state = lifecycle.effective_state(project)
    if not notices or state == ProjectState.CANCELLED:
        abort(404)
    notice = notices[-1]
    if _shown_status(notice, state) not in (NoticeStatus.ACTIVE, NoticeStatus.FINAL):
        abort(404)
    online = current_app.config["BASE_URL"].rstrip("/") + url_for(".notice", project_id=project.id)
    printed = notice_printing.PrintedNotice(
        project,
        notice,
        scoring.drawn_ties(project, notice.ranking),
        online,
        settings.get("notice_offline_contact"),
    )
    return send_download(
        io.BytesIO(notice_printing.render(printed)),
        name=f"评标结果公示-{project.title}-第{notice.number}号.pdf",
        fallback=f"award-notice-{project.id}-{notice.number}.pdf",
        mimetype="application/pdf",
        private=False,
    )


@bp.post("/projects/<int:project_id>/notice/objections")
@login_required
def object_to(project_id: int):
    project = _project_or_404(project_id)
    form = ObjectionForm()
    if attempt(form, lambda: review.object_to(current_user, project, form.to_data())):
        flash(_("异议已提交。校团委会尽快处理，结果会通知你。"), "success")
        return redirect(url_for(".notice", project_id=project.id))
    return _notice_page(project, objection_form=form, status=422)


@bp.post("/projects/<int:project_id>/notice/decline")
@login_required
def decline(project_id: int):
    """放弃承办: the winner's manager, during the notice."""
    project = _project_or_404(project_id)
    form = ReasonForm(prefix="decline")
    if attempt(form, lambda: review.decline(current_user, project, form.to_data())):
        flash(_("已放弃承办。学生会将把中标资格顺延给下一名。"), "success")
        return redirect(url_for(".notice", project_id=project.id))
    return _notice_page(project, decline_form=form, status=422)


# -- the league reviewer's objection queue -----------------------------------------------------------------


def _objections_page(ruling: tuple[int, RulingForm] | None = None, status: int = 200):
    history = request.args.get("tab") == "history"
    page = paginate_rows(queries.objections(pending=not history))
    forms = {} if history else {o.id: RulingForm(formdata=None, prefix=f"o{o.id}") for o, _p in page.items}
    if ruling is not None:
        forms.update([ruling])
    return render_template(
        "review/objections.html",
        page=page,
        history=history,
        forms=forms,
        # After the deadline a project's bids are hidden from exactly those recused from it.
        recused=hidden_bid_projects(current_user),
    ), status


@bp.get("/review/objections")
@login_required
def objections():
    permissions.require(current_user, "project.review_queue")
    return _objections_page()


@bp.post("/review/objections/<int:objection_id>/rule")
@login_required
def rule(objection_id: int):
    permissions.require(current_user, "project.review_queue")
    objection = db.get_or_404(Objection, objection_id)
    if objection.status != ObjectionStatus.PENDING:
        flash(_("这条异议已经处理过了。"), "warning")
        return redirect(url_for(".objections"))
    form = RulingForm(prefix=f"o{objection.id}")
    if attempt(form, lambda: review.rule_on(current_user, objection, form.to_data())):
        if form.uphold.data:
            flash(_("已认定异议成立：公示撤销，项目重新评审，原评审记录保留。"), "success")
        else:
            flash(_("已认定异议不成立，处理意见已通知提出异议的同学。"), "success")
        return redirect(url_for(".objections"))
    return _objections_page(ruling=(objection.id, form), status=422)
