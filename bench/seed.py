"""The school-scale data set of ``make bench``.

:func:`build` fills the empty database of the current app: the schema by the migrations (``flask db
upgrade``), the demo school with its named logins (``seed-demo --school-only``, so the load run can sign
in as a student, staff, host, league reviewer, admin and evaluator), then each table group below in
bulk through PostgreSQL COPY (psycopg 3's ``cursor.copy()``), never through the operations the pages
use. Ids are assigned here, so that rows point at each other before they are written; afterwards the
sequences are moved past them and the tables vacuumed and analysed, as in a database that has run for
a while.

The rows keep to the schema, its CHECK constraints and the facts each state implies: a project in
review has its draw seed and its round; an awarded one its panel, scores and notice; a hosted one its
host, positions and shifts, its survey and its participants' check-in days; one evaluated or closed
its outcome panel, its survey opened to those who took part (each answer with its "answered" row and
its stars), and a closed one its final score — computed by ``evaluation.final.final_score`` from the
seeded panel and survey — with the improvement plan a low one owes; every sign-up has its shift, every
attended one its attendance and its credit record, in the term of its shift. Left out are tables that
no benchmarked page reads at scale: recusal records, credit histories, trainings. ``SIZES`` are the
counts at SCALE=1; ``MINIMUM`` keeps what every benchmarked page needs at the smallest scales (the test
seeds SCALE=0.001).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
import sys
import time as timer
from base64 import urlsafe_b64encode
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import click
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from marketplace import clock, draw
from marketplace.accounts.models import (
    AccountKind,
    AccountStatus,
    DegreeLevel,
    PoliticalStatus,
    SiteRole,
    User,
    UserRole,
)
from marketplace.audit import content_hash, plain
from marketplace.credits import transcript
from marketplace.credits.models import CreditCategory, CreditStatus
from marketplace.demo.context import PASSWORD, Demo, academic_year_of, autumn_term_start
from marketplace.demo.names import chinese_name, phone_number
from marketplace.demo.people import DEMO_ACCOUNTS
from marketplace.demo.school import COLLEGES, term_dates
from marketplace.demo.seed import seed as seed_demo
from marketplace.evaluation import final
from marketplace.evaluation.models import FinalOutcome, ImprovementStatus
from marketplace.evaluation.operations import FINAL_FIELDS
from marketplace.evaluation.operations import REMIND_BEFORE as EVALUATION_REMINDER
from marketplace.extensions import db
from marketplace.needs.models import NeedStatus
from marketplace.orgs.models import College, MemberRole, Membership, Organization, OrgKind
from marketplace.projects.models import ProjectCategory
from marketplace.projects.models import ProjectState as S
from marketplace.projects.operations import default_criteria
from marketplace.review import outcome, scoring
from marketplace.review.models import NoticeStatus
from marketplace.satisfaction import operations as yearly
from marketplace.school.models import AcademicYear, Term
from marketplace.settings import SETTINGS
from marketplace.staff_review.models import ReviewStatus, StaffGrade, TalkStatus
from marketplace.staff_review.operations import DIMENSIONS as STAFF_DIMENSIONS
from marketplace.surveys import tally
from marketplace.surveys.models import (
    STARS,
    CommentStatus,
    RaterGroup,
    SubjectKind,
    Survey,
    SurveyInvitation,
    SurveyStarCount,
    SurveyStatus,
)
from marketplace.surveys.operations import DEFAULT_PROJECT_DIMENSIONS
from marketplace.surveys.tasks import REMIND_BEFORE as SURVEY_REMINDER
from marketplace.timeutil import SCHOOL_TZ
from marketplace.urls import path_for
from marketplace.volunteers.models import Admission, SignupStatus

# The counts at SCALE=1.
SIZES = {
    "students": 30_000,
    "organizations": 500,
    "evaluators": 50,
    "projects": 5_000,
    "bids": 20_000,
    "shifts": 10_000,
    "credit_records": 1_000_000,  # one per attended sign-up
    "other_signups": 50_000,  # no-shows, leave, cancellations, and the sign-ups for shifts to come
    "audit_entries": 2_000_000,
    "notifications": 1_000_000,
    "participant_checkins": 150_000,
    "survey_answers": 300_000,  # each with its stars for every dimension
    "staff_ratings": 300_000,  # 述职评议: the 校学生会's staff over four terms, each rating with its stars
    "needs": 20_000,  # 需求征集: a year of students' needs to the two school unions
    "need_supports": 500_000,
}
# Enough for every benchmarked page at any scale (two projects in each state, shifts with sign-ups, …),
# and a few rows of each kind the demo school has already (students, clubs, evaluators).
MINIMUM = {
    "students": 300,
    "organizations": 150,
    "evaluators": 15,
    "projects": 30,
    "bids": 60,
    "shifts": 30,
    "credit_records": 300,
    "other_signups": 60,
    "audit_entries": 1_000,
    "notifications": 300,
    "participant_checkins": 200,
    "survey_answers": 300,
    "staff_ratings": 300,
    "needs": 60,
    "need_supports": 600,
}

# The projects' states and their shares (None: the rest). Most of two years' projects are closed.
STATE_SHARES = [
    (S.DRAFT, 0.03),
    (S.PENDING_APPROVAL, 0.01),
    (S.OPEN, 0.07),
    (S.REVIEWING, 0.03),
    (S.AWARD_NOTICE, 0.02),
    (S.HOSTING, 0.10),
    (S.EVALUATING, 0.05),
    (S.FAILED, 0.08),
    (S.CANCELLED, 0.07),
    (S.CLOSED, None),
]
UNPUBLISHED = {S.DRAFT, S.PENDING_APPROVAL}
BID_ON = {S.OPEN, S.REVIEWING, S.AWARD_NOTICE, S.HOSTING, S.EVALUATING, S.CLOSED, S.CANCELLED}
REVIEWED = {S.REVIEWING, S.AWARD_NOTICE, S.HOSTING, S.EVALUATING, S.CLOSED}
AWARDED = {S.AWARD_NOTICE, S.HOSTING, S.EVALUATING, S.CLOSED}
HOSTED = {S.HOSTING, S.EVALUATING, S.CLOSED}
EVALUATED = {S.EVALUATING, S.CLOSED}  # their surveys opened and their outcome panels sat
PANEL = 3  # review.operations.MIN_PANEL: an award needs this many panelists, all submitted
HOST_CLUB = "青年志愿者协会"  # managed by the demo host login, 2023000021
EVALUATOR = "T0002"  # the demo evaluator, seated on an outcome panel
# The positions the burst adds to the hosted project (bench/burst.py); the pages measured leave them out,
# so that a run on the database a full run left (--reuse) measures the same roster.
BURST_POSITION = "报名高峰"

MORE_COLLEGES = (
    ("物理与电子工程学院", "物电"),
    ("化学化工学院", "化工"),
    ("生命科学学院", "生科"),
    ("法学院", "法学"),
    ("马克思主义学院", "马院"),
    ("新闻传播学院", "新传"),
    ("艺术学院", "艺术"),
    ("体育学院", "体育"),
    ("医学院", "临床"),
    ("建筑与城市规划学院", "建筑"),
    ("土木工程学院", "土木"),
    ("材料科学与工程学院", "材料"),
    ("环境科学与工程学院", "环境"),
    ("历史文化学院", "历史"),
)
CLUB_TOPICS = """
摄影 书法 国画 篆刻 合唱 民乐 管弦乐 街舞 拉丁舞 话剧 相声 诗词 读书 辩论 演讲 模拟联合国 日语 围棋 象棋
桥牌 足球 排球 乒乓球 网球 游泳 跆拳道 武术 太极 轮滑 登山 骑行 定向越野 天文 航模 无人机 编程 人工智能
网络安全 数学建模 金融投资 公益 动物保护 急救 手语 茶艺 烘焙 园艺 手工 桌游 魔术 电影 音乐剧 钢琴
""".split()  # noqa: SIM905 — a block of topics reads better than sixty quoted strings
CLUB_SUFFIXES = ("协会", "社", "研习社", "俱乐部")
ACTIVITIES = (
    ("新生学业互助计划", ProjectCategory.ACADEMIC),
    ("期末复习讲座", ProjectCategory.ACADEMIC),
    ("考研经验分享会", ProjectCategory.CAREER),
    ("校园招聘会志愿服务", ProjectCategory.CAREER),
    ("简历门诊", ProjectCategory.CAREER),
    ("心理减压周", ProjectCategory.WELLBEING),
    ("校园健步走", ProjectCategory.WELLBEING),
    ("社区支教行动", ProjectCategory.SOCIAL),
    ("敬老院探访", ProjectCategory.SOCIAL),
    ("宿舍用电安全宣传", ProjectCategory.RIGHTS),
    ("食堂意见征集", ProjectCategory.RIGHTS),
    ("研究生学术论坛", ProjectCategory.RESEARCH),
    ("创新创业训练营", ProjectCategory.INNOVATION),
    ("校园十佳歌手大赛", ProjectCategory.CULTURE_SPORTS),
    ("草坪音乐节", ProjectCategory.CULTURE_SPORTS),
    ("院际篮球联赛", ProjectCategory.CULTURE_SPORTS),
    ("图书漂流", ProjectCategory.OTHER),
)
DESCRIPTION = (
    "同学们反映需要这项服务。希望承办方拿出具体可行的方案，按期完成，并在项目时间线上公开进展和支出。"
)
OUTCOMES = "覆盖同学不少于 300 人次；活动后满意度平均不低于 4 分（满分 5 分）；结项报告附照片和支出明细。"
BID_PLAN = (
    "## 活动安排\n- 第一周：宣传与报名\n- 第二周起：按计划开展活动\n\n## 安全保障\n专人负责，提前踩点。"
)
POSITIONS = ("会场引导", "签到岗", "物资保障", "摄影记录", "翻译岗", "秩序维护")
PLACES = ("图书馆一楼大厅", "大学生活动中心 201", "体育馆", "第一食堂门口", "东区宿舍广场", "校史馆", "南门")
SHIFT_TIMES = (("09:00", "12:00"), ("14:00", "17:00"), ("18:30", "20:30"))
NOTIFIED = (
    ("volunteer.accepted", "志愿报名已录用：{}"),
    ("volunteer.shift_tomorrow", "明天有你的志愿班次：{}"),
    ("credit.verified", "学分已认定：{}"),
    ("volunteer.waiting", "已进入候补名单：{}"),
    ("project.deadline_soon", "竞标即将截止：{}"),
    ("review.hosting_begins", "项目进入承办：{}"),
)
POLITICAL = (
    (PoliticalStatus.LEAGUE_MEMBER, 70),
    (PoliticalStatus.MASSES, 14),
    (PoliticalStatus.PARTY_MEMBER, 6),
    (PoliticalStatus.PROBATIONARY_MEMBER, 6),
    (None, 4),
)
COMMENTS = (
    "活动很有收获，希望以后多办几期。",
    "签到排队有点久，建议多开几个签到点。",
    "讲解很清楚，资料也发得及时。",
    "时间安排在晚上比较合适，周末人少。",
    "场地有点小，后来的同学只能站着。",
    "志愿者很热情，现场秩序很好。",
    "宣传太晚了，很多同学不知道。",
    "内容对我找实习很有帮助。",
)
IMPROVEMENT = (
    "## 问题\n宣传晚、场地小，到场同学多于预期。\n\n"
    "## 整改措施\n- 活动前两周开始宣传，报名截止后按人数申请场地\n- 签到增设两个点位，安排专人引导"
)
BAR_FROM = 20_000  # rows: a table this large gets a progress bar while it is written


def size(name: str, scale: float) -> int:
    return max(MINIMUM[name], round(SIZES[name] * scale))


def spread(total: int, parts: int, rng: random.Random, *, low: int = 0) -> list[int]:
    """``total`` split into ``parts`` counts of about the same size (within ±50 % of the mean, and at
    least ``low`` each)."""
    if parts == 0:
        return []
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    unit = max(0, total - low * parts) / sum(weights)
    counts = [low + int(w * unit) for w in weights]
    for i in rng.sample(range(parts), max(0, total - sum(counts))):
        counts[i] += 1
    return counts


def at(day: date, hhmm: str) -> datetime:
    """``hhmm`` Beijing time on ``day``, as an aware UTC datetime."""
    hour, minute = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), SCHOOL_TZ).astimezone(UTC)


def local_day(moment: datetime) -> date:
    return moment.astimezone(SCHOOL_TZ).date()


def public_id(table: str, row_id: int) -> str:
    """A public id shaped like ``models_base.public_id()``'s, derived from the row, so that every pass
    over the rows (the table's own, the audit log's) finds the same one."""
    digest = hashlib.blake2b(f"{table}:{row_id}".encode(), digest_size=12, key=b"jiebang-bench").digest()
    return urlsafe_b64encode(digest).decode()


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- writing ------------------------------------------------------------------------------------------------


class Loader:
    """COPY rows (dicts by column name) into a table on the session's connection, inside its
    transaction; says on stderr what went in and how long it took, with a progress bar for the large
    tables."""

    def __init__(self):
        self.counts: Counter = Counter()

    def next_id(self, table: str) -> int:
        return db.session.scalar(sa.text(f'SELECT coalesce(max(id), 0) + 1 FROM "{table}"'))

    def copy(self, table: str, rows: Iterable[dict], expected: int = 0) -> None:
        started = timer.perf_counter()
        rows = iter(rows)
        first = next(rows, None)
        if first is not None:
            columns = ", ".join(f'"{name}"' for name in first)
            large = expected >= BAR_FROM
            bar = click.progressbar(length=expected, label=f"  {table}", file=sys.stderr)
            with (
                bar if large else nullcontext(),
                db.session.connection().connection.driver_connection.cursor() as cursor,
                cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy,
            ):
                for row in itertools.chain([first], rows):
                    copy.write_row(tuple(row.values()))
                    self.counts[table] += 1
                    if large and self.counts[table] % 10_000 == 0:
                        bar.update(10_000)
        seconds = timer.perf_counter() - started
        click.echo(f"  {table:<20} {self.counts[table]:>10,} rows {seconds:6.1f} s", err=True)


# -- the plan: what the table groups decide and read ---------------------------------------------------------


@dataclass
class Org:
    id: int
    name: str
    kind: OrgKind
    college_id: int | None
    grade: int | None = None  # a class made here: the grade its students are in
    members: list[int] = field(default_factory=list)
    manager_id: int | None = None


@dataclass
class BidPlan:
    id: int
    org: Org
    budget: Decimal
    submitted_at: datetime
    mark: int  # about what each panelist gives it on every criterion
    withdrawn: bool = False

    @property
    def public_id(self) -> str:
        return public_id("bid", self.id)

    @property
    def content(self) -> dict:
        """What the bid says, as its first revision keeps it."""
        return {
            "summary": f"{self.org.name}承办方案：分工明确，按期完成。",
            "plan": BID_PLAN,
            "requested_budget": str(self.budget),
            "timeline": "承办期内",
            "team": [self.org.manager_id],
            "expected_volunteers": 10 + self.id % 30,
        }


@dataclass
class Plan:
    """One project, decided before any of its rows is written."""

    state: S
    union_id: int
    staff_id: int
    title: str
    category: ProjectCategory
    budget: Decimal
    allow: tuple[bool, bool, bool]  # college unions, clubs, classes
    created_at: datetime
    deadline: datetime
    hosting: tuple[date, date]
    published_at: datetime | None = None
    credited: bool = False
    cancelled_at: datetime | None = None
    notice_at: datetime | None = None
    completed_at: datetime | None = None
    closed_at: datetime | None = None
    id: int = 0
    url: str = ""
    criteria: list[tuple[int, int]] = field(default_factory=list)  # (id, weight)
    bids: list[BidPlan] = field(default_factory=list)
    winner: BidPlan | None = None
    # 评价: how well the hosting went (0–1), which the outcome panel's marks and the students' stars
    # follow; and what the evaluation group wrote, which the audit log repeats.
    quality: float = 0.0
    days: list[tuple[int, date]] = field(default_factory=list)  # participants' check-in days (id, day)
    participants: set[int] = field(default_factory=set)  # who checked in on any of them
    survey_id: int = 0
    final: dict | None = None  # the final score's row
    improvement: dict | None = None  # the improvement plan's row

    @property
    def live_bids(self) -> list[BidPlan]:
        return [b for b in self.bids if not b.withdrawn]

    @property
    def closed_bidding_at(self) -> datetime | None:
        """The periodic tick after the deadline, for the projects it moved on."""
        return (
            self.deadline + timedelta(minutes=1) if self.state in REVIEWED or self.state == S.FAILED else None
        )

    @property
    def seed(self) -> str | None:
        return (
            draw.seed_for(self.id, (b.public_id for b in self.live_bids)) if self.state in REVIEWED else None
        )

    @property
    def window_ends_at(self) -> datetime:
        return self.notice_at + timedelta(days=SETTINGS["notice_window_days"].default)

    @property
    def host(self) -> Org | None:
        return self.winner.org if self.state in HOSTED else None

    @property
    def evaluation_ends_at(self) -> datetime | None:
        """评价期's end, fixed when the project entered 评价中 (the setting's default)."""
        if self.completed_at is None:
            return None
        return self.completed_at + timedelta(days=SETTINGS["evaluation_window_days"].default)


@dataclass
class ShiftPlan:
    id: int
    position_id: int
    project: Plan
    starts_at: datetime
    ends_at: datetime
    hours: Decimal
    done: bool
    admission: Admission
    signups: list[tuple[int, SignupStatus]] = field(default_factory=list)  # (user id, status) by arrival
    capacity: int = 0

    @property
    def confirmed_at(self) -> datetime:
        """When the host confirmed the attendance of a done shift: the next day, and before reporting
        the completion (attendance confirmed later would invite nobody to the survey)."""
        confirmed = self.ends_at + timedelta(days=1)
        if self.project.completed_at is not None:
            confirmed = min(confirmed, self.project.completed_at - timedelta(hours=1))
        return min(confirmed, clock.now())


@dataclass
class Bulk:
    """The run's options and everything found or decided so far."""

    scale: float
    rng: random.Random
    loader: Loader
    now: datetime
    today: date
    password_hash: str
    people: dict[str, int] = field(default_factory=dict)  # demo login -> user id
    colleges: list[tuple[int, str, str, str]] = field(default_factory=list)  # (id, name, code, short name)
    orgs: dict[int, Org] = field(default_factory=dict)
    volunteers: list[int] = field(default_factory=list)  # the students who sign up for shifts
    evaluators: list[int] = field(default_factory=list)
    memberships_of: dict[int, set[int]] = field(default_factory=dict)  # the evaluators' organizations
    terms: list[tuple[date, date, int]] = field(default_factory=list)  # four begun terms, oldest first
    category_id: int = 0  # 志愿公益, the category of volunteering credits
    hours_per_credit: Decimal = Decimal(8)
    projects: list[Plan] = field(default_factory=list)
    shifts: list[ShiftPlan] = field(default_factory=list)
    first_signup_id: int = 1
    first_attendance_id: int = 1
    first_credit_id: int = 1
    evaluated: Plan | None = None  # the project in 评价中 the demo staff, evaluator and student meet

    def size(self, name: str) -> int:
        return size(name, self.scale)

    def of_kind(self, kind: OrgKind) -> list[Org]:
        return [o for o in self.orgs.values() if o.kind == kind]

    def grades(self) -> list[int]:
        """The four grades of undergraduates in school, 大一 last."""
        year = academic_year_of(self.today)
        return [year - 3, year - 2, year - 1, year]

    def term_of(self, day: date) -> int | None:
        return next((term_id for start, end, term_id in self.terms if start <= day <= end), None)

    def term_day(self, before: date) -> date:
        """A day of the four terms, before ``before``."""
        start, end, _id = self.rng.choice([t for t in self.terms if t[0] < before])
        last = min(end, before - timedelta(days=1))
        return start + timedelta(days=self.rng.randint(0, (last - start).days))

    def ago(self, low_days: float, high_days: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(low_days, high_days))


