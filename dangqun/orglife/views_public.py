"""Public pages (no login), reached by the QR on the branch's board: the notice and its objection
form, and the receipt page where a submitter reads the answer. Minimum fields only (PIPL §25)."""

from __future__ import annotations

from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dangqun.core import request_context, rules
from dangqun.core.errors import DomainError
from dangqun.orglife import rules as keys
from dangqun.orglife.forms import ObjectionForm, started_at, started_token
from dangqun.orglife.models import Objection, PublicNotice
from dangqun.orglife.services.notices import file_objection, is_live


def _gone(request, notice: PublicNotice) -> HttpResponse:
    response = render(request, "orglife/public/gone.html", {"notice": notice}, status=410)
    response["Cache-Control"] = "no-store"
    return response


def _too_large(request, limit: int) -> HttpResponse:
    response = render(request, "orglife/public/too_large.html", {"limit_kb": limit // 1024}, status=413)
    response["Cache-Control"] = "no-store"
    return response


def _body_too_large(request, limit: int) -> bool:
    """Decided from CONTENT_LENGTH before the body is read (a missing or odd header is not trusted:
    Django's own upload limit then stops the read)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit


def _csrf_refusal(request):
    """CSRF checked here, after the size check: the middleware would read the body first."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})


@never_cache
@csrf_exempt  # checked in the view, once the body is known to be small (see _csrf_refusal)
@require_http_methods(["GET", "POST"])
def notice(request, token: str):
    """The 公示: name, post, meeting, date, summary, period, supervision phone; objection form."""
    item = get_object_or_404(PublicNotice, token=token[:64])
    now = timezone.now()
    if not is_live(item, now):
        return _gone(request, item)
    max_chars = int(rules.value(keys.OBJECTION_MAX_CHARS, org_path=item.org_path))
    if request.method == "POST":
        limit = int(rules.value(keys.OBJECTION_MAX_BODY))
        if _body_too_large(request, limit):
            return _too_large(request, limit)
        refusal = _csrf_refusal(request)
        if refusal is not None:
            return refusal
        form = ObjectionForm(request.POST, max_chars=max_chars)
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = file_objection(
                    token=item.token,
                    text=data["text"],
                    name=data["name"],
                    contact=data["contact"],
                    ip=request_context.current().ip,
                    honeypot=data["website"],
                    started_at=started_at(data["started"]),
                    now=now,
                )
            except DomainError as exc:
                if exc.status == 410:
                    return _gone(request, item)
                shown = exc.field if exc.field in ("text", "name", "contact") else None
                form.add_error(shown, exc.message)
                status = exc.status if exc.status in (400, 429) else 400
                return _page(request, item, form, status=status)
            return redirect("orglife:receipt", receipt=objection.receipt)
        return _page(request, item, form, status=400)
    return _page(request, item, ObjectionForm(max_chars=max_chars, initial={"started": started_token()}))


def _page(request, item: PublicNotice, form: ObjectionForm, *, status: int = 200) -> HttpResponse:
    if form.is_bound:  # a fresh time stamp for the next try
        data = form.data.copy()
        data["started"] = started_token()
        form.data = data
    context = {
        "notice": item,
        "form": form,
        "public_url": request.build_absolute_uri(reverse("orglife:public", args=[item.token])),
    }
    return render(request, "orglife/public/notice.html", context, status=status)


@never_cache
def receipt(request, receipt: str):
    """The submitter's receipt: status and the department's answer (nothing else of the notice)."""
    objection = get_object_or_404(Objection.objects.select_related("notice"), receipt=receipt[:32])
    return render(
        request, "orglife/public/receipt.html", {"objection": objection, "title": _("异议受理回执")}
    )
