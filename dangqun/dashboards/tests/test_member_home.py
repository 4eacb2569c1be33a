"""Home for members and masses with a login (我的): not a 403, their own notices and activities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangqun.activities.catalog import ensure_catalog
from dangqun.activities.services.registrations import register_person as register_for_activity
from dangqun.activities.tests.factories import at, make_activity, make_member
from dangqun.news.services import send_notice
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalog(db):
    ensure_catalog()


def test_member_sees_own_notices_registrations_and_open_activities(client, tree):
    user = make_user(grants=[(tree.branch, "member")])
    person = make_member(tree.branch, "刘慧", user=user)
    theme_day = make_activity(tree.branch, title="十二月主题党日", starts=at(days=3), audience="branch")
    make_activity(tree.community, title="读书沙龙", starts=at(days=5), audience="public")
    make_activity(tree.far_branch, title="别处的支部大会", starts=at(days=4), audience="branch")
    register_for_activity(actor=user, activity=theme_day, person=person)
    send_notice(actor=None, organization=tree.branch, title="关于缴纳党费的通知", body="请于月底前缴纳。",
                recipients=[user], requires_confirmation=True)  # fmt: skip
    client.force_login(user)

    response = client.get(reverse("workbench"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "刘慧，您好" in page
    assert "关于缴纳党费的通知" in page and "待确认" in page and "1 条未读" in page
    registrations = page.split('id="home-registrations"')[1].split("</section>")[0]
    assert "十二月主题党日" in registrations and "读书沙龙" not in registrations
    open_to_me = page.split('id="home-open"')[1].split("</section>")[0]
    assert "读书沙龙" in open_to_me and "十二月主题党日" not in open_to_me and "别处的支部大会" not in open_to_me
    assert 'id="home-orglife"' not in page  # not a leading cadre


def test_login_without_person_gets_an_empty_home(client, db):
    client.force_login(make_user())
    response = client.get(reverse("workbench"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "还没有收到通知。" in page and "近期没有报名的活动。" in page
