"""The 办事通 kiosk (/kiosk/<center_slug>/…): a full-screen touch layout in the lobby.

No login: anyone browses; filing a request needs only name, mobile and what is needed, and ends
with the QR of the tracking page (the token travels once, through the session, never in a URL).
Every page carries the idle time after which kiosk.js clears the forms and goes home. A browser
paired with a registered kiosk device (see kiosks.py) records that device on what it files.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dangqun.accounts.devices import device_for_token
from dangqun.accounts.models import Device
from dangqun.activities.selectors.activities import viewable_activity
from dangqun.activities.services.activities import registrations_open
from dangqun.centers import selectors as centers
from dangqun.centers.enums import SlotState
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.portal import kiosks, rules, selectors
from dangqun.portal.common import absolute, qr_for, throttle
from dangqun.portal.forms import PairForm, RequestForm, attach_error
from dangqun.servicedesk import selectors as desk
from dangqun.servicedesk import services as desk_services
from dangqun.servicedesk.enums import Channel

FILED_KEY = "portal_kiosk_filed"
WALL_PREVIEW = 4


def idle_seconds(request, center) -> int:
    """The rule's idle time; `?idle=N` may shorten it (1 ≤ N ≤ 60) for a test or a technician."""
    default = int(rules.value(rules.KIOSK_IDLE_SECONDS, org_path=center.org_path))
    raw = request.GET.get("idle", "")
    if raw.isdigit() and 1 <= int(raw) <= rules.IDLE_OVERRIDE_MAX:
        return min(int(raw), default) if default > 0 else int(raw)
    return default


