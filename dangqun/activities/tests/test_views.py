"""Staff pages: authorization matrix, list scope and query counts, forms, actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangqun.activities.models import Activity, Registration, ScanLog
from dangqun.activities.services.registrations import register_guest, register_person
from dangqun.activities.tests.factories import at, make_activity
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def meeting(tree):
    return make_activity(
        tree.branch, type_code="branch_assembly", title="第四季度支部党员大会", starts=at(hours=-1)
    )


@pytest.fixture
def far_meeting(tree):
    return make_activity(tree.far_branch, type_code="theme_day", title="金源花园主题党日")


def staff_pages(activity):
    pk = activity.pk
    return [
        reverse("activities:detail", args=[pk]),
        reverse("activities:edit", args=[pk]),
        reverse("activities:paper-sheet", args=[pk]),
        reverse("activities:screen", args=[pk]),
        reverse("activities:record", args=[pk]),
        reverse("activities:sign-in-sheet", args=[pk]),
    ]


def test_anonymous_is_sent_to_login(client, meeting):
    for url in staff_pages(meeting) + [reverse("activities:list"), reverse("activities:new"),
                                       reverse("activities:compliance"), reverse("activities:stats")]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url


def test_member_without_staff_grant_gets_403(client, tree, meeting):
    client.force_login(make_user(grants=[(tree.branch, "member")]))
    for url in staff_pages(meeting) + [reverse("activities:list"), reverse("activities:new"),
                                       reverse("activities:compliance"), reverse("activities:stats")]:  # fmt: skip
        assert client.get(url).status_code == 403, url


def test_grant_elsewhere_gets_404_and_no_foreign_rows(client, tree, meeting, far_meeting):
    client.force_login(make_user(grants=[(tree.far_county, "secretary")]))
    for url in staff_pages(meeting):
        assert client.get(url).status_code == 404, url
    response = client.get(reverse("activities:list"))
    assert [a.title for a in response.context["activities"]] == ["金源花园主题党日"]
    assert "第四季度支部党员大会" not in response.content.decode()
    assert client.get(reverse("activities:compliance-node", args=[tree.branch.pk])).status_code == 404
    assert client.get(reverse("activities:list"), {"org": tree.branch.pk}).status_code == 404


def test_grant_on_the_node_gets_200(client, tree, meeting, far_meeting):
    client.force_login(make_user(grants=[(tree.branch, "secretary")]))
    for url in staff_pages(meeting):
        assert client.get(url).status_code in (200, 302), url
    assert client.get(reverse("activities:screen", args=[meeting.pk])).status_code == 200
    response = client.get(reverse("activities:list"))
    assert [a.title for a in response.context["activities"]] == ["第四季度支部党员大会"]


def test_list_query_count_does_not_grow_with_rows(client, tree):
    user = make_user(grants=[(tree.community, "secretary")])
    client.force_login(user)
    make_activity(tree.branch, title="一")
    client.get(reverse("activities:list"))  # warm caches (content types, catalog)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("activities:list"))
    for i in range(19):
        make_activity(tree.branch if i % 2 else tree.community, type_code="salon", title=f"活动{i}")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("activities:list"))
    assert len(response.context["activities"]) == 20
    assert len(twenty) == len(one)


def test_list_pages_by_keyset(client, tree):
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    for i in range(23):
        make_activity(tree.branch, title=f"活动{i:02d}", starts=at(days=1, hours=i))
    first = client.get(reverse("activities:list"))
    titles = [a.title for a in first.context["activities"]]
    assert titles[:2] == ["活动22", "活动21"] and len(titles) == 20
    second = client.get(reverse("activities:list"), {"after": first.context["next_cursor"]})
    assert [a.title for a in second.context["activities"]] == ["活动02", "活动01", "活动00"]
    assert client.get(reverse("activities:list"), {"after": "garbage"}).status_code == 200


def test_create_form_errors_and_success(client, tree):
    client.force_login(make_user(grants=[(tree.branch, "secretary")]))
    starts = (at(days=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    ends = (at(days=2, hours=-1)).astimezone().strftime("%Y-%m-%dT%H:%M")
    data = {"organization": tree.branch.pk, "activity_type": "theme_day", "title": "主题党日", "starts_at": starts,
            "ends_at": ends, "place_text": "党员活动室", "audience": "branch"}  # fmt: skip
    response = client.post(reverse("activities:new"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_at": ["结束时间必须晚于开始时间。"]}
    data["ends_at"] = (at(days=2, hours=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    data["organization"] = tree.far_branch.pk
    response = client.post(reverse("activities:new"), data)
    assert "organization" in response.context["form"].errors
    data["organization"] = tree.branch.pk
    response = client.post(reverse("activities:new"), {**data, "publish": "1"})
    activity = Activity.objects.get()
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert (activity.status, activity.rotating_checkin) == ("published", False)


def test_actions_publish_cancel_and_manual_check_in(client, tree):
    user = make_user(grants=[(tree.community, "secretary")])
    client.force_login(user)
    activity = make_activity(tree.community, type_code="salon", audience="public", publish=False)
    client.post(reverse("activities:publish", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == "published"
    guest = register_guest(activity=activity, name="张三", mobile="13912345678")
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    client.post(reverse("activities:manual-check-in", args=[activity.pk, guest.pk]), {"note": "现场"})
    guest.refresh_from_db()
    assert guest.checkin_method == "manual"
    assert AuditEntry.objects.filter(action="activities.checkin.manual", actor=user).count() == 1
    response = client.post(reverse("activities:cancel", args=[activity.pk]), {"reason": ""}, follow=True)
    assert "请填写取消原因。" in response.content.decode()
    client.post(reverse("activities:cancel", args=[activity.pk]), {"reason": "场地维修"})
    activity.refresh_from_db()
    assert (activity.status, activity.cancel_reason) == ("cancelled", "场地维修")


def test_get_never_changes_state(client, tree):
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    activity = make_activity(tree.community, publish=False)
    for name in ("publish", "cancel", "finish"):
        assert client.get(reverse(f"activities:{name}", args=[activity.pk])).status_code == 405
    activity.refresh_from_db()
    assert activity.status == "draft"


def test_paper_sheet_page(client, tree, people):
    client.force_login(people.secretary_user)
    activity = make_activity(tree.branch, type_code="branch_assembly", starts=at(hours=-1))
    register_person(actor=None, activity=activity, person=people.liu)
    page = client.get(reverse("activities:paper-sheet", args=[activity.pk])).content.decode()
    assert "杨志宇" in page and "刘慧" in page
    response = client.post(
        reverse("activities:paper-sheet", args=[activity.pk]), {"person": [people.yang.pk, people.liu.pk]}
    )
    assert response.status_code == 302
    assert set(Registration.objects.filter(checked_in_at__isnull=False).values_list("name", flat=True)) == {
        "杨志宇",
        "刘慧",
    }
    assert ScanLog.objects.filter(method="paper", result="ok").count() == 2
    response = client.post(reverse("activities:paper-sheet", args=[activity.pk]), {"person": ["x"]})
    assert "人员选择有误" in response.content.decode()


def test_room_screen_shows_a_signed_code(client, tree, people):
    client.force_login(people.secretary_user)
    activity = make_activity(tree.branch, type_code="theme_day")
    response = client.get(reverse("activities:screen", args=[activity.pk]))
    code = response.context["screen"]["code"]
    assert code.startswith(f"{activity.pk}.")
    page = response.content.decode()
    assert "<svg" in page and "<script>" not in page
    api = client.get(reverse("api:activities-screen-code", args=[activity.pk]))
    assert api.status_code == 200 and api.json()["url"].endswith(f"/activities/s/{api.json()['code']}/")
    other = make_user(grants=[(tree.other_branch, "secretary")])
    client.force_login(other)
    assert client.get(reverse("api:activities-screen-code", args=[activity.pk])).status_code == 404
    plain = make_activity(tree.branch, type_code="salon", audience="public")
    client.force_login(people.secretary_user)
    assert client.get(reverse("activities:screen", args=[plain.pk])).status_code == 302


def test_nav_entries(client, tree, people):
    client.force_login(people.member_user)
    page = client.get(reverse("activities:mine")).content.decode()
    assert 'href="/activities/mine/"' in page and 'href="/activities/"' not in page
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    page = client.get(reverse("activities:mine")).content.decode()
    assert 'href="/activities/"' in page and 'href="/activities/compliance/"' in page


def test_finish_via_page_counts(client, tree, people):
    client.force_login(people.secretary_user)
    activity = make_activity(tree.branch, starts=at(hours=-1) - timedelta(minutes=5))
    client.post(reverse("activities:finish", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == "finished"


def test_scanner_registration_page_shows_the_token_once(client, tree):
    from dangqun.accounts.models import Device

    assert client.get(reverse("activities:scanners")).status_code == 302
    client.force_login(make_user(grants=[(tree.branch, "secretary")]))
    assert client.get(reverse("activities:scanners")).status_code == 403  # secretaries do not manage devices
    admin = make_user(grants=[(tree.community, "org_admin")])
    client.force_login(admin)
    response = client.post(
        reverse("activities:scanners"), {"organization": tree.branch.pk, "name": "前台扫码枪"}
    )
    token = response.context["token"]
    device = Device.objects.get()
    assert (device.kind, device.organization, device.name) == ("scanner", tree.branch, "前台扫码枪")
    assert response["Cache-Control"] == "no-store"
    from dangqun.accounts.devices import device_for_token

    assert device_for_token(token, kind="scanner") == device
    listing = client.get(reverse("activities:scanners")).content.decode()
    assert "前台扫码枪" in listing and token not in listing
    refused = client.post(reverse("activities:scanners"), {"organization": tree.far_branch.pk, "name": "x"})
    assert "不在您的管辖范围内" in refused.content.decode()


def test_space_booking_on_the_form_and_the_detail_page(client, tree, people):
    """Publishing into a taken slot: the form names starts_at and suggests free slots; once
    published the detail page shows the booking (issue 5) and the invited people."""
    from dangqun.activities.services import invite_person
    from dangqun.activities.tests.factories import make_member
    from dangqun.centers.models import Booking
    from dangqun.centers.services import Requester, create_center, create_space, request_booking

    week = {day: ["08:00", "21:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    center = create_center(actor=None, organization=tree.branch,
                           data={"name": "“金领”党群服务中心", "slug": "jinling-v", "opening_hours": week})  # fmt: skip
    space = create_space(actor=None, center=center, data={"name": "党建图书馆", "capacity": 20})
    day = (at(days=3)).astimezone().replace(hour=14, minute=0)
    request_booking(actor=None, space=space, starts_at=day, ends_at=day + timedelta(hours=2), mode="borrow",
                    purpose="读书会", attendees=5, requester=Requester.person("张三", "13800138000"),
                    channel="system")  # fmt: skip
    client.force_login(people.secretary_user)
    fmt = "%Y-%m-%dT%H:%M"
    data = {"organization": tree.branch.pk, "activity_type": "theme_day", "title": "图书馆主题党日",
            "starts_at": (day + timedelta(hours=1)).strftime(fmt), "ends_at": (day + timedelta(hours=3)).strftime(fmt),
            "space": space.pk, "audience": "branch", "publish": "1"}  # fmt: skip
    response = client.post(reverse("activities:new"), data)
    assert response.status_code == 200
    error = response.context["form"].errors["starts_at"][0]
    assert "党建图书馆" in error and "已被占用" in error and "最近的空闲时段" in error
    assert not Activity.objects.exists() and Booking.objects.count() == 1
    data.update(
        starts_at=(day + timedelta(hours=2)).strftime(fmt), ends_at=(day + timedelta(hours=4)).strftime(fmt)
    )
    response = client.post(reverse("activities:new"), data)
    activity = Activity.objects.get()
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    cadre = make_member(tree.far_branch, "王书记")
    invite_person(actor=people.secretary_user, activity=activity, person=cadre, reason="联系点")
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert 'id="space-booking"' in page and "“金领”党群服务中心 · 党建图书馆" in page and "已通过" in page
    assert 'id="invitations"' in page and "王书记" in page and "联系点" in page


def test_the_form_offers_the_spaces_of_centers_that_serve_the_organizer(tree, people):
    from dangqun.activities.forms import ActivityForm
    from dangqun.centers.services import create_center, create_space

    def space_of(organization, slug, name):
        center = create_center(actor=None, organization=organization, data={"name": name, "slug": slug})
        return create_space(actor=None, center=center, data={"name": f"{name}活动室", "capacity": 20})

    own = space_of(tree.branch, "own", "金领中心")
    above = space_of(tree.community, "above", "顺城社区中心")
    far = space_of(tree.far_branch, "far", "金源花园中心")
    closed = space_of(tree.group, "below", "小组活动点")
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    offered = {value for value, _label in ActivityForm(people.secretary_user).fields["space"].choices}
    assert {str(own.pk), str(above.pk)} <= offered
    assert str(far.pk) not in offered and str(closed.pk) not in offered
