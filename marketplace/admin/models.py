"""The administration's own records: the audit log's CSV exports that ran in the background."""

from __future__ import annotations

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column

from ..exports import ExportJob
from ..extensions import db
from ..urls import path_for


class AuditExport(ExportJob, db.Model):
    """操作日志导出: the log as its requester reads it (their access, their masking), under ``filters``
    (the page's filter values, dates in ISO form). Only the requester downloads it."""

    __tablename__ = "audit_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    filters: Mapped[dict] = mapped_column(JSON)

    @property
    def url(self) -> str:
        return path_for("admin.audit_export", public_id=self.public_id)
