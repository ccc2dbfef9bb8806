"""Every page's budget: at most 12 statements and 100 loaded objects per request, the same however many
rows the database holds. Each page is measured with N and 3N rows of what grows under it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from marketplace import clock
from marketplace.credits import transcript as transcript_ops
from marketplace.credits.models import (
    CreditCategory,
    CreditRequirement,
    CreditRequirementItem,
    CreditStatus,
    RequirementUnit,
)
from marketplace.evaluation.operations import move_improvement
from marketplace.extensions import db
from marketplace.hosting import participants
from marketplace.hosting.models import Expenditure, ParticipantCheckin, Photo, ProgressUpdate
from marketplace.needs import operations as needs_operations
from marketplace.needs.models import NeedComment, NeedSupport
from marketplace.notify.models import Notification
from marketplace.orgs.models import OrgKind
from marketplace.projects import operations as projects_operations
from marketplace.projects.models import Project
from marketplace.satisfaction import operations as satisfaction
from marketplace.school.models import AcademicYear
from marketplace.staff_review import operations as operations_of_staff_review
from marketplace.staff_review.models import StaffGrade
from marketplace.surveys import operations as surveys
from marketplace.volunteers.models import (
    Attendance,
    Position,
    Shift,
    Signup,
    SignupStatus,
    Training,
    TrainingAttendance,
)
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import CreditWorld, add_records
from tests.credits.helpers import records_of as records_of_student
from tests.disclosure.helpers import DisclosureWorld
from tests.evaluation.helpers import scored
from tests.needs.helpers import NeedWorld
from tests.projects.helpers import World
from tests.review.helpers import OutcomeWorld, ReviewWorld, awarded
from tests.satisfaction.helpers import YearWorld
from tests.satisfaction.helpers import answer_data as yearly_answer
from tests.staff_review.helpers import StaffWorld
from tests.surveys.helpers import SurveyWorld, answer_data, invite
from tests.volunteers.helpers import HostingWorld

STATEMENTS = 12
OBJECTS = 100
N = 3


@dataclass
class Page:
    client: object
    url: str
    grow: Callable[[int], None]
    # A list shown whole (the door roster, the transcript PDF, the evaluators one may seat) may load
    # this many objects a row.
    per_row: int = 0
    rows: Callable[[], int] = lambda: 0


def _trainings(world, student, n: int, others: int) -> None:
    """``n`` trainings the student attended, each with ``others`` other attendees."""
    people = [factories.user() for _ in range(others)]
    for i in range(n):
        training = Training(
            project_id=world.project.id, title=f"第{i + 1}次培训", held_at=clock.now() - timedelta(days=i + 1)
        )
        training.attendees = [TrainingAttendance(user_id=u.id) for u in [student, *people]]
        db.session.add(training)
    db.session.commit()


def _requirement_of(student) -> None:
    """A requirement for the student's cohort in every category: the page and the PDF show the progress."""
    requirement = CreditRequirement(
        grade=student.grade,
        degree_level=student.degree_level,
        total=Decimal(4),
        total_unit=RequirementUnit.HOURS,
    )
    for category in db.session.scalars(select(CreditCategory)):
        requirement.items.append(
            CreditRequirementItem(category_id=category.id, minimum=Decimal(1), unit=RequirementUnit.CREDITS)
        )
    db.session.add(requirement)
    db.session.commit()


def transcript(app) -> Page:
    world = CreditWorld(volunteers=2)
    student = world.volunteers[0]
    _requirement_of(student)
    add_records(world, 2, user=student)
    _trainings(world, student, 2, 0)

    def grow(n):
        # Other people's records and more attendees at the trainings the student shares with them.
        add_records(world, n)
        for training in db.session.scalars(db.select(Training)).all():
            for _ in range(n):
                db.session.add(TrainingAttendance(training_id=training.id, user_id=factories.user().id))
        db.session.commit()

    return Page(signed_in(app, student), "/transcript", grow)


