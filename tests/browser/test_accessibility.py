"""In a real browser: every page in PAGES passes axe-core (WCAG 2 A/AA and axe's best practices) with no
serious or critical violation, on a phone and on a desktop; and the keyboard focus is visible.

axe-core is vendored in static/vendor/axe-core/ for this test alone: no page loads it. The test adds it
to the page it checks as a script from the site itself, which the Content-Security-Policy allows
(``script-src 'self'``; an inline copy of the file would be refused). A new page joins the walk with
one line in PAGES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from marketplace import clock
from marketplace.accounts.models import User
from marketplace.credits import records as credit_records
from marketplace.disclosure import operations as disclosure
from marketplace.disclosure import suggestions
from marketplace.disclosure.models import AnnouncementKind
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.hosting import participants
from marketplace.needs import operations as needs
from marketplace.projects.models import Project, ProjectState
from marketplace.review import operations as review
from marketplace.review import scoring
from marketplace.review.outcome import OUTCOME_PANEL
from marketplace.satisfaction import operations as satisfaction
from marketplace.school.models import Term
from marketplace.staff_review import operations as staff_review
from marketplace.staff_review import queries as staff_review_queries
from marketplace.staff_review.models import StaffGrade
from marketplace.surveys import operations as surveys
from tests import factories
from tests.browser.live import screenshot, sign_in, sync_api_or_skip
from tests.credits.helpers import CreditWorld, records_of
from tests.evaluation.helpers import scored
from tests.review.helpers import seat
from tests.satisfaction.helpers import YearWorld
from tests.surveys.helpers import REPORT, answer_data, invite

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect

AXE = "/static/vendor/axe-core/axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# What axe found, one line per rule and element, for the failure message.
RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.flatMap((rule) => rule.nodes.map((node) => ({
    rule: rule.id, impact: node.impact || rule.impact, target: node.target.join(" "),
    summary: (node.failureSummary || "").split("\\n").slice(0, 3).join(" "),
  })));
}
"""


