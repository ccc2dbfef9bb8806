"""The school itself: the calendar, credit categories, colleges and organizations of 示例大学."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..credits.operations import ensure_default_categories
from ..extensions import db
from ..orgs import operations as orgs
from ..orgs.models import College, Organization, OrgKind
from ..school import operations as school_calendar
from ..school.models import AcademicYear, Term
from .context import Demo, autumn_term_start


@dataclass(frozen=True)
class CollegeSpec:
    name: str
    code: str  # also the two digits in the middle of its students' 学号
    short: str  # the prefix of its class names: 计科2401班


COLLEGES = (
    CollegeSpec("计算机科学与技术学院", "01", "计科"),
    CollegeSpec("经济管理学院", "02", "经管"),
    CollegeSpec("外国语学院", "03", "外语"),
    CollegeSpec("机械工程学院", "04", "机械"),
    CollegeSpec("文学院", "05", "汉语言"),
    CollegeSpec("数学与统计学院", "06", "数统"),
)
COLLEGE_BY_NAME = {c.name: c for c in COLLEGES}

# The first two have fixed demo managers (see people.DEMO_ACCOUNTS), so --clubs is at least 2.
CLUBS = (
    ("青年志愿者协会", "组织迎新、社区支教、敬老助残和大型赛会志愿服务，是全校规模最大的学生社团。"),
    ("摄影协会", "记录校园四季与重要活动，定期开设摄影讲座、组织外拍，年底举办年度影展。"),
    ("机器人创新社", "面向各专业招新，开放实验室带新人做项目，参加全国大学生机器人竞赛。"),
    ("话剧社", "每学期排演一部大戏，平时开设表演与台词工作坊，零基础也欢迎。"),
    ("心理健康协会", "开展朋辈心理互助，承办“5·25”心理健康月，组织团体辅导和减压活动。"),
    ("围棋社", "每周两次对弈与讲棋，组织校内围棋联赛，并与兄弟院校交流。"),
    ("英语角", "每周三晚在图书馆一楼开展英语交流，外籍教师和留学生常来参加。"),
    ("书法协会", "软笔、硬笔书法练习，举办师生书法作品展，春节前为同学义写春联。"),
    ("篮球社", "组织新生杯和院际篮球联赛，日常训练向全校同学开放。"),
    ("辩论队", "备战校级辩论赛和校际邀请赛，每学期开放试训，欢迎新人。"),
    ("动漫社", "动漫交流、手绘与原创创作，每年举办一次校园动漫节。"),
    ("天文爱好者协会", "组织观星夜和天文科普讲座，协会有两台天文望远镜可供借用。"),
    ("环保协会", "开展垃圾分类宣传、旧物回收和校园绿化，每年组织世界环境日活动。"),
    ("街舞社", "零基础教学，参加迎新晚会演出和高校街舞大赛。"),
    ("朋辈学业互助社", "高年级同学为低年级同学答疑解惑，考试周前组织公共课复习讲座。"),
    ("吉他协会", "吉他教学与弹唱交流，每学期举办草坪音乐会。"),
    ("大学生创业协会", "组织创业沙龙、项目路演，协助同学参加“挑战杯”和“互联网+”大赛。"),
    ("羽毛球协会", "每周固定场地训练，举办新生羽毛球赛和师生友谊赛。"),
    ("读书会", "每两周共读一本书并组织分享会，邀请老师开设阅读讲座。"),
    ("汉服社", "传统服饰文化交流，组织传统节日活动和汉服展示。"),
    ("学生红十字会", "开展应急救护培训、无偿献血宣传和防艾知识普及。"),
    ("电子竞技协会", "组织校园电竞联赛，倡导健康游戏、理性娱乐。"),
)
CLUB_NAMES = tuple(name for name, _text in CLUBS)


def school_union_name(demo: Demo) -> str:
    return f"{demo.school_name}学生会"


def graduate_union_name(demo: Demo) -> str:
    return f"{demo.school_name}研究生会"


def college_union_name(college: str) -> str:
    return f"{college}学生会"


def class_name(college: str, grade: int, number: int) -> str:
    return f"{COLLEGE_BY_NAME[college].short}{grade % 100:02d}{number:02d}班"


def club_names(demo: Demo) -> tuple[str, ...]:
    return CLUB_NAMES[: demo.clubs]


def undergraduate_grades(demo: Demo) -> list[int]:
    """The four grades of undergraduates in school this academic year (大一 is the newest)."""
    return [demo.year - 3, demo.year - 2, demo.year - 1, demo.year]


def classes(demo: Demo) -> dict[str, list[tuple[str, int]]]:
    """Each college's classes as (name, grade): the grades in turn, a second class per grade when
    there are more than four."""
    grades = undergraduate_grades(demo)
    return {
        c.name: [
            (class_name(c.name, grades[i % len(grades)], i // len(grades) + 1), grades[i % len(grades)])
            for i in range(demo.classes_per_college)
        ]
        for c in COLLEGES
    }


# -- steps ----------------------------------------------------------------------------------------------


def term_dates(year: int) -> list[tuple[str, date, date]]:
    """Twenty weeks from the first Monday of September, a month of winter break, twenty weeks more."""
    autumn_start = autumn_term_start(year)
    autumn_end = autumn_start + timedelta(weeks=19, days=4)
    spring_start = autumn_end + timedelta(days=31)
    return [
        ("第一学期", autumn_start, autumn_end),
        ("第二学期", spring_start, spring_start + timedelta(weeks=19, days=4)),
    ]


def calendar(demo: Demo) -> None:
    """The academic year under way and the one before it (whose terms hold earlier credits)."""
    for year in (demo.year - 1, demo.year):
        name = f"{year}-{year + 1}学年"
        academic_year = db.session.scalar(select(AcademicYear).where(AcademicYear.name == name))
        if academic_year is None:
            academic_year = school_calendar.save_year(
                demo.admin,
                AcademicYear(),
                {
                    "name": name,
                    "starts_on": autumn_term_start(year),
                    "ends_on": autumn_term_start(year + 1) - timedelta(days=1),
                },
            )
            demo.created["academic years"] += 1
        have = {t.name for t in academic_year.terms}
        for term_name, starts_on, ends_on in term_dates(year):
            if term_name not in have:
                school_calendar.save_term(
                    demo.admin,
                    Term(),
                    academic_year,
                    {"name": term_name, "starts_on": starts_on, "ends_on": ends_on},
                )
                demo.created["terms"] += 1


def credit_categories(demo: Demo) -> None:
    demo.created["credit categories"] += ensure_default_categories()


def colleges(demo: Demo) -> None:
    existing = {c.name: c for c in db.session.scalars(select(College))}
    for spec in COLLEGES:
        college = existing.get(spec.name)
        if college is None:
            college = orgs.save_college(demo.admin, College(), {"name": spec.name, "code": spec.code})
            demo.created["colleges"] += 1
        demo.colleges[spec.name] = college


def ensure_org(
    demo: Demo, name: str, kind: OrgKind, *, college: str | None = None, description: str = ""
) -> Organization:
    """The organization called ``name``, created through the operation if it is not there yet."""
    org = demo.orgs.get(name) or db.session.scalar(select(Organization).where(Organization.name == name))
    if org is None:
        college_id = demo.colleges[college].id if college else None
        org = orgs.save_org(
            demo.admin,
            Organization(),
            {"name": name, "kind": kind, "college_id": college_id, "description": description},
        )
        demo.created["organizations"] += 1
    demo.orgs[name] = org
    return org


def organizations(demo: Demo) -> None:
    ensure_org(
        demo,
        school_union_name(demo),
        OrgKind.SCHOOL_UNION,
        description=(
            "在学校党委领导、校团委指导下开展工作，代表和服务全校本科生。设主席团及权益服务部、学习部、"
            "文体部、宣传部，面向院系学生会、社团和班级发布工作项目。"
        ),
    )
    ensure_org(
        demo,
        graduate_union_name(demo),
        OrgKind.GRADUATE_UNION,
        description=("服务全校研究生的学术交流、权益维护和文体生活，设学术部、权益服务部。"),
    )
    for spec in COLLEGES:
        ensure_org(
            demo,
            college_union_name(spec.name),
            OrgKind.COLLEGE_UNION,
            college=spec.name,
            description=f"服务{spec.name}同学的学习、生活与文体活动，承办学院特色项目。",
        )
    for name, description in CLUBS[: demo.clubs]:
        ensure_org(demo, name, OrgKind.CLUB, description=description)
    for college, its_classes in classes(demo).items():
        for name, grade in its_classes:
            ensure_org(
                demo, name, OrgKind.CLASS, college=college, description=f"{college}{grade}级本科班级。"
            )
