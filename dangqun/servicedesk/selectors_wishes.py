"""Reads on wishes: the moderation queue in scope, the public wall (minimal cards), rankings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core import rules
from dangqun.core.masking import mask_mobile, mask_name
from dangqun.people.models import Person
from dangqun.servicedesk import rules as keys
from dangqun.servicedesk.enums import REALISED_STATES, WALL_STATES, WishKind, WishState
from dangqun.servicedesk.models import Wish
from dangqun.servicedesk.tokens import hash_token


def wishes_visible_to(user, perm: str = Perm.MODERATE_WISHES) -> QuerySet[Wish]:
    return Wish.objects.filter(permissions.scope_q(user, perm, "org_path")).select_related(
        "center", "claimed_by", "claimed_by__organization"
    )


def get_wish_for(user, pk, perm: str = Perm.MODERATE_WISHES) -> Wish:
    try:
        return wishes_visible_to(user, perm).get(pk=pk)
    except (Wish.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def wish_for_token(token: str | None) -> Wish:
    """The wisher's own wish (their phone page), by the token given when it was posted."""
    if not token or len(token) > 100:
        raise Http404
    try:
        return Wish.objects.select_related("center").get(tracking_hash=hash_token(token))
    except Wish.DoesNotExist:
        raise Http404 from None


def public_name(wish: Wish) -> str:
    """张* unless the wisher consented to a name of their choice (RULES.md §8.1, PIPL §25)."""
    if wish.consent_name_shown and wish.shown_name:
        return wish.shown_name
    return mask_name(wish.wisher_name)


def wisher_mobile_for(user, wish: Wish) -> str:
    from dangqun.people.selectors import PiiPolicy

    return (
        wish.wisher_mobile
        if PiiPolicy.for_user(user).allows(wish.org_path)
        else mask_mobile(wish.wisher_mobile)
    )


@dataclass(frozen=True)
class WishCard:
    """One card on the public wall: minimal fields, no full name, no phone."""

    id: int
    title: str
    description: str
    kind: str
    kind_label: str
    state: int
    state_label: str
    wisher: str
    claimer: str
    posted_at: datetime
    claimed_at: datetime | None
    fulfilled_at: datetime | None
    thanks: str

    @property
    def can_claim(self) -> bool:
        return self.state == WishState.OPEN


def _state_label(state: int) -> str:
    if state == WishState.RATED:
        return str(WishState.DONE.label)  # on the wall a thanked wish reads 已完成
    return str(WishState(state).label)


def card(wish: Wish) -> WishCard:
    claimer = mask_name(wish.claimed_by.name) if wish.claimed_by_id and wish.claimed_by else ""
    return WishCard(
        id=wish.pk,
        title=wish.title,
        description=wish.description[:120],
        kind=wish.kind,
        kind_label=str(WishKind(wish.kind).label),
        state=wish.state,
        state_label=_state_label(wish.state),
        wisher=public_name(wish),
        claimer=claimer,
        posted_at=wish.created_at,
        claimed_at=wish.claimed_at,
        fulfilled_at=wish.fulfilled_at,
        thanks=wish.thanks if wish.state == WishState.RATED else "",
    )


def _wall_q(now: datetime) -> Q:
    days = int(rules.value(keys.WALL_DONE_DAYS, on=timezone.localdate(now)))
    recent = now - timedelta(days=days)
    return Q(state__in=[WishState.OPEN, WishState.CLAIMED]) | Q(
        state__in=REALISED_STATES, fulfilled_at__gte=recent
    )


def public_wall(center, *, now: datetime | None = None, limit: int = 60) -> list[WishCard]:
    """The wall of one center: open wishes first, then claimed, then recently realised."""
    now = now or timezone.now()
    order = {WishState.OPEN: 0, WishState.CLAIMED: 1, WishState.DONE: 2, WishState.RATED: 2}
    wishes = list(
        Wish.objects.filter(_wall_q(now), center=center)
        .select_related("claimed_by")
        .order_by("-created_at", "-id")[:limit]
    )
    wishes.sort(key=lambda w: (order[w.state], -(w.fulfilled_at or w.created_at).timestamp(), -w.pk))
    return [card(w) for w in wishes]


def public_wish(pk, *, center=None) -> WishCard:
    """A wall card by id (the phone page a wish's QR opens); 404 outside the wall states."""
    wishes = Wish.objects.filter(state__in=WALL_STATES).select_related("claimed_by")
    if center is not None:
        wishes = wishes.filter(center=center)
    try:
        return card(wishes.get(pk=pk))
    except (Wish.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def wall_counts(center) -> dict[str, int]:
    row = Wish.objects.filter(center=center).aggregate(
        open=Count("pk", filter=Q(state=WishState.OPEN)),
        claimed=Count("pk", filter=Q(state=WishState.CLAIMED)),
        realised=Count("pk", filter=Q(state__in=REALISED_STATES)),
    )
    return row


@dataclass(frozen=True)
class RankingRow:
    member: str  # masked
    organization: str
    realised: int


def wish_rankings(
    *, start: datetime, end: datetime, center=None, org_path: str = "", limit: int = 10
) -> list[RankingRow]:
    """Members by wishes realised in [start, end), counted by realisation time (fulfilled_at)."""
    wishes = Wish.objects.filter(state__in=REALISED_STATES, fulfilled_at__gte=start, fulfilled_at__lt=end)
    if center is not None:
        wishes = wishes.filter(center=center)
    if org_path:
        wishes = wishes.filter(org_path__startswith=org_path)
    rows = list(
        wishes.values("claimed_by").annotate(realised=Count("pk")).order_by("-realised", "claimed_by")[:limit]
    )
    people = Person.objects.select_related("organization").in_bulk([r["claimed_by"] for r in rows])
    return [
        RankingRow(
            mask_name(people[r["claimed_by"]].name), people[r["claimed_by"]].organization.name, r["realised"]
        )
        for r in rows
        if r["claimed_by"] in people
    ]