def transcript_pdf(app) -> Page:
    """The PDF holds every record of the student's (it cannot be paged): a record and its project each."""
    world = CreditWorld(volunteers=1)
    student = world.volunteers[0]
    _requirement_of(student)
    own = [len(records_of_student(student))]

    def grow(n):
        add_records(world, n)  # other people's
        add_records(world, n, user=student, status=CreditStatus.VERIFIED)
        own.append(n)

    return Page(signed_in(app, student), "/transcript.pdf", grow, per_row=2, rows=lambda: sum(own))


def _volunteers(world, shift, n: int) -> None:
    shift.capacity += n
    db.session.commit()
    for student in world.students(n):
        world.sign_up(student, shift)


def _participants(day, n: int) -> None:
    """``n`` more students checked in on the participants' ``day``."""
    db.session.add_all(ParticipantCheckin(day_id=day.id, user_id=factories.user().id) for _ in range(n))
    db.session.commit()


def host_console(app) -> Page:
    world = HostingWorld()
    shift = world.shift(world.position(), capacity=1)
    _trainings(world, world.students(1)[0], 2, 1)
    day = participants.open_today(world.host, world.project)
    db.session.commit()

    def grow(n):
        _volunteers(world, shift, n)
        for training in db.session.scalars(db.select(Training)).all():
            for student in world.students(n):
                db.session.add(TrainingAttendance(training_id=training.id, user_id=student.id))
        db.session.commit()
        _participants(day, n)

    return Page(signed_in(app, world.host), f"/hosting/projects/{world.project.id}", grow)


def roster(app) -> Page:
    world = HostingWorld()
    shift = world.shift(world.position(), capacity=1)
    signed = []

    def grow(n):
        _volunteers(world, shift, n)
        signed.append(n)

    return Page(
        signed_in(app, world.host),
        f"/hosting/shifts/{shift.id}/roster",
        grow,
        per_row=2,
        rows=lambda: sum(signed),
    )


def verification_queue(app) -> Page:
    world = CreditWorld(volunteers=1)
    return Page(signed_in(app, world.reviewer), "/credits/verify", lambda n: add_records(world, 8 * n))


def staff_dashboard(app) -> Page:
    world = World()

    def grow(n):
        _projects(world, 20 * n)

    return Page(signed_in(app, world.staff), "/staff", grow)


def student_home(app) -> Page:
    world = HostingWorld()
    student = world.students(1)[0]
    _requirement_of(student)  # the credits part shows the progress, from one aggregate

    made = []

    def grow(n):
        for _ in range(n):
            made.append(
                world.shift(world.position(), capacity=1, starts_in=timedelta(days=2, hours=3 * len(made)))
            )
            world.sign_up(student, made[-1])

    return Page(signed_in(app, student), "/", grow)


def _projects(world, n: int) -> None:
    """``n`` more open projects: copies of one made through the operations, inserted in one statement."""
    template = world.open_project()
    row = {c.key: getattr(template, c.key) for c in Project.__table__.columns if c.key != "id"}
    db.session.execute(insert(Project), [{**row, "title": f"第{i}期"} for i in range(n - 1)])
    db.session.commit()


def _bids(world, project, n: int) -> None:
    for _ in range(n):
        club = factories.org()
        world.bid(project, factories.manager_of(club), club)


def anonymous_home(app) -> Page:
    world = World()
    return Page(signed_in(app, None), "/", lambda n: _projects(world, 8 * n))


def project_list(app) -> Page:
    world = World()
    return Page(
        signed_in(app, None), "/projects?status=open&category=academic", lambda n: _projects(world, 8 * n)
    )


def project_page(app) -> Page:
    world = World()
    project = world.open_project()
    return Page(signed_in(app, world.manager_a), project.url, lambda n: _bids(world, project, n))


