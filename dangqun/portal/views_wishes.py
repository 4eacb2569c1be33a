"""The wish wall on the phone (/m/c/<slug>/wishes/, /m/w/…): the public wall, posting a wish, a
wish's page (claim and report it realised, for verified members), and the wisher's own page
(reached by the secret link given when posting: confirm and thank, or cancel)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.centers import selectors as centers
from dangqun.portal import selectors
from dangqun.portal.common import absolute, act, private, submit
from dangqun.portal.forms import ConfirmWishForm, FulfilForm, WishForm
from dangqun.servicedesk import selectors as desk
from dangqun.servicedesk import services as wishes
from dangqun.servicedesk.enums import WISH_TRANSITIONS, WishState
from dangqun.servicedesk.models import Wish


def _user(request):
    return request.user if request.user.is_authenticated else None


def wall(request, slug: str):
    center = centers.get_public_center(slug)
    context = {
        "center": center,
        "cards": desk.public_wall(center),
        "counts": desk.wall_counts(center),
        "page_url": absolute(request, "wall", center.slug),
    }
    return render(request, "portal/mobile/wall.html", context)


@private
def wish_new(request, slug: str):
    center = centers.get_public_center(slug)
    user = _user(request)
    person = selectors.person_of(user)
    status = 200
    if request.method == "POST":
        form = WishForm(request.POST)
        done, status = submit(
            request,
            form,
            lambda data: wishes.post_wish(
                actor=user,
                center=center,
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                name=data["name"],
                mobile=data["mobile"],
                consent_name_shown=data["consent_name_shown"],
                shown_name=data["shown_name"],
            ),
            success=_(
                "心愿已提交，工作人员审核后会显示在心愿墙上。请保存本页链接，心愿实现后在这里确认和致谢。"
            ),
            to=lambda posted: reverse("portal:my-wish", args=[posted.token]),
        )
        if done:
            return done
    else:
        form = WishForm()
    context = {"center": center, "form": form, "person": person}
    return render(request, "portal/mobile/wish_new.html", context, status=status)


def _wall_wish(pk) -> tuple:
    """A wish on the wall: its public card, and the row behind it (center, claimer; never shown)."""
    card = desk.public_wish(pk)
    return card, Wish.objects.select_related("center").get(pk=card.id)


def _wish_context(request, pk, *, fulfil_form=None) -> dict:
    card, wish = _wall_wish(pk)
    user = _user(request)
    person = selectors.person_of(user)
    is_claimer = user is not None and (
        wish.claimed_by_user_id == user.pk or (person is not None and wish.claimed_by_id == person.pk)
    )
    return {
        "card": card,
        "center": wish.center,
        "can_claim": card.state == WishState.OPEN,
        "is_claimer": is_claimer and wish.state == WishState.CLAIMED,
        "own": user is not None and wish.wisher_user_id == user.pk,
        "fulfil_form": fulfil_form or FulfilForm(),
        "login_url": f"{reverse('accounts:login')}?next={reverse('portal:wish', args=[card.id])}",
        "page_url": absolute(request, "wish", card.id),
    }


def wish_page(request, pk: int):
    return render(request, "portal/mobile/wish.html", _wish_context(request, pk))


@require_POST
def wish_claim(request, pk: int):
    _card, wish = _wall_wish(pk)
    user = _user(request)
    if user is None:
        return redirect_to_login(reverse("portal:wish", args=[pk]))
    return act(
        request,
        partial(wishes.claim_wish, actor=user, wish=wish),
        success=_("认领成功！请尽快联系中心工作人员，帮助许愿人实现心愿。"),
        to=reverse("portal:wish", args=[pk]),
    )


@require_POST
def wish_fulfil(request, pk: int):
    _card, wish = _wall_wish(pk)
    user = _user(request)
    if user is None:
        return redirect_to_login(reverse("portal:wish", args=[pk]))
    form = FulfilForm(request.POST)
    done, status = submit(
        request,
        form,
        lambda data: wishes.fulfil_wish(actor=user, wish=wish, note=data["note"]),
        success=_("已登记心愿实现，等待许愿人确认。谢谢您！"),
        to=reverse("portal:wish", args=[pk]),
    )
    return done or render(
        request, "portal/mobile/wish.html", _wish_context(request, pk, fulfil_form=form), status=status
    )


def _own_context(request, token: str, *, form=None) -> dict:
    wish = desk.wish_for_token(token)
    return {
        "token": token,
        "wish": wish,
        "card": desk.card(wish),
        "center": wish.center,
        "state": WishState(wish.state),
        "on_wall": wish.state in (WishState.OPEN, WishState.CLAIMED, WishState.DONE, WishState.RATED),
        "can_confirm": wish.state in WISH_TRANSITIONS["confirm"].sources,
        "can_cancel": wish.state in WISH_TRANSITIONS["cancel"].sources,
        "form": form or ConfirmWishForm(),
    }


@private
def my_wish(request, token: str):
    return render(request, "portal/mobile/my_wish.html", _own_context(request, token))


@private
@require_POST
def my_wish_confirm(request, token: str):
    wish = desk.wish_for_token(token)
    form = ConfirmWishForm(request.POST)
    done, status = submit(
        request,
        form,
        lambda data: wishes.confirm_wish(
            wish=wish, token=token, thanks=data["thanks"], rating=data["rating"]
        ),
        success=_("谢谢您的确认！您的感谢会显示在心愿墙上。"),
        to=reverse("portal:my-wish", args=[token]),
    )
    return done or render(
        request, "portal/mobile/my_wish.html", _own_context(request, token, form=form), status=status
    )


@private
@require_POST
def my_wish_cancel(request, token: str):
    wish = desk.wish_for_token(token)
    return act(
        request,
        partial(wishes.cancel_wish, wish=wish, token=token, reason=_("许愿人取消")),
        success=_("心愿已取消。"),
        to=reverse("portal:my-wish", args=[token]),
    )
