"""Forms of the project pages: posting and editing a project (发榜), the list's filters, Q&A and the
short forms that carry a reason (cancel, return, request to cancel)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as SubForm

from .. import clock, permissions, settings
from ..admin.forms import ListFilter, MultiCheckboxField
from ..credits.models import CreditCategory
from ..extensions import db
from ..forms import DecimalField, Form, IntegerField, length, number_range, optional, required
from ..orgs.models import BIDDER_KINDS, OrgKind
from ..timeutil import SCHOOL_TZ
from .models import ProjectCategory, ProjectState
from .operations import default_criteria
from .queries import PUBLIC_STATES

# Criteria rows on the form: blank rows are ignored, so staff add a criterion by filling one in and
# remove one by clearing its name — no script needed.
CRITERIA_ROWS = 6
MAX_CRITERIA = 20
DEADLINE_FORMAT = "%Y-%m-%dT%H:%M"


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class CriterionForm(SubForm):
    """One row of the review criteria (a plain sub-form: the outer form carries the CSRF token)."""

    name = StringField(_l("评审标准"), [optional(), length(64)])
    description = StringField(_l("说明"), [optional(), length(500)])
    weight = IntegerField(_l("权重"), [optional(), number_range(1, 100)])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.name.data or "").strip() and (self.weight.data is not None or self.description.data):
            self.name.errors = [*self.name.errors, _l("请填写名称，或清空这一行。")]
            return False
        if (self.name.data or "").strip() and self.weight.data is None:
            self.weight.errors = [*self.weight.errors, _l("请填写权重。")]
            return False
        return True


def criteria_rows() -> FieldList:
    """A form's criteria (评审标准): rows of name, description and weight."""
    return FieldList(FormField(CriterionForm), min_entries=CRITERIA_ROWS, max_entries=MAX_CRITERIA)


def pad_criteria(rows: FieldList) -> None:
    """Leave blank rows to add criteria: at least ``CRITERIA_ROWS``, and always one spare."""
    filled = sum(1 for row in rows.data if (row.get("name") or "").strip())
    while len(rows) < min(max(CRITERIA_ROWS, filled + 1), MAX_CRITERIA):
        rows.append_entry()


