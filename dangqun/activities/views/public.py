"""Public and member pages: an activity's mobile page (QR landing, JSON-LD), registration, the
pass, a member's activities, sign-in with the room screen's code, lists per center and organization."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.activities import passes
from dangqun.activities.enums import ActivityStatus, Audience, RegistrationStatus, ScanResult
from dangqun.activities.forms import GuestRegistrationForm
from dangqun.activities.models import ActivitySeries, Registration
from dangqun.activities.periods import month_start
from dangqun.activities.selectors import activities as selectors
from dangqun.activities.services import checkin, registrations
from dangqun.activities.services.activities import registrations_open
from dangqun.core.dates import add_months
from dangqun.core.errors import DomainError
from dangqun.core.masking import mask_mobile
from dangqun.core.viewutils import form_error_from
from dangqun.orgs.models import Organization


def event_json_ld(request, activity) -> str:
    """schema.org Event for search engines and mini-programs; escaped for a <script> data block."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": activity.title,
        "startDate": timezone.localtime(activity.starts_at).isoformat(),
        "endDate": timezone.localtime(activity.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if activity.status == ActivityStatus.CANCELLED
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": activity.place or activity.organization.name},
        "organizer": {"@type": "Organization", "name": activity.organization.name},
        "url": request.build_absolute_uri(reverse("activities:public", args=[activity.pk])),
        "isAccessibleForFree": True,
    }
    if activity.description:
        data["description"] = activity.description[:500]
    if activity.center_id and activity.center.address:
        data["location"]["address"] = activity.center.address
    if activity.capacity:
        data["maximumAttendeeCapacity"] = activity.capacity
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    # No "</script>" (or "<!--") can close the data block early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _my_registration(user, activity) -> Registration | None:
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return None
    return activity.registrations.filter(person=person).first()


