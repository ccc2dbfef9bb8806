"""Form helpers shared by every area: Chinese messages, and a place to put an operation's error."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import current_app, flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, fields, validators, widgets
from wtforms.validators import StopValidation

from . import i18n
from .errors import DomainError
from .extensions import db


def required():
    return validators.InputRequired(message=_l("此项必填。"))


def optional():
    return validators.Optional()


def length(maximum: int, minimum: int | None = None):
    if minimum is None:
        return validators.Length(max=maximum, message=_l("最多 %(max)d 个字符。"))
    return validators.Length(min=minimum, max=maximum, message=_l("长度应在 %(min)d 到 %(max)d 个字符之间。"))


def email():
    return validators.Email(message=_l("请输入有效的邮箱地址。"), check_deliverability=False)


def number_range(minimum=None, maximum=None):
    return validators.NumberRange(
        min=minimum, max=maximum, message=_l("请输入 %(min)s 到 %(max)s 之间的数。")
    )


class _OneMessageForBadNumbers:
    """A number field that answers text which is not a number with one Chinese message and nothing
    else: WTForms' own message is English outside a FlaskForm (a sub-form's rows), and the validators
    would add a second one (a range, "required") about the same mistake. An empty box is left to the
    validators, which say "必填" or let it pass."""

    def pre_validate(self, form) -> None:
        if self.process_errors and (self.raw_data or [""])[0].strip():
            raise StopValidation()
        self.errors.clear()


class IntegerField(_OneMessageForBadNumbers, fields.IntegerField):
    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", _l("请输入整数。"))
        super().__init__(label, validators, **kwargs)


class DecimalField(_OneMessageForBadNumbers, fields.DecimalField):
    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", _l("请输入数字。"))
        super().__init__(label, validators, **kwargs)


MB = 1024 * 1024


def request_limit_mb() -> int:
    """The most one request may carry (``MAX_CONTENT_LENGTH``), in MB: beyond it the answer is 413."""
    return current_app.config["MAX_CONTENT_LENGTH"] // MB


def limit_upload(field, each_mb: int | None = None) -> int:
    """Let the browser refuse a file the server would (``static/js/upload-limit.js``, before anything
    is sent, so nothing typed in the form is lost): any file over ``each_mb``, and files adding up to
    more than a request may carry. Returns the limit of one file in MB, for the field's help text."""
    total = request_limit_mb()
    each = min(each_mb or total, total)
    field.render_kw = {
        **(field.render_kw or {}),
        "data-max-bytes": each * MB,
        "data-max-total-bytes": total * MB,
        # {name} and {size} are filled in by the script.
        "data-too-large": _("“{name}”有 {size} MB，超过了每个文件 %(mb)s MB 的上限。", mb=each),
        "data-too-much": _("所选文件共 {size} MB，超过了一次上传 %(mb)s MB 的上限，请分几次上传。", mb=total),
    }
    return each


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (one checkbox per choice)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class Form(FlaskForm):
    """A form that can show an operation's :class:`DomainError` beside the field it names, and that
    refuses a NUL character in any text (PostgreSQL cannot store one: the INSERT would fail, a 500)."""

    class Meta:
        def get_translations(self, form):
            return i18n.wtforms_translations()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and "\x00" in field.data:
                field.errors = [*field.errors, _("内容含有无法保存的控制字符，请删除后再提交。")]
                valid = False
        return valid

    def add_error(self, error: DomainError) -> None:
        field = getattr(self, error.field, None) if error.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [error.message]
        else:
            self.form_errors.append(error.message)

    def to_data(self) -> dict:
        """The submitted values an operation takes, by field name (buttons and the CSRF token left
        out; text stripped, passwords as typed). Forms whose fields need converting (local time to
        UTC, choices to enums) override this."""
        data = {}
        for name, field in self._fields.items():
            if field.type in ("SubmitField", "CSRFTokenField"):
                continue
            value = field.data
            data[name] = value.strip() if isinstance(value, str) and field.type != "PasswordField" else value
        return data

    @property
    def status_code(self) -> int:
        """422 when the form was submitted and refused, so a test (or a proxy) can tell."""
        return 422 if (self.errors or self.form_errors) else 200


class ActionForm(Form):
    """A button that changes something (发布、确认、撤回、删除…): nothing to fill in but the CSRF token,
    so a button is checked, refused and answered like any other form."""


class Attempt(NamedTuple):
    """What :func:`attempt` did: falsy when the form was not submitted valid or the rule said no;
    ``error`` is the rule's refusal, for a view that answers one kind (a :class:`Conflict`) apart."""

    ok: bool
    result: object = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.ok


def attempt(form: Form, operation: Callable[[], object], *, validate: bool = True) -> Attempt:
    """The one way a view hands a form to an operation:

        if done := attempt(form, lambda: operations.x(current_user, obj, form.to_data())): …

    For a valid submitted form, run ``operation`` and commit. A refusal goes beside its field (the
    form then answers 422 through ``status_code``) and whatever the operation had changed is undone,
    so the page re-renders from the database as it was, with what the user typed.

    ``validate=False`` runs a step that no submission of ``form`` asked for (a scan remembered across
    the login): the form only carries the values and shows the refusal."""
    if validate and not form.validate_on_submit():
        return Attempt(False)
    try:
        result = operation()
    except DomainError as error:
        db.session.rollback()
        form.add_error(error)
        return Attempt(False, error=error)
    db.session.commit()
    return Attempt(True, result)


def flash_refusal(form: Form) -> None:
    """For a button that goes back to the page it came from: say there why it was refused."""
    for message in [*form.form_errors, *(e for errors in form.errors.values() for e in errors)]:
        flash(message, "danger")
