"""Home (/): the staff workbench (the counts of each scope root from its rollup row, and quick
links) or, for members and masses with a login, their own page (我的): notices to read, what they
registered for, what is open to them, and a cadre's organizational-life quarter."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.activities.enums import RegistrationStatus
from dangqun.activities.selectors import activities as activity_selectors
from dangqun.core.dates import add_months
from dangqun.news import selectors as news_selectors
from dangqun.orglife.selectors import access as orglife_access
from dangqun.orgs.selectors import scope_roots

HOME_ROWS = 5


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
        return render(request, "dashboards/member_home.html", member_home_context(user))
    cards = [
        {"org": org, "rollup": org.rollup, "links": _quick_links(user, org)} for org in scope_roots(user)
    ]
    return render(request, "dashboards/workbench.html", {"cards": cards})


def member_home_context(user) -> dict:
    """我的: a handful of rows from each place a member acts; every list links to its full page."""
    now = timezone.now()
    inbox = news_selectors.notices_for(user)
    registrations = [
        r for r in activity_selectors.my_registrations(user).filter(activity__ends_at__gte=now)[:20]
    ]
    registrations.sort(key=lambda r: (r.activity.starts_at, r.pk))
    registered = {r.activity_id for r in registrations}
    end = timezone.make_aware(datetime.combine(add_months(timezone.localdate(), 1), time.min))
    open_to_me = [
        a for a in activity_selectors.upcoming_for(user, start=now, end=end) if a.pk not in registered
    ][:HOME_ROWS]
    return {
        "person": getattr(user, "person", None),
        "unread": inbox.unread,
        "receipts": list(inbox.receipts[:HOME_ROWS]),
        "registrations": registrations[:HOME_ROWS],
        "waitlisted": RegistrationStatus.WAITLISTED,
        "open_to_me": open_to_me,
        "cadre": orglife_access.cadre_of(user),
    }