class PagesWorld(CreditWorld):
    """Something to show on every page of PAGES.

    A student with a verified record and an upcoming shift; a project in review whose two bids tied on
    score and budget (so the draw decided), a second such project awarded (its notice), a project
    still open for bids, club A's record of two closed projects (its page's chart; the older one's
    score below the line, its improvement plan still to write), and a project being evaluated by its
    outcome panel.
    """

    def __init__(self):
        super().__init__(volunteers=1)
        self.student = self.volunteers[0]
        credit_records.verify(self.reviewer, records_of(self.student))
        self.next_shift = self.shift(self.position(title="迎新志愿者"), starts_in=timedelta(days=20))
        self.sign_up(self.student, self.next_shift)
        self.evaluators = [factories.user(name=f"评议人{i}", roles=("evaluator",)) for i in range(3)]
        self.reviewing = self.open_project(title="心理健康宣传周")
        self.awarded = self.open_project(title="宿舍文化节")
        clubs = ((self.manager_a, self.club_a), (self.manager_b, self.club_b))
        bids = {
            project: [self.bid(project, manager, club) for manager, club in clubs]
            for project in (self.reviewing, self.awarded)
        }
        self.bid_a = bids[self.reviewing][0]
        clock.set(self.reviewing.bid_deadline + timedelta(minutes=1))
        for project, both in bids.items():
            self._score_alike(project, both)
        first = scoring.rank(review.current_round(self.awarded), self.awarded)[0]
        review.award(self.staff, self.awarded, {"bid": first.bid.public_id})
        db.session.commit()
        self.open = self.open_project(title="新生适应期学业互助计划（第二期）")
        low = scored(self, self.club_a, "58.5", days_ago=200, title="期中答疑周")
        self.low = db.session.get(Project, low.project_id)
        scored(self, self.club_a, "86.25", days_ago=20, title="考研经验分享会")
        self._surveys()
        self._outcome_panel()
        self._staff_reviews()
        self._yearly()
        self._needs()
        self._public_record()

    def _public_record(self) -> None:
        """The union's charter in two versions, a published announcement and one awaiting approval, a
        suggestion answered and published and one the student is waiting on."""

        def charter(body: str):
            version = disclosure.draft_charter(self.staff, self.union, {"body": body, "note": "修订"})
            disclosure.submit(self.staff, version)
            disclosure.approve(self.reviewer, version)
            return version

        self.old_charter = charter("### 第一章 总则\n第一条 本会服务全体同学。")
        charter("### 第一章 总则\n第一条 本会服务全体同学。\n\n第二条 本会实行信息公开。")
        data = {"kind": AnnouncementKind.REFORM, "title": "改革进展通报", "body": "- 精简部门\n- 公开述职"}
        self.announcement = disclosure.draft_announcement(self.staff, self.union, data)
        disclosure.submit(self.staff, self.announcement)
        disclosure.approve(self.reviewer, self.announcement)
        data = {"kind": AnnouncementKind.ARRANGEMENT, "title": "寒假安排", "body": "寒假社会实践。"}
        self.pending = disclosure.draft_announcement(self.staff, self.union, data)
        disclosure.submit(self.staff, self.pending)
        data = {
            "union": self.union.id,
            "title": "自习室开放",
            "body": "希望延长开放时间。",
            "wants_public": True,
        }
        self.suggestion = suggestions.write(self.student, data)
        suggestions.answer(self.staff, self.suggestion, {"answer": "已延长到 23 点。"})
        self.waiting = suggestions.write(self.student, data | {"title": "食堂夜宵"})
        db.session.commit()

    def _hosted(self, title: str):
        project = self.open_project(title=title)
        project.state, project.tiebreak_seed, project.host_org_id = (
            ProjectState.HOSTING,
            "0" * 64,
            self.club_a.id,
        )
        db.session.commit()
        surveys.prepare_for_project(project)
        return project

    def _surveys(self) -> None:
        """A project whose survey closed with six answers (results and comments show), one the student
        is invited to answer now (a participant of its event day), and today's check-in of the
        hosted project."""
        now = clock.now()
        clock.set(now - timedelta(days=40))
        self.surveyed = self._hosted("读书分享会")
        hosting.submit_completion(self.host, self.surveyed, REPORT)
        self.closed_survey = surveys.survey_of(self.surveyed)
        for i, student in enumerate(factories.user() for _ in range(6)):
            invite(self.closed_survey, student)
            surveys.answer(
                student, self.closed_survey, answer_data(self.closed_survey, comment=f"第{i + 1}条意见")
            )
        clock.set(now)
        self.evaluating = self._hosted("心理健康讲座")
        day = participants.open_today(self.host, self.evaluating)
        participants.check_in(self.student, day, {"code": participants.checkin_code(day)})
        hosting.submit_completion(self.host, self.evaluating, REPORT)
        self.open_survey = surveys.survey_of(self.evaluating)
        self.day = participants.open_today(self.host, self.project)
        db.session.commit()

    def _yearly(self) -> None:
        """The school union's yearly survey: last year's closed with answers from two colleges and
        two grades, one cell too small (the dashboard's charts, breakdown and hidden cells); this
        year's open to the student."""
        now = clock.now()
        colleges = [factories.college(), factories.college()]
        self.student.college_id, self.student.grade = colleges[0].id, 2024
        students = [
            factories.user(college=c, grade=g) for c in colleges for g in (2023, 2024) for _ in range(5)
        ]
        self.last_year = YearWorld.academic_year("上学年", (now - timedelta(days=400)).date())
        this_year = YearWorld.academic_year("本学年", (now - timedelta(days=30)).date())
        clock.set(now - timedelta(days=200))
        satisfaction.prepare_year(self.reviewer, self.last_year)
        satisfaction.open_year(
            self.reviewer, self.last_year, {"closes_on": clock.today_local() + timedelta(days=14)}
        )
        (last,) = satisfaction.surveys_of_year(self.last_year)
        YearWorld.answer_all(last, students[:-3], comment="希望多组织学术交流")
        clock.set(now)
        satisfaction.prepare_year(self.reviewer, this_year)
        satisfaction.open_year(
            self.reviewer, this_year, {"closes_on": clock.today_local() + timedelta(days=14)}
        )
        (self.yearly_survey,) = satisfaction.surveys_of_year(this_year)
        db.session.commit()

    def _outcome_panel(self) -> None:
        """The project being evaluated has its outcome panel: the first evaluator has declared and
        scored one criterion, the second has yet to declare."""
        first, second = self.evaluators[:2]
        for evaluator in (first, second):
            review.assign_panelist(self.staff, self.evaluating, {"user": evaluator.id}, OUTCOME_PANEL)
        review.declare_no_conflict(first, self.evaluating, OUTCOME_PANEL)
        criterion = self.evaluating.outcome_criteria[0]
        review.save_scores(first, self.evaluating, None, {criterion.id: (85, "按期完成")}, OUTCOME_PANEL)
        db.session.commit()

    def _staff_reviews(self) -> None:
        """The union's 述职评议 of the autumn term, rated by five students and published, and this
        term's, open, with the staff member's report written."""
        now = clock.now()
        autumn = Term(
            year=self.term.year, name="第一学期", starts_on=date(2025, 9, 1), ends_on=date(2026, 1, 18)
        )
        db.session.add(autumn)
        db.session.commit()
        clock.set(now - timedelta(days=30))
        data = {"union": self.union.id, "term": autumn.id, "closes_at": clock.now() + timedelta(days=7)}
        self.finished_review = staff_review.open_review(self.reviewer, data)
        reviewee = self.finished_review.reviewees[0]
        survey = staff_review_queries.survey_of(reviewee)
        for i in range(5):
            staff_review.rate(factories.user(), reviewee, answer_data(survey, comment=f"第{i + 1}条建议"))
        clock.set(now)
        staff_review.record_result(
            self.reviewer, reviewee, {"grade": StaffGrade.EXCELLENT, "notes": "表现突出"}
        )
        staff_review.publish(self.reviewer, self.finished_review)
        data = {"union": self.union.id, "term": self.term.id, "closes_at": now + timedelta(days=7)}
        self.open_review = staff_review.open_review(self.reviewer, data)
        self.open_reviewee = self.open_review.reviewees[0]
        staff_review.save_report(
            self.staff, self.open_reviewee, {"report": "## 本学期工作\n- 组织迎新志愿服务"}
        )
        db.session.commit()

    def _needs(self) -> None:
        """An open need, supported and commented on; a hidden one with its author's appeal pending."""
        author, other = factories.user(name="需求作者"), factories.user(name="另一作者")
        data = {"title": "图书馆自习座位太少", "description": "期末周**座位紧张**。", "category": "学业"}
        self.need = needs.post_need(author, data)
        needs.support(self.student, self.need)
        needs.comment(self.student, self.need, {"body": "我也遇到过。"})
        hidden = needs.post_need(other, {**data, "title": "违规内容"})
        needs.hide(self.staff, hidden, {"reason": "人身攻击"})
        needs.appeal(other, hidden, {"body": "请复核"})
        db.session.commit()

    def _score_alike(self, project, bids) -> None:
        seat(self.staff, project, self.evaluators)
        for evaluator in self.evaluators:
            for bid in bids:
                review.save_scores(evaluator, project, bid, {c.id: (80, "") for c in project.bid_criteria})
            review.submit_scores(evaluator, project)
            db.session.commit()


