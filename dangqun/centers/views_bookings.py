"""Staff pages for bookings: the queue, one booking with its history, decisions, a space's week
grid, and the group visit queue."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.centers import selectors, services
from dangqun.centers.enums import ACTIVE_STATUSES, BookingStatus, SlotState
from dangqun.centers.forms import DecisionForm
from dangqun.centers.hours import day_in_range, describe
from dangqun.centers.models import Booking
from dangqun.centers.selectors.availability import DayAvailability
from dangqun.core.errors import DomainError
from dangqun.people.selectors import PiiPolicy

QUEUE_SIZE = 100


def parse_day(value: str | None) -> date:
    """The day a page asks for (?day=YYYY-MM-DD); today when missing, malformed or out of range."""
    try:
        day = date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()
    return day if day_in_range(day) else timezone.localdate()


def week_grid(days: list[DayAvailability]) -> list[tuple[str, list]]:
    """Rows of (HH:MM, [slot or None per day]) over the union of the days' slot times."""
    by_day = [{f"{timezone.localtime(s.starts_at):%H:%M}": s for s in d.slots} for d in days]
    times = sorted({t for slots in by_day for t in slots})
    return [(t, [slots.get(t) for slots in by_day]) for t in times]


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@staff_view(Perm.MANAGE_CENTERS)
def queue(request):
    user = request.user
    centers = list(selectors.centers_visible_to(user))
    chosen = None
    if request.GET.get("center"):
        chosen = selectors.get_center_for(user, request.GET["center"])
    rows = list(selectors.pending_queue(user, center=chosen)[:QUEUE_SIZE])
    policy = PiiPolicy.for_user(user)
    context = {
        "centers": centers,
        "chosen": chosen,
        "rows": [{"booking": b, "mobile": policy.mobile(_Contact(b))} for b in rows],
    }
    return render(request, "centers/queue.html", context)


class _Contact:
    """Adapts a booking to PiiPolicy (which reads `mobile` and `org_path`)."""

    def __init__(self, booking: Booking):
        self.mobile = booking.contact_mobile
        self.org_path = booking.org_path


@staff_view(Perm.MANAGE_CENTERS)
def booking_detail(request, pk: int):
    booking = selectors.get_booking_for(request.user, pk)
    context = {
        "booking": booking,
        "mobile": PiiPolicy.for_user(request.user).mobile(_Contact(booking)),
        "history": list(selectors.booking_history(booking)),
        "form": DecisionForm(),
        "can_decide": booking.status == BookingStatus.PENDING,
        "can_cancel": booking.status in ACTIVE_STATUSES and booking.ends_at > timezone.now(),
    }
    return render(request, "centers/booking_detail.html", context)


@staff_view(Perm.MANAGE_CENTERS)
@require_POST
def booking_decide(request, pk: int):
    booking = selectors.get_booking_for(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.accept_booking(actor=request.user, booking=booking, note=note)
            messages.success(request, _("已通过：%(p)s。") % {"p": booking.purpose})
        elif action == "reject":
            services.reject_booking(actor=request.user, booking=booking, note=note)
            messages.success(request, _("已退回：%(p)s。") % {"p": booking.purpose})
        elif action == "cancel":
            services.cancel_booking(actor=request.user, booking=booking, reason=note)
            messages.success(request, _("已取消：%(p)s。") % {"p": booking.purpose})
        else:
            messages.error(request, _("未知操作。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_next_url(request, reverse("centers:booking", args=[booking.pk])))


@staff_view(Perm.MANAGE_CENTERS)
def space_detail(request, pk: int):
    """A space for staff: facts, photos, and the week grid with who booked each slot."""
    space = selectors.get_space_for(request.user, pk)
    first = parse_day(request.GET.get("week"))
    first -= timedelta(days=first.weekday())
    days = selectors.week_availability(space, first)
    ids = {b.booking_id for d in days for s in d.slots for b in s.bookings}
    bookings = Booking.objects.filter(pk__in=ids).select_related("organization", "enterprise").in_bulk()
    context = {
        "space": space,
        "center": space.center,
        "hours": describe(space.bookable_hours or space.center.opening_hours),
        "own_hours": bool(space.bookable_hours),
        "days": days,
        "rows": week_grid(days),
        "bookings": bookings,
        "week": first,
        "prev_week": first - timedelta(days=7),
        "next_week": first + timedelta(days=7),
        "states": SlotState,
    }
    return render(request, "centers/space_detail.html", context)


@staff_view(Perm.MANAGE_CENTERS)
def visit_queue(request):
    user = request.user
    visits = list(
        selectors.visits_visible_to(user)
        .filter(status__in=ACTIVE_STATUSES, ends_at__gt=timezone.now())
        .order_by("starts_at", "pk")[:QUEUE_SIZE]
    )
    policy = PiiPolicy.for_user(user)
    rows = [{"visit": v, "mobile": policy.mobile(_Contact(v))} for v in visits]
    return render(request, "centers/visit_queue.html", {"rows": rows, "form": DecisionForm()})


@staff_view(Perm.MANAGE_CENTERS)
@require_POST
def visit_decide(request, pk: int):
    visit = selectors.get_visit_for(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    action = request.POST.get("action")
    try:
        if action in ("accept", "reject"):
            services.decide_group_visit(actor=request.user, visit=visit, accept=action == "accept", note=note)
        elif action == "cancel":
            services.cancel_group_visit(actor=request.user, visit=visit, reason=note)
        messages.success(request, _("已处理：%(g)s。") % {"g": visit.group_name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("centers:visits")


def can_manage_center(user, center) -> bool:
    return permissions.has_perm(user, Perm.MANAGE_CENTERS, center.org_path)
