"""The people of 示例大学: the fixed demo logins, the student roster, and who holds which post."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import click
from sqlalchemy import func, insert, select

from .. import clock
from ..accounts import operations as accounts
from ..accounts.models import (
    AccountKind,
    AccountStatus,
    DegreeLevel,
    PoliticalStatus,
    SiteRole,
    User,
    find_by_identifier,
)
from ..extensions import db
from ..orgs.models import MemberRole, Membership, OrgKind
from ..roster import files as roster_files
from ..roster import operations as roster_ops
from ..roster.models import ImportJob
from . import school
from .context import Demo, autumn_term_start
from .names import chinese_name, phone_number

MANAGER, MEMBER = MemberRole.MANAGER, MemberRole.MEMBER


@dataclass(frozen=True)
class Post:
    """A post held by a demo account: in an organization named ``org``, or in a school-level union."""

    org: str | OrgKind
    title: str
    role: MemberRole = MEMBER
    since: date | None = None  # the start of this academic year unless given
    until: date | None = None


@dataclass(frozen=True)
class DemoAccount:
    identifier: str  # 学号 or 工号
    name: str
    label: str  # the role as the README and the printed table name it
    kind: AccountKind = AccountKind.STUDENT
    college: str | None = None
    roles: tuple[SiteRole, ...] = ()
    status: AccountStatus = AccountStatus.ACTIVE
    claimed: bool = True
    # (role, title) in the first class of the student's grade in their college; None: no class.
    class_post: tuple[MemberRole, str] | None = (MEMBER, "")
    posts: tuple[Post, ...] = ()
    graduate: bool = False  # a 硕士 student (an undergraduate otherwise)

    @property
    def grade(self) -> int | None:
        return int(self.identifier[:4]) if self.kind == AccountKind.STUDENT else None

    @property
    def class_name(self) -> str | None:
        if self.grade is None or self.class_post is None:
            return None
        return school.class_name(self.college, self.grade, 1)


CS = "计算机科学与技术学院"
DEMO_ACCOUNTS = (
    DemoAccount("A0001", "周建华", "管理员", AccountKind.FACULTY, roles=(SiteRole.ADMIN,)),
    DemoAccount(
        "T0001", "林慧敏", "团委审核人（校团委）", AccountKind.FACULTY, roles=(SiteRole.LEAGUE_REVIEWER,)
    ),
    DemoAccount("T0002", "陈志远", "评议人（学工部教师）", AccountKind.FACULTY, roles=(SiteRole.EVALUATOR,)),
    DemoAccount(
        "2023000001",
        "王思远",
        "校学生会工作人员（副主席）",
        college="经济管理学院",
        posts=(Post(OrgKind.SCHOOL_UNION, "副主席"),),
    ),
    DemoAccount(
        "2023000002",
        "李雨桐",
        "研究生会工作人员（研究生）",
        college="数学与统计学院",
        class_post=None,
        posts=(Post(OrgKind.GRADUATE_UNION, "副主席"),),
        graduate=True,
    ),
    DemoAccount("2023000011", "张浩然", "评议人", college="文学院", roles=(SiteRole.EVALUATOR,)),
    DemoAccount("2023000012", "刘欣怡", "评议人", college="外国语学院", roles=(SiteRole.EVALUATOR,)),
    DemoAccount("2023000013", "赵子轩", "评议人", college="机械工程学院", roles=(SiteRole.EVALUATOR,)),
    DemoAccount(
        "2023000021",
        "陈嘉怡",
        "社团负责人（青年志愿者协会会长）",
        college="经济管理学院",
        posts=(Post("青年志愿者协会", "会长", MANAGER),),
    ),
    DemoAccount(
        "2023000022",
        "杨博文",
        "社团负责人（摄影协会会长）",
        college="文学院",
        posts=(Post("摄影协会", "会长", MANAGER),),
    ),
    DemoAccount(
        "2023000031",
        "黄俊杰",
        "院系学生会负责人（计算机学院学生会主席）",
        college=CS,
        posts=(Post(school.college_union_name(CS), "主席", MANAGER),),
    ),
    DemoAccount("2024000041", "吴诗涵", "班长（计科2401班负责人）", college=CS, class_post=(MANAGER, "班长")),
    DemoAccount("2024000100", "周梓萱", "学生", college="数学与统计学院"),
    DemoAccount(
        "2021000001",
        "徐明轩",
        "已毕业学生（只读）",
        college=CS,
        status=AccountStatus.GRADUATED,
        class_post=None,
        posts=(Post("摄影协会", "副会长", since=date(2021, 10, 8), until=date(2025, 6, 30)),),
    ),
    DemoAccount(
        "2025000199",
        "苏小满",
        "名册中未认领的学生（用于试用“认领账号”）",
        college="外国语学院",
        claimed=False,
    ),
)

# The posts each kind of organization fills, its manager (负责人) first; those a demo account holds are
# not filled again.
POSTS = {
    OrgKind.SCHOOL_UNION: ["主席", "副主席", "权益服务部部长", "学习部部长", "文体部部长", "宣传部部长"]
    + ["干事"] * 4,
    OrgKind.GRADUATE_UNION: ["主席", "副主席", "学术部部长", "权益服务部部长"] + ["干事"] * 2,
    OrgKind.COLLEGE_UNION: ["主席", "副主席", "学习部部长", "文体部部长"] + ["干事"] * 2,
    OrgKind.CLUB: ["会长", "副会长", "秘书长"],
}
ROSTER_UNDERGRADUATES = 200
ROSTER_GRADUATES = 12
MORE_EVALUATORS = 6
CHUNK = 1000

POLITICAL_STATUSES = (
    (PoliticalStatus.LEAGUE_MEMBER, 70),
    (PoliticalStatus.MASSES, 14),
    (PoliticalStatus.PARTY_MEMBER, 6),
    (PoliticalStatus.PROBATIONARY_MEMBER, 6),
    (None, 4),
)


def post_org_name(demo: Demo, org: str | OrgKind) -> str:
    if org == OrgKind.SCHOOL_UNION:
        return school.school_union_name(demo)
    if org == OrgKind.GRADUATE_UNION:
        return school.graduate_union_name(demo)
    return org


# -- the fixed demo logins --------------------------------------------------------------------------------


def _ensure_account(demo: Demo, spec: DemoAccount) -> User:
    user = db.session.scalar(find_by_identifier(spec.identifier))
    if user is None:
        rng = demo.rng(f"account:{spec.identifier}")
        user = accounts.save_user(
            demo.admin,
            User(),
            {
                "kind": spec.kind,
                "identifier": spec.identifier,
                "name": spec.name,
                "college_id": demo.colleges[spec.college].id if spec.college else None,
                "grade": spec.grade,
                "degree_level": DegreeLevel.MASTER if spec.graduate else None,
                "phone": phone_number(rng),
                "email": demo.email(spec.identifier) if spec.claimed else None,
                "email_verified": True,
                "status": spec.status,
                "political_status": PoliticalStatus.LEAGUE_MEMBER if spec.grade else None,
            },
        )
        if spec.claimed:
            user.password_hash = demo.password_hash
            user.claimed_at = clock.now()
        demo.created["demo accounts"] += 1
    held = {r.role for r in user.site_roles}
    if not held.issuperset(spec.roles):
        # The first admin grants itself its role: there is nobody else yet.
        accounts.set_site_roles(demo.admin or user, user, held | set(spec.roles))
    return user


def administrator(demo: Demo) -> None:
    """The admin first: every later step acts as this account in the audit log."""
    demo.admin = _ensure_account(demo, DEMO_ACCOUNTS[0])


def demo_accounts(demo: Demo) -> None:
    for spec in DEMO_ACCOUNTS[1:]:
        user = _ensure_account(demo, spec)
        if spec.class_name:
            role, title = spec.class_post
            org = school.ensure_org(
                demo,
                spec.class_name,
                OrgKind.CLASS,
                college=spec.college,
                description=f"{spec.college}{spec.grade}级本科班级。",
            )
            demo.ensure_membership(user, org, role, title, date(spec.grade, 9, 1))
        for post in spec.posts:
            org = demo.orgs[post_org_name(demo, post.org)]
            demo.ensure_membership(
                user, org, post.role, post.title, post.since or demo.year_starts_on, post.until
            )


def _posts_held_by_demo_accounts(demo: Demo) -> Counter:
    held = Counter()
    for spec in DEMO_ACCOUNTS:
        for post in spec.posts:
            if post.until is None:
                held[(post_org_name(demo, post.org), post.title)] += 1
        if spec.class_name and spec.class_post[0] == MANAGER:
            held[(spec.class_name, spec.class_post[1])] += 1
    return held


# -- the roster -------------------------------------------------------------------------------------------


@dataclass
class RosterStudent:
    number: str
    name: str
    college: str
    grade: int
    phone: str
    political_status: PoliticalStatus | None
    graduate: bool = False
    # (organization name, role, title, since)
    memberships: list[tuple[str, MemberRole, str, date]] = field(default_factory=list)

    def member_of(self, org_name: str) -> bool:
        return any(name == org_name for name, *_rest in self.memberships)


def _student(
    demo: Demo, rng: random.Random, number: str, college: str, grade: int, graduate: bool = False
) -> RosterStudent:
    political = rng.choices([p for p, _w in POLITICAL_STATUSES], [w for _p, w in POLITICAL_STATUSES])[0]
    student = RosterStudent(number, chinese_name(rng), college, grade, phone_number(rng), political, graduate)
    clubs = school.club_names(demo)
    draw = rng.random()
    joined = rng.sample(clubs, 2) if draw < 0.15 else [rng.choice(clubs)] if draw < 0.6 else []
    for club in joined:
        year = rng.randint(min(grade, demo.year), demo.year)
        # Clubs recruit in the second week of the autumn term.
        since = min(autumn_term_start(year) + timedelta(days=7), demo.today)
        student.memberships.append((club, MEMBER, "", since))
    return student


class Numbering:
    """学号 = 入学年份 + 学院代码 (研究生加 50) + 四位序号, e.g. 2024010003 or 2025530003."""

    def __init__(self, start_after_existing: bool = False):
        self.last: Counter = Counter()
        self.start_after_existing = start_after_existing

    def next(self, grade: int, college: str, graduate: bool = False) -> str:
        code = int(school.COLLEGE_BY_NAME[college].code) + (50 if graduate else 0)
        prefix = f"{grade}{code:02d}"
        if prefix not in self.last and self.start_after_existing:
            highest = db.session.scalar(
                select(func.max(User.student_no)).where(User.student_no.like(f"{prefix}____"))
            )
            self.last[prefix] = int(highest[-4:]) if highest else 0
        self.last[prefix] += 1
        return f"{prefix}{self.last[prefix]:04d}"


def _undergraduates(
    demo: Demo, rng: random.Random, count: int, numbering: Numbering, class_officers: bool
) -> list[RosterStudent]:
    """``count`` undergraduates spread over the colleges and their classes in turn."""
    grid = school.classes(demo)
    taken = _posts_held_by_demo_accounts(demo)
    seated = Counter()
    students = []
    for i in range(count):
        college = school.COLLEGES[i % len(school.COLLEGES)].name
        its_classes = grid[college]
        class_name, grade = its_classes[(i // len(school.COLLEGES)) % len(its_classes)]
        student = _student(demo, rng, numbering.next(grade, college), college, grade)
        role, title = MEMBER, ""
        if class_officers and seated[class_name] < 2:
            role, title = ((MANAGER, "班长"), (MEMBER, "团支书"))[seated[class_name]]
            if taken[(class_name, title)]:
                role, title = MEMBER, ""
        seated[class_name] += 1
        student.memberships.insert(0, (class_name, role, title, date(grade, 9, 1)))
        students.append(student)
    return students


def roster_plan(demo: Demo) -> list[RosterStudent]:
    """The school's ordinary students: the same list on every run (so they are found, not re-made)."""
    rng = demo.rng("roster")
    numbering = Numbering()
    students = _undergraduates(demo, rng, ROSTER_UNDERGRADUATES, numbering, class_officers=True)
    for i in range(ROSTER_GRADUATES):
        college = school.COLLEGES[i % len(school.COLLEGES)].name
        grade = demo.year - i % 3
        number = numbering.next(grade, college, graduate=True)
        students.append(_student(demo, rng, number, college, grade, graduate=True))
    return students


