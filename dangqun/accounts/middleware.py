"""Server-side idle timeout (30 min) and absolute session age (12 h), per 等保 2.0."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from dangqun.accounts.services import SESSION_LAST_SEEN, SESSION_LOGIN_AT

# Touch the session at most once a minute: no database write on every request.
_TOUCH_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            login_at = request.session.get(SESSION_LOGIN_AT, now)
            idle_limit = settings.SECURITY_IDLE_TIMEOUT_MINUTES * 60
            absolute_limit = settings.SECURITY_ABSOLUTE_SESSION_HOURS * 3600
            if now - last_seen > idle_limit or now - login_at > absolute_limit:
                logout(request)
                message = _("您已 %(m)d 分钟无操作，为保护信息安全已自动退出，请重新登录。") % {
                    "m": settings.SECURITY_IDLE_TIMEOUT_MINUTES
                }
                if request.path.startswith("/api/"):
                    return JsonResponse({"code": "session_expired", "message": message}, status=401)
                messages.warning(request, message)
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
                return redirect_to_login(request.get_full_path())
            if now - last_seen > _TOUCH_SECONDS or SESSION_LAST_SEEN not in request.session:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)
