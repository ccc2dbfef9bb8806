"""Forms of the administration pages (系统管理)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    validators,
)
from wtforms.validators import ValidationError

from .. import settings
from ..accounts.forms import political_choices
from ..accounts.models import AccountKind, AccountStatus, DegreeLevel, SiteRole
from ..extensions import db
from ..forms import (
    DecimalField,
    Form,
    IntegerField,
    MultiCheckboxField,
    email,
    length,
    limit_upload,
    number_range,
    optional,
    required,
)
from ..orgs.models import College, MemberRole, OrgKind
from .audit_labels import SUBJECTS, action_choices


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


def _any(label, choices):
    """A filter's choices: "any" first."""
    return [("", label)] + choices


def college_choices(blank=_l("（无）")):
    colleges = db.session.execute(select(College.id, College.name).order_by(College.name)).all()
    return [("", blank)] + [(c.id, c.name) for c in colleges]


class UserForm(Form):
    kind = SelectField(_l("账号类型"), choices=AccountKind.choices())
    identifier = StringField(
        _l("学号 / 工号"), [required(), length(32)], description=_l("学生填学号，教职工填工号")
    )
    name = StringField(_l("姓名"), [required(), length(64)])
    college_id = SelectField(_l("学院"), coerce=_int_or_none)
    grade = IntegerField(
        _l("年级"), [optional(), number_range(2000, 2100)], description=_l("入学年份，如 2024；教职工不填")
    )
    degree_level = SelectField(
        _l("学历层次"),
        choices=[("", _l("（教职工不填）"))] + DegreeLevel.choices(),
        default=DegreeLevel.UNDERGRADUATE.value,
        description=_l("本科生由校学生会服务，研究生由研究生会服务；学生不选时按本科处理"),
    )
    phone = StringField(
        _l("手机号"), [optional(), validators.Regexp(r"^1\d{10}$", message=_l("请输入 11 位手机号。"))]
    )
    email = EmailField(_l("邮箱"), [optional(), email(), length(254)])
    political_status = SelectField(_l("政治面貌"), choices=political_choices)
    status = SelectField(
        _l("账号状态"), choices=AccountStatus.choices(), description=_l("停用后该账号无法登录，记录仍保留")
    )
    roles = MultiCheckboxField(_l("系统角色"), choices=SiteRole.choices())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.college_id.choices = college_choices()

    def to_data(self) -> dict:
        return {**super().to_data(), "roles": {SiteRole(role) for role in self.roles.data or []}}


