"""Who may see and write a bid: the ``bid.*`` actions of the policy (sealing is ``bids.visibility``)."""

from __future__ import annotations

from ..permissions import managed_org_ids, may_write, rule
from .visibility import can_view_bid


@rule("bid.view")
def _views_bid(user, bid=None) -> bool:
    return bid is not None and can_view_bid(user, bid)


@rule("bid.edit")
def _writes_bid(user, bid=None) -> bool:
    """Managers of the bidding organization write, confirm and withdraw its bid (admins do not)."""
    return bid is not None and may_write(user) and bid.org_id in managed_org_ids(user)
