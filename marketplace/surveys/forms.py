"""Forms of the survey pages: the answer (stars per dimension, built for each survey), the dimensions
the staff set before it opens, and hiding a comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField

from ..forms import Form, length, required
from .models import STARS, Survey


class AnswerForm(Form):
    """Stars for each dimension (fields ``d<dimension id>``, added per survey by ``answer_form``) and
    an optional comment. The stars are checked by the operation, which names the dimension."""

    comment = TextAreaField(
        _l("意见和建议（选填）"),
        [length(1000)],
        description=_l("不要写自己或他人的姓名；意见只给发榜学生会、承办方和成效评估小组看，不会公开"),
        render_kw={"rows": 3},
    )

    dimension_ids: tuple[int, ...] = ()

    def star_fields(self) -> list:
        return [self[f"d{dimension_id}"] for dimension_id in self.dimension_ids]

    def to_data(self) -> dict:
        return {
            "stars": {i: self[f"d{i}"].data for i in self.dimension_ids},
            "comment": (self.comment.data or "").strip(),
        }


def answer_form(survey: Survey, base: type[AnswerForm] = AnswerForm, **kwargs) -> AnswerForm:
    """The answer form of ``survey``: one row of five stars per dimension (on ``base``, a subject's
    own wording of the comment field)."""
    stars = {
        f"d{d.id}": RadioField(d.label, choices=[(str(n), str(n)) for n in STARS], validate_choice=False)
        for d in survey.dimensions
    }
    ids = tuple(d.id for d in survey.dimensions)
    return type("SurveyAnswerForm", (base,), {**stars, "dimension_ids": ids})(**kwargs)


class DimensionsForm(Form):
    dimensions = TextAreaField(
        _l("评价维度"),
        [required()],
        description=_l("每行一个，最多 8 个，每个不超过 30 字。问卷开始后不能再修改。"),
        render_kw={"rows": 5},
    )

    @staticmethod
    def of(survey: Survey) -> dict:
        return {"dimensions": "\n".join(d.label for d in survey.dimensions)}


class HideCommentForm(Form):
    reason = StringField(
        _l("隐藏理由"),
        [required(), length(200)],
        description=_l("理由会记入操作日志（不记录意见原文）"),
    )
