"""Forms of the 信息公开 pages: a charter version, an announcement, the league's return reason, a
suggestion, its answer, and the author's choice to publish it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from ..forms import Form, length, required
from .models import AnnouncementKind
from .operations import MAX_BODY, MAX_NOTE, MAX_REASON, MAX_TITLE
from .suggestions import MAX_ANSWER, MAX_TEXT

MARKDOWN = _l("支持 Markdown：### 标题、列表、**加粗**、表格；网页代码不会生效。")


class CharterForm(Form):
    body = TextAreaField(
        _l("章程全文"), [required(), length(MAX_BODY)], description=MARKDOWN, render_kw={"rows": 18}
    )
    note = StringField(
        _l("修订说明"),
        [length(MAX_NOTE)],
        description=_l("这一版改了什么，会显示在历史版本中"),
    )


class AnnouncementForm(Form):
    kind = SelectField(_l("类别"), [required()], choices=AnnouncementKind.choices())
    title = StringField(_l("标题"), [required(), length(MAX_TITLE)])
    body = TextAreaField(
        _l("正文"), [required(), length(MAX_BODY)], description=MARKDOWN, render_kw={"rows": 12}
    )

    def to_data(self) -> dict:
        data = super().to_data()
        data["kind"] = AnnouncementKind(self.kind.data) if self.kind.data else None
        return data


class ReturnForm(Form):
    reason = TextAreaField(
        _l("退回理由"),
        [required(), length(MAX_REASON)],
        description=_l("起草人会看到，请写明需要修改的地方"),
        render_kw={"rows": 3},
    )


class SuggestionForm(Form):
    union = SelectField(_l("写给"), [required()], coerce=int)
    title = StringField(_l("标题"), [required(), length(MAX_TITLE)])
    body = TextAreaField(
        _l("意见建议"), [required(), length(MAX_TEXT)], description=MARKDOWN, render_kw={"rows": 8}
    )
    wants_public = BooleanField(
        _l("答复后公开这条意见建议和答复（不显示我的姓名）"),
        description=_l("不勾选则只有你和这个学生会的工作人员能看到"),
    )

    def __init__(self, *args, unions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.union.choices = [(u.id, u.name) for u in unions]


class AnswerForm(Form):
    answer = TextAreaField(
        _l("答复"), [required(), length(MAX_ANSWER)], description=MARKDOWN, render_kw={"rows": 6}
    )


class PublicityForm(Form):
    wants_public = BooleanField(_l("答复后公开（不显示我的姓名）"))
