"""Bid attachments: types checked by content, stored outside static/ under random names
(in :mod:`marketplace.storage`).

Many clubs write their 标书 in Word or WPS, so besides PDF and images we accept the Office formats,
old (OLE2: doc, xls, wps, et) and new (OOXML zip: docx, xlsx). The extension must agree with what the
bytes are; a mismatch is refused.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from pathlib import PurePath

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from .. import settings, storage
from ..errors import DomainError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# extension -> (what the content must be, MIME type to serve it as)
ACCEPTED = {
    "pdf": ("pdf", "application/pdf"),
    "doc": ("ole2", "application/msword"),
    "wps": ("ole2", "application/vnd.ms-works"),
    "xls": ("ole2", "application/vnd.ms-excel"),
    "et": ("ole2", "application/vnd.ms-excel"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "png": ("png", "image/png"),
}


def _sniff(head: bytes, data: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE2):
        return "ole2"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def accepted_extensions() -> str:
    return ", ".join(sorted(ACCEPTED))


def max_bytes() -> int:
    return settings.get("attachment_max_mb") * 1024 * 1024


def check_and_store(upload: FileStorage) -> dict:
    """Validate an upload and store it; returns the attachment's stored facts."""
    filename = (upload.filename or "").strip()
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ACCEPTED:
        raise DomainError(
            _("不支持这种文件类型。可以上传：%(types)s。", types=accepted_extensions()), field="file"
        )
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _("文件超过 %(mb)s MB 的上限。", mb=settings.get("attachment_max_mb")), field="file"
        )
    if not data:
        raise DomainError(_("文件是空的。"), field="file")
    expected, content_type = ACCEPTED[extension]
    if _sniff(data[:16], data) != expected:
        raise DomainError(
            _("文件内容与扩展名 .%(ext)s 不符，请确认文件没有损坏或被改过扩展名。", ext=extension),
            field="file",
        )
    stored_name = secrets.token_hex(16)
    storage.save(key(stored_name), data)
    return {
        "filename": filename[-255:],
        "stored_name": stored_name,
        "content_type": content_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def key(stored_name: str) -> str:
    """The storage key of an attachment (or appeal evidence) stored as ``stored_name``."""
    return f"bids/{stored_name}"


def send(attachment, kind: str):
    """The response serving ``attachment`` (a :class:`~marketplace.models_base.StoredAttachment`) under
    its own name; ``kind`` names the ASCII fallback. Private (the default), so no shared cache keeps a
    copy for the next person."""
    suffix = PurePath(attachment.filename).suffix
    return storage.send(
        key(attachment.stored_name),
        name=attachment.filename,
        fallback=f"{kind}-attachment-{attachment.public_id}{suffix}",
        mimetype=attachment.content_type,
    )
