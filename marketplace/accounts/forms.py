from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    validators,
)

from ..forms import Form, IntegerField, email, length, optional, required
from .models import DegreeLevel, PoliticalStatus


def political_choices():
    return [("", _l("不填写"))] + PoliticalStatus.choices()


class LoginForm(Form):
    identifier = StringField(_l("学号 / 工号 / 邮箱"), [required(), length(254)])
    password = PasswordField(_l("密码"), [required()])
    remember = BooleanField(_l("记住我（仅在自己的手机上勾选）"))


class PasswordPair:
    password = PasswordField(_l("新密码"), [required()], description=_l("至少 8 位，包含字母和数字"))
    confirm = PasswordField(
        _l("再次输入新密码"),
        [required(), validators.EqualTo("password", message=_l("两次输入的密码不一致。"))],
    )


class ClaimForm(PasswordPair, Form):
    student_no = StringField(_l("学号"), [required(), length(32)])
    name = StringField(_l("姓名"), [required(), length(64)], description=_l("与学校名册上的姓名一致"))
    email = EmailField(
        _l("邮箱"), [required(), email(), length(254)], description=_l("用于验证身份和接收通知")
    )


class RegisterForm(PasswordPair, Form):
    student_no = StringField(_l("学号"), [required(), length(32)])
    name = StringField(_l("姓名"), [required(), length(64)])
    college_id = SelectField(_l("学院"), coerce=int, validate_choice=True)
    grade = IntegerField(
        _l("年级"), [optional(), validators.NumberRange(2000, 2100, _l("请输入入学年份，如 2024。"))]
    )
    degree_level = SelectField(
        _l("学历层次"),
        choices=DegreeLevel.choices(),
        default=DegreeLevel.UNDERGRADUATE.value,
        description=_l("本科生由校学生会服务，研究生由研究生会服务"),
    )
    email = EmailField(_l("邮箱"), [required(), email(), length(254)])


class ForgotForm(Form):
    identifier = StringField(_l("学号 / 工号 / 邮箱"), [required(), length(254)])


class ResetForm(PasswordPair, Form):
    pass


class ChangePasswordForm(PasswordPair, Form):
    current_password = PasswordField(_l("当前密码"), [required()])


class ProfileForm(Form):
    phone = StringField(
        _l("手机号"),
        [optional(), validators.Regexp(r"^1\d{10}$", message=_l("请输入 11 位手机号。"))],
        description=_l("仅你本人、管理员和你已录用岗位的承办方可见"),
    )
    political_status = SelectField(
        _l("政治面貌（选填）"),
        choices=political_choices,
        description=_l("部分志愿岗位（如党员先锋岗）按政治面貌招募；不填写不影响其他功能。"),
    )
    locale = SelectField(_l("界面语言"), choices=[("zh_CN", "中文"), ("en", "English")])
