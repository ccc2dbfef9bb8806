"""`flask --app marketplace seed-demo`: the demo school, its fixed logins, and seeding at scale."""

from __future__ import annotations

import html
import io
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.routing import ValidationError

from marketplace import clock, settings
from marketplace.accounts.models import AccountStatus, DegreeLevel, User, find_by_identifier
from marketplace.bids.models import Bid
from marketplace.bids.visibility import is_sealed
from marketplace.credits.models import AppealStatus as CreditAppealStatus
from marketplace.credits.models import (
    CreditAppeal,
    CreditCategory,
    CreditRecord,
    CreditRequirement,
    CreditStatus,
)
from marketplace.demo.context import Demo
from marketplace.demo.evaluation import DEMO_STUDENT
from marketplace.demo.people import DEMO_ACCOUNTS, roster_plan
from marketplace.demo.school import term_dates
from marketplace.disclosure.models import (
    Announcement,
    AnnouncementKind,
    CharterVersion,
    PublicationStatus,
    Suggestion,
    SuggestionStatus,
)
from marketplace.evaluation.final import final_score, rounded, satisfaction_score
from marketplace.evaluation.models import FinalOutcome, FinalScore, ImprovementPlan, ImprovementStatus
from marketplace.evaluation.reputation import reputation
from marketplace.hosting.models import CompletionReport, Expenditure, ParticipantDay, Photo, ProgressUpdate
from marketplace.hosting.participants import participants_of
from marketplace.needs.models import Need, NeedPhoto, NeedStatus, NeedSupport
from marketplace.orgs.models import College, Membership, Organization, OrgKind
from marketplace.orgs.queries import managers_of
from marketplace.projects.lifecycle import effective_state
from marketplace.projects.models import CriterionPurpose, Project, ProjectState, Question
from marketplace.review.models import Objection, ObjectionStatus
from marketplace.review.operations import current_round
from marketplace.review.outcome import panel_score
from marketplace.satisfaction.dashboard import dashboard
from marketplace.satisfaction.operations import UNION_KINDS
from marketplace.school.models import AcademicYear, Term, term_containing
from marketplace.staff_review.models import ReviewStatus, StaffGrade, StaffReview, StaffReviewee
from marketplace.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyRespondent, SurveyStatus
from marketplace.surveys.operations import project_audience
from marketplace.surveys.results import satisfaction_of, survey_of
from marketplace.volunteers.models import (
    Admission,
    NoShowAppeal,
    Position,
    Shift,
    Signup,
    SignupStatus,
    Training,
    TrainingAttendance,
)
from marketplace.volunteers.models import AppealStatus as NoShowAppealStatus
from tests import factories
from tests.credits.helpers import pdf_text
from tests.isolation import shared_world

PASSWORD = "demo1234"


def run(app, *args: str):
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def row_counts(db) -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def project_titled(db, title: str) -> Project:
    return db.session.scalar(select(Project).where(Project.title == title))


def mean_stars(result) -> dict:
    return {d.label: d.mean for d in result.dimensions}


def test_the_demo_school_has_colleges_unions_clubs_classes_and_students(app, db):
    run(app, "--school-only")

    assert count(db, Project) == 0  # the history is left out

    kinds = dict(
        db.session.execute(select(Organization.kind, func.count()).group_by(Organization.kind)).all()
    )
    assert kinds[OrgKind.SCHOOL_UNION] == kinds[OrgKind.GRADUATE_UNION] == 1
    assert kinds[OrgKind.COLLEGE_UNION] == 6
    assert kinds[OrgKind.CLUB] == 15
    assert kinds[OrgKind.CLASS] == 24
    assert count(db, User, User.student_no.is_not(None)) >= 200
    # Every ordinary student is in a class; most classes have a 班长.
    in_a_class = select(Membership.user_id).join(Organization).where(Organization.kind == OrgKind.CLASS)
    fixed = [a.identifier for a in DEMO_ACCOUNTS]
    undergraduates = User.student_no.like("____0_%") & User.student_no.not_in(fixed)
    assert count(db, User, undergraduates, User.id.not_in(in_a_class)) == 0
    assert count(db, Membership, Membership.title == "班长") == 24


def test_options_choose_how_many_clubs_and_classes(app, db):
    run(app, "--school-only", "--clubs", "4", "--classes-per-college", "2")  # the school is enough

    assert count(db, Organization, Organization.kind == OrgKind.CLUB) == 4
    classes = set(db.session.scalars(select(Organization.name).where(Organization.kind == OrgKind.CLASS)))
    # In spring 2026 the grades in school are 2022-2025: two classes per college take the oldest two.
    assert {"计科2201班", "计科2301班", "数统2201班", "数统2301班"} <= classes
    assert "计科2501班" not in classes


