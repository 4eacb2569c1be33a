"""The service catalog pages (manage_centers): list, add and edit items of one's centers."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.centers.models import ServiceCenter
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import form_error_from
from dangqun.servicedesk import selectors, services
from dangqun.servicedesk.forms import ItemForm
from dangqun.servicedesk.models import ServiceItem


def _centers(user):
    return list(
        ServiceCenter.objects.filter(
            permissions.scope_q(user, Perm.MANAGE_CENTERS, "org_path"), is_active=True
        ).order_by("name", "id")
    )


@staff_view(Perm.MANAGE_CENTERS)
def catalog(request):
    items = list(selectors.items_visible_to(request.user))
    rows = [{"item": i, "promise": selectors.promise_text(i)} for i in items]
    return render(request, "servicedesk/catalog.html", {"rows": rows})


@staff_view(Perm.MANAGE_CENTERS)
def item_new(request):
    centers = _centers(request.user)
    initial = {"center": request.GET.get("center", ""), "promise_unit": "working_days", "is_public": True,
               "is_active": True}  # fmt: skip
    form = ItemForm(centers, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_service_item(
                actor=request.user, center=form.centers[form.cleaned_data["center"]], data=form.service_data()
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("已添加服务事项“%(n)s”。") % {"n": item.name})
            return redirect("servicedesk:catalog")
    return render(request, "servicedesk/item_form.html", {"form": form, "item": None},
                  status=400 if form.errors else 200)  # fmt: skip


@staff_view(Perm.MANAGE_CENTERS)
def item_edit(request, pk: int):
    try:
        item = selectors.items_visible_to(request.user).get(pk=pk)
    except (ServiceItem.DoesNotExist, ValueError):
        raise Http404 from None
    form = ItemForm([item.center], request.POST or None, initial=ItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_service_item(actor=request.user, item=item, data=form.service_data())
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("servicedesk:catalog")
    return render(request, "servicedesk/item_form.html", {"form": form, "item": item},
                  status=400 if form.errors else 200)  # fmt: skip
