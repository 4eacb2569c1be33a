"""Writes on 微心愿 (RULES.md §8.1): post, approve / reject, claim (verified members only, one claim
held by the database), release, fulfil, confirm and thank, cancel. Each checks WISH_TRANSITIONS."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.core.masking import mask_mobile, mask_name
from dangqun.core.validators import normalize_id_number
from dangqun.people.models import PartyMember, Person
from dangqun.servicedesk.enums import WISH_TRANSITIONS, WishActor, WisherType, WishKind, WishState
from dangqun.servicedesk.models import Wish, WishEvent
from dangqun.servicedesk.services_requests import _mobile, _text
from dangqun.servicedesk.tokens import hash_token, new_token

_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Posted:
    """A new wish and the wisher's token (to confirm and thank from the phone later)."""

    wish: Wish
    token: str


@dataclass(frozen=True)
class Claimed:
    """A claim and, for a member verified by ID without logging in, the claimer's token."""

    wish: Wish
    claim_token: str = ""


def _token_ok(token: str | None, stored: str) -> bool:
    return bool(token and stored and hmac.compare_digest(hash_token(token), stored))


def _is_staff(actor, wish: Wish) -> bool:
    return actor is not None and permissions.has_perm(actor, Perm.MODERATE_WISHES, wish.org_path)


def _person_of(user) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).select_related("party_profile").first()


def _is_wisher(wish: Wish, actor, token) -> bool:
    if _token_ok(token, wish.tracking_hash):
        return True
    return bool(
        actor is not None and getattr(actor, "is_authenticated", False) and wish.wisher_user_id == actor.pk
    )


def _is_claimer(wish: Wish, actor, claim_token) -> bool:
    if _token_ok(claim_token, wish.claim_hash):
        return True
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if wish.claimed_by_user_id == actor.pk:
        return True
    person = _person_of(actor)
    return person is not None and person.pk == wish.claimed_by_id


def _check(wish: Wish, action: str, roles: set[str]) -> int:
    rule = WISH_TRANSITIONS[action]
    if not roles & rule.by:
        raise DomainError("permission_denied", _("您不能对这个心愿执行此操作。"), status=403)
    if wish.state not in rule.sources:
        raise DomainError(
            "transition_not_allowed",
            _("心愿当前为“%(s)s”，不能这样操作。") % {"s": WishState(wish.state).label},
            status=409,
        )
    return rule.target


def _record(
    wish: Wish, action: str, before: int | None, *, actor, role: str, note: str = "", now=None, data=None
):
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    label = str(actor)[:60] if signed_in else str(WishActor(role).label) if role else _("系统")
    WishEvent.objects.create(
        wish=wish, action=action, from_state=before, to_state=wish.state, note=note[:300],
        actor=actor if signed_in else None, actor_label=label, created_at=now or timezone.now(),
    )  # fmt: skip
    audit.record(
        f"servicedesk.wish.{action}",
        actor=actor if signed_in else None,
        actor_label="" if signed_in else label,
        obj=wish,
        org_path=wish.org_path,
        data={"from": before, "to": wish.state, "by": role, **(data or {})},
    )


def _locked(wish: Wish) -> Wish:
    return Wish.objects.select_for_update().get(pk=wish.pk)


# --- posting and moderation -------------------------------------------------------------------


@transaction.atomic
def post_wish(
    *, actor, center, title: str, description: str = "", kind: str = WishKind.MATERIAL,
    wisher_type: str = WisherType.RESIDENT, name: str = "", mobile: str = "", consent_name_shown: bool = False,
    shown_name: str = "", on_behalf: bool = False, wisher_person: Person | None = None, now: datetime | None = None,
) -> Posted:  # fmt: skip
    """Post a wish (待审批). Anonymous wishers give a name and a mobile; staff may post for a
    resident (mobile optional); the wall shows `shown_name` only with consent, otherwise 张*."""
    now = now or timezone.now()
    path = center.org_path or center.organization.path
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    if (
        on_behalf
        and actor is not None
        and not (signed_in and permissions.has_perm(actor, Perm.MODERATE_WISHES, path))
    ):
        raise DomainError("permission_denied", _("您无权代居民登记心愿。"), status=403)
    user = actor if signed_in and not on_behalf else None
    person = wisher_person if on_behalf else _person_of(user)
    title = _text(title, field="title", label=_("心愿"), limit=60, required=True)
    if len(title) < 2:
        raise DomainError("title_too_short", _("心愿至少写 2 个字。"), field="title")
    description = _text(description, field="description", label=_("说明"), limit=500)
    if kind not in WishKind.values:
        raise DomainError("kind_invalid", _("请选择心愿类别。"), field="kind")
    if wisher_type not in WisherType.values:
        raise DomainError("wisher_type_invalid", _("请选择许愿人类型。"), field="wisher_type")
    fallback = (person.name if person else "") or (user.display_name if user else "")
    name = _text(name or fallback, field="name", label=_("许愿人姓名"), limit=50, required=True)
    fallback_mobile = (person.mobile if person else "") or (user.mobile if user else "") or ""
    mobile = _mobile(mobile or fallback_mobile, required=user is None and not on_behalf)
    shown_name = (shown_name or "").strip() if consent_name_shown else ""
    if len(shown_name) > 10:
        raise DomainError("shown_name_too_long", _("公开称呼不能超过 10 个字。"), field="shown_name")
    if _DIGITS.search(shown_name):
        raise DomainError(
            "shown_name_digits", _("公开称呼里不能有数字（请勿填写电话等信息）。"), field="shown_name"
        )
    token, token_hash = new_token()
    wish = Wish.objects.create(
        center=center, org_path=path, title=title, description=description, kind=kind, wisher_type=wisher_type,
        wisher_user=user, wisher_person=person, wisher_name=name, wisher_mobile=mobile,
        consent_name_shown=bool(consent_name_shown and shown_name), shown_name=shown_name, tracking_hash=token_hash,
    )  # fmt: skip
    Wish.objects.filter(pk=wish.pk).update(created_at=now, updated_at=now)
    wish.created_at = wish.updated_at = now
    role = WishActor.STAFF if on_behalf else WishActor.WISHER
    _record(wish, "submit", None, actor=actor if signed_in else None, role=role, now=now,
            data={"mobile": mask_mobile(mobile), "title": title})  # fmt: skip
    return Posted(wish, token)


