"""What volunteering lets a host see: the phone number of a student it accepted (see ``permissions``)."""

from __future__ import annotations

from ..permissions import is_self_or_admin, rule
from .queries import hosts_accepted


@rule("user.view_phone")
def _sees_phone(user, student=None) -> bool:
    """The owner, admins, and the host of a shift the student was accepted on."""
    return is_self_or_admin(user, student) or (student is not None and hosts_accepted(user, student))