def public_page(request, pk: int):
    try:
        activity = selectors.viewable_activity(request.user, pk)
    except Http404:
        # A members-only activity's QR, scanned by someone not logged in yet: log in, then see it.
        if request.user.is_authenticated or not selectors.is_announced(pk):
            raise
        return redirect_to_login(request.get_full_path())
    mine = _my_registration(request.user, activity)
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    form = GuestRegistrationForm()
    mine = mine if mine is not None and mine.status != RegistrationStatus.CANCELLED else None
    context = {
        "activity": activity,
        "json_ld": event_json_ld(request, activity),
        "mine": mine,
        # A member who registered sees the pass QR right here (the page reached by the QR poster).
        "mine_qr": passes.qr_svg(mine.pass_code, scale=6) if mine is not None else "",
        "mine_code": passes.display(mine.pass_code) if mine is not None else "",
        "open": registrations_open(activity, timezone.now()),
        "is_public": activity.audience == Audience.PUBLIC,
        "has_person": person is not None,
        "form": form,
    }
    response = render(request, "activities/public.html", context)
    if mine is not None:  # the page shows the pass secret
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def guest_register(request, pk: int):
    activity = selectors.get_public_activity(pk)
    form = GuestRegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = registrations.register_guest(
                activity=activity, name=form.cleaned_data["name"], mobile=form.cleaned_data["mobile"]
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            return redirect("activities:pass", code=registration.pass_code)
    context = {
        "activity": activity,
        "json_ld": event_json_ld(request, activity),
        "mine": None,
        "open": registrations_open(activity, timezone.now()),
        "is_public": True,
        "has_person": False,
        "form": form,
    }
    return render(request, "activities/public.html", context)


@require_POST
@login_required
def member_register(request, pk: int):
    activity = selectors.viewable_activity(request.user, pk)
    person = getattr(request.user, "person", None)
    if person is None:
        messages.error(request, _("您的账号未关联人员信息，请联系组织管理员。"))
        return redirect("activities:public", pk=activity.pk)
    try:
        registration = registrations.register_person(actor=request.user, activity=activity, person=person)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("activities:public", pk=activity.pk)
    if registration.status == RegistrationStatus.WAITLISTED:
        messages.warning(
            request, _("名额已满，您已进入候补（第 %(n)d 位）。") % {"n": registration.waitlist_no}
        )
    else:
        messages.success(request, _("报名成功。"))
    return redirect("activities:pass", code=registration.pass_code)


def _registration_by_code(code: str) -> Registration:
    code = passes.normalize(code)
    registration = (
        Registration.objects.select_related("activity", "activity__organization", "activity__space__center")
        .filter(pass_code=code)
        .first()
        if passes.looks_valid(code)
        else None
    )
    if registration is None:
        raise Http404
    return registration


def pass_page(request, code: str):
    """The pass: QR of the pass code and the short code. The URL holds the secret (no account
    for guests); the page is never cached and shows the mobile masked."""
    registration = _registration_by_code(code)
    context = {
        "registration": registration,
        "activity": registration.activity,
        "qr": passes.qr_svg(registration.pass_code, scale=7),
        "display_code": passes.display(registration.pass_code),
        "mobile": mask_mobile(registration.mobile),
        "can_cancel": registration.status != RegistrationStatus.CANCELLED
        and registration.checked_in_at is None
        and registration.activity.status == ActivityStatus.PUBLISHED,
    }
    response = render(request, "activities/pass.html", context)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def pass_cancel(request, code: str):
    registration = _registration_by_code(code)
    try:
        registrations.cancel_registration(
            actor=None, registration=registration, pass_code=registration.pass_code
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消报名。"))
    return redirect("activities:pass", code=registration.pass_code)


@login_required
def my_activities(request):
    rows = list(selectors.my_registrations(request.user)[:100])
    today = timezone.localdate()
    upcoming = selectors.upcoming_for(
        request.user,
        start=timezone.now(),
        end=_midnight(add_months(today, 2)),
    )
    registered = {r.activity_id for r in rows}
    context = {
        "rows": rows,
        "upcoming": [a for a in upcoming if a.pk not in registered][:20],
        "feed_url": request.build_absolute_uri(
            reverse("activities:ical-user", args=[_feed_token(request.user)])
        ),
    }
    return render(request, "activities/mine.html", context)


def _feed_token(user) -> str:
    from dangqun.activities.ical_feeds import user_feed_token

    return user_feed_token(user)


@login_required
def sign_in(request, code: str):
    """The page a member's phone opens from the room screen's QR. GET shows the activity; the sign-in
    itself is a POST (no state change by GET), with the browser's position when a geofence is set."""
    activity, problem = checkin.rotating_code_activity(code)
    answer = None
    if request.method == "POST":
        answer = checkin.sign_in_with_rotating_code(
            user=request.user,
            code=code,
            latitude=_float(request.POST.get("latitude")),
            longitude=_float(request.POST.get("longitude")),
            client_nonce=request.POST.get("nonce", "")[:64],
        )
        problem = None if answer.result in (ScanResult.OK, ScanResult.ALREADY_CHECKED_IN) else answer.result
    context = {
        "activity": activity,
        "code": code,
        "problem": problem,
        "problem_message": str(ScanResult(problem).label) if problem else "",
        "answer": answer,
        "nonce": passes.new_code(),
    }
    return render(request, "activities/sign_in.html", context)


def _float(value):
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _month_range(request):
    today = timezone.localdate()
    try:
        first = month_start(datetime.strptime(request.GET.get("month", ""), "%Y-%m").date())
    except ValueError:
        first = month_start(today)
    return first, _midnight(first), _midnight(add_months(first, 1))


def center_list(request, slug: str):
    """This month's activities at a center (what the center's mobile page links to or includes)."""
    from dangqun.centers.models import ServiceCenter

    center = ServiceCenter.objects.filter(slug=slug).first()
    if center is None:
        raise Http404
    first, start, end = _month_range(request)
    activities = selectors.upcoming_for(request.user, start=start, end=end, center_id=center.pk)
    context = {"title": center.name, "activities": activities, "month": first, "center": center,
               "prev": add_months(first, -1), "next": add_months(first, 1)}  # fmt: skip
    return render(request, "activities/public_list.html", context)


def organization_list(request, pk: int):
    """This month's activities of an organization and its subtree (a community's activity list)."""
    organization = Organization.objects.filter(pk=pk, dissolved_at__isnull=True).first()
    if organization is None:
        raise Http404
    first, start, end = _month_range(request)
    activities = selectors.upcoming_for(request.user, start=start, end=end, org_path=organization.path)
    context = {"title": organization.name, "activities": activities, "month": first, "organization": organization,
               "prev": add_months(first, -1), "next": add_months(first, 1)}  # fmt: skip
    return render(request, "activities/public_list.html", context)


def series_page(request, pk: int):
    series = ActivitySeries.objects.select_related("organization").filter(pk=pk).first()
    if series is None:
        raise Http404
    now = timezone.now()
    activities = selectors.upcoming_for(
        request.user, start=now - timedelta(days=366), end=now + timedelta(days=366), org_path=series.org_path
    )
    activities = [a for a in activities if a.series_id == series.pk]
    context = {
        "title": series.name,
        "activities": activities,
        "series": series,
        "description": series.description,
    }
    return render(request, "activities/public_list.html", context)