def review_page(app) -> Page:
    world = ReviewWorld()
    clock.set(world.project.bid_deadline - timedelta(hours=1))
    _bids(world, world.project, 9)
    clock.set(world.project.bid_deadline + timedelta(minutes=1))
    world.seat_everyone()
    # What grows under a project in review: the school's other projects and their bids, and the
    # evaluators the staff may still seat — offered whole, each with the college the choice names.
    added = []

    def grow(n):
        _other_bids(world, n)
        for _ in range(n):
            factories.user(kind="faculty", roles=("evaluator",), college=factories.college())
        _hosted(world, world.club_a, n)  # the bidders' records: reputation and improvement plans
        _hosted(world, world.club_b, n)
        added.append(n)

    url = f"/review/projects/{world.project.id}"
    return Page(signed_in(app, world.staff), url, grow, per_row=2, rows=lambda: sum(added))


def _other_bids(world, n: int) -> None:
    for i in range(n):
        _bids(world, world.open_project(title=f"第{i}期"), 2)


def outcome_page(app) -> Page:
    """成效评估, the panelist's page: the report, spending, volunteer totals (one aggregate) and a page
    of the progress posts with their photos, whatever the number of posts and of shifts and their
    volunteers (made directly: the project is past hosting)."""
    world = OutcomeWorld()
    world.seat(world.evaluators[:1])
    position = Position(project_id=world.project.id, title="答疑志愿者")
    db.session.add(position)

    def grow(n):
        for i in range(8 * n):
            update = ProgressUpdate(
                project_id=world.project.id, milestone=f"第{i}次活动", percent=50, body=""
            )
            update.photos = [Photo(stored_name=f"{i}-{k}", width=800, height=600) for k in range(2)]
            db.session.add(update)
        for i in range(n):
            starts = clock.now() - timedelta(days=10, hours=3 * i)
            shift = Shift(
                position=position,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="图书馆",
                capacity=2,
                taken=2,
                credit_hours=Decimal("2"),
                attendance_confirmed_at=starts,
            )
            db.session.add(shift)
            for student in world.students(2):
                signup = Signup(shift=shift, user_id=student.id, status=SignupStatus.ACCEPTED)
                signup.attendance = Attendance(checked_in_at=starts, credited_hours=Decimal("2"))
                db.session.add(signup)
        db.session.commit()

    url = f"/review/projects/{world.project.id}/outcome/score"
    return Page(signed_in(app, world.evaluators[0]), url, grow)


def outcome_panel_page(app) -> Page:
    """成效评估 for the staff: the criteria, the panel (one has submitted) and the evaluators they may
    still seat, offered whole, each with the college the choice names."""
    world = OutcomeWorld()
    world.seat()
    world.score(world.evaluators[0], 80, submit=True)
    added = []

    def grow(n):
        _other_bids(world, n)
        for _ in range(n):
            factories.user(kind="faculty", roles=("evaluator",), college=factories.college())
        added.append(n)

    url = f"/review/projects/{world.project.id}/outcome"
    return Page(signed_in(app, world.staff), url, grow, per_row=2, rows=lambda: sum(added))


def award_notice(app) -> Page:
    world = awarded(ReviewWorld())
    return Page(signed_in(app, None), f"/projects/{world.project.id}/notice", lambda n: _other_bids(world, n))


def _hosted(world, org, n: int) -> None:
    """``n`` more closed projects hosted by ``org``: scores above and below the line, a plan submitted
    for one in three of the low ones."""
    for i in range(n):
        final = scored(world, org, 40 + 15 * (i % 4), days_ago=30 * i, category="academic")
        if final.improvement is not None and i % 3 == 0:
            move_improvement(final.improvement, "submit", None, body="整改措施", submitted_at=clock.now())
    db.session.commit()


def organization_page(app) -> Page:
    world = World()
    club = world.club_a

    def grow(n):
        for _ in range(8 * n):
            factories.membership(factories.user(), club)
        _hosted(world, club, 3 * n)  # its record grows past what the page charts

    return Page(signed_in(app, None), f"/orgs/{club.id}", grow)