class OrgForm(Form):
    name = StringField(_l("名称"), [required(), length(100)])
    kind = SelectField(_l("类型"), choices=OrgKind.choices())
    college_id = SelectField(_l("所属学院"), coerce=_int_or_none, description=_l("院系学生会和班级必填"))
    description = TextAreaField(
        _l("简介"), [optional(), length(5000)], description=_l("支持 Markdown"), render_kw={"rows": 5}
    )
    is_active = BooleanField(_l("启用"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.college_id.choices = college_choices()


class AppointForm(Form):
    number = StringField(_l("学号 / 工号"), [required(), length(32)])
    role = SelectField(_l("身份"), choices=MemberRole.choices(), default=MemberRole.MEMBER.value)
    title = StringField(_l("职务"), [optional(), length(64)], description=_l("如：主席、部长、干事、团支书"))
    starts_on = DateField(_l("开始日期"), [optional()], description=_l("不填则从今天开始"))
    ends_on = DateField(_l("结束日期"), [optional()], description=_l("不填表示长期任职"))


class EndMembershipForm(Form):
    ends_on = DateField(_l("最后任职日"), [optional()], description=_l("不填则今天为最后一天"))


class CollegeForm(Form):
    name = StringField(_l("学院名称"), [required(), length(64)])
    code = StringField(_l("代码"), [optional(), length(16)], description=_l("学校系统中的学院代码，选填"))


class YearForm(Form):
    name = StringField(_l("学年名称"), [required(), length(32)], description=_l("如：2025-2026学年"))
    starts_on = DateField(_l("开始日期"), [required()])
    ends_on = DateField(_l("结束日期"), [required()])


class TermForm(Form):
    name = StringField(_l("学期名称"), [required(), length(32)], description=_l("如：第一学期、春季学期"))
    starts_on = DateField(_l("开始日期"), [required()])
    ends_on = DateField(_l("结束日期"), [required()])


class CategoryForm(Form):
    name = StringField(_l("类别名称"), [required(), length(32)])
    code = StringField(
        _l("代码"),
        [
            required(),
            length(32),
            validators.Regexp(r"^[A-Za-z0-9_-]+$", message=_l("只能使用字母、数字、下划线和连字符。")),
        ],
        description=_l("导出给学校第二课堂系统时使用"),
    )
    hours_per_credit = DecimalField(
        _l("每学分学时"),
        [required(), number_range(0.01, 1000)],
        places=2,
        description=_l("多少学时折合 1 学分"),
    )
    position = IntegerField(_l("排序"), [optional()], default=0, description=_l("数字小的排在前面"))
    is_active = BooleanField(_l("启用"), default=True)


def settings_form(values: dict) -> Form:
    """A form with one field per declared setting (``settings.SETTINGS``), filled with ``values``."""

    class SettingsForm(Form):
        pass

    for key, spec in settings.SETTINGS.items():
        options = {"description": spec.help}
        if spec.kind is bool:
            field = BooleanField(spec.label, **options)
        elif spec.kind is int:
            if spec.maximum is None:
                in_range = validators.NumberRange(min=spec.minimum, message=_l("不能小于 %(min)s。"))
            else:
                in_range = validators.NumberRange(
                    min=spec.minimum, max=spec.maximum, message=_l("请填写 %(min)s 到 %(max)s 之间的数。")
                )
            field = IntegerField(spec.label, [required(), in_range], **options)
        elif spec.choices:
            field = SelectField(spec.label, choices=list(spec.choices), **options)
        else:
            field = TextAreaField(spec.label, [optional()], render_kw={"rows": 6}, **options)
        setattr(SettingsForm, key, field)
    return SettingsForm(data=values)


class ListFilter(Form):
    """Filters arrive as query parameters: nothing to protect with a CSRF token, and a value that makes
    no sense (an old link, a typo) is shown as an error and ignored rather than refusing the page."""

    class Meta:
        csrf = False

    def values(self) -> dict:
        self.validate()
        return {name: field.default if field.errors else field.data for name, field in self._fields.items()}


class UserFilter(ListFilter):
    q = StringField(_l("搜索"), default="")
    kind = SelectField(_l("类型"), choices=_any(_l("全部类型"), AccountKind.choices()), default="")
    status = SelectField(_l("状态"), choices=_any(_l("全部状态"), AccountStatus.choices()), default="")
    role = SelectField(_l("系统角色"), choices=_any(_l("全部角色"), SiteRole.choices()), default="")
    college_id = SelectField(_l("学院"), coerce=_int_or_none)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.college_id.choices = college_choices(blank=_l("全部学院"))


class OrgFilter(ListFilter):
    q = StringField(_l("搜索"), default="")
    kind = SelectField(_l("类型"), choices=_any(_l("全部类型"), OrgKind.choices()), default="")


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _within_the_log(form, field) -> None:
    """A day the log could hold: 9999-12-31 (a day after which no timestamp exists) or year 1 (before
    which Beijing's midnight is no UTC time) would break the query, not narrow it."""
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_("请填写 %(first)s 到 %(last)s 之间的日期。", first=FIRST_DAY, last=LAST_DAY))


class AuditFilter(ListFilter):
    action = SelectField(_l("操作"), default="")
    actor = StringField(_l("操作人学号 / 工号"), default="")
    subject_type = SelectField(
        _l("对象类型"), choices=_any(_l("全部对象"), list(SUBJECTS.items())), default=""
    )
    subject_id = HiddenField(default="")
    project = StringField(_l("项目编号或名称"), default="")
    since = DateField(_l("起始日期"), [optional(), _within_the_log])
    until = DateField(_l("截止日期"), [optional(), _within_the_log])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: the names are translated into the reader's language. The first group has
        # no name: "all actions" stands above the groups.
        self.action.choices = {"": [("", _("全部操作"))], **action_choices()}


UNIT_CHOICES = [("credits", _l("学分")), ("hours", _l("学时"))]


def requirement_form(categories, values: dict | None = None) -> Form:
    """达标要求 of a cohort: the total and, per active category (keyed by its id, so renaming it changes
    nothing), a minimum — left empty for none — each in 学分 or 学时."""

    class RequirementForm(Form):
        grade = IntegerField(
            _l("年级（入学年份）"), [required(), number_range(2000, 2100)], description=_l("例如 2024")
        )
        degree_level = SelectField(_l("学历层次"), choices=DegreeLevel.choices())
        total = DecimalField(_l("总要求"), [required(), number_range(0, 10000)], places=2)
        total_unit = SelectField(_l("总要求的单位"), choices=UNIT_CHOICES)

    for category in categories:
        setattr(
            RequirementForm,
            f"minimum_{category.id}",
            DecimalField(
                _("%(name)s：最低要求", name=category.name),
                [optional(), number_range(0, 10000)],
                places=2,
                description=_("不填表示该类别没有单独要求"),
            ),
        )
        setattr(
            RequirementForm,
            f"unit_{category.id}",
            SelectField(_("%(name)s：单位", name=category.name), choices=UNIT_CHOICES, default="credits"),
        )
    return RequirementForm(data=values)


STAMP_MAX_MB = 2


class StampForm(Form):
    stamp = FileField(
        _l("印章图片"), [FileRequired(message=_l("请选择印章图片。"))], render_kw={"accept": "image/png"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stamp.description = _(
            "透明背景的 PNG 图片，不超过 %(mb)s MB；只印在出具的 PDF 文件上，不会在网页上公开。",
            mb=limit_upload(self.stamp, STAMP_MAX_MB),
        )
