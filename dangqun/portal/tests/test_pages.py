"""Every public page renders for an anonymous visitor with the minimum: no phones, no full names of
wishers or requesters, no ID numbers; unknown or non-public objects are 404; query counts stay flat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangqun.activities.services.activities import create_activity
from dangqun.people.models import Person
from dangqun.portal.tests.builders import WISHER
from dangqun.servicedesk import services as desk
from dangqun.servicedesk.enums import Channel

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def filed(place):
    return desk.file_request(
        actor=None, item=place.registration, description="请协助办理分支机构登记", name="周敏",
        mobile="13629475810", unit="大华银行", channel=Channel.KIOSK,
    )  # fmt: skip


def public_urls(place, wall, filed) -> list[str]:
    return [
        reverse("portal:index"),
        reverse("portal:center", args=["jinling"]),
        reverse("portal:board", args=["jinling"]),
        reverse("portal:space", args=[place.library.pk]),
        reverse("portal:space", args=[place.wall_space.pk]),
        reverse("portal:item", args=["jinling-registration"]),
        reverse("portal:track", args=[filed.token]),
        reverse("portal:wall", args=["jinling"]),
        reverse("portal:wish-new", args=["jinling"]),
        reverse("portal:wish", args=[wall["radio"].wish.pk]),
        reverse("portal:wish", args=[wall["glasses"].wish.pk]),
        reverse("portal:my-wish", args=[wall["radio"].token]),
        reverse("portal:kiosk", args=["jinling"]),
        reverse("portal:kiosk-item", args=["jinling", "jinling-registration"]),
        reverse("portal:kiosk-space", args=["jinling", place.library.pk]),
        reverse("portal:kiosk-activity", args=["jinling", place.salon.pk]),
        reverse("portal:kiosk-wall", args=["jinling"]),
        reverse("portal:kiosk-wish", args=["jinling", wall["phone"].wish.pk]),
        reverse("portal:kiosk-pair", args=["jinling"]),
    ]


def test_every_page_renders_for_anonymous_with_minimal_data(client, place, wall, filed):
    secrets = [WISHER[0], WISHER[1], "13629475810", "周敏", "大华银行"]
    secrets += [p.mobile for p in Person.objects.all()] + [p.id_number for p in Person.objects.all()]
    secrets += ["杨志宇", "刘慧"]  # claimers and members appear masked only
    for url in public_urls(place, wall, filed):
        response = client.get(url)
        assert response.status_code == 200, url
        text = html(response)
        assert [s for s in secrets if s and s in text] == [], url
        assert "Content-Security-Policy" in response


def test_the_center_page_shows_today_this_month_spaces_catalog_and_wall(client, place, wall):
    later = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=1)
    this_month = later.month == timezone.localtime().month
    if this_month:
        create_activity(actor=None, organization=place.tree.community, activity_type="moral_lecture", title="道德讲堂",
                        space=place.lounge, audience="public", starts_at=later, ends_at=later + timedelta(hours=2),
                        publish=True)  # fmt: skip
    text = html(client.get(reverse("portal:center", args=["jinling"])))
    assert "楼宇青年读书沙龙" in text
    assert ("道德讲堂" in text) == this_month
    assert "党建图书馆" in text and "休闲吧" in text and "开放参观，无需预约" in text
    assert "代办企业登记注册" in text and "政策咨询" in text
    assert "1 个心愿待认领 · 1 个已认领 · 1 个已实现" in text
    assert 'href="tel:0871-63161234"' in text


def test_members_only_activities_show_to_their_audience_only(client, place):
    """The activities app decides who sees what: the branch's 主题党日 is for its members."""
    anonymous = html(client.get(reverse("portal:center", args=["jinling"])))
    assert "主题党日" not in anonymous and "党员请登录，查看并报名本支部的组织生活" in anonymous
    client.force_login(place.liuhui)
    member = html(client.get(reverse("portal:center", args=["jinling"])))
    assert "主题党日：学习贯彻党的二十届四中全会精神" in member and "世邦魏理仕物业昆明分公司党支部" in member
    assert "党员请登录" not in member


def test_old_activity_links_redirect_permanently_to_the_canonical_page(client, place):
    canonical = reverse("activities:public", args=[place.salon.pk])
    for url in (
        f"/m/a/{place.salon.pk}/",
        f"/m/a/{place.salon.pk}/register/",
        f"/m/a/{place.salon.pk}/cancel/",
    ):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (301, canonical)
    assert client.post(f"/m/a/{place.salon.pk}/register/").status_code == 301
    # The center page links the canonical page; the canonical page is the activities app's.
    assert f'href="{canonical}"' in html(client.get(reverse("portal:center", args=["jinling"])))
    assert "楼宇青年读书沙龙" in html(client.get(canonical))