def closed_project_page(app) -> Page:
    """A closed project's page: its final score, its plan, and the host's other projects growing."""
    world = World()
    _hosted(world, world.club_a, 1)
    project = db.session.scalars(db.select(Project).order_by(Project.id)).first()
    return Page(signed_in(app, world.manager_a), project.url, lambda n: _hosted(world, world.club_a, n))


def open_data_index(app) -> Page:
    world = World()
    return Page(signed_in(app, None), "/open-data", lambda n: _projects(world, 8 * n))


def open_data_document(app) -> Page:
    """One closed project's document: its progress and spending grow, and so do other projects."""
    world = World()
    _hosted(world, world.club_a, 1)
    project = db.session.scalars(db.select(Project).order_by(Project.id)).first()

    def grow(n):
        for i in range(4 * n):
            db.session.add(ProgressUpdate(project_id=project.id, milestone=f"节点{i}", percent=50))
            db.session.add(
                Expenditure(
                    project_id=project.id, spent_on=clock.now().date(), item="物料", amount=Decimal(10)
                )
            )
        db.session.commit()
        _hosted(world, world.club_b, n)

    return Page(signed_in(app, None), f"/open-data/projects/{project.id}.json", grow)


def posting_form(app) -> Page:
    """The posting form shows the latest below-threshold projects of each category."""
    world = World()
    return Page(signed_in(app, world.staff), "/projects/new", lambda n: _hosted(world, world.club_b, 4 * n))


def _shifts(world, n: int, made: list, student=None) -> None:
    position = world.position()
    for _ in range(n):
        made.append(world.shift(position, capacity=2, starts_in=timedelta(days=2, hours=3 * len(made))))
        if student is not None:
            world.sign_up(student, made[-1])


def open_shifts(app) -> Page:
    world = HostingWorld()
    made = []
    return Page(signed_in(app, world.students(1)[0]), "/volunteer", lambda n: _shifts(world, 8 * n, made))


def my_signups(app) -> Page:
    world = HostingWorld()
    student = world.students(1)[0]
    made = []
    return Page(signed_in(app, student), "/volunteer/mine", lambda n: _shifts(world, 8 * n, made, student))


def notifications(app) -> Page:
    student = factories.user()

    def grow(n):
        db.session.add_all(
            Notification(
                user_id=student.id, kind="signup.accepted", title=f"录用通知{i}", link="/volunteer/mine"
            )
            for i in range(8 * n)
        )
        db.session.commit()

    return Page(signed_in(app, student), "/notifications/", grow)


def verification_page(app) -> Page:
    world = CreditWorld(volunteers=1)
    student = world.volunteers[0]
    add_records(world, 3, user=student, status=CreditStatus.VERIFIED)
    issued, _records = transcript_ops.issue(student)
    db.session.commit()
    return Page(signed_in(app, None), f"/verify/{issued.code}", lambda n: add_records(world, n))


def admin_users(app) -> Page:
    admin = factories.user(kind="faculty", roles=("admin",))

    def grow(n):
        for _ in range(11 * n):
            factories.user(roles=("evaluator",))

    return Page(signed_in(app, admin), "/admin/users", grow)


def audit_log(app) -> Page:
    world = World()
    admin = factories.user(kind="faculty", roles=("admin",))

    def grow(n):
        for i in range(10 * n):
            world.open_project(title=f"第{i}期")

    return Page(signed_in(app, admin), "/admin/audit", grow)


def participant_code(app) -> Page:
    world = HostingWorld()
    day = participants.open_today(world.host, world.project)
    db.session.commit()
    return Page(
        signed_in(app, world.host),
        f"/hosting/participant-days/{day.id}/code",
        lambda n: _participants(day, n),
    )


def participant_checkin(app) -> Page:
    world = HostingWorld()
    day = participants.open_today(world.host, world.project)
    db.session.commit()
    return Page(signed_in(app, world.students(1)[0]), f"/attend/{day.id}", lambda n: _participants(day, n))


