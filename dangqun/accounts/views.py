"""Login, logout, password change, unlocking accounts, and the audit-log search. Thin views."""

from __future__ import annotations

from datetime import datetime

from django.contrib import auth, messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from dangqun.accounts import selectors, services
from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.accounts.forms import AuditFilterForm, LoginForm, PasswordChangeForm
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import decode_cursor, encode_cursor, query_without

AUDIT_PAGE_SIZE = 50


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("workbench")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.method == "GET" and request.user.is_authenticated:
        return HttpResponseRedirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.attempt_login(
                request, login=form.cleaned_data["login"], password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if user.must_change_password:
                messages.warning(request, _("首次登录或密码已被重置，请先修改密码。"))
                return redirect("accounts:password-change")
            return HttpResponseRedirect(_safe_next(request))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        auth.logout(request)  # the user_logged_out signal writes the audit entry
        messages.success(request, _("您已安全退出。"))
    return redirect("accounts:login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # stay logged in on this device only
        messages.success(request, _("密码已修改。"))
        return redirect("workbench")
    return render(request, "accounts/password_change.html", {"form": form})


@staff_view(Perm.MANAGE_GRANTS)
def locked_accounts(request):
    users = list(selectors.locked_users_visible_to(request.user)[:200])
    return render(request, "accounts/locked.html", {"users": users})


@require_POST
@staff_view(Perm.MANAGE_GRANTS)
def unlock(request, pk: int):
    target = selectors.get_managed_user_for(request.user, pk)
    try:
        services.unlock_account(actor=request.user, user=target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已解锁账号 %(u)s。") % {"u": target.username})
    return redirect("accounts:locked")


@staff_view(Perm.VIEW_AUDIT)
def audit_log(request):
    form = AuditFilterForm(request.GET)
    after = None
    cursor = decode_cursor(request.GET.get("after"), 2)
    if cursor is not None:
        try:
            after = (datetime.fromisoformat(cursor[0]), int(cursor[1]))
        except (TypeError, ValueError):
            after = None
    entries, has_more = selectors.search_audit_entries(
        request.user, form.filters(), after=after, limit=AUDIT_PAGE_SIZE
    )
    next_cursor = ""
    if has_more and entries:
        last = entries[-1]
        next_cursor = encode_cursor(last.occurred_at.isoformat(), last.pk)
    context = {
        "form": form,
        "entries": entries,
        "next_cursor": next_cursor,
        "filter_query": query_without(request, "after"),
        "is_first_page": after is None,
    }
    return render(request, "accounts/audit_log.html", context)
