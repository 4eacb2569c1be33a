"""Service desk and wish wall models, one module per aggregate."""

from dangqun.servicedesk.models.catalog import RequestState, ServiceItem
from dangqun.servicedesk.models.requests import (
    Open311Client,
    Rating,
    RatingFollowUp,
    RequestAttachment,
    RequestEvent,
    ServiceRequest,
)
from dangqun.servicedesk.models.wishes import Wish, WishEvent

__all__ = [
    "Open311Client",
    "Rating",
    "RatingFollowUp",
    "RequestAttachment",
    "RequestEvent",
    "RequestState",
    "ServiceItem",
    "ServiceRequest",
    "Wish",
    "WishEvent",
]
