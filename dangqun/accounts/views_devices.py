"""Staff page of an organization's devices (/accounts/orgs/<pk>/devices/): register a kiosk, a
sign-in scanner or a data screen (its token shown once, on the answer to the registration, never
stored in the clear), list them with when each was last seen, and deactivate one.

Permission manage_orgs on the organization; any organization outside the viewer's scope is a 404.
Writes go through dangqun.accounts.devices (audited there).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.decorators import staff_view
from dangqun.accounts.devices import deactivate_device, register_device
from dangqun.accounts.enums import Perm
from dangqun.accounts.models import Device
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import form_error_from

# accounts sits below orgs: the organization model is reached through the device's foreign key.
Organization = Device._meta.get_field("organization").related_model


class DeviceForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("设备名称"),
        max_length=100,
        help_text=gettext_lazy("例如：大厅办事通 1 号、党建图书馆签到扫码枪"),
        error_messages={
            "required": gettext_lazy("请填写设备名称。"),
            "max_length": gettext_lazy("设备名称不能超过 %(limit_value)d 个字。"),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("设备类型"),
        choices=Device.Kind.choices,
        error_messages={
            "required": gettext_lazy("请选择设备类型。"),
            "invalid_choice": gettext_lazy("未知设备类型。"),
        },
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("请填写设备名称。"))
        return name


def _organization_for(user, pk: int):
    """The organization if the viewer may manage it; 404 for anything else (no existence leak)."""
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None or not permissions.has_perm(user, Perm.MANAGE_ORGS, organization.path):
        raise Http404
    return organization


def _slug(raw: str) -> str:
    """The center whose kiosk pairing page to point at (from the center page's link), if well formed."""
    try:
        validate_slug(raw)
    except ValidationError:
        return ""
    return raw


def _page(request, organization, *, form, created=None, token: str = "", status: int = 200):
    devices = (
        Device.objects.filter(organization__path__under=organization.path)
        .select_related("organization")
        .order_by("-is_active", "organization__path", "kind", "name", "pk")
    )
    context = {
        "organization": organization,
        "devices": list(devices),
        "form": form,
        "created": created,
        "token": token,
        "center_slug": _slug(request.GET.get("center", "")),
    }
    response = render(request, "accounts/devices.html", context, status=status)
    add_never_cache_headers(response)  # the answer to a registration carries the token
    return response


@staff_view(Perm.MANAGE_ORGS)
def devices(request, org_pk: int):
    organization = _organization_for(request.user, org_pk)
    if request.method != "POST":
        # Reached from a center page: most likely its lobby kiosk.
        initial = {"kind": Device.Kind.KIOSK} if _slug(request.GET.get("center", "")) else {}
        return _page(request, organization, form=DeviceForm(initial=initial))
    form = DeviceForm(request.POST)
    if form.is_valid():
        try:
            device, token = register_device(
                actor=request.user,
                organization=organization,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            # Shown on this answer only: a reload of the list (GET) never shows it again.
            return _page(request, organization, form=DeviceForm(), created=device, token=token)
    return _page(request, organization, form=form, status=400)


@staff_view(Perm.MANAGE_ORGS)
@require_POST
def deactivate(request, pk: int):
    device = Device.objects.select_related("organization").filter(pk=pk).first()
    if device is None or not permissions.has_perm(request.user, Perm.MANAGE_ORGS, device.organization.path):
        raise Http404
    try:
        deactivate_device(actor=request.user, device=device)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已停用“%(n)s”，它的令牌不再有效。") % {"n": device.name})
    back = request.POST.get("org", "")
    org_pk = int(back) if back.isdigit() else device.organization_id
    return redirect("accounts:devices", org_pk=org_pk)