# -- the run ----------------------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    """Drop the database of ``url`` (closing its connections) and create it empty."""
    target = sa.engine.make_url(url)
    engine = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()


def build(scale: float) -> None:
    """Fill the empty database of the current app at ``scale``."""
    upgrade()  # flask db upgrade
    seed_demo(Demo(school_name=current_app.config["SCHOOL_NAME"], history=False))  # seed-demo --school-only
    db.session.commit()
    bulk = _start(scale)
    with foreign_keys_checked_after():
        for group in TABLE_GROUPS:
            click.echo(group.__doc__.splitlines()[0], err=True)
            group(bulk)
            db.session.commit()
    issue_transcript(bulk)
    finish()


def _start(scale: float) -> Bulk:
    bulk = Bulk(
        scale=scale,
        rng=random.Random("jiebang-bench"),
        loader=Loader(),
        now=clock.now(),
        today=clock.today_local(),
        password_hash=generate_password_hash(PASSWORD),
    )
    for spec in DEMO_ACCOUNTS:
        column = User.student_no if spec.kind == AccountKind.STUDENT else User.staff_no
        bulk.people[spec.identifier] = db.session.scalar(select(User.id).where(column == spec.identifier))
    volunteering = db.session.scalars(select(CreditCategory).where(CreditCategory.code == "volunteer")).one()
    bulk.category_id, bulk.hours_per_credit = volunteering.id, volunteering.hours_per_credit
    return bulk


