"""Forms of the review pages (评标、成效评估与公示): forming the panel, the outcome criteria, declaring,
scoring one bid (or the outcome), awarding, objecting and ruling. Buttons that carry only a reason or
nothing reuse the project forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SubmitField, TextAreaField, ValidationError

from ..forms import Form, IntegerField, length, number_range, optional, required
from ..projects.forms import criteria_rows, pad_criteria


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class PanelistForm(Form):
    # Any evaluator's id is accepted here: the operation names the rule that refuses one (回避, already
    # seated) beside the field, instead of WTForms' "not a valid choice".
    user = SelectField(_l("评议人"), [required()], coerce=_int_or_none, validate_choice=False)

    def offer(self, candidates) -> None:
        self.user.choices = [("", _l("请选择评议人"))] + [
            (u.id, f"{u.name}（{u.college.name}）" if u.college else u.name) for u in candidates
        ]


class OutcomeCriteriaForm(Form):
    """成效评估标准: the project's outcome criteria, editable until the panel starts."""

    criteria = criteria_rows()

    def pad_criteria(self) -> None:
        pad_criteria(self.criteria)

    def to_data(self) -> dict:
        return {"criteria": self.criteria.data}


class DeclarationForm(Form):
    conflict = RadioField(
        _l("利益冲突声明"),
        [required()],
        choices=[
            ("no", _l("我与以上竞标组织均无利益冲突")),
            ("yes", _l("我与其中的组织有利益冲突，申请回避")),
        ],
        default="no",
    )
    # No optional(): it would stop the chain before validate_reason asks for a reason with a conflict.
    reason = TextAreaField(
        _l("冲突说明"),
        [length(1000)],
        description=_l("申请回避时必填，例如曾是该组织成员、与其负责人是亲属或室友"),
        render_kw={"rows": 2},
    )

    @property
    def has_conflict(self) -> bool:
        return self.conflict.data == "yes"

    def validate_reason(self, field) -> None:
        if self.has_conflict and not (field.data or "").strip():
            raise ValidationError(_l("请简要说明利益冲突的情况。"))


class OutcomeDeclarationForm(DeclarationForm):
    """The outcome panel's declaration: about the host, whose work is judged."""

    conflict = RadioField(
        _l("利益冲突声明"),
        [required()],
        choices=[
            ("no", _l("我与承办方无利益冲突")),
            ("yes", _l("我与承办方有利益冲突，申请回避")),
        ],
        default="no",
    )


class ScoreForm(Form):
    """One bid's (or the outcome's) scores: for each criterion a 0–100 mark (field ``c<id>``) and a comment
    (``c<id>_comment``). The fields follow the project's criteria, so the class is made per project."""

    criteria: tuple = ()

    @classmethod
    def of(cls, criteria, **kwargs) -> ScoreForm:
        fields = {}
        for c in criteria:
            fields[f"c{c.id}"] = IntegerField(
                c.name,
                [required(), number_range(0, 100)],
                render_kw={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"},
            )
            fields[f"c{c.id}_comment"] = TextAreaField(
                _l("评语"), [optional(), length(1000)], render_kw={"rows": 2}
            )
        form_class = type("ProjectScoreForm", (cls,), {**fields, "criteria": tuple(criteria)})
        return form_class(**kwargs)

    @staticmethod
    def initial(criteria, saved: dict) -> dict:
        """Form data from a panelist's saved scores of one bid or the outcome ({criterion id: Score})."""
        data = {}
        for c in criteria:
            if c.id in saved:
                data[f"c{c.id}"] = saved[c.id].value
                data[f"c{c.id}_comment"] = saved[c.id].comment
        return data

    def rows(self) -> list[tuple]:
        """(criterion, mark field, comment field) in the criteria's order."""
        return [(c, self[f"c{c.id}"], self[f"c{c.id}_comment"]) for c in self.criteria]

    def to_data(self) -> dict[int, tuple[int, str]]:
        """{criterion id: (mark, comment)}, what ``review.save_scores`` takes."""
        return {c.id: (mark.data, comment.data or "") for c, mark, comment in self.rows()}


class AwardForm(Form):
    # The bid's public id; the operation refuses any that is not among the ranked valid bids.
    bid = RadioField(_l("中标标书"), [required()], validate_choice=False)
    justification = TextAreaField(
        _l("定标理由"),
        [optional(), length(2000)],
        description=_l("不选排名第一的标书时必须填写；理由将随公示一并公开"),
        render_kw={"rows": 3},
    )


class ObjectionForm(Form):
    reason = TextAreaField(
        _l("异议理由"),
        [required(), length(2000)],
        description=_l("请具体说明你认为评标结果哪里不当。你的姓名只有校团委审核人能看到。"),
        render_kw={"rows": 3},
    )


class RulingForm(Form):
    ruling = TextAreaField(
        _l("处理意见"),
        [required(), length(2000)],
        description=_l("会通知提出异议的同学，并在公示页公开（不显示其姓名）"),
        render_kw={"rows": 2},
    )
    uphold = SubmitField(_l("异议成立，重新评审"))
    dismiss = SubmitField(_l("异议不成立"))

    def to_data(self) -> dict:
        return {"ruling": (self.ruling.data or "").strip(), "uphold": bool(self.uphold.data)}
