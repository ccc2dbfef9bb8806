"""述职评议 in the demo: the 校学生会's review of last term, finished, and this term's, open.

Last term's was opened by the league reviewer 林慧敏 (T0001) in the second week of this academic year:
the staff wrote their reports, students and fellow staff rated them, and after the window she recorded
the results — 王思远 (2023000001, 副主席) 优秀, one staff member 不合格 with the 提醒谈话 that followed —
and published them. With six staff the public page shows that it took place but withholds the
distribution of results (it needs ten).

This term's opened five days ago and closes in nine: the other staff have written their reports and
some students have rated them; 王思远 has yet to write his, and 周梓萱 (2024000100), an undergraduate,
has rated nobody yet.

Everything goes through the operations the pages use, each at its moment (``Demo.travel``).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..accounts.models import DegreeLevel, User
from ..extensions import db
from ..orgs.models import Organization, OrgKind
from ..school.models import Term, term_containing
from ..staff_review import operations as staff_review
from ..staff_review import tasks
from ..staff_review.models import StaffGrade, StaffReview, StaffReviewee
from ..staff_review.queries import survey_of
from . import school
from .context import Demo
from .cycle import LEAGUE_REVIEWER, STAFF, account
from .people import students

WANG = STAFF[OrgKind.SCHOOL_UNION]  # 王思远, 副主席
ZHOU = "2024000100"  # 周梓萱: may rate this term's staff, has not yet
WINDOW = 14  # days a review is open

WORK = (
    "牵头筹办“校园开放日”志愿服务，协调 6 个学院 120 名志愿者",
    "整理同学反映的 43 条权益问题，逐条跟进并在公众号公开处理结果",
    "组织期末学业互助答疑周，联系 18 位学长学姐答疑",
    "策划新生文体季，完成 5 场活动的场地和安全预案",
    "维护学生会公众号，全学期推送 36 篇，阅读量比上学期增长三成",
    "对接后勤处，推动两栋宿舍楼增设饮水机",
)
LESSONS = (
    "活动宣传启动偏晚，下学期提前两周发布报名通知。",
    "与其他部门沟通不够及时，以后每周同步一次进度。",
    "同学意见的答复周期偏长，下学期争取一周内回复。",
)
COMMENTS = ("回复同学问题很及时", "活动组织得不错，希望多办", "希望多听听普通同学的意见", "工作认真负责")
NOTES = {
    StaffGrade.EXCELLENT: "履职突出，同学评价高，推荐参加优秀学生干部评选。",
    StaffGrade.COMPETENT: "能完成本职工作。",
    StaffGrade.BASICALLY_COMPETENT: "工作基本完成，部分任务拖延，请注意改进。",
    StaffGrade.INCOMPETENT: "多次缺席例会，负责的活动未按期完成。",
}


def _report(i: int) -> str:
    return (
        f"## 本学期主要工作\n- {WORK[i % len(WORK)]}\n- 参加每周例会，按时完成部门分派的任务\n\n"
        f"## 不足与改进\n{LESSONS[i % len(LESSONS)]}\n"
    )


def _exists(union: Organization, term: Term) -> bool:
    found = select(StaffReview.id).where(StaffReview.union_id == union.id, StaffReview.term_id == term.id)
    return db.session.scalar(found) is not None


def _open(demo: Demo, union: Organization, term: Term, closes_at) -> StaffReview:
    reviewer = account(LEAGUE_REVIEWER)
    review = staff_review.open_review(reviewer, {"union": union.id, "term": term.id, "closes_at": closes_at})
    db.session.commit()  # the task reads it in a session of its own
    tasks.tell_raters.call_local(review.id)
    demo.created["staff reviews"] += 1
    return review


def _write_reports(review: StaffReview, skip: set[int] = frozenset()) -> None:
    for i, reviewee in enumerate(review.reviewees):
        if reviewee.user_id not in skip:
            staff_review.save_report(reviewee.user, reviewee, {"report": _report(i)})


def _rate(demo: Demo, reviewee: StaffReviewee, raters: list[User], purpose: str, mean: float) -> None:
    rng = demo.rng(purpose)
    survey = survey_of(reviewee)
    for rater in raters:
        stars = {d.id: max(1, min(5, round(rng.gauss(mean, 0.7)))) for d in survey.dimensions}
        comment = rng.choice(COMMENTS) if rng.random() < 0.2 else ""
        staff_review.rate(rater, reviewee, {"stars": stars, "comment": comment})


def _undergraduates(demo: Demo, leave_out: set[str]) -> list[User]:
    return [
        s
        for s in students(demo)
        if s.degree_level == DegreeLevel.UNDERGRADUATE and s.student_no not in leave_out
    ]


def last_term(demo: Demo) -> None:
    """Last term's review, rated, graded and published, with the 提醒谈话 after a 不合格 held."""
    union = _school_union(demo)
    current = term_containing(demo.today)
    if current is None:  # in a break: no term to say which was the last
        return
    term = db.session.scalar(
        select(Term).where(Term.ends_on < current.starts_on).order_by(Term.starts_on.desc())
    )
    opens_on = demo.year_starts_on + timedelta(days=7)
    # Rated, graded, published and the talk held before this term's review opens.
    if term is None or _exists(union, term) or (demo.today - opens_on).days < WINDOW + 12:
        return
    offset = (opens_on - demo.today).days
    demo.travel(demo.day(offset, "09:00"))
    review = _open(demo, union, term, demo.day(offset + WINDOW, "22:00"))
    demo.travel(demo.day(offset + 2, "21:00"))
    _write_reports(review)
    demo.travel(demo.day(offset + 6, "20:00"))
    crowd = _undergraduates(demo, {ZHOU} | {s.user.student_no for s in review.reviewees})
    rng = demo.rng("staff review: raters")
    staff = [r.user for r in review.reviewees]
    grades = _grades(review)
    for n, reviewee in enumerate(review.reviewees):
        colleagues = [u for u in staff if u.id != reviewee.user_id]
        if reviewee.user.student_no != WANG:
            colleagues = colleagues[: 2 + n % 3]  # too few to show apart from the students
        mean = {StaffGrade.EXCELLENT: 4.6, StaffGrade.INCOMPETENT: 2.4}.get(grades[reviewee.id], 3.9)
        _rate(
            demo, reviewee, rng.sample(crowd, min(len(crowd), 12 + n)) + colleagues, f"staff review {n}", mean
        )
    reviewer = account(LEAGUE_REVIEWER)
    demo.travel(demo.day(offset + WINDOW + 2, "15:00"))
    for reviewee in review.reviewees:
        grade = grades[reviewee.id]
        due = demo.today + timedelta(days=offset + WINDOW + 9)
        data = {
            "grade": grade,
            "notes": NOTES[grade],
            "talk_due_on": due if grade == StaffGrade.INCOMPETENT else None,
        }
        staff_review.record_result(reviewer, reviewee, data)
    staff_review.publish(reviewer, review)
    demo.travel(demo.day(offset + WINDOW + 6, "16:30"))
    for reviewee in review.reviewees:
        if reviewee.talk is not None:
            staff_review.record_talk(
                reviewer, reviewee.talk, {"held_on": demo.today + timedelta(days=offset + WINDOW + 6)}
            )


