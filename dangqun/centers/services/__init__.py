"""Writes of the centers app (one import path for other apps: `dangqun.centers.services`)."""

from dangqun.centers.services.bookings import (
    SeriesConflict,
    SlotTaken,
    accept_booking,
    cancel_booking,
    cancel_locked,
    cancel_series,
    may_cancel,
    reject_booking,
    request_booking,
    request_series,
)
from dangqun.centers.services.centers import (
    add_space_photo,
    check_image,
    create_blackout,
    create_center,
    create_space,
    delete_blackout,
    remove_space_photo,
    update_center,
    update_space,
)
from dangqun.centers.services.requesters import Requester
from dangqun.centers.services.visits import (
    cancel_group_visit,
    decide_group_visit,
    may_handle,
    request_group_visit,
)

__all__ = [
    "Requester",
    "SeriesConflict",
    "SlotTaken",
    "accept_booking",
    "add_space_photo",
    "cancel_booking",
    "cancel_group_visit",
    "cancel_locked",
    "cancel_series",
    "check_image",
    "create_blackout",
    "create_center",
    "create_space",
    "decide_group_visit",
    "delete_blackout",
    "may_cancel",
    "may_handle",
    "reject_booking",
    "remove_space_photo",
    "request_booking",
    "request_group_visit",
    "request_series",
    "update_center",
    "update_space",
]