@dataclass(frozen=True)
class Visit:
    name: str
    who: Callable[[PagesWorld], User | None]  # None: nobody signed in
    path: Callable[[PagesWorld], str]


NOBODY = lambda w: None  # noqa: E731
PAGES = [
    Visit("home", NOBODY, lambda w: "/"),
    Visit("project", NOBODY, lambda w: w.reviewing.url),
    Visit("notice", NOBODY, lambda w: f"/projects/{w.awarded.id}/notice"),
    Visit("organization", NOBODY, lambda w: f"/orgs/{w.club_a.id}"),
    Visit("login", NOBODY, lambda w: "/login"),
    Visit("open-data", NOBODY, lambda w: "/open-data"),
    Visit("open-data-fields", NOBODY, lambda w: "/open-data/fields"),
    Visit("home-signed-in", lambda w: w.student, lambda w: "/"),
    Visit("home-host", lambda w: w.manager_a, lambda w: "/"),
    Visit("home-staff", lambda w: w.staff, lambda w: "/"),
    Visit("home-league", lambda w: w.reviewer, lambda w: "/"),
    Visit("staff-dashboard", lambda w: w.staff, lambda w: "/staff"),
    Visit("shift", lambda w: w.student, lambda w: w.next_shift.url),
    Visit("checkin", lambda w: w.student, lambda w: f"/checkin/{w.next_shift.id}"),
    Visit("transcript", lambda w: w.student, lambda w: "/transcript"),
    Visit("notifications", lambda w: w.student, lambda w: "/notifications/"),
    Visit("bid-form", lambda w: w.manager_a, lambda w: f"/projects/{w.open.id}/bid"),
    Visit("bid", lambda w: w.manager_a, lambda w: w.bid_a.url),
    Visit("review", lambda w: w.staff, lambda w: f"/review/projects/{w.reviewing.id}"),
    Visit("project-satisfaction", NOBODY, lambda w: w.surveyed.url),
    Visit("survey-results", lambda w: w.staff, lambda w: w.closed_survey.results_url),
    Visit("survey-setup", lambda w: w.staff, lambda w: f"/surveys/{w.open_survey.id}/setup"),
    Visit("survey", lambda w: w.student, lambda w: w.open_survey.url),
    Visit("attend", lambda w: w.student, lambda w: f"/attend/{w.day.id}"),
    Visit("project-closed", NOBODY, lambda w: w.low.url),
    Visit("outcome-panel", lambda w: w.staff, lambda w: f"/review/projects/{w.evaluating.id}/outcome"),
    Visit(
        "outcome-declare",
        lambda w: w.evaluators[1],
        lambda w: f"/review/projects/{w.evaluating.id}/outcome/declare",
    ),
    Visit(
        "outcome-score",
        lambda w: w.evaluators[0],
        lambda w: f"/review/projects/{w.evaluating.id}/outcome/score",
    ),
    Visit("improvement", lambda w: w.manager_a, lambda w: f"/projects/{w.low.id}/improvement"),
    Visit("staff-reviews", NOBODY, lambda w: "/staff-reviews"),
    Visit("staff-review", NOBODY, lambda w: w.finished_review.url),
    Visit("staff-review-new", lambda w: w.reviewer, lambda w: "/staff-reviews/new"),
    Visit(
        "staff-review-results",
        lambda w: w.reviewer,
        lambda w: f"/staff-reviews/{w.finished_review.id}/results",
    ),
    Visit(
        "staff-review-grade",
        lambda w: w.reviewer,
        lambda w: f"/staff-reviews/{w.finished_review.id}/results/{w.finished_review.reviewees[0].id}",
    ),
    Visit("staff-review-report", lambda w: w.staff, lambda w: f"/staff-reviews/{w.open_review.id}/report"),
    Visit("staff-review-mine", lambda w: w.staff, lambda w: f"/staff-reviews/{w.finished_review.id}/mine"),
    Visit("staff-review-rate", lambda w: w.student, lambda w: f"/staff-reviews/{w.open_review.id}/rate"),
    Visit(
        "staff-review-rate-one",
        lambda w: w.student,
        lambda w: f"/staff-reviews/{w.open_review.id}/rate/{w.open_reviewee.id}",
    ),
    Visit("union-dashboard", NOBODY, lambda w: f"/unions/{w.union.id}/satisfaction?year={w.last_year.id}"),
    Visit(
        "union-dashboard-breakdown",
        lambda w: w.reviewer,
        lambda w: f"/unions/{w.union.id}/satisfaction?year={w.last_year.id}",
    ),
    Visit("yearly-console", lambda w: w.reviewer, lambda w: "/satisfaction"),
    Visit("yearly-mine", lambda w: w.student, lambda w: "/satisfaction/mine"),
    Visit("yearly-survey", lambda w: w.student, lambda w: w.yearly_survey.url),
    Visit("disclosure", NOBODY, lambda w: "/disclosure"),
    Visit("charter", NOBODY, lambda w: f"/disclosure/unions/{w.union.id}"),
    Visit("charter-old-version", NOBODY, lambda w: w.old_charter.url),
    Visit("announcements", NOBODY, lambda w: "/disclosure/announcements"),
    Visit("announcement", NOBODY, lambda w: w.announcement.url),
    Visit("suggestions", NOBODY, lambda w: "/disclosure/suggestions"),
    Visit("suggestion", NOBODY, lambda w: w.suggestion.url),
    Visit("staff-list", lambda w: w.student, lambda w: f"/disclosure/unions/{w.union.id}/staff"),
    Visit("suggestion-new", lambda w: w.student, lambda w: "/disclosure/suggestions/new"),
    Visit("suggestions-mine", lambda w: w.student, lambda w: "/disclosure/suggestions/mine"),
    Visit("union-suggestions", lambda w: w.staff, lambda w: f"/disclosure/unions/{w.union.id}/suggestions"),
    Visit("suggestion-answer", lambda w: w.staff, lambda w: w.waiting.url),
    Visit("disclosure-desk", lambda w: w.staff, lambda w: f"/disclosure/unions/{w.union.id}/desk"),
    Visit("charter-new", lambda w: w.staff, lambda w: f"/disclosure/unions/{w.union.id}/charter/new"),
    Visit("disclosure-review", lambda w: w.reviewer, lambda w: "/disclosure/review"),
    Visit("announcement-pending", lambda w: w.reviewer, lambda w: w.pending.url),
    Visit("needs", NOBODY, lambda w: "/needs"),
    Visit("need", NOBODY, lambda w: w.need.url),
    Visit("need-supported", lambda w: w.student, lambda w: w.need.url),
    Visit("need-new", lambda w: w.student, lambda w: "/needs/new"),
    Visit("needs-mine", lambda w: w.student, lambda w: "/needs/mine"),
    Visit("need-answer", lambda w: w.staff, lambda w: w.need.url),
    Visit("needs-staff", lambda w: w.staff, lambda w: "/needs/staff"),
    Visit("need-project", lambda w: w.staff, lambda w: f"/needs/{w.need.id}/project"),
    Visit("need-appeals", lambda w: w.reviewer, lambda w: "/needs/appeals"),
]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(url=AXE)
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in FAILING_IMPACTS]


