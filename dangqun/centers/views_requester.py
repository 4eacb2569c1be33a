"""Pages for anyone logged in: browse centers, book a space (with its availability), my bookings
(cancel one occurrence or the rest of a series), reserve a group visit."""

from __future__ import annotations

from datetime import time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.centers import selectors, services
from dangqun.centers.enums import ACTIVE_STATUSES, Channel, SlotState
from dangqun.centers.forms import BookingForm, VisitForm
from dangqun.centers.hours import day_bounds, describe
from dangqun.centers.models import Booking, BookingSeries, GroupVisit, Space
from dangqun.centers.services.common import format_range
from dangqun.centers.views_bookings import can_manage_center, parse_day, week_grid
from dangqun.core.errors import DomainError

# Service field → form field.
BOOKING_FIELDS = {
    "starts_at": "start", "ends_at": "end", "organization": "on_behalf", "enterprise": "on_behalf",
    "requester_kind": "on_behalf", "count": "repeat_weeks", "interval_weeks": "repeat_weeks", "space": None,
    "status": None,
}  # fmt: skip
MINE_PAGE = 30


def _show(form, exc: DomainError, mapping: dict) -> None:
    field = mapping.get(exc.field, exc.field) if exc.field else None
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def browse(request):
    centers = list(selectors.centers_public())
    spaces = {c.pk: [] for c in centers}
    for space in Space.objects.filter(center__in=centers, is_active=True, bookable=True).order_by(
        "sort_order", "pk"
    ):
        spaces[space.center_id].append(space)
    rows = [{"center": c, "spaces": spaces[c.pk], "hours": describe(c.opening_hours)} for c in centers]
    return render(request, "centers/browse.html", {"rows": rows})


def _prefill(request, space) -> dict:
    """Initial values: a suggestion link (?day=&start=&end=) or the next full hour today."""
    day = parse_day(request.GET.get("day"))
    initial = {"day": day, "repeat_weeks": 1, "mode": "shared" if space.allows_sharing else "free_use"}
    for key in ("start", "end"):
        try:
            initial[key] = time.fromisoformat(request.GET[key])
        except (KeyError, ValueError):
            pass
    user = request.user
    initial["contact_name"] = user.display_name or user.get_username()
    initial["contact_mobile"] = user.mobile or ""
    return initial


@login_required
def book(request, pk: int):
    space = selectors.get_public_space(pk)
    if not space.bookable:
        messages.error(request, _("“%(s)s”不接受预约。") % {"s": space.name})
        return redirect("centers:browse")
    form = BookingForm(request.POST or None, user=request.user, space=space, initial=_prefill(request, space))
    suggestions: list = []
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.range()
        common = {
            "actor": request.user, "space": space, "starts_at": starts_at, "ends_at": ends_at,
            "mode": form.cleaned_data["mode"], "purpose": form.cleaned_data["purpose"],
            "attendees": form.cleaned_data["attendees"], "requester": form.requester(),
            "channel": Channel.DESK if can_manage_center(request.user, space.center) else Channel.WEB,
        }  # fmt: skip
        try:
            if form.cleaned_data["repeat_weeks"] > 1:
                _series, created = services.request_series(
                    count=form.cleaned_data["repeat_weeks"],
                    skip_conflicts=form.cleaned_data["skip_conflicts"],
                    **common,
                )
            else:
                created = [services.request_booking(**common)]
        except services.SlotTaken as exc:
            _show(form, exc, BOOKING_FIELDS)
            suggestions = [
                {"label": format_range(s, e), "day": timezone.localdate(s).isoformat(),
                 "start": f"{timezone.localtime(s):%H:%M}", "end": f"{timezone.localtime(e):%H:%M}"}
                for s, e in exc.suggestions
            ]  # fmt: skip
        except DomainError as exc:
            _show(form, exc, BOOKING_FIELDS)
        else:
            states = {b.status for b in created}
            if states == {"accepted"}:
                messages.success(request, _("预约成功，已通过：%(n)d 次。") % {"n": len(created)})
            else:
                messages.success(
                    request, _("已提交预约申请（%(n)d 次），等待中心审核。") % {"n": len(created)}
                )
            return redirect("centers:mine")
    day = form.cleaned_data["day"] if form.is_bound and form.is_valid() else parse_day(request.GET.get("day"))
    days = selectors.week_availability(space, day, days=3)
    context = {
        "space": space,
        "center": space.center,
        "form": form,
        "suggestions": suggestions,
        "hours": describe(space.bookable_hours or space.center.opening_hours),
        "days": days,
        "rows": week_grid(days),
        "states": SlotState,
    }
    return render(request, "centers/book.html", context)


@login_required
def mine(request):
    queryset = selectors.my_bookings(request.user)
    page = Paginator(queryset, MINE_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {"booking": b, "can_cancel": b.status in ACTIVE_STATUSES and b.ends_at > now}
        for b in page.object_list
    ]
    visits = list(selectors.my_visits(request.user)[:20])
    return render(request, "centers/mine.html", {"rows": rows, "page": page, "visits": visits})


@login_required
@require_POST
def cancel(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("space"), pk=pk, user=request.user)
    try:
        services.cancel_booking(actor=request.user, booking=booking, reason=request.POST.get("reason", ""))
        messages.success(
            request, _("已取消 %(w)s 的预约。") % {"w": format_range(booking.starts_at, booking.ends_at)}
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("centers:mine")


@login_required
@require_POST
def cancel_series(request, pk: int):
    series = get_object_or_404(BookingSeries, pk=pk, created_by=request.user)
    try:
        cancelled = services.cancel_series(
            actor=request.user, series=series, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("已取消该周期预约中尚未开始的 %(n)d 次。") % {"n": len(cancelled)})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("centers:mine")


@login_required
def visit(request, pk: int):
    center = get_object_or_404(selectors.centers_public(), pk=pk)
    if not center.accepts_group_visits:
        messages.error(request, _("“%(c)s”不接受团体参观预约。") % {"c": center.name})
        return redirect("centers:browse")
    user = request.user
    initial = {"contact_name": user.display_name or user.get_username(), "contact_mobile": user.mobile or "",
               "day": timezone.localdate() + timedelta(days=1), "start": time(9, 30)}  # fmt: skip
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_group_visit(
                actor=user, center=center, starts_at=form.starts_at(), visitors=data["visitors"],
                group_name=data["group_name"], needs_guide=data["needs_guide"], note=data["note"],
                requester=services.Requester.person(data["contact_name"], data["contact_mobile"]),
            )  # fmt: skip
        except DomainError as exc:
            _show(form, exc, {"starts_at": "start"})
        else:
            messages.success(request, _("参观预约已提交，等待中心确认。"))
            return redirect("centers:mine")
    upcoming = (
        GroupVisit.objects.filter(
            center=center, status__in=ACTIVE_STATUSES, starts_at__gte=day_bounds(timezone.localdate())[0]
        )
        .order_by("starts_at")
        .values("starts_at", "ends_at", "visitors")[:20]
    )  # times and head counts only: other groups' names stay private
    context = {
        "center": center,
        "form": form,
        "hours": describe(center.opening_hours),
        "upcoming": list(upcoming),
    }
    return render(request, "centers/visit_form.html", context)
