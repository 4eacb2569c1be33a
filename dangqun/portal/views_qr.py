"""QR images of public pages, served as SVG (/m/qr/<kind>/<key>.svg).

The URL names only a public object (a center's slug, a space, item, activity or wish number): no
personal data, no secret. Secret links (a request's tracking page) are drawn inline instead.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from dangqun.centers import selectors as centers
from dangqun.portal import qr, selectors
from dangqun.servicedesk import selectors as desk

MAX_AGE = 24 * 3600


def _number(key: str) -> int:
    if not key.isdigit() or len(key) > 18:
        raise Http404
    return int(key)


# kind → (URL name, the key of the public object, 404 when it is not public).
TARGETS = {
    "center": lambda key: ("portal:center", centers.get_public_center(key).slug),
    "wall": lambda key: ("portal:wall", centers.get_public_center(key).slug),
    "item": lambda key: ("portal:item", desk.public_item(key).code),
    "space": lambda key: ("portal:space", centers.get_public_space(_number(key)).pk),
    # The canonical activity page is the activities app's.
    "activity": lambda key: ("activities:public", selectors.shown_activity(_number(key)).pk),
    "wish": lambda key: ("portal:wish", desk.public_wish(_number(key)).id),
}


def target_url(request, kind: str, key: str) -> str:
    """The absolute URL of the public page a QR of (kind, key) opens; 404 for anything not public."""
    if kind not in TARGETS:
        raise Http404
    name, arg = TARGETS[kind](key)
    return request.build_absolute_uri(reverse(name, args=[arg]))


@require_GET
def qr_svg(request, kind: str, key: str):
    response = HttpResponse(qr.svg_document(target_url(request, kind, key)), content_type="image/svg+xml")
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
