"""Reading a download's Content-Disposition the way a browser does, to check both of its names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote


@dataclass(frozen=True)
class Disposition:
    kind: str  # attachment or inline
    fallback: str  # the plain filename, for clients that know no other
    name: str  # the UTF-8 filename*, or the plain one when there is none


def disposition(response) -> Disposition:
    kind, _, params = response.headers["Content-Disposition"].partition(";")
    plain = re.search(r'(?:^|;)\s*filename="?([^";]*)"?', params)
    utf8 = re.search(r"(?:^|;)\s*filename\*=UTF-8''([^;]*)", params)
    assert plain is not None, response.headers["Content-Disposition"]
    fallback = plain.group(1)
    assert fallback.isascii()
    return Disposition(kind.strip(), fallback, unquote(utf8.group(1)) if utf8 else fallback)