def walk(page, world: PagesWorld, width: str) -> list[str]:
    """Every page of PAGES, signing in only when the user changes; what axe found, one line each."""
    found, signed_in_as = [], "nobody yet"
    for visit in sorted(PAGES, key=lambda v: v.who(world) is not None):
        user = visit.who(world)
        if user is not signed_in_as:
            if user is None:
                page.context.clear_cookies()
            else:
                sign_in(page, user)
            signed_in_as = user
        response = page.goto(visit.path(world))
        assert response.status == 200, f"{visit.name}: {response.status}"
        screenshot(page, f"a11y-{visit.name}-{width}")
        found += [
            f"{visit.name} @ {width}: {v['rule']} ({v['impact']}) {v['target']} — {v['summary']}"
            for v in axe_violations(page)
        ]
    return found


# One class per width: pytest-xdist's loadscope runs each class on a worker of its own, so the two
# walks (the longest items of the suite) run side by side.
class TestOnAPhone:
    def test_every_page_has_no_serious_accessibility_violation_at_375_px(self, phone_page):
        found = walk(phone_page, PagesWorld(), "375px")
        assert found == [], "\n".join(found)


class TestOnADesktop:
    def test_every_page_has_no_serious_accessibility_violation_at_1280_px(self, desktop_page):
        found = walk(desktop_page, PagesWorld(), "1280px")
        assert found == [], "\n".join(found)


def test_the_keyboard_focus_on_a_brand_button_is_visible(desktop_page):
    page = desktop_page
    page.goto("/login")
    page.get_by_label("密码", exact=True).focus()
    button = page.get_by_role("button", name="登录")
    for _ in range(5):
        page.keyboard.press("Tab")
        if button.evaluate("(element) => element === document.activeElement"):
            break
    expect(button).to_be_focused()
    screenshot(page, "a11y-focus-ring")
    ring = button.evaluate(
        "(element) => { const style = getComputedStyle(element);"
        " return {shadow: style.boxShadow, outline: style.outlineStyle, width: style.outlineWidth}; }"
    )
    assert ring["shadow"] != "none" or (ring["outline"] != "none" and ring["width"] != "0px"), ring
