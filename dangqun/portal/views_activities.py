"""The phone page of an activity (/m/a/<pk>/): details, schema.org Event data, register and cancel.

A member registers from their login (the activities service checks the audience); anyone may
register for a public activity with name and mobile. A guest's registration is remembered in their
session (its pass is shown only there), never in the URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.activities import passes
from dangqun.activities.enums import ActivityStatus, Audience
from dangqun.activities.selectors.activities import viewable_activity
from dangqun.activities.services.activities import registrations_open
from dangqun.activities.services.registrations import cancel_registration, register_guest, register_person
from dangqun.core.errors import DomainError
from dangqun.portal import jsonld, qr, selectors
from dangqun.portal.common import absolute, private, throttle
from dangqun.portal.forms import GuestRegistrationForm, attach_error

SESSION_KEY = "portal_guest_registrations"


def _guest(request, activity_pk: int) -> dict | None:
    return (request.session.get(SESSION_KEY) or {}).get(str(activity_pk))


def _remember_guest(request, registration) -> None:
    kept = dict(request.session.get(SESSION_KEY) or {})
    kept[str(registration.activity_id)] = {"id": registration.pk, "code": registration.pass_code}
    request.session[SESSION_KEY] = kept


def _forget_guest(request, activity_pk: int) -> None:
    kept = dict(request.session.get(SESSION_KEY) or {})
    if kept.pop(str(activity_pk), None) is not None:
        request.session[SESSION_KEY] = kept


def _mine(request, activity):
    person = selectors.person_of(request.user)
    if person is not None:
        return person, selectors.registration_of(activity, person=person)
    guest = _guest(request, activity.pk)
    registration = selectors.registration_of(activity, pk=guest["id"]) if guest else None
    return None, registration


def _page(request, activity, *, form=None, status: int = 200):
    person, registration = _mine(request, activity)
    now = timezone.now()
    url = absolute(request, "activity", activity.pk)
    context = {
        "activity": activity,
        "center": activity.center,
        "person": person,
        "registration": registration,
        "pass_display": passes.display(registration.pass_code) if registration else "",
        "pass_qr": qr.svg_inline(registration.pass_code) if registration else "",
        "open": registrations_open(activity, now),
        "is_public": activity.audience == Audience.PUBLIC,
        "cancelled": activity.status == ActivityStatus.CANCELLED,
        "over": activity.ends_at <= now or activity.status == ActivityStatus.FINISHED,
        "form": form or GuestRegistrationForm(),
        "login_url": f"{reverse('accounts:login')}?next={reverse('portal:activity', args=[activity.pk])}",
        "jsonld": jsonld.dump(jsonld.event(activity, url=url)),
        "page_url": url,
    }
    return render(request, "portal/mobile/activity.html", context, status=status)


def _viewable(request, pk: int):
    """The activity if the visitor may see it (the activities app's rule); a stranger who scanned the
    QR of a members-only activity is asked to log in; anyone else outside its audience gets a 404."""
    try:
        return viewable_activity(request.user, pk), None
    except Http404:
        if request.user.is_authenticated:
            raise
        selectors.shown_activity(pk)  # 404 for drafts and unknown numbers
        return None, redirect_to_login(reverse("portal:activity", args=[pk]))


@private
def activity_page(request, pk: int):
    activity, to_login = _viewable(request, pk)
    return to_login or _page(request, activity)


@private
@require_POST
def activity_register(request, pk: int):
    activity, to_login = _viewable(request, pk)
    if to_login:
        return to_login
    form = GuestRegistrationForm(request.POST)
    if not throttle(request, form):
        return _page(request, activity, form=form, status=429)
    user = request.user if request.user.is_authenticated else None
    person = selectors.person_of(user)
    try:
        if person is not None:
            registration = register_person(actor=user, activity=activity, person=person)
        elif activity.audience != Audience.PUBLIC:
            raise DomainError("no_person", _("您的账号还没有关联人员信息，请联系所在支部或中心工作人员。"))
        else:
            if not form.is_valid():
                return _page(request, activity, form=form, status=400)
            registration = register_guest(
                activity=activity, name=form.cleaned_data["name"], mobile=form.cleaned_data["mobile"]
            )
            _remember_guest(request, registration)
    except DomainError as exc:
        attach_error(form, exc)
        return _page(request, activity, form=form, status=exc.status)
    if registration.status == "waitlisted":
        messages.success(
            request,
            _("名额已满，您已进入候补（第 %(n)d 位），有空位时按顺序递补。")
            % {"n": registration.waitlist_no},
        )
    else:
        messages.success(request, _("报名成功！"))
    return redirect(f"{reverse('portal:activity', args=[pk])}#mine")


@private
@require_POST
def activity_cancel(request, pk: int):
    activity, to_login = _viewable(request, pk)
    if to_login:
        return to_login
    form = GuestRegistrationForm()
    if not throttle(request, form):
        messages.error(request, form.non_field_errors()[0])
        return redirect("portal:activity", pk=pk)
    person, registration = _mine(request, activity)
    if registration is None:
        messages.error(request, _("没有找到您的报名。"))
        return redirect("portal:activity", pk=pk)
    guest = _guest(request, pk) if person is None else None
    try:
        cancel_registration(
            actor=request.user if request.user.is_authenticated else None,
            registration=registration,
            pass_code=guest["code"] if guest else "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if guest:
            _forget_guest(request, pk)
        messages.success(request, _("已取消报名。"))
    return redirect("portal:activity", pk=pk)