def _answers(world, n: int) -> None:
    """``n`` more students invited to the world's survey who answered it, each with a comment, while
    it was open; the clock is left where it was."""
    survey, now = world.survey, clock.now()
    clock.set(survey.opens_at)
    for i in range(n):
        student = factories.user()
        invite(survey, student)
        surveys.answer(student, survey, answer_data(survey, (5, 4, 3, 2), f"意见{i}"))
    db.session.commit()
    clock.set(now)


def _closed_survey() -> SurveyWorld:
    world = SurveyWorld(volunteers=1, participants=0)
    world.evaluate()
    world.close()
    return world


def survey_answer(app) -> Page:
    world = SurveyWorld(volunteers=1, participants=0)
    world.evaluate()
    return Page(signed_in(app, world.volunteers[0]), world.survey.url, lambda n: _answers(world, n))


def survey_results(app) -> Page:
    """The staff read every comment (the list is shown whole): a comment each."""
    world = _closed_survey()
    answered = []

    def grow(n):
        _answers(world, 4 * n)
        answered.append(4 * n)

    return Page(
        signed_in(app, world.staff), world.survey.results_url, grow, per_row=1, rows=lambda: sum(answered)
    )


def survey_setup(app) -> Page:
    world = SurveyWorld(volunteers=1, participants=1)
    world.evaluate()

    def grow(n):
        _answers(world, 4 * n)
        _participants(world.day, 4 * n)

    return Page(signed_in(app, world.staff), f"/surveys/{world.survey.id}/setup", grow)


def project_page_with_satisfaction(app) -> Page:
    world = _closed_survey()
    return Page(signed_in(app, None), world.project.url, lambda n: _answers(world, 4 * n))


def project_page_with_satisfaction_signed_in(app) -> Page:
    """As a student it invited sees it: the page asks whether they may answer, or have."""
    world = _closed_survey()
    return Page(signed_in(app, world.volunteers[0]), world.project.url, lambda n: _answers(world, 4 * n))


def _staff_ratings(world, review, n: int) -> None:
    """``n`` more students, each rating every staff member of ``review`` while it was open (and that
    many more in the union's scope); the clock is left where it was."""
    now = clock.now()
    clock.set(review.opens_at)
    for student in world.students(n):
        for staff in world.staff:
            world.rate(review, student, staff)
    clock.set(now)


def _published_review():
    world = StaffWorld(staff=3)
    review = world.open()
    _staff_ratings(world, review, 5)  # k: the results show from the first measure
    world.close(review)
    for reviewee in review.reviewees:
        operations_of_staff_review.record_result(world.reviewer, reviewee, {"grade": StaffGrade.COMPETENT})
    operations_of_staff_review.publish(world.reviewer, review)
    db.session.commit()
    return world, review


def staff_rating_list(app) -> Page:
    world = StaffWorld(staff=3)
    review = world.open()
    return Page(
        signed_in(app, world.undergraduate_a),
        f"/staff-reviews/{review.id}/rate",
        lambda n: _staff_ratings(world, review, n),
    )


def staff_rating_form(app) -> Page:
    world = StaffWorld(staff=3)
    review = world.open()
    target = world.reviewee(review, world.staff[1])
    url = f"/staff-reviews/{review.id}/rate/{target.id}"
    return Page(signed_in(app, world.undergraduate_a), url, lambda n: _staff_ratings(world, review, n))


def staff_review_public(app) -> Page:
    world, review = _published_review()
    return Page(signed_in(app, None), review.url, lambda n: _staff_ratings(world, review, n))


def staff_review_mine(app) -> Page:
    world, review = _published_review()
    url = f"/staff-reviews/{review.id}/mine"
    return Page(signed_in(app, world.staff[0]), url, lambda n: _staff_ratings(world, review, n))


def staff_review_results(app) -> Page:
    world, review = _published_review()
    url = f"/staff-reviews/{review.id}/results"
    return Page(signed_in(app, world.reviewer), url, lambda n: _staff_ratings(world, review, n))


