"""Forms of the 述职评议 pages: opening a review, the report, a rating (the survey engine's answer form),
the league's result and the 提醒谈话. An attachment is uploaded with the bids' form (same types, same
limit)."""

from __future__ import annotations

from datetime import UTC

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, SelectField, TextAreaField

from ..forms import Form, length, optional, required
from ..projects.forms import DEADLINE_FORMAT
from ..surveys.forms import AnswerForm
from ..timeutil import SCHOOL_TZ
from .models import StaffGrade


class OpenForm(Form):
    union = SelectField(_l("学生会"), [required()], coerce=int)
    term = SelectField(_l("学期"), [required()], coerce=int)
    closes_at = DateTimeLocalField(
        _l("评价截止时间"),
        [required()],
        format=DEADLINE_FORMAT,
        description=_l("北京时间；截止前述职人可修改述职报告"),
    )

    def __init__(self, *args, unions=(), terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.union.choices = [(u.id, u.name) for u in unions]
        self.term.choices = [(t.id, t.full_name) for t in terms]

    def to_data(self) -> dict:
        return {
            "union": self.union.data,
            "term": self.term.data,
            "closes_at": self.closes_at.data.replace(tzinfo=SCHOOL_TZ).astimezone(UTC),
        }


class ReportForm(Form):
    report = TextAreaField(
        _l("述职报告"),
        [length(20000)],
        description=_l("支持 Markdown（标题、列表、加粗）。评议截止前可以随时修改；评价人会看到这份报告。"),
        render_kw={"rows": 14},
    )


class RatingForm(AnswerForm):
    """The stars per dimension come from the survey (``surveys.forms.answer_form``)."""

    comment = TextAreaField(
        _l("意见和建议（选填）"),
        [length(1000)],
        description=_l("不要写自己的姓名；意见只给被评价人和团委看，评议截止后才能看到"),
        render_kw={"rows": 3},
    )


class ResultForm(Form):
    grade = SelectField(_l("评议结果"), [required()], choices=StaffGrade.choices())
    notes = TextAreaField(
        _l("评语和备注"), [length(2000)], description=_l("只给团委和本人看"), render_kw={"rows": 3}
    )
    talk_due_on = DateField(_l("提醒谈话日期"), [optional()], description=_l("评为不合格时必填"))

    def to_data(self) -> dict:
        return {
            "grade": StaffGrade(self.grade.data) if self.grade.data else None,
            "notes": (self.notes.data or "").strip(),
            "talk_due_on": self.talk_due_on.data,
        }


class TalkForm(Form):
    held_on = DateField(_l("谈话日期"), [required()])
