"""Writes on activities: create, edit, publish, cancel, finish (status transitions from enums)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts.enums import Perm
from dangqun.activities.enums import ACTIVITY_TRANSITIONS, ActivityStatus, Audience, RecordStatus
from dangqun.activities.models import (
    Activity,
    ActivitySeries,
    ActivityType,
    MeetingRecord,
    NeedCategory,
    Registration,
)
from dangqun.activities.services import rollups
from dangqun.activities.services.common import clean_text, lock_activity, require, require_manage
from dangqun.centers.services import activity_bookings
from dangqun.core import audit, rules
from dangqun.core.errors import DomainError
from dangqun.orgs.models import Organization

EDITABLE_FIELDS = (
    "title", "activity_type", "need_category", "series", "description", "space", "place_text", "latitude",
    "longitude", "geofence_m", "starts_at", "ends_at", "audience", "capacity", "registration_opens_at",
    "registration_closes_at", "rotating_checkin",
)  # fmt: skip


def _transition(activity: Activity, target: str) -> None:
    if target not in ACTIVITY_TRANSITIONS[activity.status]:
        raise DomainError(
            "invalid_transition",
            _("活动当前为“%(s)s”，不能改为“%(t)s”。")
            % {"s": activity.get_status_display(), "t": ActivityStatus(target).label},
            field="status",
        )


def _aware(value, field: str, label: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, datetime):
        raise DomainError("invalid_datetime", _("%(f)s格式不正确。") % {"f": label}, field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _decimal(value, field: str, label: str, bound: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_number", _("%(f)s必须是数字。") % {"f": label}, field=field) from None
    if not -bound <= number <= bound:
        raise DomainError("out_of_range", _("%(f)s超出范围。") % {"f": label}, field=field)
    return number


def _clean(values: dict[str, Any], organization: Organization) -> dict[str, Any]:
    """Check and normalise the editable fields; refuse with the first field in error."""
    cleaned = dict(values)
    cleaned["title"] = clean_text(
        values.get("title"), field="title", label=_("名称"), max_length=100, required=True
    )
    cleaned["description"] = clean_text(
        values.get("description"), field="description", label=_("内容简介"), max_length=5000
    )
    cleaned["place_text"] = clean_text(
        values.get("place_text"), field="place_text", label=_("地点"), max_length=200
    )
    kind = values.get("activity_type")
    if isinstance(kind, str):
        kind = ActivityType.objects.filter(pk=kind, is_active=True).first()
    if not isinstance(kind, ActivityType):
        raise DomainError("type_required", _("请选择活动类型。"), field="activity_type")
    cleaned["activity_type"] = kind
    need = values.get("need_category")
    if isinstance(need, str):
        need = NeedCategory.objects.filter(pk=need).first() if need else None
    cleaned["need_category"] = need if need is not None else kind.default_need
    series = values.get("series")
    if series is not None and series.organization_id != organization.pk:
        raise DomainError("series_other_org", _("所选系列属于其他组织。"), field="series")
    space = values.get("space")
    if space is None and not cleaned["place_text"]:
        raise DomainError("place_required", _("请选择场地或填写地点。"), field="place_text")
    cleaned["center"] = space.center if space is not None else None

    starts = _aware(values.get("starts_at"), "starts_at", _("开始时间"))
    ends = _aware(values.get("ends_at"), "ends_at", _("结束时间"))
    if starts is None:
        raise DomainError("required", _("请填写开始时间。"), field="starts_at")
    if ends is None:
        raise DomainError("required", _("请填写结束时间。"), field="ends_at")
    if ends <= starts:
        raise DomainError("ends_before_start", _("结束时间必须晚于开始时间。"), field="ends_at")
    if ends - starts > timedelta(days=31):
        raise DomainError("too_long", _("一次活动不能超过 31 天，长期活动请建系列。"), field="ends_at")
    cleaned["starts_at"], cleaned["ends_at"] = starts, ends

    opens = _aware(values.get("registration_opens_at"), "registration_opens_at", _("报名开始"))
    closes = _aware(values.get("registration_closes_at"), "registration_closes_at", _("报名截止"))
    if closes is not None and closes > ends:
        raise DomainError(
            "registration_after_end", _("报名截止不能晚于活动结束。"), field="registration_closes_at"
        )
    if opens is not None and closes is not None and closes <= opens:
        raise DomainError(
            "registration_window", _("报名截止必须晚于报名开始。"), field="registration_closes_at"
        )
    cleaned["registration_opens_at"], cleaned["registration_closes_at"] = opens, closes

    audience = values.get("audience") or Audience.BRANCH
    if audience not in Audience.values:
        raise DomainError("invalid_audience", _("请选择参加对象。"), field="audience")
    cleaned["audience"] = audience
    capacity = values.get("capacity")
    if capacity in ("", None):
        capacity = None
    elif not isinstance(capacity, int) or capacity <= 0:
        raise DomainError("invalid_capacity", _("名额必须是正整数（不限名额请留空）。"), field="capacity")
    cleaned["capacity"] = capacity

    lat = _decimal(values.get("latitude"), "latitude", _("纬度"), 90)
    lon = _decimal(values.get("longitude"), "longitude", _("经度"), 180)
    fence = values.get("geofence_m")
    if fence in ("", None, 0):
        fence = None
    elif not isinstance(fence, int) or not 10 <= fence <= 10_000:
        raise DomainError("invalid_geofence", _("签到范围须在 10 到 10000 米之间。"), field="geofence_m")
    if fence is not None and (lat is None or lon is None):
        raise DomainError(
            "geofence_needs_point", _("设置签到范围时须填写活动地点的经纬度。"), field="latitude"
        )
    cleaned.update(latitude=lat, longitude=lon, geofence_m=fence)
    rotating = values.get("rotating_checkin")
    cleaned["rotating_checkin"] = kind.is_meeting if rotating is None else bool(rotating)
    return cleaned


def _checkin_window(starts: datetime, ends: datetime, org_path: str) -> tuple[datetime, datetime]:
    on = timezone.localtime(starts).date()
    before = rules.value("activities.checkin.opens_before_minutes", on=on, org_path=org_path)
    after = rules.value("activities.checkin.closes_after_minutes", on=on, org_path=org_path)
    return starts - timedelta(minutes=before), ends + timedelta(minutes=after)


def _audit_data(activity: Activity) -> dict[str, Any]:
    return {
        "title": activity.title,
        "type": activity.activity_type_id,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "audience": activity.audience,
        "capacity": activity.capacity,
        "place": activity.place,
        "status": activity.status,
    }


@transaction.atomic
def create_activity(*, actor, organization: Organization, publish: bool = False, **values) -> Activity:
    """A new activity of `organization` (draft, or published at once with `publish`)."""
    require(actor, Perm.MANAGE_ACTIVITIES, organization.path)
    if organization.dissolved_at is not None:
        raise DomainError("org_dissolved", _("主办组织已撤销。"), field="organization")
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    cleaned = _clean(values, organization)
    opens, closes = _checkin_window(cleaned["starts_at"], cleaned["ends_at"], organization.path)
    activity = Activity.objects.create(
        organization=organization,
        org_path=organization.path,
        checkin_opens_at=opens,
        checkin_closes_at=closes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **cleaned,
    )
    audit.record("activities.activity.created", actor=actor, obj=activity, data=_audit_data(activity))
    if publish:
        activity = publish_activity(actor=actor, activity=activity)
    return activity


@transaction.atomic
def update_activity(*, actor, activity: Activity, **changes) -> Activity:
    """Edit a draft or published activity. A smaller capacity may not drop confirmed places; a larger
    one promotes the waiting list."""
    activity = lock_activity(activity.pk)
    require_manage(actor, activity)
    if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.PUBLISHED):
        raise DomainError("activity_closed", _("已结束或已取消的活动不能修改。"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = _audit_data(activity)
    merged = {field: getattr(activity, field) for field in EDITABLE_FIELDS}
    merged.update(changes)
    cleaned = _clean(merged, activity.organization)
    if cleaned["capacity"] is not None and cleaned["capacity"] < activity.confirmed_count:
        raise DomainError(
            "capacity_below_confirmed",
            _("已有 %(n)d 人报名成功，名额不能少于此数。") % {"n": activity.confirmed_count},
            field="capacity",
        )
    for field, value in cleaned.items():
        setattr(activity, field, value)
    activity.checkin_opens_at, activity.checkin_closes_at = _checkin_window(
        activity.starts_at, activity.ends_at, activity.org_path
    )
    activity.save()
    if activity.status == ActivityStatus.PUBLISHED:  # time or space changed: move the reservation
        activity_bookings.move_for_activity(actor=actor, activity=activity)
    from dangqun.activities.services.registrations import promote_waitlist

    promote_waitlist(activity)
    changes_made = audit.diff(before, _audit_data(activity))
    if changes_made:
        audit.record("activities.activity.updated", actor=actor, obj=activity, data={"changes": changes_made})
    return activity


@transaction.atomic
def publish_activity(*, actor, activity: Activity) -> Activity:
    activity = lock_activity(activity.pk)
    require_manage(actor, activity)
    _transition(activity, ActivityStatus.PUBLISHED)
    if activity.ends_at <= timezone.now() and actor is not None:
        raise DomainError("already_over", _("活动结束时间已过，不能发布。"), field="ends_at")
    activity.status = ActivityStatus.PUBLISHED
    activity.published_at = timezone.now()
    activity.save(update_fields=["status", "published_at", "updated_at"])
    if activity.space_id is not None:  # SlotTaken (field starts_at) rolls the publication back
        activity_bookings.reserve_for_activity(actor=actor, activity=activity)
    audit.record("activities.activity.published", actor=actor, obj=activity)
    return activity


@transaction.atomic
def cancel_activity(*, actor, activity: Activity, reason: str) -> Activity:
    activity = lock_activity(activity.pk)
    require_manage(actor, activity)
    _transition(activity, ActivityStatus.CANCELLED)
    reason = clean_text(reason, field="reason", label=_("取消原因"), max_length=200, required=True)
    activity.status = ActivityStatus.CANCELLED
    activity.cancelled_at = timezone.now()
    activity.cancel_reason = reason
    activity.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    activity_bookings.release_for_activity(
        actor=actor, activity=activity, reason=_("活动已取消：%(r)s") % {"r": reason}
    )
    audit.record("activities.activity.cancelled", actor=actor, obj=activity, data={"reason": reason})
    return activity


@transaction.atomic
def finish_activity(*, actor, activity: Activity, now: datetime | None = None) -> Activity:
    """Mark a published activity as held: it now counts (held, participants) in the rollups."""
    now = now or timezone.now()
    activity = lock_activity(activity.pk)
    require_manage(actor, activity)
    _transition(activity, ActivityStatus.FINISHED)
    if activity.starts_at > now:
        raise DomainError("not_started", _("活动尚未开始，不能标记为已结束。"))
    participants = Registration.objects.filter(activity=activity, checked_in_at__isnull=False).count()
    recorded = (
        MeetingRecord.objects.filter(
            activity=activity, status__in=(RecordStatus.SUBMITTED, RecordStatus.APPROVED)
        )
        .exclude(quorum_met=False)  # without a quorum, no valid meeting (not recorded)
        .exists()
    )
    activity.status = ActivityStatus.FINISHED
    activity.finished_at = now
    activity.participants = participants
    activity.save(update_fields=["status", "finished_at", "participants", "updated_at"])
    rollups.add(activity, held=1, recorded=1 if recorded else 0, participants=participants)
    audit.record(
        "activities.activity.finished", actor=actor, obj=activity, data={"participants": participants}
    )
    return activity


def finish_ended_activities(*, now: datetime) -> int:
    """The job: finish every published activity whose sign-in window has closed. Idempotent."""
    done = 0
    ids = list(
        Activity.objects.filter(status=ActivityStatus.PUBLISHED, checkin_closes_at__lte=now)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
    for activity_id in ids:
        activity = Activity.objects.get(pk=activity_id)
        if activity.status == ActivityStatus.PUBLISHED:
            finish_activity(actor=None, activity=activity, now=now)
            done += 1
    return done


def late_admission(activity: Activity) -> None:
    """A check-in entered after the activity was finished (paper sheet, staff): count it too."""
    if activity.status == ActivityStatus.FINISHED:
        Activity.objects.filter(pk=activity.pk).update(participants=F("participants") + 1)
        rollups.add(activity, participants=1)


@transaction.atomic
def create_series(*, actor, organization: Organization, name: str, description: str = "") -> ActivitySeries:
    require(actor, Perm.MANAGE_ACTIVITIES, organization.path)
    name = clean_text(name, field="name", label=_("系列名称"), max_length=100, required=True)
    if ActivitySeries.objects.filter(organization=organization, name=name).exists():
        raise DomainError("series_exists", _("本组织已有同名系列。"), field="name")
    series = ActivitySeries.objects.create(
        organization=organization, org_path=organization.path, name=name, description=description.strip()
    )
    audit.record("activities.series.created", actor=actor, obj=series, data={"name": name})
    return series


def registrations_open(activity: Activity, now: datetime) -> bool:
    opens = activity.registration_opens_at or activity.published_at or activity.created_at
    closes = activity.registration_closes_at or activity.ends_at
    return activity.status == ActivityStatus.PUBLISHED and opens <= now < closes