def test_the_kiosk_shows_public_activities_only(client, place):
    assert (
        client.get(reverse("portal:kiosk-activity", args=["jinling", place.theme_day.pk])).status_code == 404
    )
    page = html(client.get(reverse("portal:kiosk-activity", args=["jinling", place.salon.pk])))
    assert f'src="/m/qr/activity/{place.salon.pk}.svg"' in page  # opens /activities/p/<pk>/ (test_qr)


def test_drafts_cancelled_and_other_centers_stay_off_the_center_page(client, place):
    now = timezone.now()
    create_activity(actor=None, organization=place.tree.branch, activity_type="theme_day", title="草稿活动",
                    space=place.library, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2))  # fmt: skip
    create_activity(actor=None, organization=place.tree.far_branch, activity_type="theme_day", title="远方的活动",
                    place_text="金源花园", starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2),
                    publish=True)  # fmt: skip
    text = html(client.get(reverse("portal:center", args=["jinling"])))
    assert "草稿活动" not in text and "远方的活动" not in text


def test_the_wall_shows_first_names_only_and_never_pending_wishes(client, place, wall):
    text = html(client.get(reverse("portal:wall", args=["jinling"])))
    assert "想要一台收音机" in text and "想学用智能手机视频通话" in text and "想要一副老花镜" in text
    assert "想要一套大字版象棋" not in text  # pending
    assert "许愿人：王*英" in text and "许愿人：李奶奶" in text
    assert "认领党员：杨*宇" in text
    assert "谢谢党员同志！" in text


@pytest.mark.parametrize(
    "name,args",
    [
        ("center", ["nowhere"]),
        ("space", [999999]),
        ("item", ["no-such-item"]),
        ("track", ["not-a-token"]),
        ("wish", [999999]),
        ("my-wish", ["not-a-token"]),
        ("booking", ["not-a-code"]),
        ("kiosk", ["nowhere"]),
    ],
)
def test_unknown_objects_are_404(client, place, name, args):
    assert client.get(reverse(f"portal:{name}", args=args)).status_code == 404


def test_pending_wishes_and_draft_activities_are_404(client, place, wall):
    now = timezone.now()
    draft = create_activity(actor=None, organization=place.tree.branch, activity_type="theme_day", title="草稿",
                            space=place.library, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2))  # fmt: skip
    assert client.get(reverse("portal:qr", args=["activity", draft.pk])).status_code == 404
    assert client.get(reverse("portal:kiosk-activity", args=["jinling", draft.pk])).status_code == 404
    assert client.get(reverse("portal:wish", args=[wall["pending"].wish.pk])).status_code == 404
    assert (
        client.get(reverse("portal:kiosk-wish", args=["jinling", wall["pending"].wish.pk])).status_code == 404
    )


def test_kiosk_pages_of_another_center_are_404(client, place):
    from dangqun.centers.services import create_center

    create_center(
        actor=None, organization=place.tree.far_branch, data={"name": "金源花园服务站", "slug": "jinyuan"}
    )
    assert (
        client.get(reverse("portal:kiosk-item", args=["jinyuan", "jinling-registration"])).status_code == 404
    )
    assert client.get(reverse("portal:kiosk-space", args=["jinyuan", place.library.pk])).status_code == 404


def test_secret_link_pages_are_never_cached(client, place, wall, filed):
    for url in (
        reverse("portal:track", args=[filed.token]),
        reverse("portal:my-wish", args=[wall["radio"].token]),
    ):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in client.get(reverse("portal:kiosk", args=["jinling"]))["Cache-Control"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_center_page_queries_do_not_grow_with_activities_spaces_or_items(client, place, wall):
    url = reverse("portal:center", args=["jinling"])
    _queries(client, url)  # warm the per-process rule caches
    before = _queries(client, url)
    now = timezone.now()
    from dangqun.centers.services import create_space

    for n in range(5):
        space = create_space(actor=None, center=place.center, data={"name": f"会议室{n}", "capacity": 10})
        create_activity(actor=None, organization=place.tree.branch, activity_type="group_meeting", title=f"党小组会{n}",
                        space=space, starts_at=now + timedelta(minutes=10 + n), ends_at=now + timedelta(hours=1),
                        publish=True)  # fmt: skip
        desk.create_service_item(
            actor=None, center=place.center, data={"code": f"extra-{n}", "name": f"服务{n}"}
        )
    assert _queries(client, url) == before


def test_kiosk_home_queries_do_not_grow(client, place, wall):
    url = reverse("portal:kiosk", args=["jinling"])
    _queries(client, url)  # warm the per-process rule and device caches
    before = _queries(client, url)
    for n in range(5):
        desk.create_service_item(
            actor=None, center=place.center, data={"code": f"extra-{n}", "name": f"服务{n}"}
        )
    assert _queries(client, url) == before
