"""``make bench`` at a tiny scale: its bulk seed keeps to the schema as the schema changes (every CHECK
constraint and, added back at the end, every foreign key) and to what the evaluation's features
imply (the final scores are what the app computes from the seeded panels and surveys), every page it
measures renders, its burst of sign-ups runs against a real app server, and the roster its memory
step imports passes the roster's check."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa

from bench import burst, load, pages, seed
from bench.__main__ import environment
from bench.memory import roster_file
from marketplace import clock, create_app
from marketplace.evaluation.final import final_score
from marketplace.evaluation.models import FinalOutcome, FinalScore, ImprovementPlan
from marketplace.extensions import db
from marketplace.projects.models import Project, ProjectState
from marketplace.queue import bind_app
from marketplace.review.outcome import panel_score
from marketplace.roster import checking, files
from marketplace.settings import SETTINGS
from marketplace.surveys.models import Survey, SurveyStatus
from marketplace.surveys.results import counts, results_of
from tests import factories

SCALE = 0.001


@pytest.fixture(scope="module")
def bench_url(app):
    """A database of its own, seeded at ``SCALE`` once for this module, on the running clock as
    ``make bench`` seeds it (the server the burst goes through knows no other)."""
    clock.reset()
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    url = url.set(database=f"{url.database}_bench_seed").render_as_string(hide_password=False)
    seed.recreate_database(url)
    bench = create_app({"SQLALCHEMY_DATABASE_URI": url})
    try:
        with bench.app_context():
            seed.build(SCALE)
    finally:
        _done_with(bench, app)
    return url


@pytest.fixture
def running_clock():
    clock.reset()


def _done_with(bench, app):
    bind_app(app)  # the factory bound the task queue to the bench app
    with bench.app_context():
        db.engine.dispose()


@pytest.mark.postgres
@pytest.mark.commits  # the seed commits, in a database of its own
def test_the_bench_seed_keeps_to_the_schema_and_every_measured_page_renders(app, bench_url, running_clock):
    bench = create_app({"SQLALCHEMY_DATABASE_URI": bench_url})
    try:
        with bench.app_context():
            rows = seed.row_counts()
            states = set(db.session.scalars(sa.text("SELECT DISTINCT state FROM project")))
            miscounted_needs = db.session.scalar(
                sa.text(
                    "SELECT count(*) FROM need WHERE support_count != "
                    "(SELECT count(*) FROM need_support WHERE need_id = need.id)"
                )
            )
            staff_invitations = db.session.scalar(
                sa.text(
                    "SELECT count(*) FROM survey_invitation JOIN survey ON survey.id = survey_id "
                    "WHERE survey.kind = 'staff_term'"
                )
            )
        costs, cookies = pages.check(bench)
    finally:
        _done_with(bench, app)

    assert states == {state.value for state in ProjectState}
    assert rows["credit_record"] == rows["attendance"] == seed.size("credit_records", SCALE)
    assert rows["audit_entry"] >= seed.size("audit_entries", SCALE)
    assert {page.name for page in costs} >= {"transcript PDF", "roster", "review page", "audit log"}
    assert {page.name for page in costs} >= {"survey results", "organization record", "outcome scoring"}
    assert {page.name for page in costs} >= {"staff to rate", "own staff review", "staff review results"}
    assert rows["staff_reviewee"] == 4 * seed.UNION_STAFF
    assert staff_invitations == 0  # who may rate is a rule, not rows
    assert {page.name for page in costs} >= {"union dashboard, breakdown", "yearly survey to answer"}
    assert (rows["need"], rows["need_support"]) == (
        seed.size("needs", SCALE),
        seed.size("need_supports", SCALE),
    )
    assert miscounted_needs == 0
    assert {page.name for page in costs} >= {"needs pool", "need page", "need page, staff answering"}
    assert all(cost.statements > 0 for page, cost in costs.items() if page.role is not None)
    assert set(cookies) == set(pages.LOGINS)


@pytest.mark.postgres
@pytest.mark.commits  # reads the database the seed committed
def test_the_bench_final_scores_are_what_the_app_computes_from_the_seeded_panels_and_surveys(
    app, bench_url, running_clock
):
    bench = create_app({"SQLALCHEMY_DATABASE_URI": bench_url})
    try:
        with bench.app_context():
            answers = dict(db.session.execute(sa.text(ANSWERS_PER_SURVEY)).all())
            staff_ratings = db.session.scalar(sa.text(STAFF_RATINGS))
            checks = dict(db.session.execute(sa.text(EVALUATION_CHECKS)).one()._mapping)
            closed = db.session.scalars(sa.select(Project).where(Project.state == ProjectState.CLOSED)).all()
            finals = {f.project_id: f for f in db.session.scalars(sa.select(FinalScore))}
            owing = set(db.session.scalars(sa.select(ImprovementPlan.project_id)))
            recomputed = {}
            for project in closed:
                survey = db.session.scalar(sa.select(Survey).where(Survey.project_id == project.id))
                result = results_of(survey)
                means = {d.label: d.mean for d in result.dimensions} if result else None
                recomputed[project.id] = final_score(
                    panel_score(project),
                    means,
                    counts(survey)[0],
                    min_responses=survey.min_responses,
                    panel_weight_percent=SETTINGS["panel_weight_percent"].default,
                ).score
    finally:
        _done_with(bench, app)

    assert sum(answers.values()) == seed.size("survey_answers", SCALE)
    assert staff_ratings == seed.size("staff_ratings", SCALE)
    assert checks == dict.fromkeys(checks, 0), "rows the features' invariants rule out"
    assert set(finals) == {p.id for p in closed}
    assert {project_id: f.score for project_id, f in finals.items()} == recomputed
    assert {f.outcome for f in finals.values()} >= {FinalOutcome.SCORED}
    threshold = SETTINGS["improvement_threshold"].default
    assert owing == {p for p, f in finals.items() if f.score is not None and f.score < threshold}
    assert owing, "no improvement plan to show"


# Answers per survey; and rows that break an invariant of the evaluation's features, counted by kind.
ANSWERS_PER_SURVEY = (
    "SELECT survey_id, count(*) FROM survey_answer a JOIN survey s ON s.id = a.survey_id "
    "WHERE s.kind = 'project' GROUP BY survey_id"
)
STAFF_RATINGS = (
    "SELECT count(*) FROM survey_answer a JOIN survey s ON s.id = a.survey_id WHERE s.kind = 'staff_term'"
)
EVALUATION_CHECKS = f"""
SELECT
  (SELECT count(*) FROM survey s WHERE s.kind = 'project' AND
     (SELECT count(*) FROM survey_answer a WHERE a.survey_id = s.id)
     != (SELECT count(*) FROM survey_respondent r WHERE r.survey_id = s.id)) AS answers_without_answered_row,
  (SELECT count(*) FROM survey_respondent r JOIN survey s ON s.id = r.survey_id
     WHERE s.kind = 'project' AND NOT EXISTS (
     SELECT 1 FROM survey_invitation i WHERE i.survey_id = r.survey_id AND i.user_id = r.user_id))
     AS answered_uninvited,
  (SELECT count(*) FROM survey_respondent r JOIN survey s ON s.id = r.survey_id
     WHERE r.user_id = s.staff_user_id) AS rated_themselves,
  (SELECT count(*) FROM survey_answer a JOIN survey s ON s.id = a.survey_id
     WHERE (s.kind = 'staff_term') != (a.rater_group IS NOT NULL)) AS rater_group_where_it_is_not,
  (SELECT count(*) FROM survey_answer a JOIN survey s ON s.id = a.survey_id
     WHERE s.status = '{SurveyStatus.PREPARED.value}') AS answers_to_unopened,
  (SELECT count(*) FROM survey_answer a WHERE
     (SELECT count(*) FROM survey_rating g WHERE g.answer_id = a.id)
     != (SELECT count(*) FROM survey_dimension d WHERE d.survey_id = a.survey_id)) AS answers_missing_stars,
  (SELECT count(*) FROM survey_rating g JOIN survey_answer a ON a.id = g.answer_id
     JOIN survey_dimension d ON d.id = g.dimension_id WHERE d.survey_id != a.survey_id)
     AS stars_of_another_survey,
  (SELECT count(*) FROM survey_answer a JOIN survey s ON s.id = a.survey_id
     WHERE a.answered_on > (s.closes_at AT TIME ZONE 'Asia/Shanghai')::date) AS answered_after_window,
  (SELECT count(*) FROM project p WHERE p.state IN ('hosting', 'evaluating', 'closed')
     AND NOT EXISTS (SELECT 1 FROM survey s WHERE s.project_id = p.id)) AS hosted_without_survey,
  (SELECT count(*) FROM project p WHERE p.state IN ('evaluating', 'closed') AND NOT EXISTS (
     SELECT 1 FROM review_round r JOIN panel_seat t ON t.round_id = r.id
     WHERE r.project_id = p.id AND r.purpose = 'outcome')) AS evaluated_without_panel,
  (SELECT count(*) FROM score c JOIN panel_seat t ON t.id = c.seat_id JOIN review_round r ON r.id = t.round_id
     WHERE (c.bid_id IS NULL) != (r.purpose = 'outcome')) AS scores_of_the_wrong_panel,
  (SELECT count(*) FROM participant_checkin c JOIN participant_day d ON d.id = c.day_id
     JOIN project p ON p.id = d.project_id WHERE d.day NOT BETWEEN p.hosting_starts_on AND p.hosting_ends_on)
     AS check_ins_outside_hosting,
  (SELECT count(*) FROM survey_answer a JOIN survey s ON s.id = a.survey_id
     WHERE s.kind = 'union_year') AS answer_rows_of_a_yearly_survey,
  (SELECT count(*) FROM survey s WHERE s.kind = 'union_year' AND
     (SELECT count(*) FROM survey_respondent r WHERE r.survey_id = s.id)
     * (SELECT count(*) FROM survey_dimension d WHERE d.survey_id = s.id)
     != (SELECT coalesce(sum(t.responses), 0) FROM survey_tally t WHERE t.survey_id = s.id))
     AS yearly_tally_not_one_per_answer_and_dimension
