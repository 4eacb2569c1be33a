"""Small helpers for the centers tests."""

from __future__ import annotations

from dangqun.centers.enums import Channel
from dangqun.centers.services import Requester, request_booking


def book(
    space, starts_at, ends_at, *, mode="borrow", attendees=5, actor=None, requester=None, channel=None, **kw
):
    """A booking through the service; the system channel unless a requester channel is given."""
    return request_booking(
        actor=actor,
        space=space,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        purpose=kw.pop("purpose", "读书沙龙"),
        attendees=attendees,
        requester=requester or Requester.person("张三", "13800138000"),
        channel=channel or (Channel.WEB if actor is not None else Channel.SYSTEM),
        **kw,
    )
