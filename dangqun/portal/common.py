"""Helpers the portal's views share: absolute URLs for QR codes, private responses, rate limits."""

from __future__ import annotations

from functools import wraps

from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from dangqun.portal import qr, ratelimit


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