def _grades(review: StaffReview) -> dict[int, StaffGrade]:
    """王思远 优秀; the last appointed 不合格, the one before 基本合格; the rest 合格."""
    grades = {}
    last = len(review.reviewees) - 1
    for n, reviewee in enumerate(review.reviewees):
        if reviewee.user.student_no == WANG:
            grades[reviewee.id] = StaffGrade.EXCELLENT
        elif n == last:
            grades[reviewee.id] = StaffGrade.INCOMPETENT
        elif n == last - 1:
            grades[reviewee.id] = StaffGrade.BASICALLY_COMPETENT
        else:
            grades[reviewee.id] = StaffGrade.COMPETENT
    return grades


def this_term(demo: Demo) -> None:
    """This term's review, open: reports written but 王思远's, a few students' ratings, none of 周梓萱's."""
    union = _school_union(demo)
    term = term_containing(demo.today)
    if term is None or _exists(union, term) or not demo.reaches_back(6):
        return
    demo.travel(demo.day(-5, "09:00"))
    review = _open(demo, union, term, demo.day(9, "22:00"))
    demo.travel(demo.day(-4, "21:00"))
    wang = account(WANG)
    _write_reports(review, skip={wang.id})
    demo.travel(demo.day(-2, "20:00"))
    crowd = _undergraduates(demo, {ZHOU} | {r.user.student_no for r in review.reviewees})
    rng = demo.rng("staff review: this term")
    for n, reviewee in enumerate(review.reviewees):
        _rate(demo, reviewee, rng.sample(crowd, min(len(crowd), 3 + n)), f"staff review now {n}", 4.0)


def _school_union(demo: Demo) -> Organization:
    return demo.orgs[school.school_union_name(demo)]


def last_and_this_term(demo: Demo) -> None:
    last_term(demo)
    db.session.commit()  # before the clock moves on to this term
    this_term(demo)
