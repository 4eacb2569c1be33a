"""Pages: the authorization matrix of every staff page, the cadre's own pages, the overview (counts,
lights, export) with a constant number of queries."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangqun.orglife import services
from dangqun.orglife.models import Objection, PublicNotice
from dangqun.orglife.tests.factories import make_member

pytestmark = pytest.mark.django_db

STAFF_LISTS = [
    "orglife:overview",
    "orglife:filings",
    "orglife:contact-points",
    "orglife:objections",
    "orglife:notices",
]


@pytest.fixture
def accepted(world):
    """An accepted quarter with a posted notice and one objection."""
    world.contact_point()
    own = world.signed_report(world.own_meeting())
    world.signed_report(world.contact_meeting())
    filing = services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter,
                                    now=world.filing_time)  # fmt: skip
    filing = services.review_filing(actor=world.committee_user, filing=filing, accept=True)
    notice = PublicNotice.objects.get(report=own)
    objection = services.file_objection(token=notice.token, text="有意见", ip="192.0.2.1",
                                        started_at=notice.starts_at - timedelta(minutes=1))  # fmt: skip
    return filing, own, notice, objection


@pytest.mark.parametrize("name", STAFF_LISTS + ["orglife:signoff"])
def test_anonymous_goes_to_login(client, name, world):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", STAFF_LISTS + ["orglife:signoff", "orglife:me"])
def test_member_without_grant_is_forbidden(client, name, world, make_user):
    member = make_user("plain", grants=[(world.tree.branch, "member")])
    client.force_login(member)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["orglife:filings", "orglife:objections", "orglife:notices"])
def test_grant_elsewhere_sees_no_foreign_rows(client, name, world, accepted):
    client.force_login(world.far_user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "王建国" not in response.content.decode()


def test_department_sees_the_lists(client, world, accepted):
    client.force_login(world.department_user)
    for name in STAFF_LISTS:
        response = client.get(reverse(name) + ("?show=all" if name == "orglife:objections" else ""))
        assert response.status_code == 200, name
        assert "王建国" in response.content.decode(), name


def test_details_are_404_outside_the_scope(client, world, accepted):
    filing, report, notice, objection = accepted
    urls = [
        reverse("orglife:filing", args=[filing.pk]),
        reverse("orglife:report", args=[report.pk]),
        reverse("orglife:attendance", args=[report.attendance_id]),
        reverse("orglife:notice", args=[notice.pk]),
        reverse("orglife:objection", args=[objection.pk]),
        reverse("orglife:filing-pdf", args=[filing.pk]),
    ]
    client.force_login(world.far_user)
    assert [client.get(url).status_code for url in urls] == [404] * 6
    client.force_login(world.department_user)
    assert [client.get(url).status_code for url in urls] == [200] * 6
    # The cadre sees their own filing, report and 纪实, not the department's queue.
    client.force_login(world.cadre_user)
    assert [client.get(url).status_code for url in urls[:3]] == [200] * 3
    assert client.get(urls[4]).status_code == 403


def test_cadre_quarter_page_lists_both_branches(client, world):
    world.contact_point()
    world.own_meeting()
    world.contact_meeting()
    client.force_login(world.cadre_user)
    assert client.get(reverse("orglife:home"))["Location"] == reverse("orglife:me")
    response = client.get(
        reverse("orglife:me") + f"?year={world.quarter.year}&quarter={world.quarter.number}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="calendar-item"') == 2
    assert "大观社区第一党支部" in html and "须填写报告单" in html
    assert 'id="nav-orglife"' in html


def test_cadre_fills_the_report_through_the_pages(client, world):
    meeting = world.own_meeting()
    client.force_login(world.cadre_user)
    response = client.post(reverse("orglife:attendance-start", args=[meeting.pk]))
    attendance_url = response["Location"]
    response = client.post(attendance_url, {"outline_text": "一、学习体会"})
    assert response.status_code == 302
    attendance_id = int(attendance_url.rstrip("/").split("/")[-1])
    response = client.post(reverse("orglife:report-new", args=[attendance_id]))
    edit_url = response["Location"]
    page = client.get(edit_url).content.decode()
    assert 'name="speech_summary"' in page and 'name="host_name"' not in page
    response = client.post(edit_url, {"post": "区委常委", "meeting_content": "学习", "speech_summary": "发言",
                                      "criticism": "", "rectification": "", "public_summary": "摘要", "submit": "1"})  # fmt: skip
    assert response.status_code == 302
    report_url = response["Location"]
    client.force_login(world.secretary_user)
    assert "王建国" in client.get(reverse("orglife:signoff")).content.decode()
    page = client.get(report_url).content.decode()
    assert 'id="sign-off"' in page
    report_id = int(report_url.rstrip("/").split("/")[-1])
    client.post(reverse("orglife:report-action", args=[report_id, "sign"]), {"comment": "属实"})
    page = client.get(report_url).content.decode()
    assert "签字：杨志宇" in page


def test_report_for_a_meeting_not_attended_shows_the_reason(client, world):
    meeting = world.own_meeting(attendees=[world.secretary])
    client.force_login(world.cadre_user)
    attendance_url = client.post(reverse("orglife:attendance-start", args=[meeting.pk]))["Location"]
    attendance_id = int(attendance_url.rstrip("/").split("/")[-1])
    response = client.post(reverse("orglife:report-new", args=[attendance_id]), follow=True)
    assert "签到记录中没有王建国在“2025年度组织生活会”的签到，不能填写报告单。" in response.content.decode()


def test_filing_twice_through_the_page_is_refused(client, world):
    client.force_login(world.cadre_user)
    url = reverse("orglife:filing-new") + f"?year={world.quarter.year}&quarter={world.quarter.number}"
    assert client.post(url, {"note": "本季度无组织生活会。"}).status_code == 302
    response = client.post(url, {"note": "再报一次"})
    assert response.status_code == 200
    assert "已经报备（已报备待审核），不能重复报备" in response.content.decode()


def test_overview_counts_lights_and_export(client, world, accepted):
    filing, *_rest = accepted
    client.force_login(world.department_user)
    url = reverse("orglife:overview") + f"?year={world.quarter.year}&quarter={world.quarter.number}"
    html = client.get(url).content.decode()
    today = timezone.localdate()
    due = world.quarter.last_day + timedelta(days=15)
    light = "grey" if today <= due else ("amber" if today <= due + timedelta(days=15) else "red")
    assert 'id="stat-due">2<' in html and 'id="stat-filed">1<' in html and 'id="stat-accepted">1<' in html
    assert f'id="stat-overdue">{1 if today > due else 0}<' in html
    assert 'id="stat-objections">1<' in html
    assert f'class="row-{light}"' in html and 'class="row-green"' in html
    export = client.get(
        reverse("orglife:overview-export") + f"?year={world.quarter.year}&quarter={world.quarter.number}"
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("姓名", "所在组织", "干部级别", "区级领导", "报备状态")
    assert {r[0]: r[4] for r in rows[1:]} == {"王建国": "已审核通过", "李卫东": {"grey": "未报备", "amber": "逾期",
                                                                            "red": "严重逾期"}[light]}  # fmt: skip


def test_overview_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world.department_user)
    url = reverse("orglife:overview")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(20):
        make_member(world.tree.other_branch, "干部" + "甲乙丙丁戊己庚辛壬癸"[index % 10] + "子丑"[index // 10],
                    cadre_level="township")  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('<tr class="row-') == 22
    assert len(many) == len(few)


def test_objection_answered_from_the_queue(client, world, accepted):
    *_rest, objection = accepted
    client.force_login(world.department_user)
    url = reverse("orglife:objection", args=[objection.pk])
    response = client.post(url, {"outcome": "unfounded", "response": "经核查不属实。"})
    assert response.status_code == 302
    assert Objection.objects.get().status == "answered"
    receipt = client.get(reverse("orglife:receipt", args=[objection.receipt])).content.decode()
    assert "经核查不属实。" in receipt


def test_api_overview_and_report(client, world, accepted):
    filing, report, *_rest = accepted
    client.force_login(world.department_user)
    data = client.get(
        f"/api/v1/orglife/overview?org={world.tree.district.pk}&year={filing.year}&quarter={filing.quarter}"
    ).json()
    assert (data["due"], data["accepted"], data["objections_open"]) == (2, 1, 1)
    assert client.get(f"/api/v1/orglife/reports/{report.pk}").json()["signed_by"] == "杨志宇"
    client.force_login(world.far_user)
    assert client.get(f"/api/v1/orglife/reports/{report.pk}").status_code == 404
    assert client.get(f"/api/v1/orglife/overview?org={world.tree.district.pk}").status_code == 404
