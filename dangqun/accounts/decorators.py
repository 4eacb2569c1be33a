"""Access checks for staff views: login, then a permission held somewhere (row scope stays in selectors)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from dangqun.accounts import permissions


def staff_view(perm: str | None = None):
    """Anonymous → login page (htmx: a client redirect); no grant of `perm` anywhere → 403.

    `perm` None asks only for a staff role. Row scope is still the selector's job.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(reverse("accounts:login"))
                return redirect_to_login(request.get_full_path())
            allowed = permissions.has_perm(user, perm) if perm else permissions.is_staff_user(user)
            if not allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require_perm_on(user, perm: str, path: str) -> None:
    """403 when the viewer may see the node but not act on it."""
    if not permissions.has_perm(user, perm, path):
        raise PermissionDenied