def _require_staff(actor, wish: Wish) -> None:
    if actor is not None and not _is_staff(actor, wish):
        raise DomainError("permission_denied", _("您无权审核该中心的心愿。"), status=403)


@transaction.atomic
def approve_wish(*, actor, wish: Wish, now: datetime | None = None) -> Wish:
    now = now or timezone.now()
    wish = _locked(wish)
    _require_staff(actor, wish)
    before = wish.state
    wish.state = _check(wish, "approve", {WishActor.STAFF})
    wish.approved_by = actor
    wish.approved_at = now
    wish.save()
    _record(wish, "approve", before, actor=actor, role=WishActor.STAFF, now=now)
    return wish


@transaction.atomic
def reject_wish(*, actor, wish: Wish, reason: str, now: datetime | None = None) -> Wish:
    now = now or timezone.now()
    wish = _locked(wish)
    _require_staff(actor, wish)
    reason = _text(reason, field="reason", label=_("未通过的原因"), limit=200, required=True)
    before = wish.state
    wish.state = _check(wish, "reject", {WishActor.STAFF})
    wish.reason = reason
    wish.save()
    _record(wish, "reject", before, actor=actor, role=WishActor.STAFF, note=reason, now=now)
    return wish


# --- claiming -----------------------------------------------------------------------------------


def _claim(wish: Wish, person: Person, user, *, claim_hash: str, now: datetime) -> Wish:
    current = Wish.objects.get(pk=wish.pk)
    _check_not_wisher(current, person, user)
    if current.state == WishState.CLAIMED:
        raise DomainError("already_claimed", _("这个心愿已被其他党员认领。"), status=409)
    _check(current, "claim", {WishActor.MEMBER})
    try:
        with transaction.atomic():
            won = Wish.objects.filter(pk=wish.pk, state=WishState.OPEN).update(
                state=WishState.CLAIMED, claimed_by=person, claimed_by_user=user, claimed_at=now,
                claim_hash=claim_hash, updated_at=now,
            )  # fmt: skip
    except IntegrityError as exc:  # wish_not_claimed_by_wisher
        raise DomainError("own_wish", _("不能认领自己的心愿。"), status=409) from exc
    if not won:
        current = Wish.objects.get(pk=wish.pk)
        if current.state == WishState.CLAIMED:
            raise DomainError("already_claimed", _("这个心愿已被其他党员认领。"), status=409)
        _check(current, "claim", {WishActor.MEMBER})
    claimed = Wish.objects.get(pk=wish.pk)
    _record(claimed, "claim", WishState.OPEN, actor=user, role=WishActor.MEMBER, now=now,
            data={"member": mask_name(person.name)})  # fmt: skip
    return claimed


def _check_not_wisher(wish: Wish, person: Person, user) -> None:
    own = (wish.wisher_person_id is not None and wish.wisher_person_id == person.pk) or (
        user is not None and wish.wisher_user_id == user.pk
    )
    if own or (wish.wisher_mobile and person.mobile and wish.wisher_mobile == person.mobile):
        raise DomainError("own_wish", _("不能认领自己的心愿。"), status=409)


def _member(person: Person | None) -> Person:
    if person is None or not PartyMember.objects.filter(person=person).exists():
        raise DomainError("not_member", _("只有经过核验的党员才能认领心愿。"), status=403)
    return person


@transaction.atomic
def claim_wish(*, actor, wish: Wish, now: datetime | None = None) -> Claimed:
    """A logged-in member (their login linked to a member record) claims a 待认领 wish."""
    now = now or timezone.now()
    person = _member(_person_of(actor))
    return Claimed(_claim(wish, person, actor, claim_hash="", now=now))


