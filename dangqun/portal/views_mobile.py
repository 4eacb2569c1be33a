"""Phone pages reached by QR (/m/…): a center's home, its spaces and bookings, its service items
and the tracking page of a request. Thin: reads through selectors, writes through the owning
app's services, refusals shown next to the field they name."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.centers import selectors as centers
from dangqun.centers import services as bookings
from dangqun.centers.enums import ACTIVE_STATUSES, BookingMode, Channel, SlotState
from dangqun.centers.hours import describe
from dangqun.portal import selectors
from dangqun.portal.common import absolute, act, private, submit
from dangqun.portal.forms import BookingForm, RatingForm, RequestForm, SupplyForm
from dangqun.servicedesk import selectors as desk
from dangqun.servicedesk import services as desk_services
from dangqun.servicedesk.enums import Channel as RequestChannel

BOOKABLE_STATES = (SlotState.FREE, SlotState.SHARED)


def _user(request):
    return request.user if request.user.is_authenticated else None


# --- centers -------------------------------------------------------------------------------------


def center_index(request):
    """All active centers (the landing of a QR without a center)."""
    return render(request, "portal/mobile/index.html", {"centers": list(centers.centers_public())})


def center_home(request, slug: str):
    center = centers.get_public_center(slug)
    spaces = list(centers.public_spaces(center))
    free = {row.space.pk: row.until for row in centers.spaces_free_now(center)}
    context = {
        "center": center,
        "hours": selectors.hours_today(center),
        "agenda": selectors.agenda(center, request.user),
        "spaces": [{"space": s, "free_until": free.get(s.pk)} for s in spaces],
        "groups": selectors.grouped_items(desk.catalog_for_center(center)),
        "wall": desk.wall_counts(center),
        "page_url": absolute(request, "center", center.slug),
    }
    return render(request, "portal/mobile/center.html", context)


def board(request, slug: str):
    """The printable lobby board: the center's name, its QR and what a scan leads to."""
    center = centers.get_public_center(slug)
    context = {
        "center": center,
        "page_url": absolute(request, "center", center.slug),
        "items": list(desk.catalog_for_center(center)[:8]),
        "spaces": [s for s in centers.public_spaces(center)][:8],
        "hours": _hours_rows(center),
    }
    return render(request, "portal/mobile/board.html", context)


def _hours_rows(center) -> list[str]:
    """Opening hours with runs of days that share them folded: 周一至周五 08:00–21:00."""
    rows = describe(center.opening_hours)
    lines: list[str] = []
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index][1] != rows[start][1]:
            first, last = rows[start][0], rows[index - 1][0]
            days = first if first == last else _("%(a)s至%(b)s") % {"a": first, "b": last}
            lines.append(f"{days} {rows[start][1]}")
            start = index
    return lines


# --- spaces and bookings ---------------------------------------------------------------------------


def _pick_day(raw: str | None, days: list) -> object:
    wanted = None
    try:
        wanted = date.fromisoformat(raw) if raw else None
    except ValueError:
        wanted = None
    for day in days:
        if day.day == wanted:
            return day
    # No (valid) choice: today while it has slots to come, else the next day that has.
    upcoming = (d for d in days if any(slot.state != SlotState.PAST for slot in d.slots))
    return next(upcoming, days[0])


def _hhmm(value: datetime) -> str:
    return f"{timezone.localtime(value):%H:%M}"


def _at(day: date, hhmm: str | None) -> datetime | None:
    if not hhmm:
        return None
    try:
        clock = time.fromisoformat(hhmm)
    except ValueError:
        return None
    return timezone.make_aware(datetime.combine(day, clock), timezone.get_current_timezone())


def _choices(chosen) -> tuple[list[str], list[str]]:
    starts = [_hhmm(s.starts_at) for s in chosen.slots if s.state in BOOKABLE_STATES]
    ends = [_hhmm(s.ends_at) for s in chosen.slots if s.ends_at > timezone.now()]
    return starts, ends


def _default_end(start: str, ends: list[str]) -> str:
    """An hour after the chosen start when the grid has it, else the first end after it."""
    if not start:
        return ""
    hour = datetime.combine(date.today(), time.fromisoformat(start)) + timedelta(hours=1)
    if f"{hour:%H:%M}" in ends:
        return f"{hour:%H:%M}"
    later = [e for e in ends if e > start]
    return later[0] if later else ""


def _slot_row(slot) -> dict:
    if slot.state == SlotState.SHARED:
        label = _("合用 余%(n)d人") % {"n": slot.remaining}
    else:
        label = SlotState(slot.state).label
    return {"slot": slot, "label": label, "bookable": slot.state in BOOKABLE_STATES}