def test_the_printed_table_lists_every_demo_login(app):
    output = run(app, "--school-only").output

    assert f"密码均为 {PASSWORD}" in output
    for account in DEMO_ACCOUNTS:
        assert account.identifier in output and account.name in output


def test_the_calendar_puts_today_in_a_term(app, db, clock):
    clock.set(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    run(app, "--school-only")  # the calendar is the school's

    term = term_containing(clock.now())
    assert term is not None and term.full_name == "2026-2027学年 第一学期"
    assert term_dates(2026) == [
        ("第一学期", date(2026, 9, 7), date(2027, 1, 22)),
        ("第二学期", date(2027, 2, 22), date(2027, 7, 9)),
    ]


def test_on_the_test_clock_the_spring_term_is_under_way(app, db, clock):
    run(app, "--school-only")

    assert term_containing(clock.now()).full_name == "2025-2026学年 第二学期"


EVALUATOR_WORK = ("/review/mine", ["新生学业互助计划"], [])
# identifier -> [(page, what it must show, what it must not show)]: what the role sees, then the work
# the demo's history left waiting for it. "{title}" in a page stands for that project's id.
EXPECTED = {
    "A0001": [("/", ['href="/admin/"', "系统管理"], [])],
    "T0001": [
        ("/", ["操作日志"], ["学生会工作台"]),
        ("/disclosure/review", ["寒假返乡社会实践安排"], ["期末考试周学业帮扶安排"]),
        ("/review/approvals", ["校园十佳歌手大赛", "审核通过并发布"], []),
        ("/review/objections", ["考研经验分享会", "处理意见"], []),
        ("/credits/verify", ["校园招聘会志愿服务", "批量认定"], []),
        ("/credits/appeals", ["申请认定：1.5 小时"], []),
    ],
    "T0002": [("/account", ["评议人"], []), ("/review/mine", ["数学建模竞赛入门讲座", "成效评估"], [])],
    "2023000001": [
        ("/", ["学生会工作台"], ["系统管理"]),
        ("/review/projects/{新生学业互助计划}", ["新生学业互助计划"], []),
        ("/projects/{宿舍用电安全宣传月}", ["草稿"], []),
    ],
    "2023000002": [
        ("/", ["学生会工作台"], ["系统管理"]),
        ("/projects/{研究生学术英语写作工作坊}", ["流标", "重新发榜"], []),
    ],
    "2023000011": [("/account", ["评议人"], []), EVALUATOR_WORK],
    "2023000012": [("/account", ["评议人"], []), EVALUATOR_WORK],
    "2023000013": [("/account", ["评议人"], []), EVALUATOR_WORK],
    "2023000021": [
        ("/orgs/mine", ["青年志愿者协会", "会长"], []),
        (
            "/hosting/projects/{校园招聘会志愿服务}",
            ["会场引导", "企业签到与资料发放", "外企展位英语翻译"],
            [],
        ),
    ],
    "2023000022": [
        ("/orgs/mine", ["摄影协会", "会长"], []),
        ("/bids/mine", ["期末心理减压周", "已提交"], []),
    ],
    "2023000031": [
        ("/orgs/mine", ["计算机科学与技术学院学生会", "主席"], []),
        ("/hosting/projects/{社区支教行动}", ["考勤已确认"], []),
        ("/projects/{Python 编程入门训练营}", ["已提交整改说明", "整改措施"], ["提交整改说明</a>"]),
    ],
    "2024000041": [
        ("/orgs/mine", ["计科2401班", "班长"], []),
        ("/projects/{期末心理减压周}", ["院系学生会、社团、班级", "活动场地由学生会统一协调"], []),
    ],
    "2024000100": [
        ("/", ["你好，周梓萱"], ["系统管理", "学生会工作台", "我负责的组织", "操作日志"]),
        ("/transcript", ["已认定"], []),
        (
            "/disclosure/suggestions/mine",
            ["考试周图书馆延长开放时间", "希望多办学科竞赛讲座"],
            ["宿舍楼热水供应不稳定"],
        ),
        ("/volunteer", ["会场引导", "物资清点与装袋"], []),
        ("/projects/{数学建模竞赛入门讲座}", ["同学满意度", "填写满意度问卷"], []),
    ],
    "2021000001": [("/", ["你已毕业，账号为只读"], [])],
}


README = Path(__file__).resolve().parents[1] / "README.md"


def readme_accounts() -> tuple[list[str], list[tuple[str, str]]]:
    """What the README promises: the logins of its demo table and of its sentence on other students'
    numbers, and the (number, name) of each unclaimed account it says to claim."""
    text = README.read_text(encoding="utf-8")
    table = text.split("| 账号 login |", 1)[1].split("\n\n", 1)[0]
    logins, to_claim = [], []
    for line in table.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        identifiers = re.findall(r"`([^`]+)`", cells[0])
        if "未认领" in line:
            to_claim += [(identifier, cells[1]) for identifier in identifiers]
        else:
            logins += identifiers
    others = re.findall(r"学号形如 `(\d+)`", text) + re.findall(r"numbers look like `(\d+)`", text)
    assert len(logins) >= 10 and to_claim and len(others) == 2, "the README's demo section moved"
    return logins + others, to_claim


@dataclass
class Seeded:
    output: str
    clock_before: datetime
    clock_after: datetime


@shared_world()
def seeded(app) -> Seeded:
    """The full demo, seeded once for the tests that only read it (each one is rolled back)."""
    before = clock.now()
    output = run(app).output
    return Seeded(output, before, clock.now())


def ids(db, column, *where) -> list:
    return list(db.session.scalars(select(column).where(*where).order_by(column)))


# What the public walk fills each URL argument with, from the seeded demo. A new public page with a new
# argument adds a line here; an argument with neither a line nor a reason in UNWALKED fails the walk.
WALKED: dict[str, Callable] = {
    "project_id": lambda db: ids(db, Project.id),
    "org_id": lambda db: ids(db, Organization.id),
    "public_id": lambda db: ids(db, Bid.public_id) + ids(db, Photo.public_id) + ids(db, NeedPhoto.public_id),
    "need_id": lambda db: ids(db, Need.id),  # the hidden one too: its page shows the reason, not the text
    "purpose": lambda db: [p.value for p in CriterionPurpose],
    "kind": lambda db: ["charters", "announcements"],
    "doc_id": lambda db: ids(db, CharterVersion.id) + ids(db, Announcement.id),
    "suggestion_id": lambda db: ids(db, Suggestion.id),
    "survey_id": lambda db: (
        ids(db, Survey.id, Survey.project_id.is_not(None)) + ids(db, Survey.id, Survey.union_id.is_not(None))
    ),
    "review_id": lambda db: ids(db, StaffReview.id),
    "reviewee_id": lambda db: ids(db, StaffReviewee.id)[:6],
    "shift_id": lambda db: ids(db, Shift.id),
    "position_id": lambda db: ids(db, Position.id),
    "training_id": lambda db: ids(db, Training.id),
    "day_id": lambda db: ids(db, ParticipantDay.id),
    "user_id": lambda db: ids(db, User.id)[:5],  # admin pages: a sign-in page for everyone else
    "college_id": lambda db: ids(db, College.id)[:2],
    "year_id": lambda db: ids(db, AcademicYear.id),
    "term_id": lambda db: ids(db, Term.id),
    "category_id": lambda db: ids(db, CreditCategory.id)[:2],
    "requirement_id": lambda db: ids(db, CreditRequirement.id),
    "revision_id": lambda db: ["1"],
}
# Arguments the walk leaves out, and why: each is a secret a person was given (a mail token, a
# transcript's verification code — what the page then shows is theirs to hand out).
UNWALKED = {"token", "code"}


def readable(response) -> str:
    """What a visitor reads in a response: a page's text, the text a printed PDF carries, or every file
    of a ZIP (the open-data download)."""
    if response.mimetype == "application/pdf":
        return pdf_text(response.data)
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    return response.get_data(as_text=True)


def public_urls(app, db) -> tuple[list[str], set[str]]:
    """Every GET URL of the app, its arguments filled from the demo (WALKED); and the rules left out."""
    values = {name: fill(db) for name, fill in WALKED.items()}
    urls, left_out = [], set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.arguments & UNWALKED:
            left_out.add(rule.rule)
            continue
        names = sorted(rule.arguments)
        assert set(names) <= set(WALKED), f"the walk cannot fill {rule.rule}: add its argument to WALKED"
        for combination in itertools.product(*(values[n] for n in names)):
            try:
                urls.append(rule.build(dict(zip(names, map(str, combination), strict=True)))[1])
            except ValidationError:  # a value the converter refuses (an "any" of other names)
                continue
    return urls, left_out


def sealed_and_personal(db) -> tuple[set[str], set[str]]:
    """What no public page may show: the texts of the bids still sealed (each line of some length, as
    Markdown renders it), and every user's phone, 学号 (or 工号) and email."""
    sealed, personal = set(), set()
    for bid in db.session.scalars(select(Bid)):
        if is_sealed(bid.project):
            for text in (bid.summary, bid.plan, bid.timeline):
                lines = (line.strip("#-*> 　") for line in text.splitlines())
                sealed |= {line for line in lines if len(line) >= 8}
    for row in db.session.execute(select(User.phone, User.student_no, User.staff_no, User.email)):
        personal |= {value for value in row if value}
    return sealed, personal


class TestTheSeededDemo:
    def test_the_graduate_unions_people_are_masters_students_and_the_rest_undergraduates(self, db, seeded):
        graduate_union = db.session.scalar(
            select(Organization).where(Organization.kind == OrgKind.GRADUATE_UNION)
        )
        members = {
            m.user_id
            for m in db.session.scalars(select(Membership).where(Membership.org_id == graduate_union.id))
        }
        levels = dict(
            db.session.execute(select(User.id, User.degree_level).where(User.kind == "student")).all()
        )

        assert members and {levels[member] for member in members} == {DegreeLevel.MASTER}
        assert db.session.scalar(find_by_identifier("2023000002")).degree_level == DegreeLevel.MASTER
        assert DegreeLevel.UNDERGRADUATE in levels.values()
        assert db.session.scalar(find_by_identifier("2024000100")).degree_level == DegreeLevel.UNDERGRADUATE

    def test_seeding_twice_changes_nothing(self, app, db, seeded):
        after_first = row_counts(db)
        second = run(app)

        assert row_counts(db) == after_first
        assert "demo data created" in seeded.output
        assert "nothing changed" in second.output

    def test_every_demo_login_works_and_finds_what_its_role_should(self, app, db, seeded):
        assert set(EXPECTED) == {a.identifier for a in DEMO_ACCOUNTS if a.claimed}
        ids = {p.title: p.id for p in db.session.scalars(select(Project))}

        for identifier, pages in EXPECTED.items():
            client = app.test_client()
            login = client.post("/login", data={"identifier": identifier, "password": PASSWORD})
            assert login.status_code == 302, identifier
            for page, shown, hidden in pages:
                page = page.format_map(ids)
                response = client.get(page)
                html = response.get_data(as_text=True)
                assert response.status_code == 200, f"{identifier} on {page}"
                for text in shown:
                    assert text in html, f"{identifier} should see {text} on {page}"
                for text in hidden:
                    assert text not in html, f"{identifier} should not see {text} on {page}"

    def test_every_readme_login_finds_something_to_do_at_home_whose_link_answers(self, app, seeded):
        logins, _to_claim = readme_accounts()
        idle = []
        for identifier in logins:
            client = app.test_client()
            assert (
                client.post("/login", data={"identifier": identifier, "password": PASSWORD}).status_code
                == 302
            )
            html = client.get("/").get_data(as_text=True)
            links = re.findall(r'data-testid="home-action"[^>]*href="([^"]+)"', html)
            if not any(client.get(link).status_code == 200 for link in links):
                idle.append((identifier, links))
        assert idle == []

    def test_every_account_the_readme_names_logs_in_or_is_claimed(self, app, seeded):
        logins, to_claim = readme_accounts()

        for identifier in logins:
            client = app.test_client()
            login = client.post("/login", data={"identifier": identifier, "password": PASSWORD})
            assert login.status_code == 302, identifier
        for number, name in to_claim:
            claimed = app.test_client().post(
                "/claim",
                data={
                    "student_no": number,
                    "name": name,
                    "email": f"{number}@example.edu.cn",
                    "password": "claimed2025",
                    "confirm": "claimed2025",
                },
            )
            assert claimed.status_code == 200 and f"{number}@example.edu.cn" in claimed.get_data(as_text=True)

    def test_the_history_holds_a_project_in_every_state_of_the_cycle(self, db, clock, seeded):
        projects = {p.title: p for p in db.session.scalars(select(Project))}
        states = {title: effective_state(p) for title, p in projects.items()}
        assert set(states.values()) == set(ProjectState)
        assert seeded.clock_after == seeded.clock_before  # the history moved the clock and put it back

        open_ = projects["期末心理减压周"]
        assert open_.bid_deadline > clock.now()
        bidders = db.session.scalars(select(Organization).join(Bid).where(Bid.project_id == open_.id)).all()
        assert {o.kind for o in bidders} == {OrgKind.CLUB, OrgKind.COLLEGE_UNION} and len(bidders) >= 3
        questions = db.session.scalars(select(Question).where(Question.project_id == open_.id)).all()
        assert questions and all(q.answer for q in questions)

        seats = current_round(projects["新生学业互助计划"]).seats
        assert {s.submitted_at is None for s in seats} == {True, False}
        notice = projects["考研经验分享会"]
        assert count(db, Objection, Objection.status == ObjectionStatus.PENDING) == 1
        assert effective_state(notice) == ProjectState.AWARD_NOTICE

        fair = projects["校园招聘会志愿服务"]
        assert states["校园招聘会志愿服务"] == ProjectState.HOSTING and fair.host_org.name == "青年志愿者协会"
        assert count(db, ProgressUpdate, ProgressUpdate.project_id == fair.id) >= 2
        assert count(db, Expenditure, Expenditure.project_id == fair.id) >= 2
        shifts = db.session.scalars(select(Shift).join(Position).where(Position.project_id == fair.id)).all()
        upcoming = [s for s in shifts if clock.now() < s.starts_at < clock.now() + timedelta(weeks=3)]
        waiting = select(Signup.shift_id).where(Signup.status == SignupStatus.WAITING)
        assert any(s.is_full and s.id in db.session.scalars(waiting).all() for s in upcoming)
        assert any(s.lottery_drawn_at is not None for s in upcoming)
        assert any(s.position.admission == Admission.APPROVAL and s.taken < s.capacity for s in upcoming)
        assert count(db, Signup, Signup.status == SignupStatus.APPLIED) > 0
        assert any(s.position.admission == Admission.FIRST_COME and not s.is_full for s in upcoming)

        teaching = projects["社区支教行动"]
        assert count(db, CompletionReport, CompletionReport.project_id == teaching.id) == 1
        past = db.session.scalars(
            select(Shift).join(Position).where(Position.project_id == teaching.id)
        ).all()
        assert past and all(s.ends_at < clock.now() and s.attendance_confirmed_at for s in past)

    def test_community_teaching_closed_with_its_final_score_from_the_panel_and_the_survey(
        self, app, db, seeded
    ):
        teaching = project_titled(db, "社区支教行动")
        final = db.session.scalar(select(FinalScore).where(FinalScore.project_id == teaching.id))
        seats = current_round(teaching, CriterionPurpose.OUTCOME).seats
        survey = survey_of(teaching)
        satisfaction = satisfaction_of(teaching)
        invited = select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id)

        assert teaching.state == effective_state(teaching) == ProjectState.CLOSED
        assert len(seats) >= 3 and all(s.declared_at and s.submitted_at for s in seats)
        assert satisfaction.responses >= 20
        # Those invited are the volunteers whose attendance was confirmed and the students who checked in.
        assert set(db.session.scalars(invited)) == set(db.session.scalars(project_audience(teaching)))
        assert count(db, User, User.id.in_(invited), User.id.in_(participants_of(teaching))) > 0
        assert count(db, User, User.id.in_(invited), User.id.not_in(participants_of(teaching))) > 0
        # The stored score and the inputs it was computed from are what the panel and the survey gave.
        assert final.outcome == FinalOutcome.SCORED
        assert final.panel_score == rounded(panel_score(teaching), 4)
        assert final.satisfaction_score == rounded(satisfaction_score(mean_stars(satisfaction)), 4)
        assert final.responses == satisfaction.responses
        assert (final.min_responses, final.panel_weight_percent) == (5, 50)
        exact = final_score(
            panel_score(teaching),
            mean_stars(satisfaction),
            final.responses,
            min_responses=5,
            panel_weight_percent=50,
        )
        assert final.score == exact.score and final.score >= 60
        page = app.test_client().get(teaching.url).get_data(as_text=True)
        assert f"{final.score}</span>" in page and f"（{final.responses} 份答卷）" in page
        assert "问卷结果详情" in page

    def test_the_demo_student_can_answer_the_open_survey(self, app, db, clock, seeded):
        lectures = project_titled(db, "数学建模竞赛入门讲座")
        survey = survey_of(lectures)
        student = db.session.scalar(find_by_identifier(DEMO_STUDENT))
        answered_before = count(db, SurveyAnswer, SurveyAnswer.survey_id == survey.id)
        assert effective_state(lectures) == ProjectState.EVALUATING
        assert survey.status_at(clock.now()) == SurveyStatus.OPEN and answered_before >= 5
        assert DEMO_STUDENT in readme_accounts()[0] and "数学建模竞赛入门讲座" in README.read_text(
            encoding="utf-8"
        )

        client = app.test_client()
        client.post("/login", data={"identifier": DEMO_STUDENT, "password": PASSWORD})
        form = client.get(survey.url).get_data(as_text=True)
        stars = {f"d{d.id}": "4" for d in survey.dimensions}
        posted = client.post(survey.url, data={**stars, "comment": "讲座很实用"})

        assert 'data-testid="notice"' in form
        assert posted.status_code == 302
        assert db.session.get(SurveyRespondent, (survey.id, student.id)) is not None
        assert count(db, SurveyAnswer, SurveyAnswer.survey_id == survey.id) == answered_before + 1
        assert 'data-testid="answered"' in client.get(survey.url).get_data(as_text=True)

    def test_wang_siyuan_sees_last_terms_result_and_writes_this_terms_report(self, app, db, clock, seeded):
        reviews = db.session.scalars(select(StaffReview).order_by(StaffReview.opens_at)).all()
        finished, running = reviews
        assert (
            finished.status == ReviewStatus.PUBLISHED and running.status_at(clock.now()) == ReviewStatus.OPEN
        )
        grades = {r.grade for r in finished.reviewees}
        assert StaffGrade.EXCELLENT in grades and StaffGrade.INCOMPETENT in grades
        assert all(r.talk.held_on for r in finished.reviewees if r.grade == StaffGrade.INCOMPETENT)

        client = app.test_client()
        client.post("/login", data={"identifier": "2023000001", "password": PASSWORD})
        mine = client.get(f"/staff-reviews/{finished.id}/mine").get_data(as_text=True)
        assert 'data-testid="grade"' in mine and "优秀" in mine and 'data-testid="survey-results"' in mine
        assert 'data-testid="group-staff"' in mine  # all five colleagues rated him: the groups show
        report = client.get(f"/staff-reviews/{running.id}/report")
        assert report.status_code == 200 and "保存" in report.get_data(as_text=True)

    def test_the_needs_pool_has_a_need_in_every_state_and_one_serves_the_stress_week(self, app, db, seeded):
        found = {n.title: n for n in db.session.scalars(select(Need))}
        assert {n.status for n in found.values()} == set(NeedStatus)
        accepted = found["考试周压力太大，希望学校组织减压活动"]
        assert accepted.status == NeedStatus.ACCEPTED and accepted.project.title == "期末心理减压周"
        merged, target = found["食堂晚上能不能开夜宵窗口"], found["希望食堂延长晚餐供应时间"]
        assert merged.merged_into_id == target.id
        counted = select(func.count()).select_from(NeedSupport).where(NeedSupport.need_id == target.id)
        assert target.support_count == db.session.scalar(counted) > 23

        client = app.test_client()
        client.post("/login", data={"identifier": DEMO_STUDENT, "password": PASSWORD})
        assert "图书馆自习座位太少" in client.get("/needs/mine").get_data(as_text=True)
        project_page = client.get(accepted.project.url).get_data(as_text=True)
        assert "考试周压力太大，希望学校组织减压活动" in project_page
        staff = app.test_client()
        staff.post("/login", data={"identifier": "2023000001", "password": PASSWORD})
        assert "有 2 条同学需求已超过答复时限。" in staff.get("/staff").get_data(as_text=True)

    def test_the_demo_student_can_rate_this_terms_staff(self, app, db, clock, seeded):
        running = db.session.scalar(select(StaffReview).where(StaffReview.status == ReviewStatus.OPEN))
        client = app.test_client()
        client.post("/login", data={"identifier": DEMO_STUDENT, "password": PASSWORD})
        page = client.get(f"/staff-reviews/{running.id}/rate").get_data(as_text=True)
        assert 'data-testid="waiting"' in page and "你已评价" not in page
        assert "王思远" in page

    def test_last_years_union_surveys_show_results_with_a_few_cells_hidden_and_this_years_are_open(
        self, app, db, clock, seeded
    ):
        union = db.session.scalar(select(Organization).where(Organization.kind == OrgKind.SCHOOL_UNION))
        reviewer = db.session.scalar(find_by_identifier("T0001"))
        years = dashboard(union, None, reviewer).years
        last = years[0]
        board = dashboard(union, last.year.id, reviewer)

        assert len(years) == 2 and years[-1].survey.status_at(clock.now()) == SurveyStatus.OPEN
        assert board.result is not None and board.result.responses >= 100
        cells = [
            board.breakdown.cell(c, g) for c, _ in board.breakdown.colleges for g in board.breakdown.grades
        ]
        hidden = sum(c.hidden for c in cells)
        assert 2 <= hidden <= len(cells) // 3, (hidden, len(cells))  # most cells show, a few do not
        page = app.test_client().get(union.url).get_data(as_text=True)
        assert f'/unions/{union.id}/satisfaction"' in page

    def test_the_demo_student_can_answer_this_years_school_union_survey(self, app, db, clock, seeded):
        union = db.session.scalar(select(Organization).where(Organization.kind == OrgKind.SCHOOL_UNION))
        survey = db.session.scalars(
            select(Survey).where(Survey.union_id == union.id).order_by(Survey.id.desc())
        ).first()
        client = app.test_client()
        client.post("/login", data={"identifier": DEMO_STUDENT, "password": PASSWORD})

        mine = client.get("/satisfaction/mine").get_data(as_text=True)
        posted = client.post(survey.url, data={f"d{d.id}": "4" for d in survey.dimensions})

        assert mine.count("去评价") == 2 and union.name in mine
        assert posted.status_code == 302
        assert 'data-testid="answered"' in client.get(survey.url).get_data(as_text=True)

    def test_two_organizations_have_a_reputation_resting_on_two_scores_and_a_trend(self, app, db, seeded):
        scored = (
            select(Project.host_org_id)
            .join(FinalScore, FinalScore.project_id == Project.id)
            .where(FinalScore.outcome == FinalOutcome.SCORED)
            .group_by(Project.host_org_id)
            .having(func.count() >= 2)
        )
        orgs = db.session.scalars(select(Organization).where(Organization.id.in_(scored))).all()
        assert {o.name for o in orgs} >= {"计算机科学与技术学院学生会", "青年志愿者协会"}
        for org in orgs:
            assert reputation(org).hosted >= 2
            page = app.test_client().get(f"/orgs/{org.id}").get_data(as_text=True)
            assert 'id="final-score-trend"' in page and str(reputation(org).score) in page

    def test_a_score_below_the_line_has_its_improvement_plan_submitted_by_its_host(self, db, seeded):
        camp = project_titled(db, "Python 编程入门训练营")
        final = db.session.scalar(select(FinalScore).where(FinalScore.project_id == camp.id))
        plan = db.session.scalar(select(ImprovementPlan).where(ImprovementPlan.project_id == camp.id))

        assert final.score < settings.get("improvement_threshold") == plan.threshold
        assert plan.status == ImprovementStatus.SUBMITTED and plan.submitted_at <= plan.due_at
        assert plan.submitted_by_id in {m.user_id for m in managers_of([camp.host_org_id])}
        assert "整改措施" in plan.body

    def test_no_public_page_shows_a_sealed_bid_a_phone_a_student_number_or_an_email(self, app, db, seeded):
        sealed, personal = sealed_and_personal(db)
        secrets = sealed | personal
        urls, left_out = public_urls(app, db)
        assert len(sealed) >= 3 and len(personal) > 400 and len(urls) > 500
        assert left_out == {
            "/account/verify-email/<token>",
            "/account/reset/<token>",
            "/calendar/<token>.ics",
            "/verify/<code>",
        }
        visitor, shown, leaks = app.test_client(), [], []
        for url in urls:
            response = visitor.get(url)
            if response.status_code == 200:
                shown.append(url)
            page = html.unescape(readable(response))
            leaks += [f"{url}: {secret}" for secret in secrets if secret in page]
        assert not leaks, "\n".join(leaks[:20])
        # The walk reached the public pages, the public record's included, not only sign-in redirects.
        for page in (
            "/projects",
            "/orgs/",
            "/disclosure",
            "/disclosure/suggestions",
            "/disclosure/announcements",
            "/needs",
            "/open-data",
        ):
            assert page in shown
        assert any(url.endswith("/notice.pdf") for url in shown) and "/open-data/download" in shown
        for prefix in (
            "/projects/",
            "/disclosure/charters/",
            "/disclosure/announcements/",
            "/disclosure/suggestions/",
            "/disclosure/unions/",
        ):
            assert any(
                url.startswith(prefix) and url[len(prefix) :].split("/")[0].isdigit() for url in shown
            ), prefix

    def test_each_union_has_a_charter_in_force_and_one_in_its_history(self, app, db, seeded):
        unions = db.session.scalars(select(Organization).where(Organization.kind.in_(UNION_KINDS))).all()
        for union in unions:
            versions = db.session.scalars(
                select(CharterVersion)
                .where(CharterVersion.union_id == union.id)
                .order_by(CharterVersion.number)
            ).all()
            assert [(v.number, v.status) for v in versions] == [
                (1, PublicationStatus.SUPERSEDED),
                (2, PublicationStatus.PUBLISHED),
            ]
        statuses = sorted(a.status for a in db.session.scalars(select(Announcement)))
        assert statuses == ["pending", "published", "published"]
        kinds = {
            a.kind for a in db.session.scalars(select(Announcement).where(Announcement.status == "published"))
        }
        assert kinds == {AnnouncementKind.ARRANGEMENT, AnnouncementKind.REFORM}
        shown = {(s.status, s.wants_public) for s in db.session.scalars(select(Suggestion))}
        assert shown == {
            (SuggestionStatus.ANSWERED, True),
            (SuggestionStatus.ANSWERED, False),
            (SuggestionStatus.SUBMITTED, True),
        }

    def test_the_readme_names_one_2024_student_meeting_the_requirement_and_one_below_it(self, app, seeded):
        for number, verdict in (("2024050007", "达标"), ("2024000100", "未达标")):
            client = app.test_client()
            client.post("/login", data={"identifier": number, "password": PASSWORD})
            page = client.get("/transcript").get_data(as_text=True)
            assert re.search(rf'data-testid="verdict">{verdict}<', page), number

    def test_every_demo_student_has_verified_credits_and_the_reviewers_have_work(self, db, seeded):
        demo_students = [s.number for s in roster_plan(Demo(school_name="示例大学"))] + [
            a.identifier for a in DEMO_ACCOUNTS if a.grade and a.claimed and a.status == AccountStatus.ACTIVE
        ]
        verified = select(CreditRecord.user_id).where(CreditRecord.status == CreditStatus.VERIFIED)
        students = User.student_no.in_(demo_students)
        assert count(db, User, students) == len(demo_students) >= 200
        assert count(db, User, students, User.id.not_in(verified)) == 0
        assert count(db, CreditRecord, CreditRecord.status == CreditStatus.CONFIRMED) >= 3
        assert count(db, CreditRecord, CreditRecord.status == CreditStatus.REJECTED) == 1
        assert count(db, CreditAppeal, CreditAppeal.status == CreditAppealStatus.PENDING) == 1
        assert count(db, NoShowAppeal, NoShowAppeal.status == NoShowAppealStatus.PENDING) == 1
        assert count(db, Training) == 2 and count(db, TrainingAttendance) > 100


