"""Booking services: states, refusals with the field named, shared use, nothing half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dangqun.centers.enums import Channel
from dangqun.centers.models import Booking, BookingSeries
from dangqun.centers.services import (
    Requester,
    SlotTaken,
    accept_booking,
    cancel_booking,
    create_blackout,
    reject_booking,
    request_booking,
)
from dangqun.centers.tests.conftest import at
from dangqun.centers.tests.helpers import book
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def refused(call, *args, **kwargs) -> DomainError:
    before = Booking.objects.count(), AuditEntry.objects.filter(action__startswith="centers.booking").count()
    with pytest.raises(DomainError) as exc:
        call(*args, **kwargs)
    after = Booking.objects.count(), AuditEntry.objects.filter(action__startswith="centers.booking").count()
    assert after == before  # nothing half-written
    return exc.value


def test_request_is_pending_and_audited(library, thursday, tree):
    user = make_user(grants=[(tree.branch, "member")])
    booking = book(library, at(thursday, 19), at(thursday, 21), actor=user, attendees=8)
    assert (booking.status, booking.mode, booking.user, booking.contact_name) == (
        "pending",
        "borrow",
        user,
        "张三",
    )
    assert booking.org_path == tree.branch.path
    entry = AuditEntry.objects.get(action="centers.booking.requested")
    assert (entry.object_id, entry.actor, entry.data["status"]) == (str(booking.pk), user, "pending")


def test_auto_accept_space_and_staff_bookings_are_accepted(library, lounge, thursday, tree):
    member = make_user(grants=[(tree.branch, "member")])
    assert book(lounge, at(thursday, 9), at(thursday, 10), actor=member).status == "accepted"
    staff = make_user(grants=[(tree.community, "center_staff")])
    booking = book(library, at(thursday, 9), at(thursday, 10), actor=staff)
    assert (booking.status, booking.decided_by) == ("accepted", staff)


def test_overlap_refused_with_nearest_free_slots(library, thursday):
    book(library, at(thursday, 19), at(thursday, 21))
    error = refused(book, library, at(thursday, 18, 30), at(thursday, 20))
    assert isinstance(error, SlotTaken)
    assert (error.code, error.field, error.status) == ("slot_taken", "starts_at", 409)
    # 1.5 h on the 30-min grid, nearest first; nothing fits after 21:00 (closing) on that day.
    assert error.suggestions == [
        (at(thursday, 17, 30), at(thursday, 19)),
        (at(thursday, 17), at(thursday, 18, 30)),
        (at(thursday, 16, 30), at(thursday, 18)),
    ]
    assert "已被占用" in error.message
    assert "最近的空闲时段" in error.message
    assert "17:30–19:00" in error.message


def test_back_to_back_is_not_an_overlap(library, thursday):
    book(library, at(thursday, 19), at(thursday, 20))
    assert book(library, at(thursday, 20), at(thursday, 21)).starts_at == at(thursday, 20)


@pytest.mark.parametrize(
    ("start", "end", "code", "field"),
    [
        ((19, 0), (19, 0), "range_empty", "ends_at"),
        ((19, 0), (18, 0), "range_negative", "ends_at"),
        ((7, 0), (9, 0), "outside_hours", "starts_at"),
        ((20, 0), (21, 30), "outside_hours", "ends_at"),
    ],
)
def test_bad_ranges_refused_naming_the_field(library, thursday, start, end, code, field):
    error = refused(book, library, at(thursday, *start), at(thursday, *end))
    assert (error.code, error.field) == (code, field)


def test_outside_hours_message_names_space_and_hours(library, thursday):
    error = refused(book, library, at(thursday, 7), at(thursday, 9))
    assert error.message == "所选时间不在“党建图书馆”的可预约时间内（当天 08:00–21:00）。"


def test_closed_day_past_too_far_and_too_long(library, thursday):
    sunday = thursday + timedelta(days=3)
    error = refused(book, library, at(sunday, 10), at(sunday, 11))
    assert (error.code, error.field) == ("closed_day", "starts_at")
    assert error.message.startswith("“党建图书馆”") and "（周日）不开放预约" in error.message
    past = thursday - timedelta(days=14)
    assert refused(book, library, at(past, 10), at(past, 11)).code == "range_past"
    far = thursday + timedelta(days=140)
    assert refused(book, library, at(far, 10), at(far, 11)).code == "range_too_far"
    error = refused(book, library, at(thursday, 8), at(thursday + timedelta(days=1), 9))
    assert (error.code, error.field) == ("range_too_long", "ends_at")


def test_space_hours_narrow_the_center_hours(center, thursday):
    from dangqun.centers.services import create_space

    room = create_space(
        actor=None,
        center=center,
        data={"name": "喜马拉雅声音图书馆", "capacity": 8, "bookable_hours": {"thu": ["12:00", "23:00"]}},
    )
    assert book(room, at(thursday, 12), at(thursday, 13)).pk
    assert refused(book, room, at(thursday, 11), at(thursday, 12)).code == "outside_hours"
    error = refused(book, room, at(thursday, 20), at(thursday, 21, 30))  # the center closes at 21:00
    assert (error.code, error.field) == ("outside_hours", "ends_at")
    friday = thursday + timedelta(days=1)
    assert refused(book, room, at(friday, 12), at(friday, 13)).code == "closed_day"


def test_four_hundred_people_in_a_room_for_twenty(library, thursday):
    error = refused(book, library, at(thursday, 19), at(thursday, 21), attendees=400)
    assert (error.code, error.field) == ("over_capacity", "attendees")
    assert error.message == "参加人数 400 超过“党建图书馆”的容纳人数 20。"
    assert refused(book, library, at(thursday, 19), at(thursday, 21), attendees=0).field == "attendees"
    assert (
        refused(book, library, at(thursday, 19), at(thursday, 21), attendees="十").code == "attendees_invalid"
    )


def test_blackout_refused_with_reason(library, center, thursday):
    create_blackout(
        actor=None,
        center=center,
        space=library,
        starts_at=at(thursday, 18),
        ends_at=at(thursday, 22),
        reason="消防检查",
    )
    error = refused(book, library, at(thursday, 19), at(thursday, 20))
    assert (error.code, error.field) == ("blackout", "starts_at")
    assert "消防检查" in error.message
    assert error.suggestions[0] == (at(thursday, 17), at(thursday, 18))


def test_center_wide_blackout_closes_every_space(library, lounge, center, thursday):
    create_blackout(actor=None, center=center, space=None, starts_at=at(thursday, 0), ends_at=at(thursday, 23, 59),
                    reason="国庆闭馆")  # fmt: skip
    assert refused(book, lounge, at(thursday, 9), at(thursday, 10)).code == "blackout"


def test_shared_use_up_to_capacity_never_with_exclusive(library, thursday):
    salon = book(library, at(thursday, 19), at(thursday, 21), mode="shared", attendees=8)
    error = refused(book, library, at(thursday, 19), at(thursday, 21), mode="borrow", attendees=5)
    assert (error.code, error.field) == ("slot_taken", "starts_at")
    assert (at(thursday, 19), at(thursday, 21)) not in error.suggestions
    joined = book(library, at(thursday, 19), at(thursday, 21), mode="shared", attendees=12)
    assert {salon.status, joined.status} == {"accepted"}
    error = refused(book, library, at(thursday, 20), at(thursday, 21), mode="shared", attendees=1)
    assert (error.code, error.field) == ("capacity_full", "attendees")
    assert "已有 20 人" in error.message and "还可加入 0 人" in error.message
    assert (
        refused(book, library, at(thursday, 18), at(thursday, 19, 30), mode="free_use").code == "slot_taken"
    )


def test_shared_capacity_counts_people_present_at_once(library, thursday):
    book(library, at(thursday, 19), at(thursday, 20), mode="shared", attendees=15)
    book(library, at(thursday, 20), at(thursday, 21), mode="shared", attendees=15)
    assert book(library, at(thursday, 19), at(thursday, 21), mode="shared", attendees=5).pk
    error = refused(book, library, at(thursday, 19), at(thursday, 21), mode="shared", attendees=1)
    assert "已有 20 人" in error.message


def test_shared_refused_where_space_does_not_share(lounge, thursday):
    error = refused(book, lounge, at(thursday, 9), at(thursday, 10), mode="shared")
    assert (error.code, error.field) == ("sharing_not_allowed", "mode")
    assert refused(book, lounge, at(thursday, 9), at(thursday, 10), mode="rent").field == "mode"


def test_transitions_are_data(library, thursday, tree):
    staff = make_user(grants=[(tree.community, "center_staff")])
    first = book(library, at(thursday, 9), at(thursday, 10), auto_accept=False)
    assert first.status == "pending"
    accepted = accept_booking(actor=staff, booking=first, note="请提前十分钟到")
    assert (accepted.status, accepted.decided_by, accepted.decision_note) == (
        "accepted",
        staff,
        "请提前十分钟到",
    )
    error = refused(accept_booking, actor=staff, booking=first)
    assert (error.code, error.status) == ("transition_invalid", 409)
    assert error.message == "该预约当前为“已通过”，不能改为“已通过”。"
    assert refused(reject_booking, actor=staff, booking=first, note="x").code == "transition_invalid"
    second = book(library, at(thursday, 10), at(thursday, 11), auto_accept=False)
    error = refused(reject_booking, actor=staff, booking=second, note="  ")
    assert (error.code, error.field) == ("decision_note_required", "decision_note")
    assert reject_booking(actor=staff, booking=second, note="当天已安排党课").status == "rejected"
    assert refused(cancel_booking, actor=staff, booking=second).code == "transition_invalid"
    actions = list(
        AuditEntry.objects.filter(object_id=str(first.pk), object_type="centers.booking").values_list(
            "action", flat=True
        )
    )
    assert actions == ["centers.booking.accepted", "centers.booking.requested"]


def test_a_rejected_or_cancelled_slot_is_free_again(library, thursday, tree):
    staff = make_user(grants=[(tree.community, "center_staff")])
    first = book(library, at(thursday, 9), at(thursday, 10), auto_accept=False)
    reject_booking(actor=staff, booking=first, note="设备检修")
    second = book(library, at(thursday, 9), at(thursday, 10))
    cancel_booking(actor=staff, booking=second, reason="改期")
    assert book(library, at(thursday, 9), at(thursday, 10)).status == "accepted"


def test_only_staff_in_scope_decide(library, thursday, tree):
    booking = book(library, at(thursday, 9), at(thursday, 10), auto_accept=False)
    for outsider in (
        make_user(grants=[(tree.branch, "member")]),
        make_user(grants=[(tree.far_county, "center_staff")]),
    ):
        assert refused(accept_booking, actor=outsider, booking=booking).status == 403


def test_cancel_by_requester_login_or_phone_code_only(library, thursday, tree):
    user = make_user(grants=[(tree.branch, "member")])
    mine = book(library, at(thursday, 9), at(thursday, 10), actor=user)
    other = make_user(grants=[(tree.branch, "member")])
    assert refused(cancel_booking, actor=other, booking=mine).status == 403
    assert cancel_booking(actor=user, booking=mine, reason="临时有事").status == "cancelled"
    phone = book(library, at(thursday, 11), at(thursday, 12), actor=None, channel=Channel.PHONE)
    assert refused(cancel_booking, actor=None, booking=phone, public_code="guess").status == 403
    assert refused(cancel_booking, actor=None, booking=phone).status == 403
    done = cancel_booking(actor=None, booking=phone, public_code=phone.public_code)
    assert (done.status, done.cancelled_by) == ("cancelled", None)


def test_ended_booking_cannot_be_cancelled(library, thursday, tree):
    user = make_user(grants=[(tree.branch, "member")])
    booking = book(library, at(thursday, 9), at(thursday, 10), actor=user)
    error = refused(cancel_booking, actor=user, booking=booking, now=at(thursday, 11))
    assert (error.code, error.field) == ("booking_over", "status")


def test_blackout_can_cancel_the_bookings_inside_it(library, center, thursday):
    inside = book(library, at(thursday, 19), at(thursday, 20))
    outside = book(library, at(thursday, 9), at(thursday, 10))
    pending = book(library, at(thursday, 20), at(thursday, 21), auto_accept=False)
    blackout, affected = create_blackout(
        actor=None, center=center, space=library, starts_at=at(thursday, 18), ends_at=at(thursday, 22),
        reason="线路检修", cancel_affected=False,
    )  # fmt: skip
    assert {b.pk for b in affected} == {inside.pk, pending.pk}
    error = refused(accept_booking, actor=None, booking=pending)
    assert (error.code, error.status) == ("blackout", 409)
    _blackout, cancelled = create_blackout(
        actor=None, center=center, space=None, starts_at=at(thursday, 18), ends_at=at(thursday, 22),
        reason="线路检修", cancel_affected=True,
    )  # fmt: skip
    assert sorted((b.pk, b.status, b.cancel_reason) for b in cancelled) == [
        (inside.pk, "cancelled", "场地暂停使用：线路检修"),
        (pending.pk, "cancelled", "场地暂停使用：线路检修"),
    ]
    outside.refresh_from_db()
    assert outside.status == "accepted"


def test_blackout_range_and_reason_checked(library, center, thursday):
    with pytest.raises(DomainError) as exc:
        create_blackout(
            actor=None,
            center=center,
            space=library,
            starts_at=at(thursday, 18),
            ends_at=at(thursday, 18),
            reason="x",
        )
    assert (exc.value.code, exc.value.field) == ("range_invalid", "ends_at")
    with pytest.raises(DomainError) as exc:
        create_blackout(
            actor=None,
            center=center,
            space=library,
            starts_at=at(thursday, 18),
            ends_at=at(thursday, 19),
            reason="",
        )
    assert exc.value.field == "reason"


def test_idempotency_key_returns_the_first_booking(library, thursday):
    first = book(library, at(thursday, 9), at(thursday, 10), idempotency_key="k-1")
    again = book(library, at(thursday, 9), at(thursday, 10), idempotency_key="k-1")
    assert again.pk == first.pk
    assert Booking.objects.count() == 1
    assert BookingSeries.objects.count() == 0


def test_purpose_required(library, thursday):
    error = refused(book, library, at(thursday, 9), at(thursday, 10), purpose=" ")
    assert (error.code, error.field) == ("purpose_required", "purpose")


def test_booking_requires_a_bookable_space(center, thursday):
    from dangqun.centers.services import create_space

    wall = create_space(actor=None, center=center, data={"name": "心愿墙", "bookable": False})
    error = refused(book, wall, at(thursday, 9), at(thursday, 10))
    assert (error.code, error.field) == ("not_bookable", "space")


def test_requester_phone_validated(library, thursday):
    error = refused(
        request_booking, actor=None, space=library, starts_at=at(thursday, 9), ends_at=at(thursday, 10),
        mode="borrow", purpose="x", attendees=1, requester=Requester.person("李四", "12345"), channel=Channel.PHONE,
    )  # fmt: skip
    assert (error.code, error.field) == ("mobile_invalid", "contact_mobile")
    error = refused(
        request_booking, actor=None, space=library, starts_at=at(thursday, 9), ends_at=at(thursday, 10),
        mode="borrow", purpose="x", attendees=1, requester=Requester.person("李四", ""), channel=Channel.PHONE,
    )  # fmt: skip
    assert (error.code, error.field) == ("mobile_required", "contact_mobile")
    error = refused(
        request_booking, actor=None, space=library, starts_at=at(thursday, 9), ends_at=at(thursday, 10),
        mode="borrow", purpose="x", attendees=1, requester=Requester.person("", "13800138000"), channel=Channel.PHONE,
    )  # fmt: skip
    assert (error.code, error.field) == ("contact_name_required", "contact_name")
    booking = request_booking(
        actor=None, space=library, starts_at=at(thursday, 9), ends_at=at(thursday, 10), mode="borrow", purpose="x",
        attendees=1, requester=Requester.person("李四", "+86 139-1234-5678"), channel=Channel.PHONE,
    )  # fmt: skip
    assert (booking.contact_mobile, booking.status, booking.user) == ("13912345678", "pending", None)
    entry = AuditEntry.objects.get(action="centers.booking.requested")
    assert entry.actor_label == "phone:李* 139****5678"


def test_series_all_or_nothing_lists_the_colliding_dates(library, center, thursday):
    from dangqun.centers.services import SeriesConflict, request_series

    week = timedelta(weeks=1)
    book(library, at(thursday + week, 19), at(thursday + week, 20), mode="borrow")
    create_blackout(actor=None, center=center, space=None, starts_at=at(thursday + 3 * week, 0),
                    ends_at=at(thursday + 3 * week, 23), reason="元旦闭馆")  # fmt: skip
    kwargs = {"actor": None, "space": library, "starts_at": at(thursday, 19), "ends_at": at(thursday, 21), "count": 4,
              "mode": "shared", "purpose": "每周沙龙", "attendees": 8, "channel": Channel.SYSTEM,
              "requester": Requester.person("周晴", "13800138000")}  # fmt: skip
    error = refused(request_series, **kwargs)
    assert isinstance(error, SeriesConflict)
    assert (error.code, error.field, error.status) == ("series_conflict", "starts_at", 409)
    assert [d for d, _text in error.collisions] == [thursday + week, thursday + 3 * week]
    assert "已被占用" in error.collisions[0][1] and "元旦闭馆" in error.collisions[1][1]
    assert error.message.startswith("以下日期无法预约，整组未提交")
    assert BookingSeries.objects.count() == 0
    series, created = request_series(skip_conflicts=True, **kwargs)
    assert [b.starts_at for b in created] == [at(thursday, 19), at(thursday + 2 * week, 19)]
    assert series.skipped_dates == [(thursday + week).isoformat(), (thursday + 3 * week).isoformat()]
    assert {b.series_id for b in created} == {series.pk}
    cancel_booking(actor=None, booking=created[0], public_code=created[0].public_code)
    # one occurrence cancelled, not the series
    assert Booking.objects.get(pk=created[1].pk).status == "accepted"


def test_series_count_limits(library, thursday):
    from dangqun.centers.services import request_series

    kwargs = {"actor": None, "space": library, "starts_at": at(thursday, 19), "ends_at": at(thursday, 21),
              "mode": "borrow", "purpose": "x", "attendees": 3, "channel": Channel.SYSTEM,
              "requester": Requester.person("周晴", "13800138000")}  # fmt: skip
    assert refused(request_series, count=1, **kwargs).field == "count"
    error = refused(request_series, count=20, **kwargs)  # 19 weeks ahead > 90 days
    assert (error.code, error.field) == ("series_too_far", "count")
