"""Public and member pages: the QR landing page with schema.org JSON-LD, guest registration, the
pass, a member's activities, sign-in with the room screen's code, lists per center and org."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.urls import reverse

from dangqun.activities import rotating
from dangqun.activities.models import Registration, ScanLog
from dangqun.activities.services.activities import cancel_activity
from dangqun.activities.tests.factories import at, make_activity
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lecture(tree):
    return make_activity(
        tree.community, type_code="moral_lecture", audience="public", title="道德讲堂：孝老爱亲, 邻里和睦; 第一讲",
        description="主讲：社区老党员\n地点见下", capacity=2,
    )  # fmt: skip


def json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_public_page_for_anyone_with_json_ld(client, lecture):
    response = client.get(reverse("activities:public", args=[lecture.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    data = json_ld(page)
    assert data["@type"] == "Event" and data["name"] == lecture.title
    assert data["organizer"]["name"] == "顺城社区党委"
    assert data["startDate"].endswith("+08:00")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert 'name="mobile"' in page


def test_json_ld_cannot_break_out_of_its_script(client, tree):
    activity = make_activity(
        tree.community, type_code="salon", audience="public", title="</script><script>alert(1)"
    )
    page = client.get(reverse("activities:public", args=[activity.pk])).content.decode()
    assert "<script>alert(1)" not in page
    assert json_ld(page)["name"] == "</script><script>alert(1)"


def test_drafts_and_members_only_activities_are_hidden(client, tree, people):
    draft = make_activity(tree.community, type_code="salon", audience="public", publish=False)
    members = make_activity(tree.branch, type_code="theme_day", audience="branch")
    assert client.get(reverse("activities:public", args=[draft.pk])).status_code == 404
    anonymous = client.get(reverse("activities:public", args=[members.pk]))  # its QR, scanned logged out
    assert (anonymous.status_code, anonymous["Location"]) == (
        302, "/accounts/login/?next=" + reverse("activities:public", args=[members.pk])
    )
    assert members.title not in anonymous.content.decode()
    client.force_login(make_user(grants=[(tree.other_branch, "member")]))
    assert client.get(reverse("activities:public", args=[members.pk])).status_code == 404
    client.force_login(people.member_user)
    assert client.get(reverse("activities:public", args=[members.pk])).status_code == 200


def test_guest_registers_gets_a_pass_and_can_cancel(client, lecture):
    url = reverse("activities:guest-register", args=[lecture.pk])
    bad = client.post(url, {"name": "王五", "mobile": "12345"})
    assert bad.status_code == 200 and "手机号格式不正确" in bad.content.decode()
    response = client.post(url, {"name": "王五", "mobile": "139 1234 5678"})
    registration = Registration.objects.get()
    assert response["Location"] == reverse("activities:pass", args=[registration.pass_code])
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert "139****5678" in text and "13912345678" not in text
    assert registration.pass_code[:5] + "-" + registration.pass_code[5:] in text
    assert "<svg" in text
    duplicate = client.post(url, {"name": "王五", "mobile": "13912345678"})
    assert "该手机号已报名本活动。" in duplicate.content.decode()
    client.post(reverse("activities:pass-cancel", args=[registration.pass_code]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get(reverse("activities:pass", args=["NOTACODE22"])).status_code == 404


def test_member_registers_from_the_account(client, tree, people):
    activity = make_activity(tree.branch, type_code="theme_day", audience="branch")
    client.force_login(people.member_user)
    response = client.post(reverse("activities:member-register", args=[activity.pk]))
    registration = Registration.objects.get()
    assert (registration.person, response["Location"]) == (
        people.liu,
        reverse("activities:pass", args=[registration.pass_code]),
    )
    again = client.post(reverse("activities:member-register", args=[activity.pk]), follow=True)
    assert "您已报名本活动，无需重复报名。" in again.content.decode()
    mine = client.get(reverse("activities:mine"))
    assert [r.activity.title for r in mine.context["rows"]] == [activity.title]
    assert client.get(reverse("activities:member-register", args=[activity.pk])).status_code == 405


def test_sign_in_page_flow(client, tree, people):
    activity = make_activity(tree.branch, type_code="branch_assembly", starts=at(hours=-0.2))
    code = rotating.make(activity.pk, valid_seconds=30)[0]
    url = reverse("activities:sign-in", args=[code])
    assert client.get(url)["Location"].startswith("/accounts/login/?next=")
    client.force_login(people.member_user)
    page = client.get(url)
    assert page.status_code == 200 and "确认签到" in page.content.decode()
    assert not Registration.objects.exists()  # GET changes nothing
    done = client.post(url, {"nonce": "abc"})
    assert 'data-result="ok"' in done.content.decode() and "刘慧，签到成功" in done.content.decode()
    again = client.post(url, {"nonce": "abc"})
    assert ScanLog.objects.count() == 1 and 'data-result="ok"' in again.content.decode()
    old = rotating.make(activity.pk, valid_seconds=30, now=time.time() - 61)[0]
    expired = client.get(reverse("activities:sign-in", args=[old]))
    assert 'data-result="rotating_code_expired"' in expired.content.decode()
    assert "签到码已过期" in expired.content.decode()


def test_sign_in_with_geofence_needs_a_position(client, tree, people):
    activity = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-0.2),
                             latitude="25.040580", longitude="102.712250", geofence_m=300)  # fmt: skip
    code = rotating.make(activity.pk, valid_seconds=30)[0]
    client.force_login(people.member_user)
    url = reverse("activities:sign-in", args=[code])
    assert "data-geofence" in client.get(url).content.decode()
    far = client.post(url, {"nonce": "n1", "latitude": "25.1", "longitude": "102.7"})
    assert 'data-result="outside_area"' in far.content.decode()
    near = client.post(url, {"nonce": "n2", "latitude": "25.0410", "longitude": "102.7125"})
    assert 'data-result="ok"' in near.content.decode()


def test_center_and_organization_lists_show_public_activities_this_month(client, tree, lecture):
    from dangqun.centers.models import ServiceCenter, Space

    center = ServiceCenter.objects.create(name="“金领”党群服务中心", slug="jinling-test", organization=tree.community,
                                          org_path=tree.community.path)  # fmt: skip
    space = Space.objects.create(center=center, name="党建图书馆", capacity=40)
    at_center = make_activity(tree.branch, type_code="theme_day", audience="public", title="楼宇主题党日",
                              space=space, place_text="")  # fmt: skip
    members_only = make_activity(
        tree.branch,
        type_code="theme_day",
        audience="branch",
        title="支部内部",
        space=space,
        starts=at(hours=4),
    )
    page = client.get(reverse("activities:center", args=["jinling-test"]))
    assert [a.title for a in page.context["activities"]] == [at_center.title]
    assert "“金领”党群服务中心 · 党建图书馆" in page.content.decode()
    org_page = client.get(reverse("activities:organization", args=[tree.community.pk]))
    assert {a.title for a in org_page.context["activities"]} == {lecture.title, at_center.title}
    assert members_only.title not in org_page.content.decode()
    assert client.get(reverse("activities:center", args=["nope"])).status_code == 404


def test_cancelled_activity_page_says_so(client, lecture):
    cancel_activity(actor=None, activity=lecture, reason="场地维修")
    page = client.get(reverse("activities:public", args=[lecture.pk])).content.decode()
    assert "已取消" in page and json_ld(page)["eventStatus"] == "https://schema.org/EventCancelled"