def test_early_in_the_academic_year_histories_older_than_its_posts_are_left_out(app, db, clock):
    clock.set(datetime(2026, 9, 10, 2, 0, tzinfo=UTC))  # the Thursday of the first week

    result = run(app)

    titles = set(db.session.scalars(select(Project.title)))
    assert titles == {"宿舍用电安全宣传月", "校园十佳歌手大赛"}
    assert "skipped「社区支教行动」" in result.output


def test_the_unclaimed_roster_student_can_claim_the_account(app, client):
    run(app, "--school-only")
    unclaimed = next(a for a in DEMO_ACCOUNTS if not a.claimed)

    refused = client.post("/login", data={"identifier": unclaimed.identifier, "password": PASSWORD})
    claimed = client.post(
        "/claim",
        data={
            "student_no": unclaimed.identifier,
            "name": unclaimed.name,
            "email": "xiaoman@example.edu.cn",
            "password": "xiaoman2025",
            "confirm": "xiaoman2025",
        },
    )

    assert refused.status_code != 302
    assert claimed.status_code == 200 and "xiaoman@example.edu.cn" in claimed.get_data(as_text=True)


def test_more_students_are_added_with_progress_output(app, db):
    run(app, "--school-only")
    users_before = count(db, User)
    class_places_before = count(db, Membership, Membership.org.has(Organization.kind == OrgKind.CLASS))

    result = run(app, "--school-only", "--students", "500")

    assert count(db, User) == users_before + 500
    assert (
        count(db, Membership, Membership.org.has(Organization.kind == OrgKind.CLASS))
        == class_places_before + 500
    )
    assert "追加 500 名学生" in result.output and "500 students" in result.output
    # Asking again adds another 500 after the highest 学号 so far, never reusing one.
    run(app, "--school-only", "--students", "500")
    assert count(db, User) == users_before + 1000


def test_if_empty_leaves_a_database_with_users_alone(app, db):
    factories.user()

    result = run(app, "--if-empty")

    assert count(db, User) == 1
    assert "not seeded" in result.output


@pytest.fixture
def production(app):
    app.config["ENV_NAME"] = "production"
    yield
    app.config["ENV_NAME"] = "testing"


def test_demo_data_is_refused_in_production(app, db, production):
    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code != 0 and "production" in result.output
    assert count(db, User) == 0
