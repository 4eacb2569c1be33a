"""Staff and requester pages: authorization matrix, query counts, forms and refusals on fields."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangqun.centers.models import Blackout, Booking, ServiceCenter, Space
from dangqun.centers.services import create_space
from dangqun.centers.tests.conftest import WEEK, at
from dangqun.centers.tests.helpers import book
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def staff(tree):
    return make_user("staff", grants=[(tree.community, "center_staff")])


@pytest.fixture
def foreigner(tree):
    return make_user("far", grants=[(tree.far_county, "center_staff")])


@pytest.fixture
def member(tree):
    return make_user("member", grants=[(tree.branch, "member")], display_name="刘慧")


@pytest.fixture
def pending(library, thursday):
    return book(library, at(thursday, 19), at(thursday, 21), auto_accept=False, purpose="读书沙龙")


def staff_pages(center, library, pending):
    blackout = Blackout.objects.create(
        center=center, starts_at=pending.starts_at, ends_at=pending.ends_at, reason="x"
    )
    return [
        reverse("centers:center", args=[center.pk]),
        reverse("centers:center-edit", args=[center.pk]),
        reverse("centers:space-new", args=[center.pk]),
        reverse("centers:blackouts", args=[center.pk]),
        reverse("centers:space", args=[library.pk]),
        reverse("centers:space-edit", args=[library.pk]),
        reverse("centers:photo-add", args=[library.pk]),
        reverse("centers:booking", args=[pending.pk]),
        reverse("centers:queue") + f"?center={center.pk}",
    ], blackout


def test_anonymous_is_sent_to_login(client, center, library, pending):
    pages, _blackout = staff_pages(center, library, pending)
    for url in pages + [reverse("centers:list"), reverse("centers:queue"), reverse("centers:visits"),
                        reverse("centers:browse"), reverse("centers:book", args=[library.pk]), reverse("centers:mine")]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url


def test_member_gets_403_on_staff_pages_but_may_book(client, center, library, pending, member):
    pages, _blackout = staff_pages(center, library, pending)
    client.force_login(member)
    for url in pages + [reverse("centers:list"), reverse("centers:queue"), reverse("centers:visits")]:
        assert client.get(url).status_code == 403, url
    for url in (
        reverse("centers:browse"),
        reverse("centers:book", args=[library.pk]),
        reverse("centers:mine"),
    ):
        assert client.get(url).status_code == 200, url
    for day in ("9999-12-31", "0001-01-01", "2026-02-30"):  # out of range or malformed: today's page
        assert client.get(reverse("centers:book", args=[library.pk]), {"day": day}).status_code == 200, day
    page = html(client.get(reverse("centers:browse")))
    assert "场地预约" in page and f'href="{reverse("centers:list")}"' not in page


def test_grant_elsewhere_gets_404_and_no_foreign_rows(
    client, center, library, pending, foreigner, far_center
):
    pages, blackout = staff_pages(center, library, pending)
    client.force_login(foreigner)
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("centers:booking-decide", args=[pending.pk]),
        reverse("centers:blackout-delete", args=[blackout.pk]),
    ):
        assert client.post(url, {"action": "accept"}).status_code == 404, url
    listing = html(client.get(reverse("centers:list")))
    assert "金源花园党群活动室" in listing and "“金领”党群服务中心" not in listing
    assert "读书沙龙" not in html(client.get(reverse("centers:queue")))
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_staff_on_the_node_sees_everything(client, center, library, pending, staff):
    pages, _blackout = staff_pages(center, library, pending)
    client.force_login(staff)
    for url in pages + [reverse("centers:list"), reverse("centers:queue"), reverse("centers:visits")]:
        assert client.get(url).status_code == 200, url
    assert "读书沙龙" in html(client.get(reverse("centers:queue")))


def test_queue_accept_and_reject(client, library, thursday, pending, staff):
    client.force_login(staff)
    response = client.post(
        reverse("centers:booking-decide", args=[pending.pk]), {"action": "accept", "next": "/centers/queue/"}
    )
    assert response["Location"] == "/centers/queue/"
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("accepted", staff)
    other = book(library, at(thursday, 9), at(thursday, 10), auto_accept=False)
    response = client.post(
        reverse("centers:booking-decide", args=[other.pk]), {"action": "reject", "note": ""}, follow=True
    )
    assert "请填写未通过的原因。" in html(response)
    other.refresh_from_db()
    assert other.status == "pending"
    client.post(
        reverse("centers:booking-decide", args=[other.pk]), {"action": "reject", "note": "当天有党课"}
    )
    other.refresh_from_db()
    assert (other.status, other.decision_note) == ("rejected", "当天有党课")


def test_queue_query_count_does_not_grow(client, library, thursday, staff):
    client.force_login(staff)
    book(library, at(thursday, 8), at(thursday, 8, 30), auto_accept=False)
    client.get(reverse("centers:queue"))  # the session is refreshed on the first request
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("centers:queue")).status_code == 200
    for i in range(19):
        start = at(thursday, 9) + (at(thursday, 0, 30) - at(thursday, 0)) * i
        book(library, start, start + (at(thursday, 0, 30) - at(thursday, 0)), auto_accept=False)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("centers:queue"))
    assert len(response.context["rows"]) == 20
    assert len(twenty) == len(one)


def test_mine_query_count_does_not_grow(client, library, thursday, member):
    client.force_login(member)
    book(library, at(thursday, 8), at(thursday, 8, 30), actor=member)
    client.get(reverse("centers:mine"))  # the session is refreshed on the first request
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("centers:mine"))
    for i in range(19):
        start = at(thursday, 9) + (at(thursday, 0, 30) - at(thursday, 0)) * i
        book(library, start, start + (at(thursday, 0, 30) - at(thursday, 0)), actor=member)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("centers:mine"))
    assert len(response.context["rows"]) == 20
    assert len(twenty) == len(one)


def post_booking(client, library, thursday, **overrides):
    data = {"on_behalf": "person", "day": thursday.isoformat(), "start": "19:00", "end": "21:00", "mode": "shared",
            "attendees": "8", "purpose": "读书沙龙", "contact_name": "刘慧", "contact_mobile": "", "repeat_weeks": "1"}  # fmt: skip
    data.update(overrides)
    return client.post(reverse("centers:book", args=[library.pk]), data)


def test_book_page_refusals_land_on_fields(client, library, thursday, member):
    client.force_login(member)
    response = post_booking(client, library, thursday, attendees="400")
    assert response.status_code == 200
    assert response.context["form"].errors["attendees"] == ["参加人数 400 超过“党建图书馆”的容纳人数 20。"]
    response = post_booking(client, library, thursday, end="19:00")
    assert response.context["form"].errors["end"] == ["预约时长不能为零：结束时间必须晚于开始时间。"]
    response = post_booking(client, library, thursday, start="06:00", end="09:00")
    assert "可预约时间" in response.context["form"].errors["start"][0]
    assert Booking.objects.count() == 0


def test_book_page_taken_slot_offers_suggestions(client, library, thursday, member):
    book(library, at(thursday, 19), at(thursday, 21), mode="borrow")
    client.force_login(member)
    response = post_booking(client, library, thursday, mode="free_use")
    assert response.status_code == 200
    assert [s["start"] for s in response.context["suggestions"]] == ["17:00", "16:30", "16:00"]
    assert 'data-start="17:00"' in html(response)
    assert "已被占用" in response.context["form"].errors["start"][0]
    response = post_booking(client, library, thursday, mode="free_use", start="17:00", end="19:00")
    assert response.status_code == 302
    assert Booking.objects.filter(user=member).get().status == "pending"


def test_book_for_my_organization_and_cancel(client, library, thursday, member, tree):
    client.force_login(member)
    response = post_booking(client, library, thursday, on_behalf=f"org:{tree.branch.pk}")
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.organization, booking.requester_kind, booking.user) == (
        tree.branch,
        "organization",
        member,
    )
    assert "世邦魏理仕物业昆明分公司党支部" in html(client.get(reverse("centers:mine")))
    response = post_booking(client, library, thursday, on_behalf=f"org:{tree.far_branch.pk}")
    assert "on_behalf" in response.context["form"].errors  # not one of my organizations
    client.post(reverse("centers:cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_series_on_the_page_and_cancel_one_occurrence(client, library, thursday, member):
    from datetime import timedelta

    client.force_login(member)
    response = post_booking(client, library, thursday, repeat_weeks="3")
    assert response.status_code == 302
    rows = list(Booking.objects.order_by("starts_at"))
    assert [r.starts_at for r in rows] == [at(thursday + timedelta(weeks=w), 19) for w in range(3)]
    client.post(reverse("centers:cancel", args=[rows[1].pk]))
    assert list(Booking.objects.order_by("starts_at").values_list("status", flat=True)) == [
        "pending",
        "cancelled",
        "pending",
    ]
    client.post(reverse("centers:cancel-series", args=[rows[0].series_id]))
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}


def test_cancel_someone_elses_booking_is_404(client, library, thursday, member, tree):
    other = book(
        library, at(thursday, 9), at(thursday, 10), actor=make_user(grants=[(tree.branch, "member")])
    )
    client.force_login(member)
    assert client.post(reverse("centers:cancel", args=[other.pk])).status_code == 404


def test_center_and_space_forms(client, staff, tree):
    client.force_login(staff)
    data = {"organization": str(tree.branch.pk), "name": "“金领”党群服务中心", "slug": "jinling", "is_active": "on",
            "opening_hours_thu_open": "09:00", "opening_hours_thu_close": "08:00"}  # fmt: skip
    response = client.post(reverse("centers:center-new"), data)
    assert "周四的结束时间 08:00 必须晚于开始时间 09:00。" in html(response)
    assert ServiceCenter.objects.count() == 0
    data["opening_hours_thu_close"] = "21:00"
    response = client.post(reverse("centers:center-new"), data)
    center = ServiceCenter.objects.get()
    assert response["Location"] == reverse("centers:center", args=[center.pk])
    assert (center.opening_hours, center.org_path) == ({"thu": ["09:00", "21:00"]}, tree.branch.path)
    data = {"name": "党建图书馆", "capacity": "0", "bookable": "on", "slot_minutes": "30", "is_active": "on"}
    response = client.post(reverse("centers:space-new", args=[center.pk]), data)
    assert response.context["form"].errors["capacity"] == ["容纳人数至少为 1。"]
    data["capacity"] = "20"
    client.post(reverse("centers:space-new", args=[center.pk]), data)
    assert Space.objects.get().capacity == 20
    far = {"organization": str(tree.far_branch.pk), "name": "x", "slug": "x"}
    assert "organization" in client.post(reverse("centers:center-new"), far).context["form"].errors
    assert AuditEntry.objects.filter(action="centers.center.created").count() == 1


def test_blackout_page_warns_about_bookings_inside(client, center, library, thursday, staff):
    book(library, at(thursday, 19), at(thursday, 20))
    client.force_login(staff)
    data = {
        "space": str(library.pk),
        "starts_at": f"{thursday}T18:00",
        "ends_at": f"{thursday}T22:00",
        "reason": "消防检查",
    }
    response = client.post(reverse("centers:blackouts", args=[center.pk]), data, follow=True)
    assert "该时段内仍有 1 个预约" in html(response)
    data["ends_at"] = f"{thursday}T17:00"
    response = client.post(reverse("centers:blackouts", args=[center.pk]), data)
    assert response.context["form"].errors["ends_at"] == ["结束时间必须晚于开始时间。"]


def test_week_grid_names_the_requester_for_staff_only(client, library, thursday, staff, member, tree):
    book(library, at(thursday, 19), at(thursday, 21), mode="shared", attendees=8,
         requester=__import__("dangqun.centers.services", fromlist=["Requester"]).Requester.of_organization(tree.branch))  # fmt: skip
    client.force_login(staff)
    page = html(client.get(reverse("centers:space", args=[library.pk]), {"week": thursday.isoformat()}))
    assert "世邦魏理仕物业昆明分公司党支部" in page and "合用 余12" in page
    client.force_login(member)
    page = html(client.get(reverse("centers:book", args=[library.pk]), {"day": thursday.isoformat()}))
    assert "合用 余12" in page and "世邦魏理仕物业昆明分公司党支部</a>" not in page


def test_group_visit_request(client, tree, member):
    from dangqun.centers.services import create_center

    dali = create_center(actor=None, organization=tree.far_branch, data={
        "name": "大理经开区党群活动服务中心", "slug": "dali-edz", "opening_hours": WEEK,
        "accepts_group_visits": True, "visit_capacity": 60, "visit_minutes": 90})  # fmt: skip
    client.force_login(member)
    from dangqun.centers.tests.conftest import next_weekday

    day = next_weekday(2)
    data = {"day": day.isoformat(), "start": "09:30", "group_name": "创业园第一党支部", "visitors": "80",
            "needs_guide": "on", "contact_name": "刘慧", "contact_mobile": "13800138000"}  # fmt: skip
    response = client.post(reverse("centers:visit", args=[dali.pk]), data)
    assert response.context["form"].errors["visitors"] == [
        "参观人数 80 超过本中心同时接待上限 60 人，请分批预约。"
    ]
    data["visitors"] = "40"
    assert client.post(reverse("centers:visit", args=[dali.pk]), data).status_code == 302
    assert create_space is not None


def test_center_page_links_the_phone_page_board_kiosk_their_qr_codes_and_devices(client, staff, center):
    client.force_login(staff)
    text = html(client.get(reverse("centers:center", args=[center.pk])))
    slug = center.slug
    for target in (
        f'href="/m/c/{slug}/"',
        f'href="/m/c/{slug}/board/"',
        f'href="/m/c/{slug}/wishes/"',
        f'href="/kiosk/{slug}/"',
        f'href="/kiosk/{slug}/pair/"',
        f'src="/m/qr/center/{slug}.svg"',
        f'src="/m/qr/wall/{slug}.svg"',
    ):
        assert target in text, target
    devices = f'href="/accounts/orgs/{center.organization_id}/devices/?center={slug}"'
    assert devices not in text  # center staff do not register devices (manage_orgs does)
    client.force_login(make_user("orgadmin", grants=[(center.organization, "org_admin")]))
    assert devices in html(client.get(reverse("centers:center", args=[center.pk])))
    # The links lead somewhere.
    assert client.get(f"/m/qr/center/{slug}.svg").status_code == 200
    assert client.get(f"/kiosk/{slug}/").status_code == 200


@pytest.fixture
def dali(tree):
    from dangqun.centers.services import create_center
    from dangqun.centers.tests.conftest import WEEK

    return create_center(actor=None, organization=tree.far_branch, data={
        "name": "大理经开区党群活动服务中心", "slug": "dali-edz", "opening_hours": WEEK,
        "accepts_group_visits": True, "visit_capacity": 60, "visit_minutes": 90})  # fmt: skip


def test_a_group_visit_to_the_dali_center_end_to_end(client, dali, thursday, tree):
    from dangqun.centers.models import GroupVisit

    # The phone page of the center offers it; the form needs a login.
    assert f'href="/centers/{dali.pk}/visit/"' in html(client.get("/m/c/dali-edz/"))
    url = reverse("centers:visit", args=[dali.pk])
    assert client.get(url)["Location"].startswith(LOGIN)
    client.force_login(make_user("visitor", display_name="杨丽", mobile="13908723456"))
    form = {"day": thursday.isoformat(), "start": "09:30", "group_name": "创业园第一党支部", "visitors": 35,
            "needs_guide": "on", "contact_name": "杨丽", "contact_mobile": "13908723456"}  # fmt: skip
    assert client.post(url, form).status_code == 302
    visit = GroupVisit.objects.get()
    assert (visit.status, visit.visitors, visit.group_name) == ("pending", 35, "创业园第一党支部")
    # Over the center's capacity at that time: refused on the head count, nothing written.
    refused = client.post(url, {**form, "start": "10:00", "visitors": 30, "group_name": "第二支部"})
    assert refused.status_code == 200 and GroupVisit.objects.count() == 1
    assert "已有 35 人预约参观，最多还可接待 25 人。" in html(refused)
    # Staff of the center accept it in their queue.
    client.force_login(make_user("dalistaff", grants=[(tree.far_branch, "center_staff")]))
    assert "创业园第一党支部" in html(client.get(reverse("centers:visits")))
    done = client.post(reverse("centers:visit-decide", args=[visit.pk]), {"action": "accept"})
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "accepted"
