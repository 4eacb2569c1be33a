"""Reads of the centers app. Public selectors (portal, kiosk) show no personal data; staff
selectors go through the manage_centers scope (another street's rows are a 404)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.centers.enums import BookingStatus
from dangqun.centers.models import Blackout, Booking, GroupVisit, ServiceCenter, Space, SpacePhoto
from dangqun.centers.selectors.availability import (
    DayAvailability,
    FreeSpace,
    Slot,
    availability,
    nearest_free_slots,
    spaces_free_now,
    week_availability,
)
from dangqun.core.models import AuditEntry

__all__ = [
    "DayAvailability",
    "FreeSpace",
    "Slot",
    "availability",
    "blackouts_of",
    "booking_by_code",
    "booking_history",
    "bookings_visible_to",
    "centers_public",
    "centers_visible_to",
    "get_booking_for",
    "get_bookable_space",
    "get_center_for",
    "get_public_center",
    "get_public_space",
    "get_space_for",
    "get_visit_for",
    "my_bookings",
    "my_visits",
    "nearest_free_slots",
    "pending_queue",
    "public_spaces",
    "spaces_free_now",
    "visit_by_code",
    "visits_visible_to",
    "week_availability",
]

_PHOTOS = Prefetch("photos", queryset=SpacePhoto.objects.order_by("sort_order", "pk"))
_BOOKING_RELATED = ("space", "space__center", "organization", "enterprise", "user", "series")


# --- public (anonymous) ------------------------------------------------------------------------


def centers_public() -> QuerySet[ServiceCenter]:
    """Active centers, for the portal's lists and QR landings."""
    return (
        ServiceCenter.objects.filter(is_active=True)
        .select_related("organization")
        .order_by("org_path", "name")
    )


def get_public_center(slug: str) -> ServiceCenter:
    try:
        return centers_public().get(slug=slug)
    except ServiceCenter.DoesNotExist:
        raise Http404 from None


def public_spaces(center: ServiceCenter) -> QuerySet[Space]:
    """Active spaces of a center (bookable or not, e.g. 心愿墙), photos prefetched."""
    return (
        Space.objects.filter(center=center, is_active=True)
        .select_related("center")
        .prefetch_related(_PHOTOS)
        .order_by("sort_order", "pk")
    )


def get_public_space(pk, center: ServiceCenter | None = None) -> Space:
    queryset = Space.objects.filter(is_active=True, center__is_active=True).select_related("center")
    if center is not None:
        queryset = queryset.filter(center=center)
    try:
        return queryset.prefetch_related(_PHOTOS).get(pk=pk)
    except (Space.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_bookable_space(pk) -> Space:
    """A space with its center (one query, no photos): what the booking service needs."""
    try:
        return Space.objects.select_related("center").get(pk=pk, is_active=True, center__is_active=True)
    except (Space.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def booking_by_code(code: str) -> Booking:
    """A booking by the secret of its requester's link (phone bookings without login)."""
    try:
        return Booking.objects.select_related(*_BOOKING_RELATED).get(public_code=code)
    except Booking.DoesNotExist:
        raise Http404 from None


def visit_by_code(code: str) -> GroupVisit:
    try:
        return GroupVisit.objects.select_related("center", "organization", "enterprise").get(public_code=code)
    except GroupVisit.DoesNotExist:
        raise Http404 from None


# --- the requester's own ---------------------------------------------------------------------------


def my_bookings(user) -> QuerySet[Booking]:
    if user is None or not user.is_authenticated:
        return Booking.objects.none()
    return Booking.objects.filter(user=user).select_related(*_BOOKING_RELATED).order_by("-starts_at", "-pk")


def my_visits(user) -> QuerySet[GroupVisit]:
    if user is None or not user.is_authenticated:
        return GroupVisit.objects.none()
    return (
        GroupVisit.objects.filter(user=user).select_related("center", "organization").order_by("-starts_at")
    )


# --- staff (manage_centers scope) ------------------------------------------------------------------


def centers_visible_to(user, perm: str = Perm.MANAGE_CENTERS) -> QuerySet[ServiceCenter]:
    return (
        ServiceCenter.objects.filter(permissions.scope_q(user, perm, "org_path"))
        .select_related("organization")
        .order_by("org_path", "name")
    )


def get_center_for(user, pk, perm: str = Perm.MANAGE_CENTERS) -> ServiceCenter:
    try:
        return centers_visible_to(user, perm).get(pk=pk)
    except (ServiceCenter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_space_for(user, pk, perm: str = Perm.MANAGE_CENTERS) -> Space:
    try:
        return (
            Space.objects.filter(permissions.scope_q(user, perm, "center__org_path"))
            .select_related("center", "center__organization")
            .prefetch_related(_PHOTOS)
            .get(pk=pk)
        )
    except (Space.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def blackouts_of(center: ServiceCenter, *, since=None) -> QuerySet[Blackout]:
    queryset = Blackout.objects.filter(center=center).select_related("space")
    if since is not None:
        queryset = queryset.filter(ends_at__gt=since)
    return queryset.order_by("starts_at", "pk")


def bookings_visible_to(user, perm: str = Perm.MANAGE_CENTERS) -> QuerySet[Booking]:
    return Booking.objects.filter(permissions.scope_q(user, perm, "org_path")).select_related(
        *_BOOKING_RELATED
    )


def get_booking_for(user, pk, perm: str = Perm.MANAGE_CENTERS) -> Booking:
    try:
        return bookings_visible_to(user, perm).get(pk=pk)
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pending_queue(user, *, center: ServiceCenter | None = None) -> QuerySet[Booking]:
    """Pending requests in the viewer's scope, soonest first."""
    queryset = bookings_visible_to(user).filter(status=BookingStatus.PENDING)
    if center is not None:
        queryset = queryset.filter(space__center=center)
    return queryset.order_by("starts_at", "pk")


def visits_visible_to(user, perm: str = Perm.MANAGE_CENTERS) -> QuerySet[GroupVisit]:
    return GroupVisit.objects.filter(permissions.scope_q(user, perm, "org_path")).select_related(
        "center", "organization", "enterprise", "user"
    )


def get_visit_for(user, pk, perm: str = Perm.MANAGE_CENTERS) -> GroupVisit:
    try:
        return visits_visible_to(user, perm).get(pk=pk)
    except (GroupVisit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def booking_history(booking: Booking) -> QuerySet[AuditEntry]:
    """The audit entries of one booking, oldest first (its history)."""
    return AuditEntry.objects.filter(object_type="centers.booking", object_id=str(booking.pk)).order_by(
        "occurred_at", "pk"
    )
