"""每学年1次同学满意度评价 in the demo: the league reviewer 林慧敏 (T0001) ran last academic year's
surveys of every union in June — closed now, with results: most college × grade cells have enough
answers to show; 数学与统计学院's 2024 cohort answered little, so its cells are hidden with their
complements; the 研究生会's few graduate students show only its means. This year's opened five days
ago and some students have answered; the demo student 周梓萱 (2024000100, an undergraduate of
数学与统计学院) has not — she may answer the 校学生会's and her college union's.

Through the operations, each at its moment: the reviewer prepares the year's surveys (editing the
school union's dimensions first), opens them, and students answer.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..satisfaction import operations as satisfaction
from ..school.models import AcademicYear
from ..surveys import operations as surveys
from ..surveys.models import Survey, SurveyInvitation
from .context import Demo, autumn_term_start
from .cycle import account
from .people import fixed_logins, students

REVIEWER = "T0001"
SHY = ("数学与统计学院", 2024)  # answered little last year
SCHOOL_UNION_DIMENSIONS = "服务同学的实效\n维护同学权益\n活动的质量\n作风与工作公开\n倾听和回应意见\n学风建设"
COMMENTS = (
    "希望权益反馈有回音，提过的问题能告诉我们处理结果。",
    "活动宣传可以早一点，很多讲座知道时已经报满了。",
    "学生会的账目和评优名单公示得很清楚，点赞。",
    "食堂和宿舍的问题反映了几次，进展有点慢。",
    "迎新和考试周的服务很贴心，辛苦了。",
)


def _academic_year(starts: int) -> AcademicYear:
    return db.session.scalar(select(AcademicYear).where(AcademicYear.name == f"{starts}-{starts + 1}学年"))


def _stars(rng: random.Random, dimensions: int, lean: float) -> tuple[int, ...]:
    """Mostly 4s and 5s, fewer low marks; ``lean`` shifts the whole answer."""
    return tuple(max(1, min(5, round(rng.gauss(3.9 + lean, 0.8)))) for _ in range(dimensions))


def _answer(demo: Demo, survey: Survey, share, purpose: str) -> int:
    """The invited students the history may use answer ``survey``, each with the chance ``share(student)``."""
    rng = demo.rng(purpose)
    invited = set(
        db.session.scalars(select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id))
    )
    answered = 0
    lean = rng.uniform(-0.4, 0.3)
    for student in students(demo):
        if (
            student.id not in invited
            or student.student_no in fixed_logins()
            or rng.random() >= share(student)
        ):
            continue
        stars = _stars(rng, len(survey.dimensions), lean)
        comment = rng.choice(COMMENTS) if rng.random() < 0.15 else ""
        surveys.answer(
            student,
            survey,
            {"stars": {d.id: s for d, s in zip(survey.dimensions, stars, strict=True)}, "comment": comment},
        )
        answered += 1
    return answered


def _run_year(demo: Demo, year: AcademicYear, opens_day: int, closes_in: int) -> list[Survey]:
    """The reviewer prepares the year's surveys ``opens_day`` days from today (the school union's
    dimensions edited) and opens them until ``closes_in`` days later."""
    reviewer = account(REVIEWER)
    demo.travel(demo.day(opens_day - 1, "16:00"))
    satisfaction.prepare_year(reviewer, year)
    found = satisfaction.surveys_of_year(year)
    surveys.set_dimensions(reviewer, found[0], {"dimensions": SCHOOL_UNION_DIMENSIONS})
    demo.travel(demo.day(opens_day, "09:00"))
    closes_on = demo.today + timedelta(days=opens_day + closes_in)
    satisfaction.open_year(reviewer, year, {"closes_on": closes_on})
    demo.created["yearly surveys"] += len(found)
    return found


def yearly_surveys(demo: Demo) -> None:
    """Last year's surveys answered and closed; this year's open, 周梓萱 yet to answer."""
    last, this = _academic_year(demo.year - 1), _academic_year(demo.year)
    if db.session.scalar(select(Survey.id).where(Survey.academic_year_id.in_([last.id, this.id])).limit(1)):
        return  # told already
    june = (autumn_term_start(demo.year) - timedelta(days=80) - demo.today).days
    for survey in _run_year(demo, last, june, 14):
        demo.travel(demo.day(june + 3, "20:00"))

        def share(student):
            # This September's freshmen were not here last year; one cohort answered little.
            if student.grade >= demo.year:
                return 0
            return 0.3 if (student.college.name, student.grade) == SHY else 0.95

        demo.created["yearly survey answers"] += _answer(
            demo, survey, share, f"yearly:last:{survey.union.name}"
        )
    if not demo.reaches_back(6):
        return  # the year has only just begun: its survey is for later
    for survey in _run_year(demo, this, -5, 15):
        demo.travel(demo.day(-2, "20:00"))
        demo.created["yearly survey answers"] += _answer(
            demo, survey, lambda s: 0.3, f"yearly:this:{survey.union.name}"
        )
