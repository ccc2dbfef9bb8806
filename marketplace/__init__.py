"""揭榜 — the student-union project-bidding marketplace (发榜 → 竞标 → 承办 → 评价)."""

from __future__ import annotations

import logging

from flask import Flask, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, config_for

from . import clock, database, i18n, static_assets
from .converters import BoundedIntConverter
from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate
from .static_assets import App


def select_locale() -> str:
    """zh_CN whatever the browser sends, unless the user chose another language."""
    from flask import current_app

    if not has_request_context():  # a background task or a command: the school's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config: type | dict | None = None) -> Flask:
    config_class = config if isinstance(config, type) else config_for()
    config_class.check()
    app = App(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=config_class.INSTANCE_DIR,
    )
    app.config.from_object(config_class)
    if isinstance(config, dict):
        app.config.update(config)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(BASE_DIR / "marketplace" / "translations"))
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.url_map.converters["int"] = BoundedIntConverter

    database.configure(app.config)
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    i18n.init_app(app)
    static_assets.init_app(app)
    limiter.init_app(app)

    from . import models  # noqa: F401 — every table registered before anything queries
    from .notify import delivery  # noqa: F401 — registers the mail tasks with Huey
    from .opendata import tasks as open_data_tasks  # noqa: F401 — registers the bulk download's rebuild
    from .projects import tasks  # noqa: F401 — registers the periodic tick
    from .queue import bind_app

    _load_rules()
    _connect_receivers()
    _cache_public_pages(app)
    bind_app(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    from .security import init_security

    init_security(app)
    from .errors_pages import register_error_pages

    register_error_pages(app)
    from .cli import register_cli

    register_cli(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _cache_public_pages(app: Flask) -> None:
    """What the public pages read (a commit changing it empties the page cache) and when they change
    by themselves (no cached page outlives it): see marketplace/pagecache.py."""
    from . import pagecache
    from .bids.models import Bid
    from .evaluation.models import FinalScore, ImprovementPlan
    from .evaluation.queries import next_improvement_due
    from .hosting.models import CompletionReport, Photo, ProgressUpdate
    from .needs.models import Need, NeedAppeal, NeedComment, NeedPhoto, NeedSupport
    from .needs.queries import next_overdue, next_trend_change
    from .orgs.models import College, Membership, Organization
    from .projects.models import Criterion, Project, ProjectChange, Question
    from .projects.queries import next_evaluation_end, next_open_deadline
    from .review.models import AwardNotice, Objection, Score
    from .review.queries import next_window_end
    from .school.models import Term
    from .settings import Setting
    from .staff_review.models import StaffReview, StaffReviewee
    from .staff_review.queries import next_close as next_review_close
    from .surveys.models import (
        Survey,
        SurveyAnswer,
        SurveyDimension,
        SurveyInvitation,
        SurveyRating,
        SurveyRespondent,
        SurveyTally,
    )
    from .surveys.queries import next_close
    from .volunteers.models import Position, Shift

    pagecache.watch(Project, Criterion, Question, ProjectChange, Bid, Score, AwardNotice, Objection)
    pagecache.watch(Organization, Membership, College, ProgressUpdate, Photo, CompletionReport)
    pagecache.watch(Position, Shift, Setting, FinalScore, ImprovementPlan)
    # The needs pool and a need's page; the project page lists the needs accepted with it.
    pagecache.watch(Need, NeedSupport, NeedComment, NeedPhoto, NeedAppeal)
    # The project page's satisfaction section and a survey's results page (answers change nothing
    # shown before the window closes, but an answer committed in its last moment must not leave the
    # results cached without it; who was invited and who answered are the response rate; a union's
    # yearly survey counts in tallies).
    pagecache.watch(Survey, SurveyDimension, SurveyAnswer, SurveyRating, SurveyInvitation, SurveyRespondent)
    pagecache.watch(SurveyTally)
    # A 述职 review's public page (that it took place, its counts, once published its distribution).
    pagecache.watch(StaffReview, StaffReviewee, Term)
    pagecache.deadlines(
        next_open_deadline, next_window_end, next_evaluation_end, next_improvement_due, next_close
    )
    pagecache.deadlines(next_overdue, next_trend_change, next_review_close)
    pagecache.init_app(app)


def _load_rules() -> None:
    """Every area's permission rules: ``@permissions.rule`` registers them when their module is first
    imported (so a second app registers nothing twice)."""
    from .bids import rules as bid_rules  # noqa: F401
    from .credits import rules as credit_rules  # noqa: F401
    from .disclosure import rules as disclosure_rules  # noqa: F401
    from .evaluation import rules as evaluation_rules  # noqa: F401
    from .needs import rules as need_rules  # noqa: F401
    from .projects import rules as project_rules  # noqa: F401
    from .review import rules as review_rules  # noqa: F401
    from .satisfaction import rules as satisfaction_rules  # noqa: F401
    from .staff_review import rules as staff_review_rules  # noqa: F401
    from .surveys import rules as survey_rules  # noqa: F401
    from .volunteers import rules as volunteer_rules  # noqa: F401


def _connect_receivers() -> None:
    """What a project's step implies in other areas, connected in the order it happens. Blinker keys a
    receiver by identity, so a second app connects nothing twice."""
    from .bids import receivers as bids
    from .evaluation import closing
    from .evaluation import receivers as evaluation
    from .needs import receivers as needs
    from .projects import receivers as projects
    from .projects.lifecycle import project_moved
    from .review import receivers as review
    from .surveys import receivers as surveys
    from .volunteers import receivers as volunteers

    for receiver in (
        bids.record_recusals_at_deadline,  # close_bidding
        review.open_review_round,  # close_bidding
        bids.tell_unconfirmed_bidders,  # close_bidding, fail: a bid never re-confirmed does not count
        review.finalise_notice,  # start_hosting
        review.open_outcome_panel,  # complete: the outcome panel opens on the template's criteria
        surveys.prepare_with_hosting,  # start_hosting: the survey, with its default dimensions
        surveys.open_with_evaluation,  # complete: the survey opens, those who took part are invited
        surveys.close_with_project,  # close, approve_cancel: the survey closes before what reads it
        review.withdraw_notice,  # cancel: the notice is withdrawn before
        volunteers.end_signups_with_project,  # cancel, approve_cancel: the shifts to come are off
        bids.tell_bidders_of_cancel,  # cancel, approve_cancel: the bidders hear of it
        projects.tell_creator,  # approve, return
        projects.tell_of_cancel_request,  # request_cancel: the league reviewers, staff and host hear
        projects.tell_of_cancel_approval,  # approve_cancel: the staff and the host hear
        projects.tell_staff_of_failure,  # fail, fail_after_decline
        evaluation.score_on_close,  # close: the final score, and the improvement plan it may require
        needs.tell_supporters,  # publish, approve, close: after the final score, which it tells
    ):
        project_moved.connect(receiver, weak=False)
    closing.register()  # the staff's close waits for the outcome panel and the survey


def _register_blueprints(app: Flask) -> None:
    from .accounts.views import bp as accounts_bp
    from .admin.views import bp as admin_bp
    from .bids.views import bp as bids_bp
    from .credits.views import bp as credits_bp
    from .disclosure.views import bp as disclosure_bp
    from .evaluation.views import bp as evaluation_bp
    from .hosting.views import bp as hosting_bp
    from .main.views import bp as main_bp
    from .needs.views import bp as needs_bp
    from .notify.views import bp as notify_bp
    from .opendata.views import bp as opendata_bp
    from .orgs.views import bp as orgs_bp
    from .projects.views import bp as projects_bp
    from .review.views import bp as review_bp
    from .roster.views import bp as roster_bp
    from .satisfaction.views import bp as satisfaction_bp
    from .staff_review.views import bp as staff_review_bp
    from .surveys.views import bp as surveys_bp
    from .volunteers.views import bp as volunteers_bp

    for bp in (
        main_bp,
        accounts_bp,
        notify_bp,
        orgs_bp,
        admin_bp,
        roster_bp,
        bids_bp,
        projects_bp,
        review_bp,
        hosting_bp,
        volunteers_bp,
        credits_bp,
        evaluation_bp,
        surveys_bp,
        staff_review_bp,
        satisfaction_bp,
        opendata_bp,
        disclosure_bp,
        needs_bp,
    ):
        app.register_blueprint(bp)


def _register_template_helpers(app: Flask) -> None:
    from . import permissions
    from .formatting import register_filters

    register_filters(app)

    def unread_notifications() -> int:
        # Asked by the page's header only. The signed-in user is loaded with the count; a user signed in
        # during this request is not, and is counted once (the header asks up to four times).
        from .notify.operations import unread_count

        if not (current_user and current_user.is_authenticated):  # None outside a request (CLI, worker)
            return 0
        if g.get("_unread") is None:
            g._unread = unread_count(current_user)
        return g._unread

    @app.context_processor
    def inject_globals():
        from .main.home import nav_items

        return {
            "nav_items": nav_items,
            "can": permissions.template_can,
            "has_role": lambda role: permissions.has_role(current_user, role),
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "school_name": app.config["SCHOOL_NAME"],
            "unread_notifications": unread_notifications,
            "now": clock.now,
            "request_path": request.path if request else "/",
        }
