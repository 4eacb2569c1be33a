"""schema.org data blocks (JSON-LD) for public pages. A data block is never executed, so the CSP
`script-src 'self'` does not apply to it; the text is escaped so it cannot close its element."""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from dangqun.activities.enums import ActivityStatus

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def dump(data: dict) -> SafeString:
    return mark_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES))


def event(activity, *, url: str) -> dict:
    status = {
        ActivityStatus.CANCELLED: "https://schema.org/EventCancelled",
    }.get(activity.status, "https://schema.org/EventScheduled")
    place = {"@type": "Place", "name": activity.place or activity.organization.name}
    if activity.center_id is not None and activity.center.address:
        place["address"] = activity.center.address
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": activity.title,
        "startDate": timezone.localtime(activity.starts_at).isoformat(),
        "endDate": timezone.localtime(activity.ends_at).isoformat(),
        "eventStatus": status,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {"@type": "Organization", "name": activity.organization.name},
        "url": url,
        "isAccessibleForFree": True,
    }
    if activity.description:
        data["description"] = activity.description[:500]
    if activity.capacity is not None:
        data["maximumAttendeeCapacity"] = activity.capacity
        data["remainingAttendeeCapacity"] = activity.seats_left
    return data
