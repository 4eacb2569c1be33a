"""Staff pages: centers, spaces (with photos), blackout periods. Thin views over services/selectors."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.decorators import require_perm_on, staff_view
from dangqun.accounts.enums import Perm
from dangqun.centers import selectors, services
from dangqun.centers.enums import BookingStatus
from dangqun.centers.forms import BlackoutForm, CenterForm, PhotoForm, SpaceForm
from dangqun.centers.hours import describe
from dangqun.centers.models import Blackout, Booking, Space, SpacePhoto
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import form_error_from
from dangqun.orgs.selectors import get_organization_for, organizations_visible_to

ORG_CHOICES_LIMIT = 300


def _hours_error(form, exc: DomainError) -> None:
    """Hours errors name the whole table (`opening_hours`); show them above the form."""
    if exc.field in ("opening_hours", "bookable_hours"):
        form.add_error(None, exc.message)
    else:
        form_error_from(form, exc)


@staff_view(Perm.MANAGE_CENTERS)
def center_list(request):
    centers = list(selectors.centers_visible_to(request.user))
    pending = dict(
        selectors.pending_queue(request.user).order_by().values_list("space__center").annotate(n=Count("pk"))
    )
    spaces = dict(
        Space.objects.filter(center__in=centers).order_by().values_list("center").annotate(n=Count("pk"))
    )
    rows = [{"center": c, "pending": pending.get(c.pk, 0), "spaces": spaces.get(c.pk, 0)} for c in centers]
    return render(request, "centers/center_list.html", {"rows": rows})


@staff_view(Perm.MANAGE_CENTERS)
def center_new(request):
    organizations = list(
        organizations_visible_to(request.user, Perm.MANAGE_CENTERS).filter(dissolved_at__isnull=True)[
            :ORG_CHOICES_LIMIT
        ]
    )
    form = CenterForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        organization = get_organization_for(
            request.user, form.cleaned_data["organization"], Perm.MANAGE_CENTERS
        )
        try:
            center = services.create_center(
                actor=request.user, organization=organization, data=form.service_data()
            )
        except DomainError as exc:
            _hours_error(form, exc)
        else:
            messages.success(request, _("已建立 %(n)s。") % {"n": center.name})
            return redirect("centers:center", pk=center.pk)
    return render(request, "centers/center_form.html", {"form": form, "center": None})


@staff_view(Perm.MANAGE_CENTERS)
def center_detail(request, pk: int):
    center = selectors.get_center_for(request.user, pk)
    now = timezone.now()
    context = {
        "center": center,
        "hours": describe(center.opening_hours),
        "spaces": list(center.spaces.prefetch_related("photos").order_by("sort_order", "pk")),
        "blackouts": list(selectors.blackouts_of(center, since=now)[:20]),
        "pending": list(selectors.pending_queue(request.user, center=center)[:20]),
        "free_now": selectors.spaces_free_now(center, now=now),
        "visits": list(
            selectors.visits_visible_to(request.user)
            .filter(center=center, status=BookingStatus.PENDING)
            .order_by("starts_at")[:20]
        ),
        "manages_devices": permissions.has_perm(request.user, Perm.MANAGE_ORGS, center.org_path),
    }
    return render(request, "centers/center_detail.html", context)


@staff_view(Perm.MANAGE_CENTERS)
def center_edit(request, pk: int):
    center = selectors.get_center_for(request.user, pk)
    form = CenterForm(request.POST or None, center=center)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_center(actor=request.user, center=center, data=form.service_data())
        except DomainError as exc:
            _hours_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("centers:center", pk=center.pk)
    return render(request, "centers/center_form.html", {"form": form, "center": center})


@staff_view(Perm.MANAGE_CENTERS)
def space_new(request, pk: int):
    center = selectors.get_center_for(request.user, pk)
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.create_space(actor=request.user, center=center, data=form.service_data())
        except DomainError as exc:
            _hours_error(form, exc)
        else:
            messages.success(request, _("已添加功能区 %(n)s。") % {"n": space.name})
            return redirect("centers:space", pk=space.pk)
    return render(request, "centers/space_form.html", {"form": form, "center": center, "space": None})


@staff_view(Perm.MANAGE_CENTERS)
def space_edit(request, pk: int):
    space = selectors.get_space_for(request.user, pk)
    form = SpaceForm(request.POST or None, space=space)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_space(actor=request.user, space=space, data=form.service_data())
        except DomainError as exc:
            _hours_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("centers:space", pk=space.pk)
    return render(request, "centers/space_form.html", {"form": form, "center": space.center, "space": space})


@staff_view(Perm.MANAGE_CENTERS)
def photo_add(request, pk: int):
    space = selectors.get_space_for(request.user, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_space_photo(
                actor=request.user,
                space=space,
                upload=form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("照片已上传。"))
            return redirect("centers:space", pk=space.pk)
    return render(
        request, "centers/photo_form.html", {"form": form, "space": space}, status=400 if form.errors else 200
    )


@staff_view(Perm.MANAGE_CENTERS)
@require_POST
def photo_remove(request, pk: int):
    photo = get_object_or_404(SpacePhoto.objects.select_related("space__center"), pk=pk)
    selectors.get_space_for(request.user, photo.space_id)  # 404 outside the scope
    services.remove_space_photo(actor=request.user, photo=photo)
    messages.success(request, _("照片已删除。"))
    return redirect("centers:space", pk=photo.space_id)


def photo(request, pk: int):
    """A space photo (public: spaces are public). Served with the type found in its content."""
    item = get_object_or_404(SpacePhoto.objects.select_related("space__center"), pk=pk)
    if not item.space.is_active or not item.space.center.is_active:
        raise Http404
    try:
        handle = item.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    # Only ever shown as an image: nothing in it may run, and it is never offered as a download name.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response


@staff_view(Perm.MANAGE_CENTERS)
def blackouts(request, pk: int):
    center = selectors.get_center_for(request.user, pk)
    form = BlackoutForm(request.POST or None, center=center)
    affected: list[Booking] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        space = center.spaces.filter(pk=data["space"]).first() if data["space"] else None
        try:
            _blackout, affected = services.create_blackout(
                actor=request.user, center=center, space=space, starts_at=data["starts_at"], ends_at=data["ends_at"],
                reason=data["reason"], cancel_affected=data["cancel_affected"],
            )  # fmt: skip
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            if affected and not data["cancel_affected"]:
                messages.warning(request, _("该时段内仍有 %(n)d 个预约，请逐一处理。") % {"n": len(affected)})
            elif affected:
                messages.success(request, _("已取消该时段内的 %(n)d 个预约。") % {"n": len(affected)})
            else:
                messages.success(request, _("已登记暂停使用时段。"))
            return redirect("centers:blackouts", pk=center.pk)
    context = {
        "center": center,
        "form": form,
        "blackouts": list(selectors.blackouts_of(center, since=timezone.now())),
    }
    return render(request, "centers/blackouts.html", context)


@staff_view(Perm.MANAGE_CENTERS)
@require_POST
def blackout_delete(request, pk: int):
    blackout = get_object_or_404(Blackout.objects.select_related("center"), pk=pk)
    center = selectors.get_center_for(request.user, blackout.center_id)
    require_perm_on(request.user, Perm.MANAGE_CENTERS, center.org_path)
    services.delete_blackout(actor=request.user, blackout=blackout)
    messages.success(request, _("已删除。"))
    return redirect("centers:blackouts", pk=center.pk)
