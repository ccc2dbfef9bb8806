from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from ..accounts.models import PoliticalStatus
from ..forms import Form, limit_upload
from . import files


class UploadForm(Form):
    file = FileField(_l("名册文件"), [FileRequired(_l("请选择要上传的文件。"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file.description = _(
            "Excel 工作簿（.xlsx）或 CSV 文件（UTF-8 或 Excel 默认的 GBK 编码均可），不超过 %(mb)s MB。",
            mb=limit_upload(self.file),
        )

    def to_data(self) -> dict:
        return {"filename": self.file.data.filename or "", "content": self.file.data.read()}


def column_help() -> list[tuple[str, str]]:
    """What to write in each column, for the upload page (the column names themselves are fixed)."""
    return [
        (files.KIND, _("必填：学生或教职工。")),
        (files.NUMBER, _("必填：字母和数字，最长 32 位。已有账号按学号/工号匹配并更新，不会重复创建。")),
        (files.NAME, _("必填。")),
        (files.COLLEGE, _("学生必填，须与系统中的学院名称完全一致。")),
        (files.GRADE, _("学生必填，即入学年份，如 2024；教职工留空。")),
        (files.PHONE, _("选填：以 1 开头的 11 位手机号。")),
        (files.EMAIL, _("选填，不能与其他账号重复。已认领的账号保留本人设置的邮箱。")),
        (
            files.POLITICAL,
            _("选填：%(choices)s。", choices="、".join(status.label for status in PoliticalStatus)),
        ),
        (files.STATUS, _("选填：正常、已毕业或已停用；新账号留空即为正常。")),
        (
            files.ORG,
            _("选填，须与系统中的组织名称完全一致。一人有多个任职时写成多行，各行的个人信息须相同。"),
        ),
        (files.ROLE, _("负责人或成员，留空按成员处理。")),
        (files.TITLE, _("选填，如部长、干事。")),
        (files.STARTS, _("填写了组织时必填，格式如 2025-09-01。")),
        (files.ENDS, _("选填，留空表示仍在任。")),
    ]