def _render(request, center, template: str, context: dict, *, status: int = 200, device=None):
    now = timezone.localtime()
    base = {
        "center": center,
        "device": device if device is not None else kiosks.device_of(request, center),
        "idle": idle_seconds(request, center),
        "idle_override": request.GET.get("idle", "") if request.GET.get("idle", "").isdigit() else "",
        "now": now,
        "utc_offset": int(now.utcoffset().total_seconds() // 60),
        "center_qr_url": absolute(request, "center", center.slug),
    }
    return render(request, template, {**base, **context}, status=status)


def _center(slug: str):
    return centers.get_public_center(slug)


@never_cache
def home(request, slug: str):
    center = _center(slug)
    agenda = selectors.agenda(center)
    cards = desk.public_wall(center)
    context = {
        "today": agenda.today,
        "free_now": centers.spaces_free_now(center),
        "items": [{"item": i, "promise": desk.promise_text(i)} for i in desk.catalog_for_center(center)],
        "cards": cards[:WALL_PREVIEW],
        "wall": desk.wall_counts(center),
        "hours": selectors.hours_today(center),
    }
    return _render(request, center, "portal/kiosk/home.html", context)


def _item_of(center, code: str):
    item = desk.public_item(code)
    if item.center_id != center.pk:
        raise Http404
    return item


def _file(item, data: dict, device) -> desk_services.Filed:
    """File at the kiosk; a paired kiosk is recorded on the request (and in its audit entry)."""
    return desk_services.file_request(
        actor=None,
        item=item,
        description=data["description"],
        name=data["name"],
        mobile=data["mobile"],
        unit=data["unit"],
        channel=Channel.KIOSK,
        device=device,
    )


@never_cache
def item_page(request, slug: str, code: str):
    center = _center(slug)
    item = _item_of(center, code)
    device = kiosks.device_of(request, center)
    status = 200
    if request.method == "POST":
        form = RequestForm(request.POST, with_files=False).kiosk()
        allowed = throttle(request, form, device=device)
        if allowed and form.is_valid():
            try:
                filed = _file(item, form.cleaned_data, device)
            except DomainError as exc:
                attach_error(form, exc)
            else:
                request.session[FILED_KEY] = {"token": filed.token, "item": item.code}
                return redirect(_with_idle(request, "portal:kiosk-filed", slug))
        status = 400 if allowed else 429
    else:
        form = RequestForm(with_files=False).kiosk()
    context = {
        "item": item,
        "promise": desk.promise_text(item),
        "form": form,
        "phone_url": absolute(request, "item", item.code),
    }
    return _render(request, center, "portal/kiosk/item.html", context, status=status, device=device)


def _with_idle(request, name: str, *args) -> str:
    url = reverse(name, args=args)
    idle = request.GET.get("idle", "")
    return f"{url}?idle={idle}" if idle.isdigit() else url


@never_cache
def filed(request, slug: str):
    """Shown once: the receipt number and the QR of the tracking page. A reload finds nothing."""
    center = _center(slug)
    kept = request.session.pop(FILED_KEY, None)
    if not kept:
        return redirect(_with_idle(request, "portal:kiosk", slug))
    service_request = desk.request_for_token(kept["token"])
    context = {
        "status": desk.public_status(service_request),
        "track_qr": qr_for(request, "track", kept["token"]),
    }
    return _render(request, center, "portal/kiosk/filed.html", context)


@never_cache
def space_page(request, slug: str, pk: int):
    center = _center(slug)
    space = centers.get_public_space(pk, center=center)
    today = timezone.localdate()
    days = centers.week_availability(space, today, days=7)
    # Today while it has slots to come, else the next open day.
    shown = next((d for d in days if any(s.state != SlotState.PAST for s in d.slots)), None)
    context = {
        "space": space,
        "day": shown,
        "is_today": shown is not None and shown.day == today,
        "slots": [s for s in shown.slots if s.state != SlotState.PAST] if shown else [],
        "phone_url": absolute(request, "space", space.pk),
    }
    return _render(request, center, "portal/kiosk/space.html", context)


@never_cache
def activity_page(request, slug: str, pk: int):
    center = _center(slug)
    activity = viewable_activity(AnonymousUser(), pk)  # the kiosk is nobody: public activities only
    context = {
        "activity": activity,
        "open": registrations_open(activity, timezone.now()),
    }
    return _render(request, center, "portal/kiosk/activity.html", context)


@never_cache
def wall(request, slug: str):
    center = _center(slug)
    context = {
        "cards": desk.public_wall(center),
        "wall": desk.wall_counts(center),
        "phone_url": absolute(request, "wall", center.slug),
    }
    if getattr(request, "htmx", False):
        return render(request, "portal/kiosk/partials/wall_cards.html", {"center": center, **context})
    return _render(request, center, "portal/kiosk/wall.html", context)


@never_cache
def wish_page(request, slug: str, pk: int):
    center = _center(slug)
    card = desk.public_wish(pk, center=center)
    context = {"card": card, "phone_url": absolute(request, "wish", card.id)}
    return _render(request, center, "portal/kiosk/wish.html", context)


@never_cache
def pair(request, slug: str):
    """Make this browser the registered kiosk whose token staff type in (or forget it)."""
    center = _center(slug)
    device = kiosks.device_of(request, center)
    form = PairForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "forget":
        response = redirect("portal:kiosk-pair", slug=slug)
        kiosks.forget(response)
        messages.success(request, _("本机已不再作为已登记的办事通大屏。"))
        return response
    if request.method == "POST":
        form = PairForm(request.POST)
        allowed = throttle(request, form)
        if allowed and form.is_valid():
            found = device_for_token(form.cleaned_data["token"].strip(), kind=Device.Kind.KIOSK)
            if found is None:
                form.add_error("token", _("令牌无效，或不是“办事通大屏”类型的设备。"))
            elif not kiosks.device_covers(found, center):
                form.add_error("token", _("该设备登记在其他组织，不能用于本服务中心。"))
            else:
                audit.record(
                    "portal.kiosk.paired",
                    obj=found,
                    org_path=center.org_path,
                    actor_label=f"kiosk:{found.pk}",
                    data={"center": center.slug},
                )
                response = redirect("portal:kiosk", slug=slug)
                kiosks.remember(response, form.cleaned_data["token"].strip(), secure=request.is_secure())
                messages.success(request, _("本机已登记为“%(n)s”。") % {"n": found.name})
                return response
        status = 400 if allowed else 429
    return _render(request, center, "portal/kiosk/pair.html", {"form": form}, status=status, device=device)
