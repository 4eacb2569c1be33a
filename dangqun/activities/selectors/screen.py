"""The room screen's rotating code: the URL members scan, as an inline SVG QR."""

from __future__ import annotations

from django.urls import reverse

from dangqun.activities import passes, rotating
from dangqun.activities.models import Activity
from dangqun.core import rules


def screen_code(request, activity: Activity) -> dict:
    valid = rules.value("activities.rotating.valid_seconds")
    code, refresh_in = rotating.make(activity.pk, valid_seconds=valid)
    url = request.build_absolute_uri(reverse("activities:sign-in", args=[code]))
    return {
        "code": code,
        "url": url,
        "svg": passes.qr_svg(url, scale=8),
        "refresh_in": round(refresh_in, 2),
        "valid_seconds": valid,
    }
