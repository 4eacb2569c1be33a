"""Old phone links of an activity (/m/a/<pk>/, …/register/, …/cancel/): the canonical public
activity page is the activities app's /activities/p/<pk>/ (JSON-LD, iCal, passes, member and
guest registration). Printed QR codes and shared links still open it: a permanent redirect."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse


def canonical(request, pk: int):
    """301 to the activity's canonical page (which answers 404 for what may not be seen)."""
    return HttpResponsePermanentRedirect(reverse("activities:public", args=[pk]))
