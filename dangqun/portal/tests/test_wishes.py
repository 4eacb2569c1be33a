"""The wish wall on the phone: posting with consent, claiming (verified members only, never one's
own, never twice), reporting it realised, and the wisher's confirmation and thanks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangqun.servicedesk import services as desk
from dangqun.servicedesk.enums import WishState
from dangqun.servicedesk.models import Wish
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db

WISH = {
    "title": "想要一台收音机",
    "description": "想听新闻",
    "kind": "material",
    "name": "王秀英",
    "mobile": "13888041267",
}


def post(client, **changes):
    return client.post(reverse("portal:wish-new", args=["jinling"]), {**WISH, **changes})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_posting_a_wish_leads_to_the_wishers_own_page(client, place):
    response = post(client, consent_name_shown="on", shown_name="王奶奶")
    assert response.status_code == 302
    wish = Wish.objects.get()
    assert (wish.state, wish.wisher_name, wish.shown_name, wish.consent_name_shown) == (
        WishState.PENDING, "王秀英", "王奶奶", True,
    )  # fmt: skip
    token = response["Location"].split("/")[4]
    page = client.get(response["Location"]).content.decode()
    assert "待审批" in page and "在心愿墙上显示为：王奶奶" in page
    assert "想要一台收音机" not in client.get(reverse("portal:wall", args=["jinling"])).content.decode()
    desk.approve_wish(actor=None, wish=wish)
    assert "王奶奶" in client.get(reverse("portal:wall", args=["jinling"])).content.decode()
    assert client.post(reverse("portal:my-wish-cancel", args=[token])).status_code == 302
    wish.refresh_from_db()
    assert wish.state == WishState.CANCELLED


def test_without_consent_the_wall_shows_a_masked_name(client, place):
    post(client, shown_name="王奶奶")
    wish = Wish.objects.get()
    assert wish.consent_name_shown is False and wish.shown_name == ""
    desk.approve_wish(actor=None, wish=wish)
    assert "许愿人：王*英" in client.get(reverse("portal:wall", args=["jinling"])).content.decode()


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"title": ""}, "title", "请填写心愿。"),
        ({"title": "想"}, "title", "心愿至少写 2 个字。"),
        ({"mobile": "999"}, "mobile", "手机号格式不正确：999"),
        (
            {"consent_name_shown": "on", "shown_name": ""},
            "shown_name",
            "勾选了同意显示称呼，请填写公开称呼。",
        ),
        ({"consent_name_shown": "on", "shown_name": "王13888"}, "shown_name", "公开称呼里不能有数字"),
    ],
)
def test_bad_wishes_are_refused_next_to_their_field(client, place, changes, field, message):
    response = post(client, **changes)
    assert response.status_code == 400
    text = response.content.decode()
    block = text[text.index(f'id="f-{field}"') :]
    assert message in block[: block.index("</div>")]
    assert Wish.objects.count() == 0


def test_claiming_needs_a_login(client, place, wall):
    wish = wall["radio"].wish
    page = client.get(reverse("portal:wish", args=[wish.pk])).content.decode()
    assert "党员登录后认领" in page
    response = client.post(reverse("portal:wish-claim", args=[wish.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    wish.refresh_from_db()
    assert wish.state == WishState.OPEN


def test_only_a_verified_member_may_claim(client, place, wall):
    client.force_login(make_user("masses"))
    response = client.post(reverse("portal:wish-claim", args=[wall["radio"].wish.pk]), follow=True)
    assert "只有经过核验的党员才能认领心愿。" in response.content.decode()
    assert Wish.objects.get(pk=wall["radio"].wish.pk).state == WishState.OPEN


def test_a_member_claims_reports_and_the_wisher_thanks(client, place, wall):
    wish = wall["radio"].wish
    client.force_login(place.liuhui)
    response = client.post(reverse("portal:wish-claim", args=[wish.pk]), follow=True)
    assert "认领成功" in response.content.decode()
    assert "您认领了这个心愿" in response.content.decode()
    wish.refresh_from_db()
    assert wish.state == WishState.CLAIMED and wish.claimed_by == place.liu

    # A second claim, by anyone, is refused.
    client.force_login(place.yang_user)
    again = client.post(reverse("portal:wish-claim", args=[wish.pk]), follow=True)
    assert "这个心愿已被其他党员认领。" in again.content.decode()

    client.force_login(place.liuhui)
    assert client.post(reverse("portal:wish-fulfil", args=[wish.pk]), {"note": "已送到家"}).status_code == 302
    wish.refresh_from_db()
    assert wish.state == WishState.DONE

    client.logout()
    token = wall["radio"].token
    page = client.get(reverse("portal:my-wish", args=[token])).content.decode()
    assert "确认心愿实现" in page and "党员 刘*" not in page
    bad = client.post(reverse("portal:my-wish-confirm", args=[token]), {"rating": "9", "thanks": "谢谢"})
    assert bad.status_code == 400
    done = client.post(
        reverse("portal:my-wish-confirm", args=[token]), {"rating": "5", "thanks": "收音机很好用，谢谢！"}
    )
    assert done.status_code == 302
    wish.refresh_from_db()
    assert wish.state == WishState.RATED and wish.rating == 5
    wall_page = client.get(reverse("portal:wall", args=["jinling"])).content.decode()
    assert "收音机很好用，谢谢！" in wall_page and "认领党员：刘*" in wall_page


def test_nobody_claims_their_own_wish(client, place):
    client.force_login(place.liuhui)
    post(client, name="", mobile="")
    wish = Wish.objects.get()
    desk.approve_wish(actor=None, wish=wish)
    response = client.post(reverse("portal:wish-claim", args=[wish.pk]), follow=True)
    assert "不能认领自己的心愿。" in response.content.decode()
    wish.refresh_from_db()
    assert wish.state == WishState.OPEN