def staff_review_grading(app) -> Page:
    world, review = _published_review()
    url = f"/staff-reviews/{review.id}/results/{review.reviewees[1].id}"
    return Page(signed_in(app, world.reviewer), url, lambda n: _staff_ratings(world, review, n))


def _needs(world, n: int) -> None:
    """``n`` more needs in the pool, each of a college and with a support of the last week."""
    for i in range(n):
        need = world.post(author=world.students[i % 3], title=f"需求{i}", college=str(world.college_a.id))
        world.support(need, world.students[(i + 1) % 3])


def needs_list(app) -> Page:
    world = NeedWorld()
    return Page(signed_in(app, None), "/needs?sort=trend", lambda n: _needs(world, 8 * n))


def _accepted_needs(world, project, n: int) -> None:
    """``n`` more needs, each accepted with ``project``."""
    for i in range(n):
        needs_operations.accept(world.staff, world.post(title=f"采纳{i}"), {"project": project.id})
    db.session.commit()


def project_page_with_needs(app) -> Page:
    """A published project that more and more needs are accepted with: its list of them is bounded."""
    world = NeedWorld()
    project = world.project()
    projects_operations.publish(world.staff, project)
    db.session.commit()
    return Page(signed_in(app, None), project.url, lambda n: _accepted_needs(world, project, 8 * n))


def needs_list_filtered(app) -> Page:
    world = NeedWorld()
    url = f"/needs?sort=support&status=open&category=学业&college={world.college_a.id}"
    return Page(signed_in(app, world.students[0]), url, lambda n: _needs(world, 8 * n))


def need_page(app) -> Page:
    """A need whose supporters grow (they are counted, never listed) and whose comments, shown whole, too."""
    world = NeedWorld()
    need = world.post()
    project = world.project()
    needs_operations.accept(world.staff, need, {"project": project.id})
    db.session.commit()

    def grow(n):
        people = [factories.user() for _ in range(8 * n)]
        db.session.execute(insert(NeedSupport), [{"need_id": need.id, "user_id": p.id} for p in people])
        for person in people[:n]:
            needs_operations.comment(person, need, {"body": "同感"})
        db.session.commit()

    def comments() -> int:
        return db.session.scalar(select(func.count()).select_from(NeedComment))

    return Page(signed_in(app, None), need.url, grow, per_row=1, rows=comments)


def need_page_for_staff(app) -> Page:
    world = NeedWorld()
    need = world.post()

    def grow(n):
        _needs(world, n)  # more needs, and more projects of the union to accept it with
        for i in range(n):
            world.project(title=f"项目{i}")

    return Page(signed_in(app, world.staff), need.url, grow)


def _union_answers(survey, n: int) -> None:
    """``n`` more students, each of a college of their own and of one of two grades, invited to the
    union's survey and answering it with a comment while it was open; the clock is left where it was."""
    now = clock.now()
    clock.set(survey.opens_at)
    for i in range(n):
        student = factories.user(college=factories.college(), grade=2023 + i % 2)
        invite(survey, student)
        surveys.answer(student, survey, yearly_answer(survey, comment=f"意见{i}"))
    db.session.commit()
    clock.set(now)


def _past_year(world, n: int) -> None:
    """``n`` more earlier academic years whose survey of the school union closed (for the trend)."""
    first = db.session.scalar(select(func.min(AcademicYear.starts_on)))
    now = clock.now()
    for i in range(n):
        starts_on = first.replace(year=first.year - i - 1)
        year = world.academic_year(f"{starts_on.year}-{starts_on.year + 1}学年", starts_on)
        clock.set(now.replace(year=starts_on.year + 1, month=5))
        satisfaction.prepare_year(world.reviewer, year)
        satisfaction.open_year(world.reviewer, year, {"closes_on": clock.today_local() + timedelta(days=7)})
        db.session.commit()
    clock.set(now)