def insert_students(demo: Demo, students: list[RosterStudent], label: str) -> None:
    """Insert those not there yet, in chunks, with their memberships; one password hash serves all.
    Bulk rows skip the per-row audit entries: the run's ``demo.seed`` entry counts them instead."""
    now = clock.now()
    with click.progressbar(length=len(students), label=label) as bar:
        for start in range(0, len(students), CHUNK):
            chunk = students[start : start + CHUNK]
            there = set(
                db.session.scalars(
                    select(User.student_no).where(User.student_no.in_([s.number for s in chunk]))
                )
            )
            new = [s for s in chunk if s.number not in there]
            if new:
                ids = dict(
                    db.session.execute(
                        insert(User).returning(User.student_no, User.id),
                        [
                            {
                                "kind": AccountKind.STUDENT,
                                "student_no": s.number,
                                "name": s.name,
                                "college_id": demo.colleges[s.college].id,
                                "grade": s.grade,
                                "phone": s.phone,
                                "email": demo.email(s.number),
                                "email_verified_at": now,
                                "claimed_at": now,
                                "political_status": s.political_status,
                                # The demo reads it off the 学号 (研究生 add 50 to the college code).
                                "degree_level": (
                                    DegreeLevel.MASTER if s.graduate else DegreeLevel.UNDERGRADUATE
                                ),
                                "password_hash": demo.password_hash,
                                "status": AccountStatus.ACTIVE,
                                "created_at": now,
                            }
                            for s in new
                        ],
                    ).all()
                )
                memberships = [
                    {
                        "user_id": ids[s.number],
                        "org_id": demo.orgs[org].id,
                        "role": role,
                        "title": title,
                        "starts_on": since,
                        "created_at": now,
                    }
                    for s in new
                    for org, role, title, since in s.memberships
                ]
                if memberships:
                    db.session.execute(insert(Membership), memberships)
                demo.created["students"] += len(new)
                demo.created["memberships"] += len(memberships)
            bar.update(len(chunk))


