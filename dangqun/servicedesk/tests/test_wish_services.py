"""微心愿: the table of transitions, who may do what, the public wall's minimum, rankings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.people.services import register_person
from dangqun.servicedesk import selectors, services
from dangqun.servicedesk.enums import WishState
from dangqun.servicedesk.models import Wish, WishEvent
from dangqun.testing.factories import make_id_number, make_user, member_data

from .conftest import T0

pytestmark = pytest.mark.django_db


def post(center, **overrides):
    data = {
        "actor": None,
        "center": center,
        "title": "想要一台收音机",
        "description": "退休在家，想听听新闻和戏曲。",
        "name": "王秀英",
        "mobile": "13512345678",
        "now": T0,
    }
    data.update(overrides)
    return services.post_wish(**data)


def approved(center, staff, **overrides):
    posted = post(center, **overrides)
    services.approve_wish(actor=staff, wish=posted.wish, now=T0)
    return posted


def test_posted_wish_waits_for_approval_and_shows_only_a_masked_name(center, staff):
    posted = post(center)
    wish = posted.wish
    assert wish.state == WishState.PENDING
    assert selectors.public_wall(center, now=T0) == []
    services.approve_wish(actor=staff, wish=wish, now=T0)
    cards = selectors.public_wall(center, now=T0)
    assert [(c.title, c.wisher, c.state_label) for c in cards] == [("想要一台收音机", "王*英", "待认领")]
    assert "13512345678" not in repr(cards) and "王秀英" not in repr(cards)
    assert selectors.wish_for_token(posted.token) == wish


def test_consented_name_is_shown_and_digits_are_refused(center, staff):
    approved(center, staff, consent_name_shown=True, shown_name="王阿姨")
    assert [c.wisher for c in selectors.public_wall(center, now=T0)] == ["王阿姨"]
    with pytest.raises(DomainError) as caught:
        post(center, consent_name_shown=True, shown_name="王 135")
    assert caught.value.field == "shown_name"
    # Without consent a name typed in is ignored.
    approved(center, staff, title="想学用智能手机", shown_name="王阿姨")
    assert sorted(c.wisher for c in selectors.public_wall(center, now=T0)) == ["王*英", "王阿姨"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": ""}, "title"), ({"title": "收"}, "title"), ({"mobile": ""}, "mobile"), ({"mobile": "110"}, "mobile"),
     ({"kind": "money"}, "kind"), ({"name": ""}, "name")],
)  # fmt: skip
def test_bad_wishes_name_the_field_and_write_nothing(center, overrides, field):
    with pytest.raises(DomainError) as caught:
        post(center, **overrides)
    assert caught.value.field == field
    assert Wish.objects.count() == 0


def test_rejection_needs_a_reason_and_only_staff_in_scope_moderate(center, staff, foreigner):
    wish = post(center).wish
    with pytest.raises(DomainError) as caught:
        services.approve_wish(actor=foreigner, wish=wish)
    assert caught.value.status == 403
    with pytest.raises(DomainError) as caught:
        services.reject_wish(actor=staff, wish=wish, reason=" ")
    assert caught.value.field == "reason"
    wish = services.reject_wish(actor=staff, wish=wish, reason="属于低保救助范围，已转民政办理")
    assert wish.state == WishState.REJECTED


def test_member_claims_fulfils_and_the_wisher_thanks(center, staff, member_user):
    posted = approved(center, staff)
    claimed = services.claim_wish(actor=member_user, wish=posted.wish, now=T0 + timedelta(hours=1))
    assert claimed.wish.state == WishState.CLAIMED
    assert [c.claimer for c in selectors.public_wall(center, now=T0)] == ["刘*"]
    wish = services.fulfil_wish(
        actor=member_user, wish=claimed.wish, note="已送到家", now=T0 + timedelta(days=1)
    )
    assert wish.state == WishState.DONE and wish.fulfilled_at == T0 + timedelta(days=1)
    with pytest.raises(DomainError) as caught:  # the claimer cannot thank themselves
        services.confirm_wish(wish=wish, actor=member_user, thanks="谢谢")
    assert caught.value.status == 403
    wish = services.confirm_wish(wish=wish, token=posted.token, thanks="谢谢小刘，收音机很好用！", rating=5)
    assert wish.state == WishState.RATED
    card = selectors.public_wall(center, now=T0 + timedelta(days=2))[0]
    assert (card.state_label, card.thanks) == ("已完成", "谢谢小刘，收音机很好用！")
    assert list(WishEvent.objects.filter(wish=wish).values_list("action", "from_state", "to_state")) == [
        ("submit", None, 0), ("approve", 0, 1), ("claim", 1, 2), ("fulfil", 2, 3), ("confirm", 3, 5),
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action__startswith="servicedesk.wish.").count() == 5


def test_a_member_cannot_claim_their_own_wish(center, staff, member_user):
    wish = approved(center, staff, actor=member_user, name="", mobile="").wish
    assert wish.wisher_person_id is not None
    with pytest.raises(DomainError) as caught:
        services.claim_wish(actor=member_user, wish=wish)
    assert (caught.value.code, caught.value.message) == ("own_wish", "不能认领自己的心愿。")
    wish.refresh_from_db()
    assert wish.state == WishState.OPEN


def test_the_database_refuses_a_claim_by_the_wisher_even_past_the_service(center, staff, member_user):
    from django.db import IntegrityError, transaction

    wish = approved(center, staff, actor=member_user, name="", mobile="").wish
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=wish.pk).update(
            state=WishState.CLAIMED, claimed_by=wish.wisher_person, claimed_at=T0
        )


def test_a_second_claim_is_refused(center, staff, member_user, second_member):
    wish = approved(center, staff).wish
    services.claim_wish(actor=member_user, wish=wish)
    with pytest.raises(DomainError) as caught:
        services.claim_wish(actor=second_member, wish=wish)
    assert (caught.value.code, caught.value.message) == ("already_claimed", "这个心愿已被其他党员认领。")
    wish.refresh_from_db()
    assert wish.claimed_by.name == "刘慧"


def test_only_verified_members_claim(center, staff, tree):
    wish = approved(center, staff).wish
    masses = make_user("masses")
    with pytest.raises(DomainError) as caught:
        services.claim_wish(actor=masses, wish=wish)
    assert (caught.value.code, caught.value.status) == ("not_member", 403)
    with pytest.raises(DomainError):
        services.claim_wish(actor=make_user("pending"), wish=post(center, title="想要一套书").wish)


def test_claim_by_id_verification_from_the_phone(center, staff, tree):
    number = make_id_number(date(1979, 9, 9), seq=77)
    register_person(actor=None, organization=tree.branch,
                    data=member_data("阮玉华", id_number=number, mobile="13600136000"))  # fmt: skip
    wish = approved(center, staff).wish
    with pytest.raises(DomainError) as caught:
        services.claim_wish_verified(wish=wish, name="阮玉华", id_number=number, mobile="13600136001")
    assert caught.value.code == "member_not_verified"
    claimed = services.claim_wish_verified(wish=wish, name="阮玉华", id_number=number, mobile="13600136000")
    assert claimed.claim_token
    with pytest.raises(DomainError):
        services.fulfil_wish(wish=wish, claim_token="wrong")
    wish = services.fulfil_wish(wish=wish, claim_token=claimed.claim_token)
    assert wish.state == WishState.DONE


def test_release_returns_the_wish_to_the_wall(center, staff, member_user, second_member):
    wish = approved(center, staff).wish
    services.claim_wish(actor=member_user, wish=wish)
    with pytest.raises(DomainError):
        services.release_claim(wish=wish, actor=second_member)
    wish = services.release_claim(wish=wish, actor=member_user, reason="出差")
    assert (wish.state, wish.claimed_by_id) == (WishState.OPEN, None)
    assert services.claim_wish(actor=second_member, wish=wish).wish.claimed_by.name == "杨志宇"


def test_cancel_by_the_wisher_and_not_after_completion(center, staff, member_user):
    posted = approved(center, staff)
    wish = services.cancel_wish(wish=posted.wish, token=posted.token, reason="家人已买")
    assert wish.state == WishState.CANCELLED
    other = approved(center, staff, title="想要一副老花镜")
    services.claim_wish(actor=member_user, wish=other.wish)
    services.fulfil_wish(actor=member_user, wish=other.wish)
    with pytest.raises(DomainError) as caught:
        services.cancel_wish(wish=other.wish, token=other.token)
    assert caught.value.code == "transition_not_allowed"


def test_rankings_count_realised_wishes_by_realisation_time(center, staff, member_user, second_member):
    march = T0.replace(day=1, hour=0, minute=0)
    for title, user, when in [
        ("想要一台收音机", member_user, T0 + timedelta(days=1)),
        ("想要一副老花镜", member_user, T0 + timedelta(days=2)),
        ("想学用智能手机", second_member, T0 + timedelta(days=3)),
        ("想要一套象棋", second_member, T0 - timedelta(days=5)),  # February: outside
    ]:
        wish = approved(center, staff, title=title).wish
        services.claim_wish(actor=user, wish=wish, now=T0 - timedelta(days=10))
        services.fulfil_wish(actor=user, wish=wish, now=when)
    wish = approved(center, staff, title="想要一把轮椅").wish
    services.claim_wish(actor=second_member, wish=wish)  # claimed, not realised: not counted
    rows = selectors.wish_rankings(start=march, end=march + timedelta(days=31), center=center)
    assert [(r.member, r.organization, r.realised) for r in rows] == [
        ("刘*", "世邦魏理仕物业昆明分公司党支部", 2), ("杨*宇", "世邦魏理仕物业昆明分公司党支部", 1),
    ]  # fmt: skip


def test_wall_shows_open_claimed_and_recent_realised_only(center, staff, member_user):
    pending = post(center, title="还在审批")
    rejected = post(center, title="未通过的")
    services.reject_wish(actor=staff, wish=rejected.wish, reason="重复")
    done = approved(center, staff, title="很久以前实现的")
    services.claim_wish(actor=member_user, wish=done.wish)
    services.fulfil_wish(actor=member_user, wish=done.wish, now=T0 - timedelta(days=40))
    open_one = approved(center, staff, title="想要一台收音机")
    titles = [c.title for c in selectors.public_wall(center, now=T0)]
    assert titles == ["想要一台收音机"]
    assert pending.wish.pk not in [c.id for c in selectors.public_wall(center, now=T0)]
    with pytest.raises(Exception):  # noqa: B017 - Http404
        selectors.public_wish(pending.wish.pk)
    assert selectors.public_wish(open_one.wish.pk).can_claim is True
