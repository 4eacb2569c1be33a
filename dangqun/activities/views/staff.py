"""Staff pages: the list, create / edit, detail with registrations, actions, paper sheet, screen."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.decorators import require_perm_on, staff_view
from dangqun.accounts.enums import Perm
from dangqun.activities import passes
from dangqun.activities.enums import ActivityStatus
from dangqun.activities.forms import ActivityFilterForm, ActivityForm, CancelForm, initial_for
from dangqun.activities.models import Registration
from dangqun.activities.selectors import activities as selectors
from dangqun.activities.selectors.records import expected_members
from dangqun.activities.services import activities as services
from dangqun.activities.services import attendance, registrations
from dangqun.centers.services.activity_bookings import booking_of
from dangqun.core.errors import DomainError
from dangqun.core.masking import mask_mobile
from dangqun.core.viewutils import decode_cursor, encode_cursor, form_error_from, query_without
from dangqun.orgs.selectors import get_organization_for

PAGE_SIZE = 20


@staff_view(Perm.MANAGE_ACTIVITIES)
def activity_list(request):
    user = request.user
    form = ActivityFilterForm(user, request.GET)
    queryset = selectors.activities_visible_to(user)
    if request.GET.get("org"):  # outside the viewer's scope: 404, like any detail fetch
        organization = get_organization_for(user, request.GET["org"], Perm.MANAGE_ACTIVITIES)
        queryset = queryset.filter(org_path__under=organization.path)
    if form.is_valid():
        if form.cleaned_data["status"]:
            queryset = queryset.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["type"]:
            queryset = queryset.filter(activity_type_id=form.cleaned_data["type"])
    queryset = queryset.order_by("-starts_at", "-id")
    cursor = decode_cursor(request.GET.get("after"), 2)
    if cursor is not None:
        try:
            moment = datetime.fromisoformat(cursor[0])
            queryset = queryset.filter(Q(starts_at__lt=moment) | Q(starts_at=moment, id__lt=int(cursor[1])))
        except (TypeError, ValueError):
            cursor = None
    rows = list(queryset[: PAGE_SIZE + 1])
    has_more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    context = {
        "form": form,
        "activities": rows,
        "next_cursor": encode_cursor(rows[-1].starts_at.isoformat(), rows[-1].pk) if has_more else "",
        "is_first_page": cursor is None,
        "filter_query": query_without(request, "after"),
    }
    return render(request, "activities/list.html", context)


def _save_form(request, form: ActivityForm, *, activity=None):
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        if activity is None:
            organization = get_organization_for(
                request.user, form.cleaned_data["organization"], Perm.MANAGE_ACTIVITIES
            )
            return services.create_activity(
                actor=request.user,
                organization=organization,
                publish="publish" in request.POST,
                **form.service_values(),
            )
        return services.update_activity(actor=request.user, activity=activity, **form.service_values())
    except Http404:
        form.add_error("organization", _("所选组织不存在或不在您的管辖范围内。"))
    except DomainError as exc:
        form_error_from(form, exc)
    return None


@staff_view(Perm.MANAGE_ACTIVITIES)
def activity_new(request):
    initial = {}
    if request.GET.get("org"):
        initial["organization"] = str(
            get_organization_for(request.user, request.GET["org"], Perm.MANAGE_ACTIVITIES).pk
        )
    form = ActivityForm(request.user, request.POST or None, initial=initial)
    activity = _save_form(request, form)
    if activity is not None:
        messages.success(request, _("已创建活动“%(t)s”。") % {"t": activity.title})
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": None})


@staff_view(Perm.MANAGE_ACTIVITIES)
def activity_edit(request, pk: int):
    activity = selectors.get_activity_for(request.user, pk)
    form = ActivityForm(request.user, request.POST or None, initial=initial_for(activity), activity=activity)
    saved = _save_form(request, form, activity=activity)
    if saved is not None:
        messages.success(request, _("已保存。"))
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


def _registration_rows(user, activity) -> list[dict]:
    pii = permissions.has_perm(user, Perm.VIEW_PII, activity.org_path)
    rows = []
    for registration in selectors.registrations_of(activity):
        rows.append(
            {
                "registration": registration,
                "mobile": registration.mobile if pii else mask_mobile(registration.mobile),
                "is_member": registration.person_id is not None,
            }
        )
    return rows


@staff_view(Perm.MANAGE_ACTIVITIES)
def activity_detail(request, pk: int):
    activity = selectors.get_activity_for(request.user, pk)
    public_url = request.build_absolute_uri(reverse("activities:public", args=[activity.pk]))
    context = {
        "activity": activity,
        "public_url": public_url,
        "public_qr": passes.qr_svg(public_url, scale=4) if activity.status != ActivityStatus.DRAFT else "",
        "rows": _registration_rows(request.user, activity),
        "cancel_form": CancelForm(),
        "record": getattr(activity, "record", None) if activity.activity_type.is_meeting else None,
        "now": timezone.now(),
        "invitations": selectors.invitations_of(activity),
        **_booking_context(request.user, activity),
    }
    return render(request, "activities/detail.html", context)


def _booking_context(user, activity) -> dict:
    """The center booking that reserves the activity's space (and a link for the center's staff)."""
    booking = booking_of(activity) if activity.space_id is not None else None
    return {
        "booking": booking,
        "booking_link": booking is not None
        and permissions.has_perm(user, Perm.MANAGE_CENTERS, booking.org_path),
    }


def _act(request, pk: int, call, success: str):
    activity = selectors.get_activity_for(request.user, pk)
    try:
        call(activity)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("activities:detail", pk=activity.pk)


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def activity_publish(request, pk: int):
    return _act(
        request, pk, lambda a: services.publish_activity(actor=request.user, activity=a), _("已发布。")
    )


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def activity_cancel(request, pk: int):
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda a: services.cancel_activity(actor=request.user, activity=a, reason=reason),
        _("活动已取消。"),
    )


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def activity_finish(request, pk: int):
    return _act(
        request, pk, lambda a: services.finish_activity(actor=request.user, activity=a), _("活动已结束。")
    )


def _registration(request, pk: int, registration_pk: int):
    activity = selectors.get_activity_for(request.user, pk)
    registration = Registration.objects.filter(activity=activity, pk=registration_pk).first()
    if registration is None:
        raise Http404
    return activity, registration


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def manual_check_in(request, pk: int, registration_pk: int):
    activity, registration = _registration(request, pk, registration_pk)
    try:
        result = attendance.check_in_by_hand(
            actor=request.user, registration=registration, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if result == "ok":
            messages.success(request, _("%(n)s 已签到。") % {"n": registration.name})
        else:
            messages.warning(request, _("%(n)s 此前已签到。") % {"n": registration.name})
    return redirect("activities:detail", pk=activity.pk)


@require_POST
@staff_view(Perm.MANAGE_ACTIVITIES)
def staff_cancel_registration(request, pk: int, registration_pk: int):
    activity, registration = _registration(request, pk, registration_pk)
    try:
        registrations.cancel_registration(actor=request.user, registration=registration)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消 %(n)s 的报名。") % {"n": registration.name})
    return redirect("activities:detail", pk=activity.pk)


@staff_view(Perm.MANAGE_ACTIVITIES)
def paper_sheet(request, pk: int):
    """Tick who signed the paper sheet (the audience's members), after or during the event."""
    activity = selectors.get_activity_for(request.user, pk)
    require_perm_on(request.user, Perm.MANAGE_ACTIVITIES, activity.org_path)
    candidates = list(
        expected_members(activity).select_related("organization").order_by("org_path", "name", "id")[:500]
    )
    signed = set(
        activity.registrations.filter(checked_in_at__isnull=False).values_list("person_id", flat=True)
    )
    error = ""
    if request.method == "POST":
        try:
            ids = [int(value) for value in request.POST.getlist("person")]
            counts = attendance.enter_paper_sheet(
                actor=request.user, activity=activity, person_ids=ids, note=request.POST.get("note", "")
            )
        except (ValueError, DomainError) as exc:
            error = exc.message if isinstance(exc, DomainError) else _("人员选择有误。")
        else:
            messages.success(
                request,
                _("已补录 %(a)d 人签到（%(b)d 人此前已签到）。")
                % {"a": counts["admitted"], "b": counts["already"]},
            )
            return redirect("activities:detail", pk=activity.pk)
    context = {"activity": activity, "candidates": candidates, "signed": signed, "error": error}
    return render(request, "activities/paper_sheet.html", context)


@staff_view(Perm.MANAGE_ACTIVITIES)
def room_screen(request, pk: int):
    """The rotating sign-in code for the room's screen; refreshes itself (activities.js)."""
    from dangqun.activities.selectors.screen import screen_code

    activity = selectors.get_activity_for(request.user, pk)
    if not activity.rotating_checkin:
        messages.error(request, _("本活动未启用动态码签到。"))
        return redirect("activities:detail", pk=activity.pk)
    if activity.status != ActivityStatus.PUBLISHED:
        messages.error(request, _("只有已发布的活动才能显示签到码。"))
        return redirect("activities:detail", pk=activity.pk)
    context = {"activity": activity, "screen": screen_code(request, activity)}
    return render(request, "activities/screen.html", context)


@staff_view(Perm.MANAGE_ORGS)
def scanners(request):
    """Check-in scanners of the viewer's subtrees; register one (its token is shown once)."""
    from dangqun.accounts.devices import register_device
    from dangqun.accounts.models import Device
    from dangqun.people.forms import organization_choices

    user = request.user
    choices = organization_choices(user, Perm.MANAGE_ORGS)
    created = token = None
    error = ""
    if request.method == "POST":
        try:
            organization = get_organization_for(user, request.POST.get("organization"), Perm.MANAGE_ORGS)
            name = " ".join(request.POST.get("name", "").split())[:100]
            if not name:
                raise DomainError("required", _("请填写设备名称。"), field="name")
            created, token = register_device(actor=user, organization=organization, name=name, kind="scanner")
        except Http404:
            error = _("所选组织不存在或不在您的管辖范围内。")
        except DomainError as exc:
            error = exc.message
    devices = (
        Device.objects.filter(
            permissions.scope_q(user, Perm.MANAGE_ORGS, "organization__path"), kind="scanner"
        )
        .select_related("organization")
        .order_by("organization__path", "name")[:200]
    )
    context = {
        "devices": devices,
        "choices": choices,
        "created": created,
        "token": token,
        "token_qr": passes.qr_svg(token, scale=4) if token else "",
        "api_url": request.build_absolute_uri("/api/v1/activities/checkin"),
        "error": error,
    }
    response = render(request, "activities/scanners.html", context)
    response["Cache-Control"] = "no-store"
    return response
