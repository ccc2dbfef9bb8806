from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from ..accounts.models import PoliticalStatus
from ..forms import Form
from . import files


class UploadForm(Form):
    file = FileField(
        _l("名册文件"),
        [FileRequired(_l("请选择要上传的文件。"))],
        description=_l("Excel 工作簿（.xlsx）或 CSV 文件（UTF-8 或 Excel 默认的 GBK 编码均可）。"),
    )

    def to_data(self) -> dict:
        return {"filename": self.file.data.filename or "", "content": self.file.data.read()}


def column_help() -> list[tuple[str, str]]:
    """What to write in each column, for the upload page (the column names themselves are fixed)."""
    return [
        (files.KIND, _l("必填：学生或教职工。")),
        (files.NUMBER, _l("必填：字母和数字，最长 32 位。已有账号按学号/工号匹配并更新，不会重复创建。")),
        (files.NAME, _l("必填。")),
        (files.COLLEGE, _l("学生必填，须与系统中的学院名称完全一致。")),
        (files.GRADE, _l("学生必填，即入学年份，如 2024；教职工留空。")),
        (files.PHONE, _l("选填：以 1 开头的 11 位手机号。")),
        (files.EMAIL, _l("选填，不能与其他账号重复。已认领的账号保留本人设置的邮箱。")),
        (
            files.POLITICAL,
            _l("选填：%(choices)s。", choices="、".join(status.label for status in PoliticalStatus)),
        ),
        (files.STATUS, _l("选填：正常、已毕业或已停用；新账号留空即为正常。")),
        (
            files.ORG,
            _l("选填，须与系统中的组织名称完全一致。一人有多个任职时写成多行，各行的个人信息须相同。"),
        ),
        (files.ROLE, _l("负责人或成员，留空按成员处理。")),
        (files.TITLE, _l("选填，如部长、干事。")),
        (files.STARTS, _l("填写了组织时必填，格式如 2025-09-01。")),
        (files.ENDS, _l("选填，留空表示仍在任。")),
    ]
