"""Helpers the portal's views share: absolute URLs for QR codes, private responses, rate limits,
and the handling of a public form's POST."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from dangqun.core.errors import DomainError
from dangqun.portal import qr, ratelimit
from dangqun.portal.forms import attach_error


def absolute(request, name: str, *args) -> str:
    """The absolute URL of a portal page as the visitor's browser reached this server."""
    return request.build_absolute_uri(reverse(f"portal:{name}", args=args))


def qr_for(request, name: str, *args) -> str:
    """An inline SVG QR code of a portal page (for secrets that must not travel in an img URL)."""
    return qr.svg_inline(absolute(request, name, *args))


def private(view):
    """Pages reached by a secret link, or showing what someone typed: never cached, never indexed.
    (The site-wide Referrer-Policy same-origin keeps the link from leaving in a Referer header;
    no-referrer would make Chromium send `Origin: null` and fail the CSRF origin check.)"""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def throttle(request, form, *, device=None) -> bool:
    """Count this submission; when over the limit put the message on the form and return False
    (the view answers 429 then)."""
    verdict = ratelimit.hit(request, device=device)
    if not verdict.allowed:
        form.add_error(None, verdict.message)
    return verdict.allowed


def submit(
    request,
    form,
    action: Callable[[dict], Any],
    *,
    success: str | Callable[[Any], str],
    to: str | Callable[[Any], str],
    aliases: dict[str, str] | None = None,
    device=None,
):
    """A public form's POST: count it (rate limit), validate it, call `action(cleaned_data)`.
    Done → the success message and a redirect to `to` (both may depend on what `action` returned).
    Otherwise → (None, status): 400 with the refusal on the field it names, or 429 when over the
    limit; the view then renders the form again with that status."""
    allowed = throttle(request, form, device=device)
    if allowed and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except DomainError as exc:
            attach_error(form, exc, aliases)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(to(result) if callable(to) else to), 200
    return None, 400 if allowed else 429


def act(request, action: Callable[[], Any], *, success: str, to: str):
    """A one-button public POST (cancel, claim): rate-limited; the outcome shown as a message on
    the page it returns to."""
    holder = forms.Form()
    if not throttle(request, holder):
        messages.error(request, holder.non_field_errors()[0])
        return redirect(to)
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(to)
