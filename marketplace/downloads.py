"""Files handed to the browser, every one named the same way.

A Chinese name such as ``第二课堂成绩单-张三-2026-11-26.pdf`` travels as ``filename*=UTF-8''…``
(RFC 6266 / RFC 5987), which every current browser reads. Beside it goes a plain ASCII ``filename``
for the clients that read only that one (older mail gateways, download managers, ``curl -OJ``); left
to Werkzeug it would be the Chinese name with the Chinese stripped (``--2026-11-26.pdf``), so each
download names a fallback that still says what the file is (``transcript-2024001-2026-11-26.pdf``).
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, send_file
from werkzeug.http import dump_options_header
from werkzeug.utils import secure_filename

# RFC 5987 attr-char: what may stand unescaped in filename*
_ATTR_CHARS = "!#$&+-.^_`|~"


def disposition(name: str, fallback: str, *, inline: bool = False) -> str:
    """The Content-Disposition value: ``fallback`` as the plain name, ``name`` as the UTF-8 one.

    The fallback is cleaned to safe ASCII (letters, digits, ``-``, ``_``, ``.``) whatever it is made
    of; the UTF-8 name is left out when it says nothing more than the fallback.
    """
    plain = secure_filename(fallback)
    if not plain:
        raise ValueError(f"the fallback name {fallback!r} has nothing left in ASCII")
    options = {"filename": plain}
    if name != plain:
        options["filename*"] = "UTF-8''" + quote(name, safe=_ATTR_CHARS)
    return dump_options_header("inline" if inline else "attachment", options)


def send_download(
    source,
    *,
    name: str,
    fallback: str,
    mimetype: str,
    inline: bool = False,
    private: bool = True,
    max_age: int | None = None,
) -> Response:
    """``send_file`` for a path or a file object, named by :func:`disposition`.

    ``private`` (the default) keeps every shared cache from holding a copy: transcripts, sealed bid
    attachments, rosters with phone numbers and appeal evidence are for the one person who asked.
    """
    response = send_file(source, mimetype=mimetype, max_age=max_age)
    response.headers["Content-Disposition"] = disposition(name, fallback, inline=inline)
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response
