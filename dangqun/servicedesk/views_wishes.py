"""Wish pages: the moderation queue and a wish's actions (staff), and the public wall (anyone)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.centers.models import ServiceCenter
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import form_error_from
from dangqun.people.selectors import PiiPolicy
from dangqun.servicedesk import selectors, services
from dangqun.servicedesk.enums import WISH_EVENT_LABELS, WISH_TRANSITIONS, WishState
from dangqun.servicedesk.forms import WISH_ACTION_FIELDS, WishActionForm, WishFilterForm
from dangqun.servicedesk.models import Wish

QUEUE_SIZE = 50
WISH_ACTION_ORDER = ("approve", "reject", "fulfil", "confirm", "release", "cancel")


def _wish_rows(user, wishes: list[Wish]) -> list[dict]:
    policy = PiiPolicy.for_user(user)
    shown = [w for w in wishes if w.wisher_mobile and policy.allows(w.org_path)]
    if shown:
        audit.record("servicedesk.pii.viewed", actor=user, org_path=shown[0].org_path,
                     data={"wish_ids": [w.pk for w in shown], "fields": ["wisher_mobile"]})  # fmt: skip
    return [
        {"wish": w, "mobile": selectors.wisher_mobile_for(user, w), "public_name": selectors.public_name(w)}
        for w in wishes
    ]


@staff_view(Perm.MODERATE_WISHES)
def wish_queue(request):
    form = WishFilterForm(request.GET or None)
    wishes = form.apply(selectors.wishes_visible_to(request.user))
    # Pending first (they wait for a decision), then newest.
    wishes = list(wishes.order_by("state", "-created_at", "-id")[:QUEUE_SIZE])
    pending = selectors.wishes_visible_to(request.user).filter(state=WishState.PENDING).count()
    return render(
        request,
        "servicedesk/wishes.html",
        {"form": form, "rows": _wish_rows(request.user, wishes), "pending": pending, "limit": QUEUE_SIZE},
    )


def _wish_detail(request, wish: Wish, *, bound: WishActionForm | None = None, status: int = 200):
    forms = []
    for action in WISH_ACTION_ORDER:
        if wish.state in WISH_TRANSITIONS[action].sources:
            forms.append(bound if bound is not None and bound.action == action else WishActionForm(action))
    row = _wish_rows(request.user, [wish])[0]
    context = {
        "wish": wish,
        "row": row,
        "forms": forms,
        "events": [
            {"event": e, "label": WISH_EVENT_LABELS.get(e.action, e.action)}
            for e in wish.events.order_by("created_at", "id")
        ],
        "card": selectors.card(wish),
    }
    return render(request, "servicedesk/wish_detail.html", context, status=status)


@staff_view(Perm.MODERATE_WISHES)
def wish_detail(request, pk: int):
    return _wish_detail(request, selectors.get_wish_for(request.user, pk))


WISH_DONE = {
    "approve": _("已审核通过，心愿上墙待认领。"),
    "reject": _("已审核未通过。"),
    "fulfil": _("已登记心愿实现。"),
    "confirm": _("已代许愿人确认并致谢。"),
    "release": _("已取消认领，心愿回到待认领。"),
    "cancel": _("已取消心愿。"),
}


@require_POST
@staff_view(Perm.MODERATE_WISHES)
def wish_action(request, pk: int, action: str):
    if action not in WISH_ACTION_FIELDS:
        raise Http404
    user = request.user
    wish = selectors.get_wish_for(user, pk)
    form = WishActionForm(action, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "approve":
                services.approve_wish(actor=user, wish=wish)
            elif action == "reject":
                services.reject_wish(actor=user, wish=wish, reason=data["reason"])
            elif action == "fulfil":
                services.fulfil_wish(actor=user, wish=wish, note=data["note"])
            elif action == "confirm":
                services.confirm_wish(actor=user, wish=wish, thanks=data["thanks"], rating=data["rating"])
            elif action == "release":
                services.release_claim(actor=user, wish=wish, reason=data["reason"])
            else:
                services.cancel_wish(actor=user, wish=wish, reason=data["reason"])
        except DomainError as exc:
            if exc.status == 403:
                raise
            form_error_from(form, exc)
        else:
            messages.success(request, WISH_DONE[action])
            return redirect("servicedesk:wish", pk=pk)
    return _wish_detail(request, selectors.get_wish_for(user, pk), bound=form, status=400)


def wall(request, slug: str):
    """The public wish wall of a center (the lobby screen, anyone's phone): minimal cards."""
    center = get_object_or_404(ServiceCenter, slug=slug, is_active=True)
    now = timezone.now()
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    context = {
        "center": center,
        "cards": selectors.public_wall(center, now=now),
        "counts": selectors.wall_counts(center),
        "rankings": selectors.wish_rankings(
            start=month_start, end=now + timedelta(seconds=1), center=center, limit=5
        ),
        "now": now,
    }
    template = "servicedesk/partials/wall_cards.html" if request.htmx else "servicedesk/wall.html"
    return render(request, template, context)