def _yearly_world() -> tuple[YearWorld, object]:
    world = YearWorld(per_cell=3)
    survey = world.open()[world.school_union.id]
    world.answer_all(survey, world.all_undergraduates())
    return world, survey


def union_dashboard(app) -> Page:
    """The public dashboard: more answers from more colleges, and more years in the trend (shown
    whole: a year's survey and the year)."""
    world, survey = _yearly_world()
    world.close(survey)
    years = [1]

    def grow(n):
        _union_answers(survey, 4 * n)
        _past_year(world, n)
        years.append(n)

    url = f"/unions/{world.school_union.id}/satisfaction"
    return Page(signed_in(app, None), url, grow, per_row=2, rows=lambda: sum(years))


def union_dashboard_breakdown(app) -> Page:
    """The league reviewer reads the breakdown (a row per college) and every comment."""
    world, survey = _yearly_world()
    world.close(survey)
    answered = []

    def grow(n):
        _union_answers(survey, 4 * n)
        answered.append(4 * n)

    return Page(
        signed_in(app, world.reviewer),
        f"/unions/{world.school_union.id}/satisfaction",
        grow,
        per_row=3,
        rows=lambda: sum(answered),
    )


def satisfaction_console(app) -> Page:
    """The league reviewer's console: more unions, each with its survey (a row each, shown whole: the
    survey and its union), more answers."""
    world, survey = _yearly_world()
    unions = [4]

    def grow(n):
        for _ in range(n):
            factories.org(OrgKind.COLLEGE_UNION)
        satisfaction.prepare_year(world.reviewer, world.year)
        db.session.commit()
        _union_answers(survey, 4 * n)
        unions.append(n)

    url = f"/satisfaction?year={world.year.id}"
    return Page(signed_in(app, world.reviewer), url, grow, per_row=2, rows=lambda: sum(unions))


def my_yearly_surveys(app) -> Page:
    world, survey = _yearly_world()
    return Page(
        signed_in(app, world.all_undergraduates()[0]),
        "/satisfaction/mine",
        lambda n: _union_answers(survey, 4 * n),
    )


def _disclosure_world():
    world = DisclosureWorld()
    world.charter(to="published")
    return world


def _announcements(world, n: int) -> None:
    for i in range(n):
        world.announcement(f"安排{i}", to="published")


def _public_suggestions(world, n: int) -> None:
    for _ in range(n):
        world.suggestion(author=factories.user(), answered=True)


def disclosure_index(app) -> Page:
    world = _disclosure_world()

    def grow(n: int) -> None:
        _announcements(world, 2 * n)
        _public_suggestions(world, 2 * n)

    return Page(signed_in(app, None), "/disclosure", grow)


def announcement_list(app) -> Page:
    world = _disclosure_world()
    return Page(signed_in(app, None), "/disclosure/announcements", lambda n: _announcements(world, 10 * n))


def charter_page(app) -> Page:
    world = _disclosure_world()

    def grow(n: int) -> None:
        for i in range(n):
            world.charter(f"第{i}次修订", to="published")

    # The history is shown whole: a union revises its charter a few times in a decade.
    return Page(
        signed_in(app, None), f"/disclosure/unions/{world.union.id}", grow, per_row=1, rows=lambda: 3 * N
    )


def staff_list(app) -> Page:
    world = _disclosure_world()

    def grow(n: int) -> None:
        for _ in range(10 * n):
            factories.staff_member(world.union)

    return Page(signed_in(app, world.student), f"/disclosure/unions/{world.union.id}/staff", grow)


def suggestion_list(app) -> Page:
    world = _disclosure_world()
    return Page(signed_in(app, None), "/disclosure/suggestions", lambda n: _public_suggestions(world, 10 * n))


def union_suggestions(app) -> Page:
    world = _disclosure_world()

    def grow(n: int) -> None:
        for _ in range(10 * n):
            world.suggestion(author=factories.user(), wants_public=False)

    return Page(signed_in(app, world.staff), f"/disclosure/unions/{world.union.id}/suggestions", grow)


