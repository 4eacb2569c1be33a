"""Staff pages: the authorization matrix, masking, actions through forms, query counts, the wall."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangqun.core.models import AuditEntry
from dangqun.servicedesk import services
from dangqun.servicedesk.enums import Channel, State, WishState
from dangqun.servicedesk.models import ServiceItem, ServiceRequest
from dangqun.testing.factories import make_user

from .conftest import PDF_BYTES, T0, upload

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def html(response) -> str:
    return response.content.decode()


def file(item, name="陈经理", mobile="13912345678", **kwargs):
    return services.file_request(actor=None, item=item, description="请代办工商登记", name=name, mobile=mobile,
                                 channel=Channel.KIOSK, **kwargs)  # fmt: skip


@pytest.fixture
def filed(item):
    return file(item, attachments_in=[upload("执照.pdf", PDF_BYTES)])


@pytest.fixture
def wish(center):
    return services.post_wish(
        actor=None, center=center, title="想要一台收音机", name="王秀英", mobile="13512345678"
    ).wish


@pytest.fixture
def member(tree):
    return make_user("member", grants=[(tree.branch, "member")])


def pages(filed, wish):
    request = filed.request
    return [
        reverse("servicedesk:request", args=[request.pk]),
        reverse("servicedesk:attachment", args=[request.pk, request.attachments.get().pk]),
        reverse("servicedesk:wish", args=[wish.pk]),
        reverse("servicedesk:item-edit", args=[request.item_id]),
    ]


LISTS = [
    "servicedesk:queue",
    "servicedesk:follow-ups",
    "servicedesk:wishes",
    "servicedesk:catalog",
    "servicedesk:item-new",
]


# --- the authorization matrix -----------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, filed, wish):
    for url in pages(filed, wish) + [reverse(name) for name in LISTS]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url
    post = client.post(reverse("servicedesk:request-action", args=[filed.request.pk, "accept"]))
    assert post.status_code == 302


def test_member_without_staff_grant_gets_403(client, filed, wish, member):
    client.force_login(member)
    for url in pages(filed, wish) + [reverse(name) for name in LISTS]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("servicedesk:request-action", args=[filed.request.pk, "accept"])).status_code
        == 403
    )


def test_grant_elsewhere_gets_404_and_no_foreign_rows(client, filed, wish, foreigner, far_item):
    far = file(far_item, name="李四", mobile="13700001111").request
    client.force_login(foreigner)
    for url in pages(filed, wish):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("servicedesk:request-action", args=[filed.request.pk, "accept"]))
    assert response.status_code == 404
    rows = client.get(reverse("servicedesk:queue")).context["rows"]
    assert [r["request"].pk for r in rows] == [far.pk]
    assert "陈经理" not in html(client.get(reverse("servicedesk:queue")))
    assert client.get(reverse("servicedesk:wishes")).context["rows"] == []
    filed.request.refresh_from_db()
    assert filed.request.state == State.SUBMITTED


def test_center_staff_on_the_node_sees_and_acts(client, filed, wish, staff):
    client.force_login(staff)
    for url in pages(filed, wish) + [reverse(name) for name in LISTS]:
        assert client.get(url).status_code == 200, url


def test_committee_member_has_no_service_desk(client, filed, tree):
    client.force_login(make_user(grants=[(tree.community, "committee")]))
    assert client.get(reverse("servicedesk:queue")).status_code == 403
    assert "服务台" not in html(client.get(reverse("workbench")))


def test_nav_shows_entries_by_permission(client, staff):
    client.force_login(staff)
    page = html(client.get(reverse("servicedesk:queue")))
    assert f'href="{reverse("servicedesk:queue")}" class="is-active"' in page
    assert reverse("servicedesk:wishes") in page


# --- masking and the queue --------------------------------------------------------------------


def test_mobile_masked_without_view_pii_and_full_with_it_audited(client, filed, staff, tree):
    client.force_login(staff)
    page = html(client.get(reverse("servicedesk:request", args=[filed.request.pk])))
    assert "139****5678" in page and "13912345678" not in page
    assert not AuditEntry.objects.filter(action="servicedesk.pii.viewed").exists()
    client.force_login(make_user("admin", grants=[(tree.community, "org_admin")]))
    page = html(client.get(reverse("servicedesk:request", args=[filed.request.pk])))
    assert "13912345678" in page
    assert AuditEntry.objects.filter(action="servicedesk.pii.viewed").count() == 1


def test_queue_filters(client, item, staff):
    urgent = file(item, urgent=True).request
    plain = file(item, name="刘经理").request
    services.accept_request(actor=staff, request=plain)
    client.force_login(staff)

    def numbers(**params):
        return [r["request"].pk for r in client.get(reverse("servicedesk:queue"), params).context["rows"]]

    assert numbers() == [plain.pk, urgent.pk]
    assert numbers(urgent="on") == [urgent.pk]
    assert numbers(state="accepted") == [plain.pk]
    assert numbers(state="open") == [plain.pk, urgent.pk]
    assert numbers(q=urgent.number) == [urgent.pk]
    assert numbers(item=str(item.pk), overdue="on") == []
    ServiceRequest.objects.filter(pk=urgent.pk).update(due_at=T0)
    assert numbers(overdue="on") == [urgent.pk]


def test_queue_query_count_does_not_grow_with_rows(client, item, staff):
    client.force_login(staff)
    file(item)
    url = reverse("servicedesk:queue")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(19):
        file(item, name=f"经理{'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申'[i]}", urgent=i % 2 == 0)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert len(response.context["rows"]) == 20
    assert len(twenty) == len(one)


def test_queue_pages_by_keyset(client, item, staff):
    client.force_login(staff)
    for i in range(22):
        file(item, name=f"经理{'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥'[i]}")
    first = client.get(reverse("servicedesk:queue"))
    assert len(first.context["rows"]) == 20
    second = client.get(reverse("servicedesk:queue"), {"after": first.context["next_cursor"]})
    assert len(second.context["rows"]) == 2
    seen = [r["request"].pk for r in first.context["rows"] + second.context["rows"]]
    assert len(set(seen)) == 22


def test_wish_queue_query_count_does_not_grow(client, center, staff):
    client.force_login(staff)
    services.post_wish(actor=None, center=center, title="想要一台收音机", name="王秀英", mobile="13512345678")
    url = reverse("servicedesk:wishes")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(19):
        services.post_wish(actor=None, center=center, title=f"心愿{i}号", name="王秀英", mobile="13512345678")
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get(url).context["rows"]) == 20
    assert len(twenty) == len(one)


# --- actions through the page -----------------------------------------------------------------


def act(client, request, action, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(reverse("servicedesk:request-action", args=[request.pk, action]), data)


def test_staff_work_a_request_through_the_forms(client, filed, staff):
    request = filed.request
    client.force_login(staff)
    assert act(client, request, "accept").status_code == 302
    assert act(client, request, "assign", handler=str(staff.pk)).status_code == 302
    response = act(client, request, "start", expected_at="")
    assert response.status_code == 400
    assert "请填写预计办结时间。" in html(response)
    response = act(client, request, "start", expected_at="2030-03-06T17:00")
    assert response.status_code == 302
    response = act(client, request, "request_info", note="")
    assert response.status_code == 400 and "请填写说明，申请人会看到这段说明。" in html(response)
    assert act(client, request, "request_info", note="请补充法定代表人身份证复印件").status_code == 302
    assert act(client, request, "note", note="内部备注", public="").status_code == 302
    assert act(client, request, "urgent", urgent="on").status_code == 302
    request.refresh_from_db()
    assert (request.state, request.handler, request.is_urgent) == (State.AWAITING_INFO, staff, True)
    assert request.expected_at.isoformat() == "2030-03-06T09:00:00+00:00"
    page = html(client.get(reverse("servicedesk:request", args=[request.pk])))
    assert "请补充材料" in page and "内部备注" in page
    services.supply_info(request=request, token=filed.token, note="已补交")
    assert act(client, request, "resolve", note="已办结").status_code == 302
    request.refresh_from_db()
    assert request.state == State.RESOLVED


def test_an_action_outside_the_table_is_a_clear_error(client, filed, staff):
    client.force_login(staff)
    response = act(client, filed.request, "resolve", note="直接办结")
    assert response.status_code == 400
    assert "诉求当前为“待受理”，不能办结。" in html(response)
    assert (
        client.post(reverse("servicedesk:request-action", args=[filed.request.pk, "explode"])).status_code
        == 404
    )


def test_referral_out_of_scope_returns_to_the_queue(client, filed, staff, tree):
    client.force_login(staff)
    response = act(client, filed.request, "refer", organization=str(tree.street.pk), note="需街道协调")
    assert response.status_code == 302 and response["Location"] == reverse("servicedesk:queue")
    assert client.get(reverse("servicedesk:request", args=[filed.request.pk])).status_code == 404


def test_attachment_download_is_audited(client, filed, staff):
    client.force_login(staff)
    attachment = filed.request.attachments.get()
    response = client.get(reverse("servicedesk:attachment", args=[filed.request.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="servicedesk.attachment.downloaded").count() == 1


def test_follow_up_page_answers(client, item, staff, supervisor):
    filed = file(item)
    services.accept_request(actor=staff, request=filed.request)
    services.start_request(actor=staff, request=filed.request, expected_at=T0 + timedelta(days=2000))
    services.resolve_request(actor=staff, request=filed.request, note="已办结")
    services.rate_request(request=filed.request, token=filed.token, score=1, comment="态度差")
    client.force_login(supervisor)
    listing = html(client.get(reverse("servicedesk:follow-ups")))
    assert "态度差" in listing
    follow_up = filed.request.follow_ups.get()
    response = client.post(reverse("servicedesk:follow-up", args=[follow_up.pk]), {"answer": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("servicedesk:follow-up", args=[follow_up.pk]), {"answer": "已回访", "visited": "on"}
    )
    assert response.status_code == 302
    client.force_login(staff)
    assert client.get(reverse("servicedesk:follow-up", args=[follow_up.pk])).status_code == 404


# --- catalog and wishes -----------------------------------------------------------------------


def test_catalog_pages(client, center, staff):
    client.force_login(staff)
    data = {"center": str(center.pk), "name": "家政服务", "code": "Bad Code", "promise_unit": "working_days"}
    response = client.post(reverse("servicedesk:item-new"), data)
    assert response.status_code == 400
    assert "事项代码只能用小写字母、数字和连字符，2 到 60 位。" in html(response)
    data.update(
        code="housekeeping", promise_value="3", target_groups=["individual"], required_materials="身份证\n"
    )
    assert client.post(reverse("servicedesk:item-new"), data).status_code == 302
    item = ServiceItem.objects.get(code="housekeeping")
    assert (item.required_materials, item.target_groups, item.is_public) == (
        ["身份证"],
        ["individual"],
        False,
    )
    data.update(is_public="on")
    assert client.post(reverse("servicedesk:item-edit", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert item.is_public is True


def test_wish_moderation_through_the_page(client, wish, staff):
    client.force_login(staff)
    url = reverse("servicedesk:wish-action", args=[wish.pk, "reject"])
    response = client.post(url, {"reject-reason": ""})
    assert response.status_code == 400 and "请填写未通过的原因。" in html(response)
    response = client.post(reverse("servicedesk:wish-action", args=[wish.pk, "approve"]))
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.state == WishState.OPEN


def test_the_public_wall_needs_no_login_and_shows_the_minimum(client, center, wish, staff):
    services.approve_wish(actor=staff, wish=wish)
    response = client.get(reverse("servicedesk:wall", args=[center.slug]))
    assert response.status_code == 200
    page = html(response)
    assert "想要一台收音机" in page and "王*英" in page
    assert "王秀英" not in page and "13512345678" not in page and "135****5678" not in page
    partial = client.get(reverse("servicedesk:wall", args=[center.slug]), headers={"HX-Request": "true"})
    assert "<html" not in html(partial) and "想要一台收音机" in html(partial)
    assert client.get(reverse("servicedesk:wall", args=["nowhere"])).status_code == 404


def test_follow_up_list_query_count_does_not_grow(client, item, staff, supervisor):
    def negative(name):
        filed = file(item, name=name)
        services.accept_request(actor=staff, request=filed.request)
        services.start_request(actor=staff, request=filed.request, expected_at=T0 + timedelta(days=2000))
        services.resolve_request(actor=staff, request=filed.request, note="已办结")
        services.rate_request(request=filed.request, token=filed.token, score=1, comment="不满意")

    client.force_login(supervisor)
    negative("甲经理")
    url = reverse("servicedesk:follow-ups")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in ("乙经理", "丙经理", "丁经理", "戊经理"):
        negative(name)
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(url).context["rows"]) == 5
    assert len(five) == len(one)