@contextmanager
def foreign_keys_checked_after() -> Iterator[None]:
    """Drop the foreign keys while the rows go in and add them back afterwards, as pg_restore does:
    adding a key checks every row in one pass, where COPY would look up each row's references one by
    one. A row that points nowhere still fails the build, at the end."""
    keys = db.session.execute(
        sa.text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
        )
    ).all()
    for table, name, _definition in keys:
        db.session.execute(sa.text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    db.session.commit()
    yield
    started = timer.perf_counter()
    for table, name, definition in keys:
        db.session.execute(sa.text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
    db.session.commit()
    click.echo(f"{len(keys)} foreign keys checked {timer.perf_counter() - started:6.1f} s", err=True)


def issue_transcript(bulk: Bulk) -> None:
    """A transcript of the demo student, issued by the app's own operation: its code is the one the
    verification page is measured with."""
    transcript.issue(db.session.get(User, bulk.people["2024000100"]))
    db.session.commit()


def finish() -> None:
    """Sequences past the ids written here, then VACUUM (ANALYZE): fresh statistics for the planner,
    and no autovacuum of the new rows later, in the middle of the load run."""
    for table in db.metadata.sorted_tables:
        if "id" in table.c and isinstance(table.c.id.type, sa.Integer):  # random keys have no sequence
            sequence = f"pg_get_serial_sequence('\"{table.name}\"', 'id')"
            db.session.execute(
                sa.text(f'SELECT setval({sequence}, coalesce(max(id), 0) + 1, false) FROM "{table.name}"')
            )
    db.session.commit()
    started = timer.perf_counter()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM (ANALYZE)"))
    click.echo(f"VACUUM (ANALYZE) {timer.perf_counter() - started:6.1f} s", err=True)


def row_counts() -> dict[str, int]:
    """Rows per table."""
    count = sa.func.count()
    return {t.name: db.session.scalar(select(count).select_from(t)) for t in db.metadata.sorted_tables}


# -- the school ---------------------------------------------------------------------------------------------


def calendar(bulk: Bulk) -> None:
    """Calendar: four terms that have begun (earlier academic years where the demo's two have fewer)."""
    terms = db.session.scalars(select(Term).order_by(Term.starts_on)).all()
    begun = [(t.starts_on, t.ends_on, t.id) for t in terms if t.starts_on <= bulk.today]
    year = terms[0].starts_on.year
    year_id, term_id = bulk.loader.next_id("academic_year"), bulk.loader.next_id("term")
    years, new_terms = [], []
    while len(begun) < 4:
        year -= 1
        starts_on, next_starts_on = autumn_term_start(year), autumn_term_start(year + 1)
        name = f"{year}-{year + 1}学年"
        years.append(
            {"id": year_id, "name": name, "starts_on": starts_on, "ends_on": next_starts_on - timedelta(1)}
        )
        for term_name, term_starts_on, term_ends_on in term_dates(year):
            new_terms.append(
                {
                    "id": term_id,
                    "year_id": year_id,
                    "name": term_name,
                    "starts_on": term_starts_on,
                    "ends_on": term_ends_on,
                }
            )
            begun.append((term_starts_on, term_ends_on, term_id))
            term_id += 1
        year_id += 1
    bulk.loader.copy("academic_year", years)
    bulk.loader.copy("term", new_terms)
    bulk.terms = sorted(begun)[-4:]


def organizations(bulk: Bulk) -> None:
    """Organizations: twenty colleges with their unions, clubs, and classes up to the size."""
    loader = bulk.loader
    have = set(db.session.scalars(select(College.name)))
    college_id = itertools.count(loader.next_id("college"))
    loader.copy(
        "college",
        [
            {"id": next(college_id), "name": name, "code": f"{code:02d}"}
            for code, (name, _short) in enumerate(MORE_COLLEGES, start=len(COLLEGES) + 1)
            if name not in have
        ],
    )
    shorts = {c.name: c.short for c in COLLEGES} | dict(MORE_COLLEGES)
    bulk.colleges = [
        (c.id, c.name, c.code, shorts[c.name])
        for c in db.session.scalars(select(College).order_by(College.id))
    ]

    for org in db.session.scalars(select(Organization)):
        bulk.orgs[org.id] = Org(org.id, org.name, org.kind, org.college_id)
    names = {o.name for o in bulk.orgs.values()}
    wanted = bulk.size("organizations")
    org_id = itertools.count(loader.next_id("organization"))
    rows = []

    def add(
        name: str, kind: OrgKind, college: int | None, description: str, grade: int | None = None
    ) -> None:
        names.add(name)
        row = {"id": next(org_id), "name": name, "kind": kind.value, "college_id": college}
        rows.append(row | {"description": description, "is_active": True, "created_at": bulk.now})
        bulk.orgs[row["id"]] = Org(row["id"], name, kind, college, grade)

    for college, name, _code, _short in bulk.colleges:
        if f"{name}学生会" not in names:
            add(f"{name}学生会", OrgKind.COLLEGE_UNION, college, f"服务{name}同学的学习、生活与文体活动。")
    clubs = (f"{topic}{suffix}" for suffix in CLUB_SUFFIXES for topic in CLUB_TOPICS)
    new_clubs = (name for name in clubs if name not in names)  # the demo has some
    for name in itertools.islice(new_clubs, max(0, wanted // 5 - len(bulk.of_kind(OrgKind.CLUB)))):
        add(name, OrgKind.CLUB, None, f"{name[:2]}爱好者的社团，面向全校招新。")
    # Classes: a new one for each college and grade at least (new students join new classes only).
    slots = [(college, short, grade) for college, _n, _c, short in bulk.colleges for grade in bulk.grades()]
    for n in range(max(len(slots), wanted - len(bulk.orgs))):
        college, short, grade = slots[n % len(slots)]
        name = next(
            name for k in itertools.count(1) if (name := f"{short}{grade % 100:02d}{k:02d}班") not in names
        )
        add(name, OrgKind.CLASS, college, f"{grade}级本科班级。", grade)
    loader.copy("organization", rows)


def students(bulk: Bulk) -> None:
    """Students: up to the size, each in a class of their college and grade, about half of them in
    clubs; the first to join a new organization leads it; more evaluators for the 评议会."""
    loader, rng = bulk.loader, bulk.rng
    for org_id, user_id, role in db.session.execute(
        select(Membership.org_id, Membership.user_id, Membership.role).where(Membership.ends_on.is_(None))
    ):
        bulk.orgs[org_id].members.append(user_id)
        if role == MemberRole.MANAGER:
            bulk.orgs[org_id].manager_id = user_id
    numbers = set(db.session.scalars(select(User.student_no).where(User.student_no.is_not(None))))
    classes: dict[tuple[int, int], list[Org]] = {}
    for org in bulk.of_kind(OrgKind.CLASS):
        if org.grade is not None:
            classes.setdefault((org.college_id, org.grade), []).append(org)
    clubs = bulk.of_kind(OrgKind.CLUB)
    users, memberships, new_students = [], [], []
    user_id, membership_id = (
        itertools.count(loader.next_id("user")),
        itertools.count(loader.next_id("membership")),
    )
    last_number: Counter = Counter()

    def next_number(grade: int, code: str) -> str:
        while True:
            last_number[(grade, code)] += 1
            number = f"{grade}{code}{last_number[(grade, code)]:04d}"
            if number not in numbers:
                return number

    def join(org: Org, member: int, since: date, title: str) -> None:
        leads = org.manager_id is None
        if leads:
            org.manager_id = member
        org.members.append(member)
        memberships.append(
            {
                "id": next(membership_id),
                "user_id": member,
                "org_id": org.id,
                "role": (MemberRole.MANAGER if leads else MemberRole.MEMBER).value,
                "title": title if leads else "",
                "starts_on": since,
                "created_at": bulk.now,
            }
        )

    grades = bulk.grades()
    for n in range(max(0, bulk.size("students") - len(numbers))):
        college, _name, code, _short = bulk.colleges[n % len(bulk.colleges)]
        grade = grades[n // len(bulk.colleges) % len(grades)]
        number = next_number(grade, code)
        political = rng.choices([p for p, _w in POLITICAL], [w for _p, w in POLITICAL])[0]
        user = {
            "id": next(user_id),
            "kind": AccountKind.STUDENT.value,
            "student_no": number,
            "name": chinese_name(rng),
            "college_id": college,
            "grade": grade,
            "phone": phone_number(rng),
            "email": f"{number}@demo.edu.cn",
            "email_verified_at": bulk.now,
            "political_status": political.value if political else None,
            "degree_level": DegreeLevel.UNDERGRADUATE.value,
            "password_hash": bulk.password_hash,
            "status": AccountStatus.ACTIVE.value,
            "created_at": bulk.now,
            "claimed_at": bulk.now,
        }
        users.append(user)
        new_students.append((user["id"], college))
        its_classes = classes[(college, grade)]
        join(
            its_classes[n // (len(bulk.colleges) * len(grades)) % len(its_classes)],
            user["id"],
            date(grade, 9, 1),
            "班长",
        )
        for club in rng.sample(clubs, rng.choice((0, 0, 1, 1, 2))):
            joined = autumn_term_start(rng.randint(grade, grades[-1])) + timedelta(days=7)
            join(club, user["id"], min(joined, bulk.today), "会长")
    loader.copy("user", users, expected=len(users))

    bulk.volunteers = list(
        db.session.scalars(
            select(User.id).where(
                User.kind == AccountKind.STUDENT,
                User.status == AccountStatus.ACTIVE,
                User.password_hash.is_not(None),
            )
        )
    )
    for org in bulk.orgs.values():
        if org.manager_id is None:  # nobody joined it: a student of its college leads it
            pool = [u for u, college in new_students if college == org.college_id] or bulk.volunteers
            join(org, rng.choice(pool), autumn_term_start(grades[-1]), "主席" if org.college_id else "负责人")
    loader.copy("membership", memberships, expected=len(memberships))

    evaluators = set(db.session.scalars(select(UserRole.user_id).where(UserRole.role == SiteRole.EVALUATOR)))
    wanted = min(len(new_students), max(0, bulk.size("evaluators") - len(evaluators)))
    more = rng.sample([u for u, _college in new_students], wanted)
    role_id = itertools.count(loader.next_id("user_role"))
    loader.copy(
        "user_role",
        (
            {
                "id": next(role_id),
                "user_id": u,
                "role": SiteRole.EVALUATOR.value,
                "granted_at": bulk.now,
                "granted_by_id": bulk.people["A0001"],
            }
            for u in more
        ),
    )
    bulk.evaluators = sorted(evaluators | set(more))
    for org in bulk.orgs.values():
        for member in set(org.members) & set(bulk.evaluators):
            bulk.memberships_of.setdefault(member, set()).add(org.id)


# -- projects, bids and review -------------------------------------------------------------------------------


def projects(bulk: Bulk) -> None:
    """Projects: in every state over the four terms, with their criteria and questions (and their bids
    decided, for the draw seeds)."""
    loader, rng = bulk.loader, bulk.rng
    total = bulk.size("projects")
    states = []
    for state, share in STATE_SHARES:
        states += [state] * (total - len(states) if share is None else max(2, round(share * total)))
    plans = sorted((_plan(bulk, state, n) for n, state in enumerate(states)), key=lambda p: p.created_at)
    project_id, criterion_id = loader.next_id("project"), itertools.count(loader.next_id("criterion"))
    criteria = default_criteria()
    for n, plan in enumerate(plans):
        plan.id, plan.url = project_id + n, path_for("projects.show", project_id=project_id + n)
        plan.criteria = [(next(criterion_id), c["weight"]) for c in criteria]
    bulk.projects = plans
    _plan_bids(bulk)

    loader.copy(
        "project",
        (
            {
                "id": p.id,
                "title": p.title,
                "category": p.category.value,
                "union_id": p.union_id,
                "description": DESCRIPTION,
                "expected_outcomes": OUTCOMES,
                "budget_cap": p.budget,
                "allow_college_union": p.allow[0],
                "allow_club": p.allow[1],
                "allow_class": p.allow[2],
                "bid_deadline": p.deadline,
                "hosting_starts_on": p.hosting[0],
                "hosting_ends_on": p.hosting[1],
                "credit_category_id": bulk.category_id if p.credited else None,
                "flagged_major": p.state == S.PENDING_APPROVAL,
                "state": p.state.value,
                "created_by_id": p.staff_id,
                "created_at": p.created_at,
                "published_at": p.published_at,
                "bidding_closed_at": p.closed_bidding_at,
                "tiebreak_seed": p.seed,
                "cancel_reason": "场地施工，活动无法按期举行。" if p.state == S.CANCELLED else None,
                "host_org_id": p.host.id if p.host else None,
                "evaluation_ends_at": p.evaluation_ends_at,
                "version": 1,
            }
            for p in plans
        ),
        expected=len(plans),
    )
    loader.copy(
        "criterion",
        (
            {
                "id": criterion,
                "project_id": p.id,
                "purpose": "bid",
                "name": c["name"],
                "description": c["description"],
                "weight": c["weight"],
                "position": n,
            }
            for p in plans
            for n, ((criterion, _weight), c) in enumerate(zip(p.criteria, criteria, strict=True))
        ),
        expected=len(plans) * len(criteria),
    )
    managers = [o.manager_id for o in bulk.orgs.values()]
    question_id = itertools.count(loader.next_id("question"))
    questions = []
    for plan in plans:
        if plan.published_at is None:
            continue
        until = min(plan.deadline, plan.cancelled_at or plan.deadline, bulk.now)
        for _n in range(rng.choice((0, 0, 1, 2))):
            asked = plan.published_at + (until - plan.published_at) * rng.uniform(0.1, 0.5)
            answered = rng.random() < 0.8
            questions.append(
                {
                    "id": next(question_id),
                    "project_id": plan.id,
                    "asker_id": rng.choice(managers),
                    "body": "活动场地由学生会统一协调，还是承办方自己申请？",
                    "asked_at": asked,
                    "answer": "由学生会统一协调。" if answered else None,
                    "answered_by_id": plan.staff_id if answered else None,
                    "answered_at": asked + (until - asked) / 2 if answered else None,
                }
            )
    loader.copy("question", questions)


def _plan(bulk: Bulk, state: S, n: int) -> Plan:
    """A project's union, budget and dates, as its state has them."""
    rng, today, now = bulk.rng, bulk.today, bulk.now

    def days(low: int, high: int) -> timedelta:
        return timedelta(days=rng.randint(low, high))

    activity, category = ACTIVITIES[n % len(ACTIVITIES)]
    graduate = n % 7 == 0
    union = bulk.of_kind(OrgKind.GRADUATE_UNION if graduate else OrgKind.SCHOOL_UNION)[0]
    # A major project (over the budget line) waits for the league's approval; the rest are published.
    budget = (
        rng.randrange(25_000, 60_000, 500)
        if state == S.PENDING_APPROVAL
        else rng.randrange(2_000, 18_000, 500)
    )
    allow = (rng.random() < 0.85, rng.random() < 0.9, rng.random() < 0.35)

    hosting = published = notice = completed = closed = cancelled = None
    if state in UNPUBLISHED:
        created, deadline = bulk.ago(1, 10), at(today + days(10, 40), "17:00")
    elif state == S.OPEN:
        published, deadline = bulk.ago(1, 14), at(today + days(1, 21), "17:00")
    elif state == S.CANCELLED:  # while bidding was open
        published = bulk.ago(2, 400)
        deadline = at(local_day(published) + timedelta(days=14), "17:00")
        cancelled = min(published + days(1, 10), now - timedelta(hours=1))
    elif state == S.FAILED:
        deadline = at(bulk.term_day(today), "17:00")
    elif state == S.REVIEWING:
        deadline = at(today - days(1, 7), "17:00")
        hosting = (today + days(14, 21), today + days(30, 60))
    elif state == S.AWARD_NOTICE:  # the window (three days) still runs
        deadline, notice = at(today - days(8, 14), "17:00"), bulk.ago(1 / 24, 2)
        hosting = (today + days(4, 10), today + days(30, 60))
    else:  # hosted: the hosting period first, then the deadline a week before it
        if state == S.HOSTING:
            hosting = (today - days(3, 30), today + days(10, 40))
        elif state == S.EVALUATING:
            end = today - days(1, 14)
            hosting = (end - days(14, 40), end)
        else:  # its evaluation window (three weeks from the completion) has ended, and the clock closed it
            start = bulk.term_day(today - timedelta(days=45))
            hosting = (start, min(start + days(7, 30), today - timedelta(days=25)))
        if state != S.HOSTING:
            completed = min(at(hosting[1] + timedelta(days=1), "20:00"), now - timedelta(hours=1))
        if state == S.CLOSED:
            closed = completed + timedelta(days=SETTINGS["evaluation_window_days"].default)
        deadline = at(hosting[0] - timedelta(days=7), "17:00")
        notice = at(hosting[0] - timedelta(days=4), "15:00")
    if state not in UNPUBLISHED:
        published = published or deadline - timedelta(days=14, hours=7)
        created = published - timedelta(days=1)
    hosting = hosting or (local_day(deadline) + timedelta(days=7), local_day(deadline) + timedelta(days=37))
    return Plan(
        state=state,
        union_id=union.id,
        staff_id=bulk.people["2023000002" if graduate else "2023000001"],
        title=f"{activity}（第{n // len(ACTIVITIES) + 1}期）",
        category=category,
        budget=Decimal(budget),
        allow=allow if any(allow) else (False, True, False),
        created_at=created,
        deadline=deadline,
        hosting=hosting,
        published_at=published,
        credited=state in HOSTED or rng.random() < 0.5,
        cancelled_at=cancelled,
        notice_at=notice,
        completed_at=completed,
        closed_at=closed,
    )


def _plan_bids(bulk: Bulk) -> None:
    """Which organizations bid on what, and who wins. The demo host's club wins the first project in
    hosting, so the host login has a console with shifts."""
    rng = bulk.rng
    kinds = (OrgKind.COLLEGE_UNION, OrgKind.CLUB, OrgKind.CLASS)
    bidders = {kind: bulk.of_kind(kind) for kind in kinds}
    host_club = next(o for o in bulk.orgs.values() if o.name == HOST_CLUB)
    showcase = next(p for p in bulk.projects if p.state == S.HOSTING)
    showcase.allow = (showcase.allow[0], True, showcase.allow[2])
    bid_on = [p for p in bulk.projects if p.state in BID_ON]
    bid_id = itertools.count(bulk.loader.next_id("bid"))
    for plan, count in zip(bid_on, spread(bulk.size("bids"), len(bid_on), rng, low=1), strict=True):
        eligible = [
            o for kind, allowed in zip(kinds, plan.allow, strict=True) if allowed for o in bidders[kind]
        ]
        orgs = rng.sample(eligible, min(count, len(eligible)))
        if plan is showcase and host_club not in orgs:
            orgs[0] = host_club
        until = min(plan.deadline, plan.cancelled_at or plan.deadline, bulk.now)
        for org in orgs:
            plan.bids.append(
                BidPlan(
                    id=next(bid_id),
                    org=org,
                    budget=(plan.budget * Decimal(rng.uniform(0.6, 1))).quantize(Decimal(100)),
                    submitted_at=plan.published_at + (until - plan.published_at) * rng.uniform(0.05, 0.95),
                    mark=rng.randint(50, 80),
                    withdrawn=len(plan.bids) > 0 and rng.random() < 0.05,
                )
            )
        if plan.state in AWARDED:
            hosts = [b for b in plan.bids if b.org is host_club] if plan is showcase else plan.live_bids
            plan.winner = hosts[0]
            plan.winner.withdrawn = False
            plan.winner.mark = 92  # ahead of the others, whatever each panelist's ±4


def bids_and_review(bulk: Bulk) -> None:
    """Bids and review: bids with their first revisions; panels, their scores, notices and objections."""
    loader, rng = bulk.loader, bulk.rng
    bids = [(p, b) for p in bulk.projects for b in p.bids]
    loader.copy(
        "bid",
        (
            {
                "id": b.id,
                "public_id": b.public_id,
                "project_id": p.id,
                "org_id": b.org.id,
                "status": "withdrawn" if b.withdrawn else "submitted",
                **{key: value for key, value in b.content.items() if key != "requested_budget"},
                "team": as_json(b.content["team"]),
                "requested_budget": b.budget,
                "confirmed": True,
                "confirmed_at": b.submitted_at,
                "submitted_at": b.submitted_at,
                "updated_at": b.submitted_at,
                "created_by_id": b.org.manager_id,
                "version": 1,
            }
            for p, b in bids
        ),
        expected=len(bids),
    )
    revision_id = itertools.count(loader.next_id("bid_revision"))
    loader.copy(
        "bid_revision",
        (
            {
                "id": (revision := next(revision_id)),
                "public_id": public_id("bid_revision", revision),
                "bid_id": b.id,
                "number": 1,
                "content": as_json(b.content),
                "content_hash": content_hash(b.content),
                "author_id": b.org.manager_id,
                "created_at": b.submitted_at,
            }
            for _p, b in bids
        ),
        expected=len(bids),
    )

    reviewed = [p for p in bulk.projects if p.state in REVIEWED]
    objected_to = {p.id for p in reviewed if p.state == S.AWARD_NOTICE}
    objected_to = set(sorted(objected_to)[::3])  # an objection waits on every third notice
    round_id, seat_id, score_id, notice_id, objection_id = (
        itertools.count(loader.next_id(t))
        for t in ("review_round", "panel_seat", "score", "award_notice", "objection")
    )
    rounds, seats, scores, notices, objections = [], [], [], [], []
    for plan in reviewed:
        round_ = {"id": next(round_id), "project_id": plan.id, "purpose": "bid", "number": 1}
        rounds.append(round_ | {"opened_at": plan.closed_bidding_at})
        bidding = {b.org.id for b in plan.live_bids}
        not_recused = [u for u in bulk.evaluators if not bulk.memberships_of.get(u, set()) & bidding]
        assigned = plan.closed_bidding_at + min(timedelta(hours=16), (bulk.now - plan.closed_bidding_at) / 4)
        totals: dict[int, list] = {b.id: [] for b in plan.live_bids}
        for n, panelist in enumerate(rng.sample(not_recused, min(PANEL, len(not_recused)))):
            if plan.state in AWARDED:  # the whole panel submitted before the award
                declared, submitted = assigned + timedelta(hours=1), assigned + timedelta(hours=3)
            else:  # at work: one has submitted, one declared, one not begun yet
                declared = assigned + (bulk.now - assigned) / 4 if n < 2 else None
                submitted = assigned + (bulk.now - assigned) / 2 if n < 1 else None
            seat = {
                "id": next(seat_id),
                "round_id": round_["id"],
                "user_id": panelist,
                "assigned_by_id": plan.staff_id,
            }
            seats.append(seat | {"assigned_at": assigned, "declared_at": declared, "submitted_at": submitted})
            for bid in plan.live_bids if submitted else ():
                values = {c: max(0, min(100, bid.mark + rng.randint(-4, 4))) for c, _weight in plan.criteria}
                totals[bid.id].append(scoring.weighted_total(values, dict(plan.criteria)))
                scores += [
                    {"id": next(score_id), "seat_id": seat["id"], "bid_id": bid.id, "criterion_id": criterion}
                    | {"value": value, "comment": ""}
                    for criterion, value in values.items()
                ]
        if plan.state in AWARDED:
            notice = {
                "id": next(notice_id),
                "project_id": plan.id,
                "round_id": round_["id"],
                "number": 1,
                "bid_id": plan.winner.id,
                "ranking": as_json(_ranking(plan, totals)),
                "published_at": plan.notice_at,
                "window_ends_at": plan.window_ends_at,
                "status": (NoticeStatus.ACTIVE if plan.state == S.AWARD_NOTICE else NoticeStatus.FINAL).value,
            }
            notices.append(notice)
            if plan.id in objected_to:
                objections.append(
                    {
                        "id": next(objection_id),
                        "notice_id": notice["id"],
                        "student_id": rng.choice(bulk.volunteers),
                        "reason": "评分过程不透明，请公开各评议人的评分。",
                        "created_at": plan.notice_at + (bulk.now - plan.notice_at) / 2,
                        "status": "pending",
                    }
                )
    loader.copy("review_round", rounds)
    loader.copy("panel_seat", seats)
    loader.copy("score", scores, expected=len(scores))
    loader.copy("award_notice", notices)
    loader.copy("objection", objections)


def _ranking(plan: Plan, totals: dict[int, list]) -> list[dict]:
    """The notice's snapshot of the ranked bids, as review.operations publishes it."""
    scored = [
        (b, scoring.aggregate(totals[b.id]), draw.draw_key(plan.seed, b.public_id)) for b in plan.live_bids
    ]
    scored.sort(key=lambda s: (-(s[1] or 0), s[0].budget, s[2]))
    return [
        {
            "public_id": bid.public_id,
            "org": bid.org.name,
            "org_id": bid.org.id,
            "score": scoring.shown(score),
            "requested_budget": str(bid.budget),
            "rank": rank,
            "tie_key": tie_key,
        }
        for rank, (bid, score, tie_key) in enumerate(scored, start=1)
    ]


# -- hosting and volunteering --------------------------------------------------------------------------------


def hosting(bulk: Bulk) -> None:
    """Hosting: the hosts' progress updates, expenditures and completion reports."""
    loader, rng = bulk.loader, bulk.rng
    update_id, expense_id, report_id = (
        itertools.count(loader.next_id(t)) for t in ("progress_update", "expenditure", "completion_report")
    )
    updates, expenses, reports = [], [], []
    for plan in bulk.projects:
        if plan.state not in HOSTED:
            continue
        author = plan.host.manager_id
        begun, until = at(plan.hosting[0], "10:00"), min(bulk.now, at(plan.hosting[1], "20:00"))
        steps = rng.randint(1, 3)
        for n in range(steps):
            moment = begun + (until - begun) * (n + 1) / (steps + 1)
            updates.append(
                {
                    "id": next(update_id),
                    "project_id": plan.id,
                    "author_id": author,
                    "milestone": f"第{n + 1}阶段",
                    "percent": 25 * (n + 1),
                    "body": "按计划推进。",
                    "created_at": moment,
                }
            )
            expenses.append(
                {
                    "id": next(expense_id),
                    "project_id": plan.id,
                    "author_id": author,
                    "spent_on": local_day(moment),
                    "item": "物料与宣传",
                    "amount": (plan.winner.budget * Decimal(rng.uniform(0.05, 0.3))).quantize(
                        Decimal("0.01")
                    ),
                    "note": "",
                    "created_at": moment,
                }
            )
        if plan.completed_at is not None:
            final = {
                "id": next(update_id),
                "project_id": plan.id,
                "author_id": author,
                "milestone": "结项",
                "percent": 100,
                "body": "项目完成，结项报告已提交。",
                "created_at": plan.completed_at,
            }
            updates.append(final)
            reports.append(
                {
                    "id": next(report_id),
                    "project_id": plan.id,
                    "submitted_by_id": author,
                    "submitted_at": plan.completed_at,
                    "outcomes": "按计划完成。",
                    "participants": 300,
                    "spending_summary": "支出见明细。",
                    "update_id": final["id"],
                }
            )
    loader.copy("progress_update", updates)
    loader.copy("expenditure", expenses)
    loader.copy("completion_report", reports)


def volunteering(bulk: Bulk) -> None:
    """Volunteering: positions and shifts of the hosted projects, the sign-ups, their attendance."""
    loader = bulk.loader
    loader.copy("position", _plan_shifts(bulk))
    _plan_signups(bulk)
    loader.copy(
        "shift",
        (
            {
                "id": s.id,
                "position_id": s.position_id,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "place": PLACES[s.id % len(PLACES)],
                "capacity": s.capacity,
                "taken": sum(1 for _user, status in s.signups if status.holds_seat),
                "credit_hours": s.hours,
                "reminder_sent_at": s.starts_at - timedelta(days=1) if s.done else None,
                "no_shows_marked_at": s.ends_at + timedelta(minutes=30) if s.done else None,
                "attendance_confirmed_at": s.confirmed_at if s.done else None,
                "attendance_confirmed_by_id": s.project.host.manager_id if s.done else None,
            }
            for s in bulk.shifts
        ),
        expected=len(bulk.shifts),
    )
    bulk.first_signup_id = loader.next_id("signup")
    loader.copy(
        "signup",
        (
            {
                "id": signup_id,
                "public_id": public_id("signup", signup_id),
                "shift_id": shift.id,
                "user_id": user_id,
                "status": status.value,
                "queue_key": (signed := _signed_up_at(shift, signup_id)).isoformat(),
                "created_at": signed,
                "updated_at": signed,
            }
            for shift, signup_id, user_id, status in _signups(bulk)
        ),
        expected=sum(len(s.signups) for s in bulk.shifts),
    )
    bulk.first_attendance_id = loader.next_id("attendance")
    attendance_id = itertools.count(bulk.first_attendance_id)
    loader.copy(
        "attendance",
        (
            {
                "id": next(attendance_id),
                "signup_id": signup_id,
                "checked_in_at": _checked_in_at(shift, signup_id),
                "checked_out_at": shift.ends_at + timedelta(minutes=signup_id % 15),
                "credited_hours": shift.hours,
            }
            for shift, signup_id, _user_id in _attended(bulk)
        ),
        expected=bulk.size("credit_records"),
    )


def _plan_shifts(bulk: Bulk) -> list[dict]:
    """Shifts spread over the hosted projects, on days of their hosting period: done ones, and for the
    projects in hosting also ones to come. Returns the positions' rows."""
    rng, today = bulk.rng, bulk.today
    hosted = [p for p in bulk.projects if p.state in HOSTED]
    position_id, shift_id = (
        itertools.count(bulk.loader.next_id("position")),
        itertools.count(bulk.loader.next_id("shift")),
    )
    positions = []
    for plan, count in zip(hosted, spread(bulk.size("shifts"), len(hosted), rng, low=1), strict=True):
        start, end = plan.hosting
        last_done = min(end, today - timedelta(days=1))
        to_come = (count + 1) // 2 if plan.state == S.HOSTING else 0
        days = [
            start + timedelta(days=rng.randint(0, (last_done - start).days)) for _n in range(count - to_come)
        ]
        days += [today + timedelta(days=rng.randint(1, (end - today).days)) for _n in range(to_come)]
        titles = rng.sample(POSITIONS, 1 if count < 3 else 2)
        for n, title in enumerate(titles):
            position = {"id": next(position_id), "project_id": plan.id, "title": title}
            # One position in four admits by the host's decision (评审制); the rest first come, first served.
            admission = Admission.APPROVAL if position["id"] % 4 == 0 else Admission.FIRST_COME
            positions.append(
                position
                | {"description": "服从现场安排，提前十分钟到岗。", "admission": admission.value}
                | {"required_political": "[]", "created_at": plan.window_ends_at}
            )
            for day in sorted(days[n :: len(titles)]):
                begins, ends = rng.choice(SHIFT_TIMES)
                starts_at, ends_at = at(day, begins), at(day, ends)
                hours = Decimal((ends_at - starts_at).seconds // 360) / 10
                bulk.shifts.append(
                    ShiftPlan(
                        next(shift_id),
                        position["id"],
                        plan,
                        starts_at,
                        ends_at,
                        hours,
                        day < today,
                        admission,
                    )
                )
    return positions


def _plan_signups(bulk: Bulk) -> None:
    """Who signed up for each shift. On the done ones the attended (a credit record each) and a few
    no-shows, leaves and cancellations; on those to come the accepted up to the capacity, then the
    waiting list (or, where the host decides, the applications)."""
    rng, pool = bulk.rng, bulk.volunteers
    done = [s for s in bulk.shifts if s.done]
    to_come = [s for s in bulk.shifts if not s.done]
    others = bulk.size("other_signups")
    attended = spread(bulk.size("credit_records"), len(done), rng, low=1)
    absent = spread(others * 6 // 10, len(done), rng)
    waiting = spread(others - sum(absent), len(to_come), rng, low=1)
    missed = (SignupStatus.NO_SHOW, SignupStatus.LEAVE, SignupStatus.CANCELLED)
    for shift, came, stayed_away in zip(done, attended, absent, strict=True):
        people = rng.sample(pool, min(len(pool), came + stayed_away))
        shift.signups = [(u, SignupStatus.ACCEPTED) for u in people[:came]]
        shift.signups += [(u, rng.choice(missed)) for u in people[came:]]
        shift.capacity = came + rng.randint(0, came // 10 + 1)
    for shift, count in zip(to_come, waiting, strict=True):
        shift.capacity = rng.randint(10, 60)
        seated = 0
        for user in rng.sample(pool, min(len(pool), count)):
            if rng.random() < 0.05:
                status = SignupStatus.CANCELLED
            elif shift.admission == Admission.APPROVAL:
                status = SignupStatus.ACCEPTED if seated < shift.capacity // 2 else SignupStatus.APPLIED
            else:
                status = SignupStatus.ACCEPTED if seated < shift.capacity else SignupStatus.WAITING
            seated += status == SignupStatus.ACCEPTED
            shift.signups.append((user, status))


def _signups(bulk: Bulk) -> Iterator[tuple[ShiftPlan, int, int, SignupStatus]]:
    """Every sign-up in the order of its id: (shift, id, user id, status)."""
    signup_id = bulk.first_signup_id
    for shift in bulk.shifts:
        for user_id, status in shift.signups:
            yield shift, signup_id, user_id, status
            signup_id += 1


def _attended(bulk: Bulk) -> Iterator[tuple[ShiftPlan, int, int]]:
    """The attended sign-ups, in the order of their attendance's (and credit record's) id."""
    for shift, signup_id, user_id, status in _signups(bulk):
        if shift.done and status == SignupStatus.ACCEPTED:
            yield shift, signup_id, user_id


def _checked_in_at(shift: ShiftPlan, signup_id: int) -> datetime:
    # From ten minutes early to five late; from the id, so that the audit log agrees.
    return shift.starts_at + timedelta(minutes=signup_id % 16 - 10)


def _signed_up_at(shift: ShiftPlan, signup_id: int) -> datetime:
    # A day to a fortnight before the shift (never in the future); from the id, so that every pass agrees.
    return min(shift.starts_at - timedelta(hours=24 + signup_id * 7919 % 312), clock.now())


# -- participants' check-in and 评价 -------------------------------------------------------------------------


def _school_staff_showcase(bulk: Bulk) -> Plan:
    """The project in 评价中 the demo logins meet: one of the demo staff's union that the staff are not
    recused from (none of their organizations bid), on whose outcome panel the demo evaluator sits and
    to whose survey the demo student is invited."""
    staff, evaluator = bulk.people["2023000001"], bulk.people[EVALUATOR]
    theirs = {o.id for o in bulk.orgs.values() if staff in o.members or evaluator in o.members}
    found = next(
        (
            p
            for p in bulk.projects
            if p.state == S.EVALUATING
            and p.staff_id == staff
            and not theirs & {b.org.id for b in p.live_bids}
        ),
        None,
    )
    if found is None:
        raise click.ClickException("no project in 评价中 of the demo staff's union is free of their bids")
    return found


def participation(bulk: Bulk) -> None:
    """Participants' check-in: the event days the hosts opened on their projects, and who checked in."""
    rng, loader, today = bulk.rng, bulk.loader, bulk.today
    hosted = [p for p in bulk.projects if p.state in HOSTED]
    bulk.evaluated = _school_staff_showcase(bulk)
    day_id = itertools.count(loader.next_id("participant_day"))
    for plan in hosted:
        start, end = plan.hosting
        # Check-in runs while the project is hosted; today's is open on the demo host's consoles.
        demo_host = plan.state == S.HOSTING and plan.host.name == HOST_CLUB
        last = min(end, today if demo_host else today - timedelta(days=1))
        days = [start + timedelta(days=n) for n in range((last - start).days + 1)]
        chosen = sorted(rng.sample(days, min(len(days), rng.randint(1, 4))))
        if demo_host and today not in chosen:
            chosen[-1] = today
        plan.days = [(next(day_id), day) for day in chosen]
    days = [(plan, day_id, day) for plan in hosted for day_id, day in plan.days]
    check_ins = []
    for (plan, day_id, _day), count in zip(
        days, spread(bulk.size("participant_checkins"), len(days), rng, low=1), strict=True
    ):
        students = rng.sample(bulk.volunteers, min(count, len(bulk.volunteers)))
        if plan is bulk.evaluated and day_id == plan.days[0][0] and bulk.people["2024000100"] not in students:
            students[0] = bulk.people["2024000100"]  # invited to the open survey the bench answers
        plan.participants.update(students)
        check_ins += [{"day_id": day_id, "user_id": student} for student in students]
    loader.copy(
        "participant_day",
        (
            {
                "id": day_id,
                "project_id": plan.id,
                "day": day,
                "opened_by_id": plan.host.manager_id,
                "opened_at": at(day, "08:30"),
            }
            for plan, day_id, day in days
        ),
        expected=len(days),
    )
    loader.copy("participant_checkin", check_ins, expected=len(check_ins))


def evaluation(bulk: Bulk) -> None:
    """评价: the hosted projects' surveys with their audiences, answers and comments; the outcome
    panels with their criteria, seats and scores; the closed projects' final scores, computed by the
    app's own rule from those, and the improvement plans the low ones owe."""
    for plan in bulk.projects:
        if plan.state in HOSTED:
            plan.quality = bulk.rng.random() ** 0.5
    surveys = _surveys(bulk)
    panels = _outcome_panels(bulk)
    _final_scores(bulk, surveys, panels)


@dataclass
class SurveyPlan:
    plan: Plan
    dimensions: list[tuple[int, str]]  # (id, label)
    audience: list[int] = field(default_factory=list)  # the invited, by id
    answers: int = 0
    stars: list[int] = field(default_factory=list)  # per dimension, the stars given in all

    @property
    def opened(self) -> bool:
        return self.plan.state in EVALUATED


def _surveys(bulk: Bulk) -> dict[int, SurveyPlan]:
    """The surveys: prepared when hosting started, opened (and their audience invited) when the project
    entered 评价中, closed with it. Returns them by project id."""
    loader, rng, k = bulk.loader, bulk.rng, SETTINGS["survey_min_responses"].default
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        labels = [str(label) for label in DEFAULT_PROJECT_DIMENSIONS]
    survey_id, dimension_id = (loader.next_id(t) for t in ("survey", "survey_dimension"))
    surveys: dict[int, SurveyPlan] = {}
    for plan in (p for p in bulk.projects if p.state in HOSTED):
        plan.survey_id, survey_id = survey_id, survey_id + 1
        dimensions = [(dimension_id + n, label) for n, label in enumerate(labels)]
        dimension_id += len(labels)
        surveys[plan.id] = SurveyPlan(plan, dimensions, stars=[0] * len(labels))
    # The audience: volunteers whose attendance the host confirmed, and the participants.
    audiences: dict[int, set[int]] = {p: set(s.plan.participants) for p, s in surveys.items() if s.opened}
    for shift, _signup_id, user_id in _attended(bulk):
        if shift.project.id in audiences:
            audiences[shift.project.id].add(user_id)
    opened = [s for s in surveys.values() if s.opened]
    for survey in opened:
        survey.audience = sorted(audiences[survey.plan.id])
    _plan_answers(bulk, opened)

    loader.copy(
        "survey",
        (
            {
                "id": s.plan.survey_id,
                "kind": SubjectKind.PROJECT.value,
                "project_id": s.plan.id,
                "status": _survey_status(s.plan).value,
                "opens_at": s.plan.completed_at,
                "closes_at": s.plan.evaluation_ends_at,
                "min_responses": k if s.opened else None,
                "reminded_at": s.plan.closed_at - SURVEY_REMINDER if s.plan.closed_at else None,
                "created_at": s.plan.window_ends_at,
            }
            for s in surveys.values()
        ),
        expected=len(surveys),
    )
    loader.copy(
        "survey_dimension",
        (
            {"id": d_id, "survey_id": s.plan.survey_id, "position": n, "label": label}
            for s in surveys.values()
            for n, (d_id, label) in enumerate(s.dimensions)
        ),
        expected=len(surveys) * len(labels),
    )
    loader.copy(
        "survey_invitation",
        ({"survey_id": s.plan.survey_id, "user_id": user} for s in opened for user in s.audience),
        expected=sum(len(s.audience) for s in opened),
    )
    answers = sum(s.answers for s in opened)
    loader.copy(
        "survey_respondent",
        ({"survey_id": s.plan.survey_id, "user_id": user} for s in opened for user in _respondents(bulk, s)),
        expected=answers,
    )
    loader.copy(
        "survey_answer",
        (
            {"id": key, "survey_id": s.plan.survey_id, "answered_on": day}
            for s, key, day, _stars in _answers(bulk, opened)
        ),
        expected=answers,
    )

    def ratings() -> Iterator[dict]:
        for s, key, _day, stars in _answers(bulk, opened):
            for n, ((d_id, _label), given) in enumerate(zip(s.dimensions, stars, strict=True)):
                s.stars[n] += given  # summed on the way, for the final scores
                yield {"answer_id": key, "dimension_id": d_id, "stars": given}

    loader.copy("survey_rating", ratings(), expected=answers * len(labels))

    def comments() -> Iterator[dict]:
        """One answer in five comes with a comment; the staff hid one comment in forty."""
        number = itertools.count(1)
        for s in opened:
            for _n in range(s.answers // 5):
                n = next(number)
                yield {
                    "id": public_id("survey_comment", n),
                    "survey_id": s.plan.survey_id,
                    "body": rng.choice(COMMENTS),
                    "status": (CommentStatus.HIDDEN if n % 40 == 0 else CommentStatus.SHOWN).value,
                }

    loader.copy("survey_comment", comments(), expected=answers // 5)
    return surveys


def _survey_status(plan: Plan) -> SurveyStatus:
    """准备中 while hosted, 填写中 while evaluated, and closed by the project's close (the clock's, at
    the window's end)."""
    return {S.HOSTING: SurveyStatus.PREPARED, S.EVALUATING: SurveyStatus.OPEN}.get(
        plan.state, SurveyStatus.CLOSED
    )


def _plan_answers(bulk: Bulk, opened: list[SurveyPlan]) -> None:
    """How many of its audience answer each survey: in proportion to the audience and a rate of its own
    (lower while the survey is still open), the size in all — at SCALE=1 a little under a third of
    those invited. Every tenth closed survey stays under k (too few answers to count), so that some
    projects are scored on their panel alone."""
    rng = bulk.rng
    k = SETTINGS["survey_min_responses"].default
    closed = [s for s in opened if s.plan.state == S.CLOSED]
    thin = {id(s) for s in closed[3::10]}
    for s in opened:
        if id(s) in thin:
            s.answers = min(len(s.audience), rng.randint(0, k - 1))
    rest = [s for s in opened if id(s) not in thin]
    weights = [
        len(s.audience) * rng.uniform(0.15, 0.6) * (1 if s.plan.state == S.CLOSED else 0.4) for s in rest
    ]
    capacities = [len(s.audience) - (s.plan is bulk.evaluated) for s in rest]
    wanted = bulk.size("survey_answers") - sum(s.answers for s in opened)
    for s, count in zip(rest, _apportion(wanted, capacities, weights), strict=True):
        s.answers = count


def _apportion(total: int, capacities: list[int], weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, none over its capacity (all they hold, if less)."""
    counts = [0] * len(capacities)
    left = min(total, sum(capacities))
    while left > 0:
        room = [i for i, cap in enumerate(capacities) if counts[i] < cap]
        weight = sum(weights[i] for i in room) or len(room)
        given = 0
        for i in room:
            share = min(capacities[i] - counts[i], int(left * (weights[i] or 1) / weight))
            counts[i] += share
            given += share
        if given == 0:  # shares under one each: the rest one at a time
            for i in room[:left]:
                counts[i] += 1
                given += 1
        left -= given
    return counts


def _respondents(bulk: Bulk, survey: SurveyPlan) -> list[int]:
    """Who answered: some of the invited (never the demo student on the survey the bench answers)."""
    pool = [u for u in survey.audience if survey.plan is not bulk.evaluated or u != bulk.people["2024000100"]]
    return random.Random(f"respondents:{survey.plan.id}").sample(pool, survey.answers)


def _answers(bulk: Bulk, opened: list[SurveyPlan]) -> Iterator[tuple[SurveyPlan, str, date, tuple[int, ...]]]:
    """Every answer: (survey, random key, the day it was given, the stars of each dimension). Each
    survey draws from a generator of its own, so that every pass (the answers, their ratings) agrees.
    The stars lean as the project went, from about two to about four and a half."""
    number = itertools.count(1)
    for survey in opened:
        rng = random.Random(f"answers:{survey.plan.id}")
        centre = 2.2 + 2.6 * survey.plan.quality
        weights = list(itertools.accumulate(math.exp(-((s - centre) ** 2) / 2) for s in STARS))
        first = local_day(survey.plan.completed_at)
        days = (min(bulk.today, local_day(survey.plan.evaluation_ends_at)) - first).days
        for _n in range(survey.answers):
            yield (
                survey,
                public_id("survey_answer", next(number)),
                first + timedelta(days=rng.randint(0, days)),
                tuple(rng.choices(STARS, cum_weights=weights, k=len(survey.dimensions))),
            )


@dataclass
class PanelPlan:
    criteria: list[tuple[int, int]]  # (id, weight)
    totals: list[Fraction] = field(default_factory=list)  # the submitted panelists'


def _outcome_panels(bulk: Bulk) -> dict[int, PanelPlan]:
    """成效评估: each project entering 评价中 got its outcome round on the template's criteria; the staff
    seated three evaluators not recused (five on every sixth, so the trimmed mean is measured too).
    At work on the projects being evaluated — one submitted, one declared, the demo evaluator declared
    with part of their scores on the bench's project; done on the closed ones, except on every
    twenty-fifth, whose panel never submitted. Returns the panels by project id."""
    loader, rng = bulk.loader, bulk.rng
    evaluator = bulk.people[EVALUATOR]
    template = outcome.template_criteria()
    evaluated = [p for p in bulk.projects if p.state in EVALUATED]
    round_id, seat_id, score_id, criterion_id = (
        itertools.count(loader.next_id(t)) for t in ("review_round", "panel_seat", "score", "criterion")
    )
    panels: dict[int, PanelPlan] = {}
    rounds, criteria, seats, scores = [], [], [], []
    for n, plan in enumerate(evaluated):
        panel = panels[plan.id] = PanelPlan([(next(criterion_id), c["weight"]) for c in template])
        criteria += [
            {"id": c_id, "project_id": plan.id, "purpose": "outcome", "position": position} | c
            for position, ((c_id, _weight), c) in enumerate(zip(panel.criteria, template, strict=True))
        ]
        round_ = {"id": next(round_id), "project_id": plan.id, "purpose": "outcome", "number": 1}
        rounds.append(round_ | {"opened_at": plan.completed_at})
        bidding = {b.org.id for b in plan.live_bids}
        free = [
            u for u in bulk.evaluators if u != evaluator and not bulk.memberships_of.get(u, set()) & bidding
        ]
        panelists = rng.sample(free, min(5 if n % 6 == 0 else PANEL, len(free)))
        if plan is bulk.evaluated:
            panelists[-1] = evaluator
        assigned = plan.completed_at + min(timedelta(hours=16), (bulk.now - plan.completed_at) / 4)
        mark = 40 + 55 * plan.quality
        for place, panelist in enumerate(panelists):
            if plan.state == S.CLOSED:
                declared = assigned + timedelta(days=1)
                submitted = assigned + timedelta(days=rng.randint(2, 18)) if n % 25 != 7 else None
            else:
                declared = (
                    assigned + (bulk.now - assigned) / 4 if place < 2 or panelist == evaluator else None
                )
                submitted = assigned + (bulk.now - assigned) / 2 if place < 1 else None
            seat = {"id": next(seat_id), "round_id": round_["id"], "user_id": panelist}
            seats.append(
                seat
                | {"assigned_by_id": plan.staff_id, "assigned_at": assigned}
                | {"declared_at": declared, "submitted_at": submitted}
            )
            # The demo evaluator has saved two criteria's scores so far; the others score when they submit.
            scored = panel.criteria if submitted else panel.criteria[:2] if panelist == evaluator else []
            values = {c: max(0, min(100, round(mark) + rng.randint(-8, 8))) for c, _weight in scored}
            scores += [
                {"id": next(score_id), "seat_id": seat["id"], "bid_id": None, "criterion_id": c}
                | {"value": value, "comment": "完成情况与结项报告相符。" if c == scored[0][0] else ""}
                for c, value in values.items()
            ]
            if submitted:
                panel.totals.append(scoring.weighted_total(values, dict(panel.criteria)))
    loader.copy("criterion", criteria)
    loader.copy("review_round", rounds)
    loader.copy("panel_seat", seats)
    loader.copy("score", scores, expected=len(scores))
    return panels


def _final_scores(bulk: Bulk, surveys: dict[int, SurveyPlan], panels: dict[int, PanelPlan]) -> None:
    """最终得分 of every closed project, by ``evaluation.final.final_score`` from its panel's submitted
    totals and its survey's mean stars, with the settings' defaults; and the improvement plan (整改说明)
    of each scored below the line: submitted for most of those past due, missing for the rest."""
    k, weight = SETTINGS["survey_min_responses"].default, SETTINGS["panel_weight_percent"].default
    threshold, days = SETTINGS["improvement_threshold"].default, SETTINGS["improvement_days"].default
    final_id, plan_id = (itertools.count(bulk.loader.next_id(t)) for t in ("final_score", "improvement_plan"))
    finals, improvements = [], []
    for plan in (p for p in bulk.projects if p.state == S.CLOSED):
        survey = surveys[plan.id]
        # Each dimension's mean stars (every answer rates every dimension); none without an answer.
        means = {
            label: Fraction(stars, survey.answers)
            for (_id, label), stars in zip(survey.dimensions, survey.stars, strict=True)
            if survey.answers
        }
        result = final.final_score(
            scoring.aggregate(panels[plan.id].totals),
            means or None,
            survey.answers,
            min_responses=k,
            panel_weight_percent=weight,
        )
        plan.final = {
            "id": next(final_id),
            "project_id": plan.id,
            "outcome": result.outcome.value,
            "score": result.score,
            "panel_score": None if result.panel is None else final.rounded(result.panel, 4),
            "satisfaction_score": None
            if result.satisfaction is None
            else final.rounded(result.satisfaction, 4),
            "responses": survey.answers,
            "min_responses": k,
            "panel_weight_percent": weight,
            "closed_at": plan.closed_at,
            "computed_at": plan.closed_at + timedelta(minutes=1),
        }
        finals.append(plan.final)
        if result.outcome == FinalOutcome.SCORED and result.score < threshold:
            plan.improvement = _improvement(bulk, plan, next(plan_id), threshold, days)
            improvements.append(plan.improvement)
    bulk.loader.copy("final_score", finals)
    bulk.loader.copy("improvement_plan", improvements)


def _improvement(bulk: Bulk, plan: Plan, plan_id: int, threshold: int, days: int) -> dict:
    due = plan.closed_at + timedelta(days=days)
    # Three in four past due were submitted (one in ten of those late); half of those not yet due.
    submitted = None
    if plan_id % 4 and due < bulk.now or plan_id % 2 and due >= bulk.now:
        submitted = min(due + timedelta(days=2) if plan_id % 10 == 0 else due - timedelta(days=5), bulk.now)
    reminder = due - EVALUATION_REMINDER
    return {
        "id": plan_id,
        "project_id": plan.id,
        "org_id": plan.host.id,
        "status": (ImprovementStatus.SUBMITTED if submitted else ImprovementStatus.REQUIRED).value,
        "threshold": threshold,
        "due_at": due,
        "body": IMPROVEMENT if submitted else None,
        "submitted_at": submitted,
        "submitted_by_id": plan.host.manager_id if submitted else None,
        "reminded_at": reminder
        if reminder <= bulk.now and (submitted is None or submitted > reminder)
        else None,
    }


# -- credits, the audit log, notifications -------------------------------------------------------------------


def _credit_status(shift: ShiftPlan, credit_id: int) -> CreditStatus:
    """Verified for nearly every closed project and for most of those being evaluated; waiting for the
    league while the project is hosted. From the id, so that every pass agrees."""
    share, state = credit_id % 100, shift.project.state
    if state == S.CLOSED and share < 97 or state == S.EVALUATING and share < 60:
        return CreditStatus.VERIFIED
    if state == S.CLOSED and share == 97:
        return CreditStatus.REJECTED
    return CreditStatus.CONFIRMED


def _verified_at(shift: ShiftPlan, credit_id: int) -> datetime:
    return min(shift.confirmed_at + timedelta(days=1 + credit_id % 7), clock.now())


def credits(bulk: Bulk) -> None:
    """Credits: one record per attended sign-up, in the term of its shift."""
    bulk.first_credit_id = bulk.loader.next_id("credit_record")
    league = bulk.people["T0001"]
    terms = {s.id: bulk.term_of(local_day(s.starts_at)) for s in bulk.shifts}
    per_hours = {
        s.hours: (s.hours / bulk.hours_per_credit).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for s in bulk.shifts
    }

    def rows() -> Iterator[dict]:
        for credit_id, (shift, signup_id, user_id) in enumerate(_attended(bulk), start=bulk.first_credit_id):
            status = _credit_status(shift, credit_id)
            verified = status == CreditStatus.VERIFIED
            yield {
                "id": credit_id,
                "public_id": public_id("credit_record", credit_id),
                "user_id": user_id,
                "project_id": shift.project.id,
                "position_id": shift.position_id,
                "shift_id": shift.id,
                "signup_id": signup_id,
                "category_id": bulk.category_id,
                "term_id": terms[shift.id],
                "hours": shift.hours,
                "credits": per_hours[shift.hours],
                "status": status.value,
                "confirmed_by_id": shift.project.host.manager_id,
                "confirmed_at": shift.confirmed_at,
                "verified_by_id": league if verified else None,
                "verified_at": _verified_at(shift, credit_id) if verified else None,
                "rejection_reason": "时长与签到记录不符。" if status == CreditStatus.REJECTED else None,
                "occurred_at": shift.starts_at,
            }

    bulk.loader.copy("credit_record", rows(), expected=bulk.size("credit_records"))


def audit_log(bulk: Bulk) -> None:
    """Audit log: each project's steps and bids; then an entry per sign-up, one per verified credit and
    one per check-in, up to the size."""
    wanted = bulk.size("audit_entries")
    entry_id = itertools.count(bulk.loader.next_id("audit_entry"))
    rows = ({"id": next(entry_id)} | entry for entry in itertools.islice(_entries(bulk), wanted))
    bulk.loader.copy("audit_entry", rows, expected=wanted)


def _entries(bulk: Bulk) -> Iterator[dict]:
    """The entries, the most telling first (without their ids)."""
    league = bulk.people["T0001"]

    def entry(at, actor, action, subject_type, subject_id, project_id, before, after) -> dict:
        return {
            "at": at,
            "actor_id": actor,
            "action": action,
            "subject_type": subject_type,
            "subject_id": str(subject_id),
            "project_id": project_id,
            "before": None if before is None else as_json(before),
            "after": None if after is None else as_json(after),
        }

    for plan in bulk.projects:
        for moment, actor, action, source, target in _steps(plan):
            yield entry(moment, actor, f"project.{action}", "project", plan.id, plan.id, source, target)
        for moment, actor, action, (subject, subject_id), before, after in _evaluation_steps(plan):
            yield entry(moment, actor, action, subject, subject_id, plan.id, before, after)
        for bid in plan.bids:
            after = {"content_hash": content_hash(bid.content)}
            yield entry(
                bid.submitted_at, bid.org.manager_id, "bid.submit", "bid", bid.public_id, plan.id, None, after
            )
    for shift, signup_id, user_id, _status in _signups(bulk):
        yield entry(
            _signed_up_at(shift, signup_id),
            user_id,
            "signup.sign_up",
            "signup",
            public_id("signup", signup_id),
            shift.project.id,
            {"status": None},
            {"status": SignupStatus.APPLIED.value},
        )
    for credit_id, (shift, _signup_id, _user_id) in enumerate(_attended(bulk), start=bulk.first_credit_id):
        if _credit_status(shift, credit_id) == CreditStatus.VERIFIED:
            yield entry(
                _verified_at(shift, credit_id),
                league,
                "credit.verify",
                "credit_record",
                public_id("credit_record", credit_id),
                shift.project.id,
                {"status": CreditStatus.CONFIRMED.value, "hours": str(shift.hours)},
                {"status": CreditStatus.VERIFIED.value, "hours": str(shift.hours)},
            )
    check_ins = enumerate(_attended(bulk), start=bulk.first_attendance_id)
    for attendance_id, (shift, signup_id, user_id) in check_ins:
        checked_in = _checked_in_at(shift, signup_id)
        project = shift.project.id
        yield entry(
            checked_in, user_id, "attendance.check_in", "attendance", attendance_id, project, None, None
        )


def _steps(plan: Plan) -> Iterator[tuple[datetime, int | None, str, dict, dict]]:
    """The project's lifecycle so far, as ``lifecycle.move`` records it: (when, who, action, from, to)."""

    def step(at, actor, action, source: S, target: S):
        return at, actor, action, {"state": source.value}, {"state": target.value}

    yield step(plan.created_at, plan.staff_id, "create", S.DRAFT, S.DRAFT)
    if plan.state == S.PENDING_APPROVAL:
        yield step(plan.created_at + timedelta(hours=1), plan.staff_id, "submit", S.DRAFT, S.PENDING_APPROVAL)
    if plan.published_at is not None:
        yield step(plan.published_at, plan.staff_id, "publish", S.DRAFT, S.OPEN)
    if plan.state == S.CANCELLED:
        yield step(plan.cancelled_at, plan.staff_id, "cancel", S.OPEN, S.CANCELLED)
    if plan.state == S.FAILED:
        yield step(plan.closed_bidding_at, None, "fail", S.OPEN, S.FAILED)
    if plan.state in REVIEWED:
        yield step(plan.closed_bidding_at, None, "close_bidding", S.OPEN, S.REVIEWING)
    if plan.state in AWARDED:
        yield step(plan.notice_at, plan.staff_id, "award", S.REVIEWING, S.AWARD_NOTICE)
    if plan.state in HOSTED:
        yield step(plan.window_ends_at, None, "start_hosting", S.AWARD_NOTICE, S.HOSTING)
    if plan.completed_at is not None:
        yield step(plan.completed_at, plan.host.manager_id, "complete", S.HOSTING, S.EVALUATING)
    if plan.closed_at is not None:
        yield step(plan.closed_at, None, "close", S.EVALUATING, S.CLOSED)  # the clock, at the window's end


def _evaluation_steps(plan: Plan) -> Iterator[tuple[datetime, int | None, str, tuple, dict | None, dict]]:
    """What the project's check-in days, survey and final score wrote to the audit log: (when, who,
    action, (subject type, id), before, after). Check-ins and answers write nothing."""
    host = plan.host.manager_id if plan.host else None
    for day_id, day in plan.days:
        yield (
            at(day, "08:30"),
            host,
            "participant_day.open",
            ("participant_day", day_id),
            None,
            {"day": str(day)},
        )
    if plan.survey_id:
        survey = ("survey", plan.survey_id)
        yield plan.window_ends_at, None, "survey.prepare", survey, {"status": None}, {"status": "prepared"}
    if plan.completed_at is not None:
        yield plan.completed_at, None, "survey.open", survey, {"status": "prepared"}, {"status": "open"}
    if plan.final is not None:
        yield plan.closed_at, None, "survey.close", survey, {"status": "open"}, {"status": "closed"}
        after = {name: plain(plan.final[name]) for name in FINAL_FIELDS}
        yield (
            plan.final["computed_at"],
            None,
            "evaluation.final_score",
            ("final_score", plan.final["id"]),
            None,
            after,
        )
    if (improvement := plan.improvement) is not None:
        subject = ("improvement_plan", improvement["id"])
        yield (
            plan.final["computed_at"],
            None,
            "improvement.require",
            subject,
            {"status": None},
            {"status": "required"},
        )
        if improvement["submitted_at"] is not None:
            before, after = {"status": "required"}, {"status": "submitted"}
            yield improvement["submitted_at"], host, "improvement.submit", subject, before, after


def notifications(bulk: Bulk) -> None:
    """Notifications: a year of them, most read."""
    rng, now = bulk.rng, bulk.now
    published = [p for p in bulk.projects if p.published_at is not None]
    transcript_path = path_for("credits.transcript_page")
    wanted = bulk.size("notifications")
    notification_id = itertools.count(bulk.loader.next_id("notification"))

    def rows() -> Iterator[dict]:
        for n in range(wanted):
            kind, title = NOTIFIED[n % len(NOTIFIED)]
            plan = rng.choice(published)
            sent = now - timedelta(seconds=rng.randrange(365 * 86400))
            yield {
                "id": next(notification_id),
                "user_id": rng.choice(bulk.volunteers),
                "kind": kind,
                "title": title.format(plan.title),
                "body": "",
                "link": transcript_path if kind == "credit.verified" else plan.url,
                "created_at": sent,
                "read_at": sent + timedelta(hours=2) if n % 7 and sent < now - timedelta(hours=2) else None,
            }

    bulk.loader.copy("notification", rows(), expected=wanted)


# -- 述职评议 -----------------------------------------------------------------------------------------------

UNION_STAFF = 30  # the 校学生会's staff under review each term, the demo's posts among them
STAFF_GRADES = [
    (StaffGrade.EXCELLENT, 0.2),
    (StaffGrade.COMPETENT, 0.65),
    (StaffGrade.BASICALLY_COMPETENT, 0.1),
    (StaffGrade.INCOMPETENT, 0.05),
]


@dataclass
class StaffReviewPlan:
    id: int
    term_id: int
    opens_at: datetime
    closes_at: datetime
    published_at: datetime | None  # None: this term's, open
    surveys: list[tuple[int, int]] = field(default_factory=list)  # (survey id, staff user id)
    ratings: list[int] = field(default_factory=list)  # per survey


def staff_reviews(bulk: Bulk) -> None:
    """述职评议: the 校学生会's thirty staff reviewed in each of the four terms — three published with
    their results (and the 提醒谈话 after a 不合格), this term's open — each staff member's term a survey
    rated by undergraduates and fellow staff, with no invitation rows. The demo student has rated
    nobody this term; the demo staff member (王思远) got 优秀 every term."""
    loader, rng, k = bulk.loader, bulk.rng, SETTINGS["survey_min_responses"].default
    union = bulk.of_kind(OrgKind.SCHOOL_UNION)[0]
    staff = _union_staff(bulk, union)
    student = bulk.people["2024000100"]
    undergraduates = [
        u
        for u in db.session.scalars(
            select(User.id).where(
                User.degree_level == DegreeLevel.UNDERGRADUATE, User.status == AccountStatus.ACTIVE
            )
        )
        if u not in set(staff) and u != student
    ]
    audience = len(undergraduates) + len(staff) + 1  # the demo student too
    review_id, reviewee_id = loader.next_id("staff_review"), loader.next_id("staff_reviewee")
    survey_id, dimension_id = loader.next_id("survey"), loader.next_id("survey_dimension")
    reviews = []
    for n, (_start, end, term_id) in enumerate(bulk.terms):
        current = n == len(bulk.terms) - 1
        opens = bulk.now - timedelta(days=5) if current else at(end - timedelta(days=21), "09:00")
        closes = bulk.now + timedelta(days=9) if current else at(end - timedelta(days=7), "22:00")
        published = None if current else at(end - timedelta(days=3), "16:00")
        review = StaffReviewPlan(review_id + n, term_id, opens, closes, published)
        for user in staff:
            review.surveys.append((survey_id, user))
            survey_id += 1
        reviews.append(review)
    surveys = [s for r in reviews for s in r.surveys]
    shares = [0.1 if r.published_at is None else 0.3 for r in reviews for _s in r.surveys]
    counts = _apportion(
        bulk.size("staff_ratings"), [len(undergraduates) + len(staff) - 1] * len(surveys), shares
    )
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        labels = [str(label) for label in STAFF_DIMENSIONS]
    loader.copy(
        "staff_review",
        (
            {
                "id": r.id,
                "union_id": union.id,
                "term_id": r.term_id,
                "status": (ReviewStatus.PUBLISHED if r.published_at else ReviewStatus.OPEN).value,
                "opens_at": r.opens_at,
                "closes_at": r.closes_at,
                "audience_size": audience,
                "opened_by_id": bulk.people["T0001"],
                "published_at": r.published_at,
                "created_at": r.opens_at,
            }
            for r in reviews
        ),
    )
    grades = {}
    reviewees, talks = [], []
    for r in reviews:
        for i, (_survey, user) in enumerate(r.surveys):
            grade = None
            if r.published_at:
                grade = (
                    StaffGrade.EXCELLENT
                    if user == bulk.people["2023000001"]
                    else rng.choices([g for g, _w in STAFF_GRADES], [w for _g, w in STAFF_GRADES])[0]
                )
            grades[(r.id, user)] = grade
            reviewees.append(
                {
                    "id": reviewee_id,
                    "review_id": r.id,
                    "user_id": user,
                    "position": i,
                    "title": "副主席" if i < 3 else "干事",
                    "report": STAFF_REPORT,
                    "report_updated_at": r.opens_at + timedelta(days=2),
                    "grade": grade.value if grade else None,
                    "notes": "" if grade is None else str(grade.label),
                    "graded_at": r.published_at - timedelta(days=1) if grade else None,
                }
            )
            if grade == StaffGrade.INCOMPETENT:
                talks.append(
                    {
                        "reviewee_id": reviewee_id,
                        "status": TalkStatus.HELD.value,
                        "due_on": local_day(r.published_at) + timedelta(days=7),
                        "held_on": local_day(r.published_at) + timedelta(days=5),
                    }
                )
            reviewee_id += 1
    loader.copy("staff_reviewee", reviewees)
    talk_id = loader.next_id("staff_reminder_talk")
    loader.copy("staff_reminder_talk", ({"id": talk_id + n, **t} for n, t in enumerate(talks)))
    loader.copy(
        "survey",
        (
            {
                "id": s_id,
                "kind": SubjectKind.STAFF_TERM.value,
                "staff_review_id": r.id,
                "staff_user_id": user,
                "status": SurveyStatus.OPEN.value,  # past ones are 已截止 by their window
                "opens_at": r.opens_at,
                "closes_at": r.closes_at,
                "min_responses": k,
                "created_at": r.opens_at,
            }
            for r in reviews
            for s_id, user in r.surveys
        ),
        expected=len(surveys),
    )
    dimensions = {
        s_id: [dimension_id + n * len(labels) + d for d in range(len(labels))]
        for n, (s_id, _u) in enumerate(surveys)
    }
    loader.copy(
        "survey_dimension",
        (
            {"id": d_id, "survey_id": s_id, "position": p, "label": labels[p]}
            for s_id, ids in dimensions.items()
            for p, d_id in enumerate(ids)
        ),
        expected=len(surveys) * len(labels),
    )
    owners = [(r, s_id, user) for r in reviews for s_id, user in r.surveys]
    plans = [
        (r, s_id, user, n, grades[(r.id, user)]) for (r, s_id, user), n in zip(owners, counts, strict=True)
    ]
    total = sum(counts)

    def raters(review, user, count) -> list[tuple[int, RaterGroup]]:
        """Every other staff member first (as staff), then undergraduates: ``count`` in all."""
        colleagues = [(u, RaterGroup.STAFF) for u in staff if u != user][:count]
        chosen = random.Random(f"staff raters:{review.id}:{user}").sample(
            undergraduates, count - len(colleagues)
        )
        return colleagues + [(u, RaterGroup.STUDENT) for u in chosen]

    def answers() -> Iterator[tuple[int, str, date, RaterGroup, tuple[int, ...]]]:
        number = itertools.count(1)
        for review, s_id, user, count, grade in plans:
            centre = {StaffGrade.EXCELLENT: 4.5, StaffGrade.INCOMPETENT: 2.3}.get(grade, 3.8)
            weights = list(itertools.accumulate(math.exp(-((s - centre) ** 2) / 2) for s in STARS))
            gen = random.Random(f"staff answers:{s_id}")
            days = max(0, (min(bulk.today, local_day(review.closes_at)) - local_day(review.opens_at)).days)
            for _rater, group in raters(review, user, count):
                yield (
                    s_id,
                    public_id("staff_rating", next(number)),
                    local_day(review.opens_at) + timedelta(days=gen.randint(0, days)),
                    group,
                    tuple(gen.choices(STARS, cum_weights=weights, k=len(labels))),
                )

    loader.copy(
        "survey_respondent",
        (
            {"survey_id": s_id, "user_id": u}
            for r, s_id, user, count, _g in plans
            for u, _grp in raters(r, user, count)
        ),
        expected=total,
    )
    loader.copy(
        "survey_answer",
        (
            {"id": key, "survey_id": s_id, "answered_on": day, "rater_group": g.value}
            for s_id, key, day, g, _s in answers()
        ),
        expected=total,
    )
    loader.copy(
        "survey_rating",
        (
            {"answer_id": key, "dimension_id": d_id, "stars": given}
            for s_id, key, _day, _g, stars in answers()
            for d_id, given in zip(dimensions[s_id], stars, strict=True)
        ),
        expected=total * len(labels),
    )
    comment_ids = itertools.count(1)
    loader.copy(
        "survey_comment",
        (
            {
                "id": public_id("staff_comment", next(comment_ids)),
                "survey_id": s_id,
                "body": rng.choice(COMMENTS),
                "status": CommentStatus.SHOWN.value,
            }
            for _r, s_id, _user, count, _g in plans
            for _n in range(count // 10)
        ),
        expected=total // 10,
    )


def _union_staff(bulk: Bulk, union: Org) -> list[int]:
    """The union's staff: its members (the demo's posts) and undergraduates appointed 干事 up to
    ``UNION_STAFF``, since before the oldest of the four terms."""
    members = list(dict.fromkeys(union.members))
    taken = set(members) | {bulk.people["2024000100"]}
    more = [
        u
        for u in db.session.scalars(
            select(User.id)
            .where(User.degree_level == DegreeLevel.UNDERGRADUATE, User.status == AccountStatus.ACTIVE)
            .order_by(User.id)
            .limit(UNION_STAFF + len(taken))
        )
        if u not in taken
    ][: max(0, UNION_STAFF - len(members))]
    membership_id = bulk.loader.next_id("membership")
    bulk.loader.copy(
        "membership",
        (
            {
                "id": membership_id + n,
                "user_id": user,
                "org_id": union.id,
                "role": MemberRole.MEMBER.value,
                "title": "干事",
                "starts_on": bulk.terms[0][0],
                "created_at": bulk.now,
            }
            for n, user in enumerate(more)
        ),
    )
    union.members += more
    return members + more


STAFF_REPORT = """## 本学期主要工作
- 参与筹办校园开放日志愿服务，协调各学院志愿者
- 整理同学反映的权益问题，逐条跟进并公开处理结果

## 不足与改进
活动宣传启动偏晚，下学期提前两周发布报名通知。
"""
# -- 每学年1次同学满意度评价 ---------------------------------------------------------------------------------

# Of those invited last year: every student answered the school union's (30,000 answers at SCALE=1),
# four in five the others'. This year's has run five days: a tenth so far.
YEARLY_ANSWERED = {OrgKind.SCHOOL_UNION: 1.0, None: 0.8}
YEARLY_SO_FAR = {None: 0.1}


def yearly_surveys(bulk: Bulk) -> None:
    """Yearly surveys: every union's of last academic year, answered by the students it serves and kept
    as counts only; this year's, open five days, the demo student yet to answer. The bench's students
    are the same body both years (nobody graduates in it), so last year's audience is today's."""
    loader, rng, k = bulk.loader, bulk.rng, SETTINGS["survey_min_responses"].default
    years = db.session.execute(
        select(AcademicYear.id, AcademicYear.starts_on).order_by(AcademicYear.starts_on)
    )
    begun = [(year_id, starts_on) for year_id, starts_on in years if starts_on <= bulk.today]
    (last, _last_starts), (this, this_starts) = begun[-2:]
    students = db.session.execute(
        select(User.id, User.college_id, User.grade, User.degree_level).where(
            User.kind == AccountKind.STUDENT,
            User.status == AccountStatus.ACTIVE,
            User.college_id.is_not(None),
            User.grade.is_not(None),
        )
    ).all()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        labels = [str(label) for label in yearly.STANDARD_DIMENSIONS]
    unions = sorted((o for o in bulk.orgs.values() if o.kind in yearly.UNION_KINDS), key=lambda o: o.id)
    june = at(autumn_term_start(this_starts.year) - timedelta(days=80), "09:00")
    runs = [
        # (year, opened, closes, the share who answer by the union's kind)
        (last, june, june + timedelta(days=14), YEARLY_ANSWERED),
        (
            this,
            at(bulk.today - timedelta(days=5), "09:00"),
            at(bulk.today + timedelta(10), "23:59"),
            YEARLY_SO_FAR,
        ),
    ]
    survey_id = loader.next_id("survey")
    dimension_id = loader.next_id("survey_dimension")
    surveys, dimensions, invitations, respondents, comments = [], [], [], [], []
    tally: Counter = Counter()
    waiting = bulk.people["2024000100"]
    for year_id, opens_at, closes_at, shares in runs:
        for union in unions:
            share = shares.get(union.kind, shares[None])
            surveys.append(
                {
                    "id": survey_id,
                    "kind": SubjectKind.UNION_YEAR.value,
                    "union_id": union.id,
                    "academic_year_id": year_id,
                    "status": SurveyStatus.OPEN.value,
                    "opens_at": opens_at,
                    "closes_at": closes_at,
                    "min_responses": k,
                    "created_at": opens_at - timedelta(days=1),
                }
            )
            ids = list(range(dimension_id, dimension_id + len(labels)))
            dimensions += [
                {"id": d, "survey_id": survey_id, "position": n, "label": label}
                for n, (d, label) in enumerate(zip(ids, labels, strict=True))
            ]
            dimension_id += len(labels)
            lean = rng.uniform(-0.5, 0.4)
            for user_id, college_id, grade, level in students:
                if not _serves(union, college_id, level):
                    continue
                invitations.append({"survey_id": survey_id, "user_id": user_id})
                if (year_id == this and user_id == waiting) or rng.random() >= share:
                    continue
                respondents.append({"survey_id": survey_id, "user_id": user_id})
                for d in ids:
                    stars = max(1, min(5, round(rng.gauss(3.9 + lean, 0.9))))
                    tally[survey_id, college_id, grade, d, stars] += 1
                if rng.random() < 0.03:  # a comment, without anything that says whose
                    key = public_id("yearly_comment", len(comments))
                    body = rng.choice(COMMENTS)
                    comments.append({"id": key, "survey_id": survey_id, "body": body, "status": "shown"})
            survey_id += 1
    loader.copy("survey", surveys, expected=len(surveys))
    loader.copy("survey_dimension", dimensions, expected=len(dimensions))
    loader.copy("survey_invitation", invitations, expected=len(invitations))
    loader.copy("survey_respondent", respondents, expected=len(respondents))
    loader.copy(
        "survey_tally",
        (
            {"survey_id": s, "college_id": c, "grade": g, "dimension_id": d, "stars": n, "responses": count}
            for (s, c, g, d, n), count in tally.items()
        ),
        expected=len(tally),
    )
    loader.copy("survey_comment", comments, expected=len(comments))


def _serves(union: Org, college_id: int, level: str) -> bool:
    """Whether ``union`` serves a student of ``college_id`` and degree ``level`` (as ``yearly.audience``)."""
    if union.kind == OrgKind.SCHOOL_UNION:
        return level == DegreeLevel.UNDERGRADUATE
    if union.kind == OrgKind.GRADUATE_UNION:
        return level != DegreeLevel.UNDERGRADUATE
    return college_id == union.college_id


# -- 需求征集 -----------------------------------------------------------------------------------------------

NEED_STATUSES = [
    (NeedStatus.OPEN, 0.35),
    (NeedStatus.ACCEPTED, 0.15),
    (NeedStatus.MERGED, 0.10),
    (NeedStatus.DECLINED, 0.35),
    (NeedStatus.HIDDEN, 0.05),
]
NEED_TITLES = (
    "自习室座位不够",
    "食堂晚上想吃夜宵",
    "希望增加模拟面试",
    "篮球场灯坏了",
    "考试周压力大",
    "快递点太远",
)


def needs_pool(bulk: Bulk) -> None:
    """需求征集: a year of needs to the two school unions, each from a student the union serves, most of
    them answered within the week; supports skewed (a few needs gather thousands), each student once per
    need and never the author, each need's count equal to its rows. Merged needs point at an older open
    need of the same union; accepted ones at a project of the union. No audit entries: no benchmarked
    page reads those of needs."""
    loader, rng, now = bulk.loader, bulk.rng, bulk.now
    unions = {OrgKind.SCHOOL_UNION: bulk.of_kind(OrgKind.SCHOOL_UNION)[0]}
    unions[OrgKind.GRADUATE_UNION] = bulk.of_kind(OrgKind.GRADUATE_UNION)[0]
    people = db.session.execute(
        select(User.id, User.degree_level, User.college_id).where(
            User.kind == AccountKind.STUDENT, User.status == AccountStatus.ACTIVE
        )
    ).all()
    everyone = [p.id for p in people]
    projects_of = {
        union.id: [
            p.id for p in bulk.projects if p.union_id == union.id and p.state not in (S.CANCELLED, S.FAILED)
        ]
        for union in unions.values()
    }
    categories = SETTINGS["need_categories"].default.splitlines()
    wanted, supports = bulk.size("needs"), bulk.size("need_supports")
    # A need's share of the supports: heavy-tailed, as a few needs are what everybody wants.
    weights = [rng.paretovariate(1.2) for _ in range(wanted)]
    counts = _apportion(supports, [len(everyone) - 1] * wanted, weights)
    first = loader.next_id("need")
    open_by_union: dict[int, list[int]] = {u.id: [] for u in unions.values()}
    needs, answered_at = [], {}
    for n in range(wanted):
        author = rng.choice(people)
        union = unions[
            OrgKind.GRADUATE_UNION
            if author.degree_level != DegreeLevel.UNDERGRADUATE
            else OrgKind.SCHOOL_UNION
        ]
        need_id = first + n
        created = now - timedelta(seconds=rng.randrange(365 * 86400))
        status = rng.choices([s for s, _ in NEED_STATUSES], [w for _, w in NEED_STATUSES])[0]
        if status == NeedStatus.MERGED and not open_by_union[union.id]:
            status = NeedStatus.DECLINED
        if status == NeedStatus.ACCEPTED and not projects_of[union.id]:
            status = NeedStatus.DECLINED
        answered = created + timedelta(hours=rng.uniform(2, 24 * 9)) if status != NeedStatus.OPEN else None
        if answered is not None and answered > now:
            answered = now
        answered_at[need_id] = answered
        staff = union.members[0] if union.members else None
        needs.append(
            {
                "id": need_id,
                "union_id": union.id,
                "author_id": author.id,
                "title": f"{NEED_TITLES[n % len(NEED_TITLES)]}（{n + 1}）",
                "description": "希望学生会帮忙协调解决。",
                "category": categories[n % len(categories)],
                "college_id": author.college_id if n % 2 else None,
                "status": status.value,
                "support_count": counts[n],
                "created_at": created,
                "answer_due_at": created + timedelta(days=SETTINGS["need_answer_days"].default),
                "reminded_at": None,
                "answered_at": answered if status != NeedStatus.HIDDEN else None,
                "answered_by_id": staff
                if status in (NeedStatus.ACCEPTED, NeedStatus.MERGED, NeedStatus.DECLINED)
                else None,
                "project_id": rng.choice(projects_of[union.id]) if status == NeedStatus.ACCEPTED else None,
                "merged_into_id": rng.choice(open_by_union[union.id])
                if status == NeedStatus.MERGED
                else None,
                "decline_reason": "已有相关安排。" if status == NeedStatus.DECLINED else None,
                "hidden_reason": "内容不当。" if status == NeedStatus.HIDDEN else None,
                "hidden_at": answered if status == NeedStatus.HIDDEN else None,
                "hidden_by_id": staff if status == NeedStatus.HIDDEN else None,
            }
        )
        if status == NeedStatus.OPEN:
            open_by_union[union.id].append(need_id)
    loader.copy("need", needs, expected=wanted)

    support_id = itertools.count(loader.next_id("need_support"))

    def support_rows() -> Iterator[dict]:
        for need, count in zip(needs, counts, strict=True):
            start = need["created_at"]
            end = answered_at[need["id"]] or now
            chosen = rng.sample(everyone, count + 1)
            for user in [u for u in chosen if u != need["author_id"]][:count]:
                yield {
                    "id": next(support_id),
                    "need_id": need["id"],
                    "user_id": user,
                    "created_at": start + (end - start) * rng.random(),
                }

    loader.copy("need_support", support_rows(), expected=supports)


def survey_counts(bulk: Bulk) -> None:
    """Survey counts: what the app keeps beside the rows written above — each survey's invited, and the
    star counts of the answers' ratings."""
    started = timer.perf_counter()
    invited = select(sa.func.count()).where(SurveyInvitation.survey_id == Survey.id).scalar_subquery()
    db.session.execute(sa.update(Survey).values(invited=invited))
    tally.recount_stars()
    counted = db.session.scalar(select(sa.func.count()).select_from(SurveyStarCount))
    click.echo(
        f"  {'survey_star_count':<20} {counted:>10,} rows {timer.perf_counter() - started:6.1f} s", err=True
    )


TABLE_GROUPS = [
    calendar,
    organizations,
    students,
    projects,
    bids_and_review,
    hosting,
    volunteering,
    participation,
    evaluation,
    staff_reviews,
    yearly_surveys,
    survey_counts,
    needs_pool,
    credits,
    audit_log,
    notifications,
]