def my_suggestions(app) -> Page:
    world = _disclosure_world()

    def grow(n: int) -> None:
        for _ in range(10 * n):
            world.suggestion(answered=True)

    return Page(signed_in(app, world.student), "/disclosure/suggestions/mine", grow)


def disclosure_review_queue(app) -> Page:
    world = _disclosure_world()

    def grow(n: int) -> None:
        for i in range(n):
            world.announcement(f"待审{i}", to="pending")
            world.charter(f"待审{i}", to="pending")

    # What awaits approval is shown whole: the unions submit a few a month, each is approved in days.
    return Page(signed_in(app, world.reviewer), "/disclosure/review", grow, per_row=3, rows=lambda: 2 * 3 * N)


PAGES = {
    "anonymous home": anonymous_home,
    "project list": project_list,
    "project page": project_page,
    "award notice": award_notice,
    "organization page": organization_page,
    "closed project page": closed_project_page,
    "posting form": posting_form,
    "open shifts": open_shifts,
    "my sign-ups": my_signups,
    "notifications": notifications,
    "verification page": verification_page,
    "review page": review_page,
    "outcome page": outcome_page,
    "outcome panel page": outcome_panel_page,
    "admin users": admin_users,
    "audit log": audit_log,
    "transcript": transcript,
    "transcript PDF": transcript_pdf,
    "host console": host_console,
    "roster": roster,
    "verification queue": verification_queue,
    "staff dashboard": staff_dashboard,
    "student home": student_home,
    "participant check-in code": participant_code,
    "participant check-in": participant_checkin,
    "survey answer": survey_answer,
    "survey results": survey_results,
    "survey setup": survey_setup,
    "project page with satisfaction": project_page_with_satisfaction,
    "project page with satisfaction, signed in": project_page_with_satisfaction_signed_in,
    "staff review: staff to rate": staff_rating_list,
    "staff review: rating form": staff_rating_form,
    "staff review: public page": staff_review_public,
    "staff review: own ratings and result": staff_review_mine,
    "staff review: the league's results": staff_review_results,
    "staff review: grading a staff member": staff_review_grading,
    "union satisfaction dashboard": union_dashboard,
    "union satisfaction dashboard with breakdown": union_dashboard_breakdown,
    "yearly survey console": satisfaction_console,
    "my yearly surveys": my_yearly_surveys,
    "open data": open_data_index,
    "open data: one project's document": open_data_document,
    "public record": disclosure_index,
    "announcements": announcement_list,
    "a union's charter and its history": charter_page,
    "a union's staff list": staff_list,
    "published suggestions": suggestion_list,
    "a union's suggestions, for its staff": union_suggestions,
    "my suggestions": my_suggestions,
    "public record: approval queue": disclosure_review_queue,
    "needs pool by trend": needs_list,
    "needs pool filtered": needs_list_filtered,
    "need page": need_page,
    "project page, needs accepted with it": project_page_with_needs,
    "need page, staff answering": need_page_for_staff,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_stays_within_its_budget_however_many_rows(
    app, name, count_queries, count_loaded, count_parameters
):
    page = PAGES[name](app)

    def measure():
        statements = count_queries(lambda: _ok(page.client.get(page.url)))
        objects = count_loaded(lambda: _ok(page.client.get(page.url)))
        parameters = count_parameters(lambda: _ok(page.client.get(page.url)))
        return statements, objects, parameters

    page.grow(N)
    few = measure()
    page.grow(2 * N)
    many = measure()
    assert many[0] == few[0] <= STATEMENTS
    if page.per_row:
        assert many[1] <= OBJECTS + page.per_row * page.rows()
    else:
        assert many[1] == few[1] <= OBJECTS
        # An IN list of ids read from the rows would grow with them, statements as many as before.
        assert many[2] == few[2], "a statement binds more values as the rows grow"


def _ok(response):
    assert response.status_code == 200, response.status_code
