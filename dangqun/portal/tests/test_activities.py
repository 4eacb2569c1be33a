"""Registering for an activity from the phone: members from their login, guests with name and
mobile for public activities; the guest's pass lives in their session, never in the URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangqun.activities.models import Registration
from dangqun.portal.tests.builders import make_member
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def register(client, activity, **data):
    return client.post(reverse("portal:activity-register", args=[activity.pk]), data)


def test_a_member_registers_from_her_login_and_cancels(client, place):
    client.force_login(place.liuhui)
    page = client.get(reverse("portal:activity", args=[place.theme_day.pk])).content.decode()
    assert "以 刘慧 的身份报名。" in page
    response = register(client, place.theme_day)
    assert response.status_code == 302 and response["Location"].endswith("#mine")
    registration = Registration.objects.get()
    assert registration.person == place.liu and registration.status == "confirmed"
    page = client.get(reverse("portal:activity", args=[place.theme_day.pk])).content.decode()
    assert 'id="registration-state">已报名' in page and "<svg" in page
    assert client.post(reverse("portal:activity-cancel", args=[place.theme_day.pk])).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_a_branch_activity_asks_strangers_to_log_in(client, place):
    page = client.get(reverse("portal:activity", args=[place.theme_day.pk]))
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    response = register(client, place.theme_day, name="张三", mobile="13912345678")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Registration.objects.count() == 0


def test_a_member_outside_the_audience_finds_nothing(client, place):
    _person, outsider = make_member(
        place.tree.far_branch, "外来党员", username="outsider", grants=[(place.tree.far_branch, "member")]
    )
    client.force_login(outsider)
    assert client.get(reverse("portal:activity", args=[place.theme_day.pk])).status_code == 404
    assert register(client, place.theme_day).status_code == 404
    assert Registration.objects.count() == 0


def test_an_account_without_a_person_registers_for_public_activities_as_a_guest(client, place):
    client.force_login(make_user("lonely"))
    page = client.get(reverse("portal:activity", args=[place.salon.pk])).content.decode()
    assert 'name="mobile"' in page and "党员请登录后报名" not in page
    bad = register(client, place.salon)
    assert bad.status_code == 400 and "请填写姓名。" in bad.content.decode()
    assert register(client, place.salon, name="张三", mobile="13912345678").status_code == 302
    assert Registration.objects.get().person is None


def test_a_guest_registers_for_a_public_activity_and_sees_her_pass(client, place):
    response = register(client, place.salon, name="张 三", mobile="139 1234 5678")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.name, registration.mobile, registration.person) == ("张 三", "13912345678", None)
    page = client.get(reverse("portal:activity", args=[place.salon.pk])).content.decode()
    assert 'id="registration-state">已报名' in page
    shown = registration.pass_code[:5] + "-" + registration.pass_code[5:]
    assert shown in page
    # Another browser (no session) sees the form, not her pass.
    from django.test import Client

    other = Client().get(reverse("portal:activity", args=[place.salon.pk])).content.decode()
    assert shown not in other and 'name="mobile"' in other
    assert client.post(reverse("portal:activity-cancel", args=[place.salon.pk])).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_guest_bad_input_and_double_registration(client, place):
    bad = register(client, place.salon, name="张三", mobile="123")
    assert bad.status_code == 400 and "手机号格式不正确" in bad.content.decode()
    assert register(client, place.salon, name="张三", mobile="13912345678").status_code == 302
    from django.test import Client

    again = register(Client(), place.salon, name="张三", mobile="13912345678")
    assert again.status_code == 400 and "该手机号已报名本活动。" in again.content.decode()
    assert Registration.objects.count() == 1


def test_a_full_public_activity_puts_guests_on_the_waiting_list(client, place):
    from django.test import Client

    for mobile in ("13900000001", "13900000002"):
        assert register(Client(), place.salon, name="李四", mobile=mobile).status_code == 302
    response = register(client, place.salon, name="王五", mobile="13900000003")
    assert response.status_code == 302
    assert Registration.objects.get(mobile="13900000003").status == "waitlisted"
    page = client.get(reverse("portal:activity", args=[place.salon.pk])).content.decode()
    assert "候补第 1 位" in page
