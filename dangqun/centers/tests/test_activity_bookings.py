"""An activity held in a center space reserves it (issue 5: booked activities link to their space):
publish → an accepted exclusive booking, edit → moved, cancel → released; a taken slot refuses the
activity with the nearest free slots, and nothing is half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dangqun.activities.enums import ActivityStatus
from dangqun.activities.models import Activity
from dangqun.activities.services.activities import (
    cancel_activity,
    create_activity,
    finish_activity,
    publish_activity,
    update_activity,
)
from dangqun.centers.enums import BookingStatus
from dangqun.centers.models import Booking
from dangqun.centers.services import SlotTaken
from dangqun.centers.services.activity_bookings import (
    booking_of,
    move_for_activity,
    release_for_activity,
    reserve_for_activity,
)
from dangqun.centers.tests.conftest import at
from dangqun.centers.tests.helpers import book
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalog(db):
    from dangqun.activities.catalog import ensure_catalog

    ensure_catalog()


@pytest.fixture
def secretary(tree):
    return make_user("yangzhiyu", grants=[(tree.branch, "secretary")])


def new_activity(tree, space, starts, *, hours=2, publish=True, actor=None, **values):
    values.setdefault("title", "主题党日")
    return create_activity(
        actor=actor,
        organization=tree.branch,
        activity_type="theme_day",
        space=space,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        publish=publish,
        **values,
    )


def active(space):
    return list(Booking.objects.filter(space=space, status__in=["pending", "accepted"]).order_by("starts_at"))


def test_publishing_reserves_the_space(tree, library, thursday, secretary):
    activity = new_activity(tree, library, at(thursday, 14), publish=False, actor=secretary, capacity=15)
    assert active(library) == []  # a draft holds nothing
    publish_activity(actor=secretary, activity=activity)
    booking = booking_of(activity)
    assert (booking.space, booking.starts_at, booking.ends_at) == (
        library,
        at(thursday, 14),
        at(thursday, 16),
    )
    assert (booking.status, booking.mode, booking.attendees) == (BookingStatus.ACCEPTED, "free_use", 15)
    assert (booking.requester_kind, booking.organization, booking.user) == (
        "organization",
        tree.branch,
        secretary,
    )
    assert booking.activity == activity and list(activity.bookings.all()) == [booking]
    assert AuditEntry.objects.filter(action="centers.booking.requested", object_id=str(booking.pk)).exists()
    assert reserve_for_activity(actor=None, activity=activity).pk == booking.pk  # idempotent


def test_created_published_activity_reserves_and_blocks_other_bookings(tree, library, thursday):
    new_activity(tree, library, at(thursday, 14))
    with pytest.raises(SlotTaken) as error:
        book(library, at(thursday, 15), at(thursday, 17), mode="shared")
    assert error.value.field == "starts_at"


def test_taken_slot_refuses_publishing_and_writes_nothing(tree, library, thursday, secretary):
    other = book(library, at(thursday, 14), at(thursday, 16))
    activity = new_activity(tree, library, at(thursday, 15), publish=False, actor=secretary)
    before = Booking.objects.count(), AuditEntry.objects.count()
    with pytest.raises(SlotTaken) as error:
        publish_activity(actor=secretary, activity=activity)
    assert (error.value.code, error.value.field) == ("slot_taken", "starts_at")
    assert "党建图书馆" in error.value.message and "已被占用" in error.value.message
    assert error.value.suggestions and (at(thursday, 16), at(thursday, 18)) in error.value.suggestions
    assert (Booking.objects.count(), AuditEntry.objects.count()) == before
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.DRAFT
    assert booking_of(activity) is None and other.status in ("pending", "accepted")


def test_creating_published_into_a_taken_slot_creates_nothing(tree, library, thursday):
    book(library, at(thursday, 14), at(thursday, 16))
    with pytest.raises(SlotTaken):
        new_activity(tree, library, at(thursday, 14, 30), title="冲突的活动")
    assert not Activity.objects.filter(title="冲突的活动").exists()


def test_a_blackout_refuses_too(tree, library, thursday):
    from dangqun.centers.services import create_blackout

    create_blackout(actor=None, center=library.center, space=library, starts_at=at(thursday, 8),
                    ends_at=at(thursday, 20), reason="设备检修")  # fmt: skip
    with pytest.raises(SlotTaken) as error:
        new_activity(tree, library, at(thursday, 14))
    assert (error.value.code, error.value.field) == ("blackout", "starts_at")


def test_editing_time_or_space_moves_the_booking(tree, library, lounge, thursday, secretary):
    activity = new_activity(tree, library, at(thursday, 14))
    first = booking_of(activity)
    update_activity(actor=secretary, activity=activity, title="改名不动场地")
    assert booking_of(activity).pk == first.pk
    activity = update_activity(
        actor=secretary, activity=activity, starts_at=at(thursday, 9), ends_at=at(thursday, 11)
    )
    moved = booking_of(activity)
    assert moved.pk != first.pk and (moved.starts_at, moved.ends_at) == (at(thursday, 9), at(thursday, 11))
    first.refresh_from_db()
    assert first.status == BookingStatus.CANCELLED
    assert book(library, at(thursday, 14), at(thursday, 16)).pk  # the old slot is free again
    activity = update_activity(actor=secretary, activity=activity, space=lounge)
    assert booking_of(activity).space == lounge and active(library)[0].activity is None
    activity = update_activity(actor=secretary, activity=activity, space=None, place_text="支部会议室")
    assert booking_of(activity) is None


def test_moving_into_a_taken_slot_keeps_everything(tree, library, thursday, secretary):
    activity = new_activity(tree, library, at(thursday, 14))
    booking = booking_of(activity)
    book(library, at(thursday, 9), at(thursday, 11))
    with pytest.raises(SlotTaken) as error:
        update_activity(
            actor=secretary, activity=activity, starts_at=at(thursday, 10), ends_at=at(thursday, 12)
        )
    assert error.value.field == "starts_at"
    activity.refresh_from_db()
    assert activity.starts_at == at(thursday, 14)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED and booking_of(activity).pk == booking.pk


def test_cancelling_releases(tree, library, thursday, secretary):
    activity = new_activity(tree, library, at(thursday, 14))
    booking = booking_of(activity)
    cancel_activity(actor=secretary, activity=activity, reason="暴雨")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and "暴雨" in booking.cancel_reason
    assert book(library, at(thursday, 14), at(thursday, 16)).pk


def test_finishing_keeps_the_booking(tree, library):
    from django.utils import timezone

    starts = (timezone.now() - timedelta(hours=1)).replace(microsecond=0)
    activity = new_activity(tree, library, starts)  # the system may record an activity under way
    finish_activity(actor=None, activity=activity)
    assert booking_of(activity).status == BookingStatus.ACCEPTED


def test_inactive_space_is_refused_with_the_field(tree, library, thursday):
    library.is_active = False
    library.save(update_fields=["is_active"])
    with pytest.raises(DomainError) as error:
        new_activity(tree, library, at(thursday, 14), title="停用场地")
    assert (error.value.code, error.value.field) == ("space_inactive", "space")
    assert not Activity.objects.filter(title="停用场地").exists()


def test_service_functions_directly(tree, library, thursday):
    activity = new_activity(tree, library, at(thursday, 14), publish=False)
    assert booking_of(activity) is None
    booking = reserve_for_activity(actor=None, activity=activity)
    assert move_for_activity(actor=None, activity=activity).pk == booking.pk
    assert [b.pk for b in release_for_activity(actor=None, activity=activity)] == [booking.pk]
    assert release_for_activity(actor=None, activity=activity) == []
    activity.space = None
    assert reserve_for_activity(actor=None, activity=activity) is None


def test_a_center_outside_the_organizers_subtree_is_refused(tree, far_center, thursday, secretary):
    from dangqun.centers.services import create_space

    far_space = create_space(actor=None, center=far_center, data={"name": "活动室", "capacity": 30})
    with pytest.raises(DomainError) as error:
        new_activity(tree, far_space, at(thursday, 14), actor=secretary, title="跨区活动")
    assert (error.value.code, error.value.field) == ("space_out_of_reach", "space")
    assert not Activity.objects.filter(title="跨区活动").exists() and not Booking.objects.exists()
    center_staff = make_user(grants=[(tree.far_branch, "secretary"), (tree.branch, "secretary")])
    activity = new_activity(tree, far_space, at(thursday, 14), actor=center_staff, title="中心同意")
    assert booking_of(activity).space == far_space
