"""Service requests: filing, the transition table, notes, referral, ratings and their follow-up."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.servicedesk import selectors, services
from dangqun.servicedesk.enums import Channel, State
from dangqun.servicedesk.models import Rating, RatingFollowUp, RequestEvent, RequestState, ServiceRequest
from dangqun.testing.factories import make_user

from .conftest import SHANGHAI, T0

pytestmark = pytest.mark.django_db


def file(item, **overrides):
    data = {
        "actor": None,
        "item": item,
        "description": "新设分支机构，需要代办工商登记。",
        "name": "陈经理",
        "mobile": "+86 139-1234-5678",
        "channel": Channel.KIOSK,
        "now": T0,
    }
    data.update(overrides)
    return services.file_request(**data)


def events(request) -> list[tuple[str, str, str, bool]]:
    return list(
        RequestEvent.objects.filter(request=request)
        .order_by("created_at", "id")
        .values_list("action", "from_state", "to_state", "is_public")
    )


# --- filing ---------------------------------------------------------------------------------------


def test_anonymous_kiosk_request_is_stored_normalized_with_a_token_and_a_promise(item):
    filed = file(item, urgent=True)
    request = filed.request
    assert request.state == State.SUBMITTED
    assert request.state_kind == "open"
    assert request.requester_mobile == "13912345678"
    assert request.requester_user is None
    assert request.is_urgent is True
    assert request.org_path == item.center.organization.path
    # Filed Monday 2 March: five working days later is Monday 9 March, end of day.
    assert request.due_at == datetime(2026, 3, 9, 23, 59, 59, tzinfo=SHANGHAI)
    assert request.created_at == T0
    assert len(filed.token) >= 32
    assert filed.token not in request.tracking_hash
    assert selectors.request_for_token(filed.token) == request
    assert events(request) == [("submit", "", "submitted", False)]
    entry = AuditEntry.objects.get(action="servicedesk.request.submit")
    assert entry.actor is None and entry.actor_label == "申请人"
    assert entry.data["mobile"] == "139****5678"
    assert entry.org_path == request.org_path


def test_hours_promise_and_holidays_from_rules(center):
    from dangqun.core.models import RuleValue

    hourly = services.create_service_item(
        actor=None, center=center, data={"code": "health", "name": "健康服务管理", "promise_value": 4,
                                         "promise_unit": "hours"},
    )  # fmt: skip
    assert file(hourly).request.due_at == T0 + timedelta(hours=4)
    RuleValue.objects.create(key="servicedesk.holidays", value=["2026-03-04"], effective_from=T0.date())
    RuleValue.objects.create(
        key="servicedesk.default_promise_working_days", value=2, effective_from=T0.date()
    )
    plain = services.create_service_item(actor=None, center=center, data={"code": "talk", "name": "政策宣讲"})
    # Two working days after Monday, Wednesday being a holiday: Thursday.
    assert file(plain).request.due_at == datetime(2026, 3, 5, 23, 59, 59, tzinfo=SHANGHAI)


def test_logged_in_requester_files_as_themselves(item, member_user):
    request = file(item, actor=member_user, name="", mobile="", channel=Channel.PHONE).request
    assert request.requester_user == member_user
    assert request.requester_name == "刘慧"
    assert request.requester_mobile == "13800138000"
    assert services.is_requester(request, actor=member_user)


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"description": "   "}, "description_required", "description"),
        ({"description": "长" * 2001}, "description_too_long", "description"),
        ({"name": ""}, "name_required", "name"),
        ({"mobile": ""}, "mobile_required", "mobile"),
        ({"mobile": "12345678901"}, "mobile_invalid", "mobile"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(item, overrides, code, field):
    with pytest.raises(DomainError) as caught:
        file(item, **overrides)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert ServiceRequest.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="servicedesk.request").count() == 0


def test_inactive_or_internal_items_are_refused_to_the_public(item, staff):
    services.update_service_item(actor=None, item=item, data={"is_public": False})
    with pytest.raises(DomainError) as caught:
        file(item)
    assert caught.value.code == "item_unavailable"
    on_behalf = file(item, actor=staff, channel=Channel.STAFF).request
    assert on_behalf.requester_user is None and on_behalf.requester_name == "陈经理"
    assert events(on_behalf)[0] == ("submit", "", "submitted", False)


def test_staff_elsewhere_cannot_file_on_behalf(item, foreigner):
    with pytest.raises(DomainError) as caught:
        file(item, actor=foreigner, channel=Channel.STAFF)
    assert caught.value.status == 403


# --- the journey of one request ------------------------------------------------------------------


def test_accept_assign_ask_for_document_resolve_rate(item, staff):
    filed = file(item)
    request = filed.request
    request = services.accept_request(actor=staff, request=request, now=T0 + timedelta(minutes=10))
    assert request.expected_at == request.due_at
    request = services.assign_request(actor=staff, request=request, handler=staff)
    assert request.state == State.ASSIGNED and request.handler == staff
    request = services.start_request(actor=staff, request=request, expected_at=T0 + timedelta(days=3))
    request = services.request_info(actor=staff, request=request, note="请补充法定代表人身份证复印件。")
    status = selectors.public_status(request)
    assert status.status == "请补充材料"
    assert status.notes[-1].text == "请补充法定代表人身份证复印件。"
    assert status.can_supply is True

    from .conftest import PDF_BYTES, upload

    services.supply_info(request=request, token=filed.token, note="已上传。",
                         attachments_in=[upload("身份证复印件.pdf", PDF_BYTES)])  # fmt: skip
    request.refresh_from_db()
    assert request.state == State.IN_PROGRESS
    assert request.attachments.get().kind == "pdf"
    request = services.resolve_request(actor=staff, request=request, note="营业执照已办结，请到一楼领取。")
    assert selectors.public_status(request).can_rate is True
    rating = services.rate_request(request=request, token=filed.token, score=5, comment="很快，谢谢！")
    request.refresh_from_db()
    assert rating.score == 5 and request.state == State.CLOSED and request.closed_at is not None
    assert not RatingFollowUp.objects.exists()
    assert [e[0] for e in events(request)] == [
        "submit", "accept", "assign", "start", "request_info", "supply_info", "resolve", "rate",
    ]  # fmt: skip
    actions = list(
        AuditEntry.objects.filter(
            object_type="servicedesk.servicerequest", object_id=str(request.pk)
        ).values_list("action", flat=True)
    )
    assert len(actions) == 8
    # Assignment stays internal: the requester never sees staff names.
    assert [n.text for n in selectors.public_status(request).notes] == [
        "请补充法定代表人身份证复印件。", "已上传。", "营业执照已办结，请到一楼领取。",
    ]  # fmt: skip


def test_transitions_outside_the_table_are_refused(item, staff):
    request = file(item).request
    with pytest.raises(DomainError) as caught:
        services.resolve_request(actor=staff, request=request, note="好了")
    assert caught.value.code == "transition_not_allowed"
    assert caught.value.message == "诉求当前为“待受理”，不能办结。"
    with pytest.raises(DomainError) as caught:
        services.reject_request(actor=staff, request=request, reason="  ")
    assert (caught.value.code, caught.value.field) == ("note_required", "note")
    request.refresh_from_db()
    assert request.state == State.SUBMITTED
    assert events(request) == [("submit", "", "submitted", False)]


def test_staff_of_another_tree_cannot_touch_it(item, foreigner):
    request = file(item).request
    with pytest.raises(DomainError) as caught:
        services.accept_request(actor=foreigner, request=request)
    assert caught.value.status == 403


def test_handler_must_hold_handle_requests_on_the_request(item, staff, tree):
    request = services.accept_request(actor=staff, request=file(item).request)
    outsider = make_user(grants=[(tree.other_community, "center_staff")])
    with pytest.raises(DomainError) as caught:
        services.assign_request(actor=staff, request=request, handler=outsider)
    assert caught.value.field == "handler"
    assert selectors.handlers_for(request) == [staff]


def test_requester_only_with_the_right_token(item, staff):
    filed = file(item)
    request = services.resolve_request(
        actor=staff,
        request=services.assign_request(
            actor=staff, request=services.accept_request(actor=staff, request=filed.request), handler=staff
        ),
        note="已办结",
    )
    with pytest.raises(DomainError) as caught:
        services.rate_request(request=request, token="guess", score=1)
    assert caught.value.status == 403
    with pytest.raises(DomainError) as caught:
        services.rate_request(request=request, token=filed.token, score=6)
    assert caught.value.field == "score"
    services.rate_request(request=request, token=filed.token, score=4)
    with pytest.raises(DomainError) as caught:
        services.rate_request(request=request, token=filed.token, score=4)
    assert caught.value.code == "already_rated"
    assert Rating.objects.count() == 1


def test_negative_rating_opens_a_follow_up_for_the_organization_above(item, staff, supervisor, tree):
    filed = file(item)
    request = services.accept_request(actor=staff, request=filed.request)
    request = services.start_request(actor=staff, request=request, expected_at=T0 + timedelta(days=1))
    request = services.resolve_request(actor=staff, request=request, note="已办结")
    services.rate_request(request=request, token=filed.token, score=2, comment="等了太久", now=T0)
    follow_up = RatingFollowUp.objects.get()
    assert follow_up.organization == tree.street
    assert follow_up.due_on.isoformat() == "2026-03-09"  # five working days after Monday 2 March
    # The center's own staff do not see their supervisor's queue; the street does.
    assert list(selectors.follow_ups_visible_to(staff)) == []
    assert list(selectors.follow_ups_visible_to(supervisor)) == [follow_up]
    with pytest.raises(DomainError):
        services.answer_follow_up(actor=staff, follow_up=follow_up, answer="已整改", visited=True)
    services.answer_follow_up(
        actor=supervisor, follow_up=follow_up, answer="已回访致歉，流程已简化。", visited=True
    )
    assert selectors.public_status(request).notes[-1].text == "已回访致歉，流程已简化。"
    assert AuditEntry.objects.filter(action="servicedesk.followup.answered").count() == 1


def test_referral_moves_the_request_to_another_queue(item, staff, tree):
    other = make_user(grants=[(tree.other_community, "center_staff")])
    request = file(item).request
    # Sideways only through the street: the center's staff see their subtree and the node above.
    assert [o.name for o in selectors.referral_targets(staff, request)] == [
        "大观街道党工委", "世邦魏理仕物业昆明分公司党支部", "第一党小组",
    ]  # fmt: skip
    request = services.refer_request(
        actor=staff, request=request, organization=tree.other_community, note="属地在大观社区"
    )
    assert request.state == State.REFERRED and request.org_path == tree.other_community.path
    assert list(selectors.requests_visible_to(staff)) == []
    assert list(selectors.requests_visible_to(other)) == [request]
    request = services.accept_request(actor=other, request=request)
    assert request.state == State.ACCEPTED
    public = [n.text for n in selectors.public_status(request).notes]
    assert public == ["已转交“大观社区党委”办理。"]


def test_cancel_and_reopen_by_the_requester(item, staff):
    filed = file(item)
    request = services.accept_request(actor=staff, request=filed.request)
    request = services.start_request(actor=staff, request=request, expected_at=T0 + timedelta(days=2))
    request = services.resolve_request(actor=staff, request=request, note="已办结")
    request = services.reopen_request(request=request, token=filed.token, note="还缺一份证明")
    assert request.state == State.IN_PROGRESS and request.resolved_at is None
    request = services.cancel_request(request=request, token=filed.token, note="不需要了")
    assert request.state == State.CANCELLED and request.state_kind == "closed"
    with pytest.raises(DomainError) as caught:
        services.reopen_request(request=request, token=filed.token, note="再开")
    assert caught.value.code == "transition_not_allowed"


def test_status_notes_public_and_internal(item, staff):
    request = file(item).request
    services.add_note(actor=staff, request=request, note="内部：需要市场监管局确认", public=False)
    services.add_note(actor=staff, request=request, note="正在与市场监管局对接", public=True)
    assert [n.text for n in selectors.public_status(request).notes] == ["正在与市场监管局对接"]
    assert len(selectors.history(request, public_only=False)) == 3


def test_urgent_flag_is_audited_once(item, staff):
    request = file(item).request
    services.set_urgent(actor=staff, request=request, urgent=True)
    services.set_urgent(actor=staff, request=request, urgent=True)
    assert AuditEntry.objects.filter(action="servicedesk.request.flag_urgent").count() == 1


def test_configured_states_relabel_and_add_a_closing_state(item, staff):
    RequestState.objects.create(code="submitted", name="新诉求", public_name="已收到", kind="closed")
    RequestState.objects.create(
        code="duplicate", name="重复诉求", public_name="与已有诉求重复", kind="closed"
    )
    request = file(item).request
    status = selectors.public_status(request)
    assert (status.status, request.state_kind) == ("已收到", "open")  # a built-in keeps its type
    request = services.close_request(actor=staff, request=request, state="duplicate", note="与 000001 重复")
    assert (request.state, request.state_kind) == ("duplicate", "closed")
    assert selectors.public_status(request).status == "与已有诉求重复"
    with pytest.raises(DomainError) as caught:
        services.close_request(actor=staff, request=file(item).request, state="in_progress")
    assert caught.value.field == "state"


# --- escalation (a job of `now`) -------------------------------------------------------------------


def test_overdue_requests_escalate_once_to_the_organization_above(item, staff, supervisor, tree):
    late = file(item).request
    resolved = file(item).request
    services.accept_request(actor=staff, request=resolved)
    services.start_request(actor=staff, request=resolved, expected_at=T0 + timedelta(days=1))
    services.resolve_request(actor=staff, request=resolved, note="已办结")
    before_due = datetime(2026, 3, 9, 20, 0, tzinfo=SHANGHAI)
    assert services.escalate_overdue(before_due) == 0
    after_due = datetime(2026, 3, 10, 8, 0, tzinfo=SHANGHAI)
    assert services.escalate_overdue(after_due) == 1
    assert services.escalate_overdue(after_due + timedelta(hours=1)) == 0
    late.refresh_from_db()
    assert late.escalated_at == after_due and late.escalated_to == tree.street
    assert events(late)[-1] == ("escalate", "submitted", "submitted", False)
    counts = selectors.queue_counts(supervisor, now=after_due)
    assert (counts.open, counts.overdue, counts.escalated, counts.resolved) == (1, 1, 1, 1)
    assert AuditEntry.objects.filter(action="servicedesk.request.escalate").count() == 1


def test_the_job_is_registered_with_the_scheduler():
    from dangqun.core import jobs

    assert "servicedesk.escalate_overdue" in jobs.registered()


def test_a_request_filed_at_a_registered_kiosk_records_the_device(item, tree):
    from dangqun.accounts.devices import register_device

    kiosk, _token = register_device(actor=None, organization=tree.community, name="大厅大屏", kind="kiosk")
    filed = file(item, device=kiosk)
    assert ServiceRequest.objects.get(pk=filed.request.pk).device == kiosk
    submit = AuditEntry.objects.get(action="servicedesk.request.submit", object_id=str(filed.request.pk))
    assert submit.data["device"] == kiosk.pk


@pytest.mark.parametrize("case", ["scanner", "inactive", "foreign"])
def test_a_device_that_is_not_this_centers_kiosk_is_refused(item, tree, case):
    from dangqun.accounts.devices import register_device

    organization = tree.far_branch if case == "foreign" else tree.community
    kind = "scanner" if case == "scanner" else "kiosk"
    device, _token = register_device(actor=None, organization=organization, name="设备", kind=kind)
    if case == "inactive":
        device.is_active = False
        device.save()
    with pytest.raises(DomainError) as caught:
        file(item, device=device)
    assert caught.value.code == "device_invalid" and caught.value.field == "device"
    assert ServiceRequest.objects.count() == 0


def test_a_failure_while_storing_attachments_leaves_no_half_request(item, settings_media):
    from unittest import mock

    from dangqun.servicedesk.models import RequestAttachment

    from .conftest import PDF_BYTES, upload

    with mock.patch.object(RequestAttachment.objects, "bulk_create", side_effect=OSError("disk full")):
        with pytest.raises(OSError):
            services.file_request(actor=None, item=item, description="请代办登记", name="陈经理",
                                  mobile="13912345678", channel=Channel.PHONE,
                                  attachments_in=[upload("a.pdf", PDF_BYTES)], now=T0)  # fmt: skip
    assert (ServiceRequest.objects.count(), RequestEvent.objects.count()) == (0, 0)
    assert not AuditEntry.objects.filter(action__startswith="servicedesk.request").exists()