"""


@pytest.mark.postgres
@pytest.mark.commits  # through a gunicorn of its own, on the seeded database
def test_a_burst_of_signups_through_the_server_fills_the_seats_and_queues_the_rest(
    app, bench_url, running_clock, tmp_path
):
    env = {**environment(bench_url), "INSTANCE_PATH": str(tmp_path)}
    # The sessions are signed in process with the server's key.
    bench = create_app({"SQLALCHEMY_DATABASE_URI": bench_url, "SECRET_KEY": env["SECRET_KEY"]})
    try:
        with load.serving(load.APP, _free_port(), "/healthz", env) as base:
            run = burst.run(bench, base, students=30, seats=5, connections=10, entries=12)
    finally:
        _done_with(bench, app)

    assert (run.accepted, run.waiting) == (5, 25)
    assert run.problems() == []
    assert run.statements_per_signup > 0 and run.ratio > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_memory_steps_roster_passes_the_check_with_a_third_joining_organizations(db, tmp_path):
    colleges = [factories.college().name, factories.college().name]
    orgs = [factories.org().name]
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_file("M0", 30, colleges, orgs))

    result = checking.check_table(files.read_table(path))

    assert result.valid, result.errors[:3]
    assert (result.total, len(result.people), len(result.appointments)) == (30, 30, 10)


def test_every_name_the_bench_imports_from_the_app_exists():
    """The bench's steps import the app's modules inside their functions (a step runs in a process of
    its own); a name the app moved would surface only minutes into a full run, as the memory step's
    export key once did. Every ``from marketplace… import name`` in ``bench/`` must resolve."""
    import ast
    import importlib
    from pathlib import Path

    missing = []
    for path in sorted((Path(__file__).parent.parent / "bench").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("marketplace"):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    if not hasattr(module, alias.name):
                        try:
                            importlib.import_module(f"{node.module}.{alias.name}")
                        except ImportError:
                            missing.append(f"{path.name}: {node.module}.{alias.name}")
    assert missing == []
