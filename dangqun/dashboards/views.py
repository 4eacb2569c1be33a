"""The staff workbench: the counts of each scope root from its rollup row, and quick links."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.orgs.selectors import scope_roots


def _quick_links(user, org) -> list[dict]:
    links = [{"label": "organization", "url": reverse("orgs:detail", args=[org.pk])}]
    if permissions.has_perm(user, Perm.VIEW_PEOPLE, org.path):
        links.append({"label": "people", "url": reverse("people:list") + f"?org={org.pk}"})
    if permissions.has_perm(user, Perm.EDIT_PEOPLE, org.path):
        links.append({"label": "register", "url": reverse("people:new") + f"?org={org.pk}"})
    if permissions.has_perm(user, Perm.MANAGE_ORGS, org.path):
        links.append({"label": "create_child", "url": reverse("orgs:create-child", args=[org.pk])})
    return links


def workbench(request):
    """Home for staff: the counts of each scope root, from its rollup row, and quick links."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.is_staff_user(user):
        return render(request, "dashboards/no_workbench.html", status=403)
    cards = [
        {"org": org, "rollup": org.rollup, "links": _quick_links(user, org)} for org in scope_roots(user)
    ]
    return render(request, "dashboards/workbench.html", {"cards": cards})
