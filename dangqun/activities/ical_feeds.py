"""iCalendar feeds: an organization's public activities, and a member's own registrations
(reached by a signed token, since calendar clients cannot log in)."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.activities import ical
from dangqun.activities.enums import ActivityStatus, Audience, RegistrationStatus
from dangqun.activities.models import Activity, Registration
from dangqun.orgs.models import Organization

_SALT = "dangqun.activities.ical.user"
WINDOW_BACK = timedelta(days=90)
WINDOW_AHEAD = timedelta(days=366)
FEED_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED, ActivityStatus.CANCELLED)


def user_feed_token(user) -> str:
    return signing.Signer(salt=_SALT, sep=".").sign(f"u{user.pk}")


def user_from_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=_SALT, sep=".").unsign(token)
    except signing.BadSignature:
        return None
    return int(value[1:]) if value.startswith("u") and value[1:].isdigit() else None


def _event(request, activity: Activity, now) -> ical.Event:
    return ical.Event(
        uid=f"activity-{activity.pk}@{request.get_host().split(':')[0]}",
        start=activity.starts_at,
        end=activity.ends_at,
        summary=activity.title,
        stamp=now,
        location=activity.place,
        description=f"{activity.organization.name}\n{activity.description}".strip(),
        url=request.build_absolute_uri(reverse("activities:public", args=[activity.pk])),
        cancelled=activity.status == ActivityStatus.CANCELLED,
        modified=activity.updated_at,
    )


def _response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def organization_feed(request, pk: int) -> HttpResponse:
    organization = Organization.objects.filter(pk=pk, dissolved_at__isnull=True).first()
    if organization is None:
        raise Http404
    now = timezone.now()
    activities = (
        Activity.objects.filter(
            org_path__under=organization.path,
            audience=Audience.PUBLIC,
            status__in=FEED_STATUSES,
            starts_at__gte=now - WINDOW_BACK,
            starts_at__lte=now + WINDOW_AHEAD,
        )
        .select_related("organization", "space", "space__center")
        .order_by("starts_at", "id")[:500]
    )
    body = ical.calendar(organization.name, (_event(request, a, now) for a in activities))
    return _response(body, f"org-{organization.pk}.ics")


def user_feed(request, token: str) -> HttpResponse:
    user_id = user_from_token(token)
    if user_id is None:
        raise Http404
    now = timezone.now()
    registrations = (
        Registration.objects.filter(
            person__user_id=user_id,
            activity__status__in=FEED_STATUSES,
            activity__starts_at__gte=now - WINDOW_BACK,
            activity__starts_at__lte=now + WINDOW_AHEAD,
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("activity", "activity__organization", "activity__space", "activity__space__center")
        .order_by("activity__starts_at", "id")[:500]
    )
    body = ical.calendar(str(_("我的活动")), (_event(request, r.activity, now) for r in registrations))
    response = _response(body, "my-activities.ics")
    response["Cache-Control"] = "private, no-store"
    return response