class ProjectForm(Form):
    """编辑项目. ``version`` carries the project's version from the page the user started on, so a save
    from a stale tab is refused instead of overwriting someone else's change."""

    title = StringField(_l("项目名称"), [required(), length(200)])
    category = SelectField(_l("项目类别"), choices=ProjectCategory.choices())
    description = TextAreaField(
        _l("需求说明"),
        [required(), length(20000)],
        description=_l("这个项目回应同学们的什么需求；支持 Markdown"),
        render_kw={"rows": 6},
    )
    expected_outcomes = TextAreaField(
        _l("预期成效"), [required(), length(5000)], description=_l("支持 Markdown"), render_kw={"rows": 4}
    )
    budget_cap = DecimalField(
        _l("预算上限（元）"), [required(), number_range(0.01, 99999999)], places=2, render_kw={"step": "0.01"}
    )
    eligible_kinds = MultiCheckboxField(_l("可以竞标的组织"), choices=OrgKind.choices(BIDDER_KINDS))
    bid_deadline = DateTimeLocalField(
        _l("竞标截止时间"), [required()], format=DEADLINE_FORMAT, description=_l("北京时间")
    )
    hosting_starts_on = DateField(_l("承办开始日期"), [required()])
    hosting_ends_on = DateField(_l("承办结束日期"), [required()])
    credit_category_id = SelectField(
        _l("志愿时长计入的学分类别"), coerce=_int_or_none, description=_l("第二课堂成绩单模块")
    )
    flagged_major = BooleanField(_l("标记为重大项目"))
    criteria = criteria_rows()
    reason = TextAreaField(
        _l("变更说明"),
        [optional(), length(2000)],
        description=_l("说明改了什么、为什么改；所有竞标方都会收到"),
        render_kw={"rows": 3},
    )
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = db.session.execute(
            select(CreditCategory.id, CreditCategory.name)
            .where(CreditCategory.is_active.is_(True))
            .order_by(CreditCategory.position, CreditCategory.id)
        ).all()
        self.credit_category_id.choices = [("", _l("（暂不指定）"))] + [(c.id, c.name) for c in categories]
        self.flagged_major.description = _(
            "预算上限超过 %(n)s 元的项目自动视为重大项目；重大项目须经校团委审核后才能发布。",
            n=settings.get("major_budget_threshold"),
        )

    @classmethod
    def initial(cls) -> dict:
        """What a new project's form starts with: two weeks of bidding and the default criteria."""
        deadline_day = clock.today_local() + timedelta(days=14)
        return {
            "category": ProjectCategory.ACADEMIC.value,
            "eligible_kinds": ["college_union", "club"],
            "bid_deadline": datetime.combine(deadline_day, time(17, 0)),
            "hosting_starts_on": deadline_day + timedelta(days=7),
            "hosting_ends_on": deadline_day + timedelta(days=37),
            "criteria": default_criteria(),
        }

    @classmethod
    def of(cls, project) -> dict:
        """The form's values for an existing project, the deadline shown in Beijing time."""
        return {
            "title": project.title,
            "category": project.category.value,
            "description": project.description,
            "expected_outcomes": project.expected_outcomes,
            "budget_cap": project.budget_cap,
            "eligible_kinds": [kind.value for kind in project.eligible_kinds],
            "bid_deadline": project.bid_deadline.astimezone(SCHOOL_TZ).replace(tzinfo=None),
            "hosting_starts_on": project.hosting_starts_on,
            "hosting_ends_on": project.hosting_ends_on,
            "credit_category_id": project.credit_category_id,
            "flagged_major": project.flagged_major,
            "criteria": [
                {"name": c.name, "description": c.description, "weight": c.weight}
                for c in project.bid_criteria
            ],
            "version": project.version,
        }

    def pad_criteria(self) -> None:
        pad_criteria(self.criteria)

    @property
    def version_number(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

    def to_data(self) -> dict:
        """What the operations take: the deadline typed in Beijing time becomes UTC; ``version`` is
        the project's version the user started from, ``reason`` the change's explanation."""
        kinds = set(self.eligible_kinds.data or [])
        deadline = self.bid_deadline.data.replace(tzinfo=SCHOOL_TZ).astimezone(UTC)
        return {
            "title": self.title.data.strip(),
            "category": ProjectCategory(self.category.data),
            "description": self.description.data.strip(),
            "expected_outcomes": self.expected_outcomes.data.strip(),
            "budget_cap": self.budget_cap.data,
            "allow_college_union": "college_union" in kinds,
            "allow_club": "club" in kinds,
            "allow_class": "class" in kinds,
            "bid_deadline": deadline,
            "hosting_starts_on": self.hosting_starts_on.data,
            "hosting_ends_on": self.hosting_ends_on.data,
            "credit_category_id": self.credit_category_id.data,
            "flagged_major": self.flagged_major.data,
            "criteria": self.criteria.data,
            "reason": (self.reason.data or "").strip(),
            "version": self.version_number,
        }


class NewProjectForm(ProjectForm):
    """A new project also names the union it is posted for (an existing project keeps its union)."""

    union_id = SelectField(_l("发榜单位"), coerce=_int_or_none)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unions = {
            m.org.id: m.org.name
            for m in permissions.active_memberships(user)
            if m.org.kind.is_school_level_union
        }
        self.union_id.choices = sorted(unions.items(), key=lambda pair: pair[1])

    def to_data(self) -> dict:
        return {**super().to_data(), "union_id": self.union_id.data}


class ProjectFilter(ListFilter):
    status = SelectField(
        _l("状态"), choices=[("", _l("全部公开项目"))] + ProjectState.choices(PUBLIC_STATES), default=""
    )
    category = SelectField(_l("类别"), choices=[("", _l("全部类别"))] + ProjectCategory.choices(), default="")
    kind = SelectField(
        _l("可竞标组织"),
        choices=[("", _l("不限组织类型"))] + OrgKind.choices(BIDDER_KINDS),
        default="",
    )


class StaffFilter(ListFilter):
    status = SelectField(_l("状态"), choices=[("", _l("全部"))] + ProjectState.choices(), default="")


class QuestionForm(Form):
    body = TextAreaField(
        _l("你的问题"),
        [required(), length(2000)],
        description=_l("答复会公开给所有竞标方，提问人不公开"),
        render_kw={"rows": 3},
    )


class AnswerForm(Form):
    answer = TextAreaField(_l("答复"), [required(), length(5000)], render_kw={"rows": 3})


class ReasonForm(Form):
    reason = TextAreaField(_l("理由"), [required(), length(2000)], render_kw={"rows": 2})