def space_page(request, pk: int):
    """A space: what it is, its week at a glance, today's (or the chosen day's) slots, and the
    booking form (a free slot's chip fills the start time)."""
    space = centers.get_public_space(pk)
    today = timezone.localdate()
    days = centers.week_availability(space, today, days=7)
    chosen = _pick_day(request.POST.get("day") or request.GET.get("day"), days)
    starts, ends = _choices(chosen)
    user = _user(request)
    form_kwargs = {
        "starts": starts,
        "ends": ends,
        "sharing": space.allows_sharing,
        "signed_in": user is not None,
    }
    status = 200
    suggestions: list[tuple[datetime, datetime]] = []
    if request.method == "POST":
        form = BookingForm(request.POST, **form_kwargs)

        def book(data):
            # The day the form was drawn for, not the one shown now: a page left open past midnight
            # must be refused as past, never silently booked on another day.
            day = data["day"] or chosen.day
            try:
                return bookings.request_booking(
                    actor=user,
                    space=space,
                    starts_at=_at(day, data["start"]),
                    ends_at=_at(day, data["end"]),
                    mode=data["mode"],
                    purpose=data["purpose"],
                    attendees=data["attendees"],
                    requester=bookings.Requester.person(data["name"], data["mobile"]),
                    channel=Channel.PHONE,
                )
            except bookings.SlotTaken as exc:
                suggestions.extend(exc.suggestions)
                raise

        done, status = submit(
            request, form, book, aliases=BookingForm.ALIASES,
            success=_("预约申请已提交。请保存本页链接，以便查看审核结果或取消预约。"),
            to=lambda booking: reverse("portal:booking", args=[booking.public_code]),
        )  # fmt: skip
        if done:
            return done
    else:
        start = request.GET.get("start", "")
        start = start if start in starts else ""
        end = request.GET.get("end", "")
        end = end if end in ends else _default_end(start, ends)
        form = BookingForm(
            initial={
                "day": chosen.day,
                "start": start,
                "end": end,
                "mode": BookingMode.BORROW,
                "attendees": "",
            },
            **form_kwargs,
        )
    context = {
        "space": space,
        "center": space.center,
        "days": days,
        "chosen": chosen,
        "form": form,
        "suggestions": [
            {
                "day": timezone.localdate(s).isoformat(),
                "start": _hhmm(s),
                "end": _hhmm(e),
                "starts_at": s,
                "ends_at": e,
            }
            for s, e in suggestions
        ],
        "slots": [_slot_row(slot) for slot in chosen.slots if slot.state != SlotState.PAST],
        "page_url": absolute(request, "space", space.pk),
    }
    response = render(request, "portal/mobile/space.html", context, status=status)
    if request.method == "POST":
        response["Cache-Control"] = "no-store"
    return response


@private
def booking_page(request, code: str):
    booking = centers.booking_by_code(code)
    cancellable = booking.status in ACTIVE_STATUSES and booking.ends_at > timezone.now()
    context = {
        "booking": booking,
        "space": booking.space,
        "center": booking.space.center,
        "cancellable": cancellable,
    }
    return render(request, "portal/mobile/booking.html", context)


@private
@require_POST
def booking_cancel(request, code: str):
    booking = centers.booking_by_code(code)
    cancel = partial(
        bookings.cancel_booking,
        actor=_user(request),
        booking=booking,
        public_code=code,
        reason=_("预约人取消"),
    )
    return act(request, cancel, success=_("预约已取消。"), to=reverse("portal:booking", args=[code]))


# --- service items and requests --------------------------------------------------------------------


def item_page(request, code: str):
    item = desk.public_item(code)
    user = _user(request)
    status = 200
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES)
        done, status = submit(
            request,
            form,
            lambda data: desk_services.file_request(
                actor=user,
                item=item,
                description=data["description"],
                name=data["name"],
                mobile=data["mobile"],
                unit=data["unit"],
                attachments_in=list(request.FILES.getlist("attachments")),
                channel=RequestChannel.PHONE,
            ),
            success=lambda filed: (
                _("已提交，受理编号 %(n)s。请保存本页链接，随时查看办理进度。") % {"n": filed.request.number}
            ),
            to=lambda filed: reverse("portal:track", args=[filed.token]),
        )
        if done:
            return done
    else:
        form = RequestForm()
    context = {
        "item": item,
        "center": item.center,
        "promise": desk.promise_text(item),
        "form": form,
        "signed_in": user is not None,
        "page_url": absolute(request, "item", item.code),
    }
    response = render(request, "portal/mobile/item.html", context, status=status)
    if request.method == "POST":
        response["Cache-Control"] = "no-store"
    return response


def _track_context(request, token: str, **forms) -> dict:
    service_request = desk.request_for_token(token)
    status = desk.public_status(service_request)
    return {
        "token": token,
        "status": status,
        "center": service_request.item.center,
        "item": service_request.item,
        "rating_form": forms.get("rating_form") or RatingForm(),
        "supply_form": forms.get("supply_form") or SupplyForm(),
        # A refusal with no field of its own (not yet resolved, already rated …) shows at the top.
        "alerts": [str(e) for form in forms.values() for e in form.non_field_errors()],
        "service_request": service_request,
    }


@private
def track(request, token: str):
    return render(request, "portal/mobile/track.html", _track_context(request, token))


@private
@require_POST
def track_rate(request, token: str):
    service_request = desk.request_for_token(token)
    form = RatingForm(request.POST)
    done, status = submit(
        request,
        form,
        lambda data: desk_services.rate_request(
            request=service_request, token=token, score=data["score"], comment=data["comment"]
        ),
        success=_("感谢您的评价！"),
        to=reverse("portal:track", args=[token]),
    )
    return done or render(
        request, "portal/mobile/track.html", _track_context(request, token, rating_form=form), status=status
    )


@private
@require_POST
def track_supply(request, token: str):
    service_request = desk.request_for_token(token)
    form = SupplyForm(request.POST, request.FILES)
    done, status = submit(
        request,
        form,
        lambda data: desk_services.supply_info(
            request=service_request,
            token=token,
            note=data["note"],
            attachments_in=list(request.FILES.getlist("attachments")),
        ),
        success=_("补充材料已提交，工作人员会继续办理。"),
        to=reverse("portal:track", args=[token]),
    )
    return done or render(
        request, "portal/mobile/track.html", _track_context(request, token, supply_form=form), status=status
    )


@private
@require_POST
def track_cancel(request, token: str):
    service_request = desk.request_for_token(token)
    return act(
        request,
        lambda: desk_services.cancel_request(request=service_request, token=token, note=_("申请人撤回")),
        success=_("诉求已撤回。"),
        to=reverse("portal:track", args=[token]),
    )
