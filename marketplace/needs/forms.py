"""Forms of the needs pool: posting a need, a comment, the staff's answers (采纳、合并、不采纳), hiding,
the appeal and its ruling, and the list's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField

from ..admin.forms import ListFilter, college_choices
from ..converters import MAX_ID
from ..forms import Form, IntegerField, length, required
from ..hosting.forms import photos_help
from ..projects.forms import ProjectForm
from ..projects.models import ProjectCategory
from . import operations
from .models import NeedStatus


def _int_or_none(value):
    """An id as typed, or None — also for a number no row's id can be (the query would fail)."""
    if value in (None, "", "None"):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


class NeedForm(Form):
    # Emptiness and lengths are the operation's to refuse: it says so beside the field, with the count.
    title = StringField(_l("标题"), description=_l("一句话说清楚需要什么，最多 100 字"))
    category = SelectField(_l("类别"), validate_choice=False)
    college = SelectField(
        _l("学院（选填）"), coerce=_int_or_none, description=_l("需求只涉及某个学院时选择，方便按学院查看")
    )
    description = TextAreaField(
        _l("详细描述"),
        description=_l("支持 Markdown（列表、加粗、链接）。发布后其他同学看不到你的姓名。"),
        render_kw={"rows": 8},
    )
    photos = MultipleFileField(_l("照片（选填）"), render_kw={"accept": "image/*"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _l("请选择"))] + [(c, c) for c in operations.categories()]
        self.college.choices = college_choices(blank=_l("不限学院"))
        self.photos.description = photos_help(self.photos)


class CommentForm(Form):
    body = TextAreaField(_l("评论"), [required(), length(operations.MAX_COMMENT)], render_kw={"rows": 3})


class ReasonForm(Form):
    reason = TextAreaField(_l("理由"), [required(), length(operations.MAX_REASON)], render_kw={"rows": 3})


class AcceptForm(Form):
    project = SelectField(_l("服务这条需求的项目"), coerce=_int_or_none, validate_choice=False)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project.choices = [("", _l("请选择本学生会的项目"))] + [(p.id, p.title) for p in projects]


class MergeForm(Form):
    target = IntegerField(
        _l("合并到需求编号"),
        [required()],
        description=_l("需求页面地址末尾的数字；只能合并到本学生会待答复的需求"),
        render_kw={"inputmode": "numeric"},
    )


class AppealForm(Form):
    body = TextAreaField(
        _l("申诉理由"),
        [required(), length(operations.MAX_REASON)],
        description=_l("每条需求只能申诉一次，由校团委审核人处理"),
        render_kw={"rows": 3},
    )


class RulingForm(ReasonForm):
    decision = SelectField(
        _l("处理结果"),
        [required()],
        choices=[("", _l("请选择")), ("uphold", _l("申诉成立，恢复显示")), ("dismiss", _l("维持隐藏"))],
    )


SORTS = [("support", _l("支持最多")), ("recent", _l("最新发布")), ("trend", _l("近 7 天热度"))]


class NeedFilter(ListFilter):
    sort = SelectField(_l("排序"), choices=SORTS, default="support")
    status = SelectField(_l("状态"), choices=[("", _l("全部状态"))] + NeedStatus.choices(), default="")
    category = SelectField(_l("类别"), default="")
    college = SelectField(_l("学院"), coerce=_int_or_none, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _l("全部类别"))] + [(c, c) for c in operations.categories()]
        self.college.choices = college_choices(blank=_l("全部学院"))


# The need's category as the posting form's project category, for "发榜" from a need.
PROJECT_CATEGORY_OF = {
    "学业": ProjectCategory.ACADEMIC,
    "就业": ProjectCategory.CAREER,
    "心理": ProjectCategory.WELLBEING,
    "文体": ProjectCategory.CULTURE_SPORTS,
    "生活服务": ProjectCategory.RIGHTS,
}


def project_initial(need) -> dict:
    """The project posting form, prefilled from a need: its title, category and description."""
    return {
        **ProjectForm.initial(),
        "union_id": need.union_id,
        "title": need.title,
        "category": PROJECT_CATEGORY_OF.get(need.category, ProjectCategory.OTHER).value,
        "description": need.description,
    }