@transaction.atomic
def claim_wish_verified(
    *, wish: Wish, name: str, id_number: str, mobile: str, now: datetime | None = None
) -> Claimed:
    """A member without a login claims from the phone: name, ID number and mobile must match the
    member database. Returns a claim token to report the wish fulfilled later."""
    now = now or timezone.now()
    try:
        number = normalize_id_number(id_number or "")
    except ValidationError as exc:
        raise DomainError(
            "id_number_invalid", " ".join(str(m) for m in exc.messages), field="id_number"
        ) from exc
    mobile = _mobile(mobile, required=True)
    person = Person.objects.filter(id_number=number).first()
    if person is None or person.name != (name or "").strip() or (person.mobile and person.mobile != mobile):
        raise DomainError("member_not_verified", _("姓名、身份证号、手机号与党员信息库不一致。"), field="id_number",
                          status=403)  # fmt: skip
    _member(person)
    token, token_hash = new_token()
    return Claimed(_claim(wish, person, None, claim_hash=token_hash, now=now), token)


@transaction.atomic
def release_claim(
    *, wish: Wish, actor=None, claim_token: str | None = None, reason: str = "", now: datetime | None = None
) -> Wish:
    """The claimer (or staff) gives the wish back to the wall (2 → 1)."""
    now = now or timezone.now()
    wish = _locked(wish)
    roles = _roles(wish, actor=actor, claim_token=claim_token)
    before = wish.state
    wish.state = _check(wish, "release", roles)
    wish.claimed_by = None
    wish.claimed_by_user = None
    wish.claimed_at = None
    wish.claim_hash = ""
    wish.save()
    reason = _text(reason, field="reason", label=_("原因"), limit=200)
    _record(wish, "release", before, actor=actor, role=_main(roles), note=reason, now=now)
    return wish


def _roles(wish: Wish, *, actor=None, token=None, claim_token=None) -> set[str]:
    roles = set()
    if _is_staff(actor, wish) or actor is None and not token and not claim_token:
        roles.add(WishActor.STAFF)
    if _is_wisher(wish, actor, token):
        roles.add(WishActor.WISHER)
    if _is_claimer(wish, actor, claim_token):
        roles.add(WishActor.CLAIMER)
    return roles


def _main(roles: set[str]) -> str:
    for role in (WishActor.WISHER, WishActor.CLAIMER, WishActor.STAFF):
        if role in roles:
            return role
    return ""


@transaction.atomic
def fulfil_wish(
    *, wish: Wish, actor=None, claim_token: str | None = None, note: str = "", now: datetime | None = None
) -> Wish:
    """The claimer reports the wish realised (2 → 3); `fulfilled_at` is its realisation time."""
    now = now or timezone.now()
    wish = _locked(wish)
    roles = _roles(wish, actor=actor, claim_token=claim_token)
    before = wish.state
    wish.state = _check(wish, "fulfil", roles)
    wish.fulfilled_at = now
    wish.fulfil_note = _text(note, field="note", label=_("实现情况"), limit=300)
    wish.save()
    _record(wish, "fulfil", before, actor=actor, role=_main(roles), note=wish.fulfil_note, now=now)
    return wish


@transaction.atomic
def confirm_wish(
    *, wish: Wish, thanks: str = "", rating: int | None = None, token: str | None = None, actor=None,
    now: datetime | None = None,
) -> Wish:  # fmt: skip
    """The wisher (or staff for them) confirms and thanks (3 → 5)."""
    now = now or timezone.now()
    wish = _locked(wish)
    roles = _roles(wish, actor=actor, token=token) - {WishActor.CLAIMER}
    before = wish.state
    wish.state = _check(wish, "confirm", roles)
    if rating not in (None, ""):
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            raise DomainError("rating_invalid", _("请选择 1 到 5 颗星。"), field="rating")
    else:
        rating = None
    wish.rating = rating
    wish.thanks = _text(thanks, field="thanks", label=_("感谢留言"), limit=300)
    wish.confirmed_at = now
    wish.save()
    _record(wish, "confirm", before, actor=actor, role=_main(roles), note=wish.thanks, now=now,
            data={"rating": rating})  # fmt: skip
    return wish


@transaction.atomic
def cancel_wish(
    *, wish: Wish, reason: str = "", token: str | None = None, actor=None, now: datetime | None = None
) -> Wish:
    now = now or timezone.now()
    wish = _locked(wish)
    roles = _roles(wish, actor=actor, token=token) - {WishActor.CLAIMER}
    before = wish.state
    wish.state = _check(wish, "cancel", roles)
    wish.reason = _text(reason, field="reason", label=_("取消原因"), limit=200)
    wish.save()
    _record(wish, "cancel", before, actor=actor, role=_main(roles), note=wish.reason, now=now)
    return wish