def roster(demo: Demo) -> None:
    insert_students(demo, roster_plan(demo), "学生名册")


def extra_students(demo: Demo) -> None:
    """``--students N``: N more undergraduates after the highest 学号 already in each class's range."""
    if not demo.extra_students:
        return
    existing = db.session.scalar(select(func.count()).select_from(User))
    rng = demo.rng(f"extra:{existing}")
    students = _undergraduates(
        demo, rng, demo.extra_students, Numbering(start_after_existing=True), class_officers=False
    )
    insert_students(demo, students, f"追加 {demo.extra_students} 名学生")


# -- posts and roles --------------------------------------------------------------------------------------


def _pick(rng: random.Random, pool: list[RosterStudent], used: set[str], preferred: set[int]):
    """A student from ``pool`` who holds no post yet, of a preferred grade if there is one."""
    free = [s for s in pool if s.number not in used]
    if not free:
        return None
    best = [s for s in free if s.grade in preferred] or free
    choice = rng.choice(best)
    used.add(choice.number)
    return choice


def appointments(demo: Demo) -> None:
    """The unions' staff, each college union's and each club's officers, drawn from the roster."""
    rng = demo.rng("appointments")
    plan = roster_plan(demo)
    undergraduates = [s for s in plan if not s.graduate]
    graduates = [s for s in plan if s.graduate]
    senior = {demo.year - 2, demo.year - 1}  # 大二、大三 run the unions and clubs
    held = _posts_held_by_demo_accounts(demo)
    used: set[str] = set()
    chosen: list[tuple[str, str, MemberRole, RosterStudent]] = []

    def fill(org_name: str, kind: OrgKind, pool: list[RosterStudent]) -> None:
        pool = [s for s in pool if not s.member_of(org_name)]
        for position, title in enumerate(POSTS[kind]):
            role = MANAGER if position == 0 else MEMBER
            if held[(org_name, title)]:
                held[(org_name, title)] -= 1
                continue
            student = _pick(rng, pool, used, senior)
            if student is not None:
                chosen.append((org_name, title, role, student))

    fill(school.school_union_name(demo), OrgKind.SCHOOL_UNION, undergraduates)
    fill(school.graduate_union_name(demo), OrgKind.GRADUATE_UNION, graduates)
    for spec in school.COLLEGES:
        pool = [s for s in undergraduates if s.college == spec.name]
        fill(school.college_union_name(spec.name), OrgKind.COLLEGE_UNION, pool)
    for club in school.club_names(demo):
        fill(club, OrgKind.CLUB, undergraduates)

    users = _users_by_number([s.number for *_rest, s in chosen])
    for org_name, title, role, student in chosen:
        demo.ensure_membership(users[student.number], demo.orgs[org_name], role, title, demo.year_starts_on)

    # The 评议会: the demo evaluators plus a few more students who hold no post (so are rarely recused).
    evaluators = [_pick(rng, undergraduates, used, senior) for _ in range(MORE_EVALUATORS)]
    users = _users_by_number([s.number for s in evaluators if s is not None])
    for user in users.values():
        held_roles = {r.role for r in user.site_roles}
        if SiteRole.EVALUATOR not in held_roles:
            accounts.set_site_roles(demo.admin, user, held_roles | {SiteRole.EVALUATOR})
            demo.created["evaluators"] += 1


def _users_by_number(numbers: list[str]) -> dict[str, User]:
    return {u.student_no: u for u in db.session.scalars(select(User).where(User.student_no.in_(numbers)))}


def students(demo: Demo) -> list[User]:
    """Everyone who takes part in the demo's history (volunteers, participants of events, those who
    answer surveys): the roster's students and the fixed student logins that can act (not the
    read-only graduate, nor the account nobody has claimed), by 学号."""
    numbers = [s.number for s in roster_plan(demo)] + [
        a.identifier
        for a in DEMO_ACCOUNTS
        if a.kind == AccountKind.STUDENT and a.claimed and a.status == AccountStatus.ACTIVE
    ]
    return db.session.scalars(
        select(User).where(User.student_no.in_(numbers)).order_by(User.student_no)
    ).all()


def fixed_logins() -> set[str]:
    return {a.identifier for a in DEMO_ACCOUNTS}


PENDING_ROSTER = "补录名册（待确认）.csv"


def roster_awaiting_confirmation(demo: Demo) -> None:
    """A roster upload the administrator has checked but not confirmed: their home page has something
    to finish (导入未完成), through the same operations as an upload on the roster page."""
    if db.session.scalar(select(ImportJob.id).where(ImportJob.filename == PENDING_ROSTER)) is not None:
        return
    header = ",".join(roster_files.REQUIRED_COLUMNS + (roster_files.COLLEGE, roster_files.GRADE))
    row = ",".join(("学生", "2025019901", "沈一鸣", school.COLLEGES[0].name, str(demo.year)))
    content = f"{header}\n{row}\n".encode()
    job = roster_ops.start_import(demo.admin, {"filename": PENDING_ROSTER, "content": content})
    if roster_ops.begin_check(job):
        roster_ops.check_job(job)
    demo.created["roster imports"] += 1
