"""Reads on the catalog and on service requests: staff queues inside the viewer's scope, the
requester's view through the tracking token, and the minimum for public and Open311 readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import ROLE_PERMISSIONS, Perm
from dangqun.accounts.models import RoleGrant, User
from dangqun.core import audit
from dangqun.core.masking import mask_mobile, mask_name
from dangqun.orgs.models import Organization
from dangqun.people.selectors import PiiPolicy
from dangqun.servicedesk import states
from dangqun.servicedesk.enums import TRANSITIONS, FollowUpState, PromiseUnit, StateKind
from dangqun.servicedesk.models import RatingFollowUp, RequestEvent, ServiceItem, ServiceRequest
from dangqun.servicedesk.tokens import hash_token

# --- catalog ------------------------------------------------------------------------------------


def catalog_for_center(center, *, public_only: bool = True) -> QuerySet[ServiceItem]:
    """A center's active items in their order (the kiosk's and the phone's service list)."""
    items = ServiceItem.objects.filter(center=center, is_active=True)
    if public_only:
        items = items.filter(is_public=True)
    return items.order_by("sort_order", "id")


def public_items() -> QuerySet[ServiceItem]:
    return (
        ServiceItem.objects.filter(is_active=True, is_public=True)
        .select_related("center")
        .order_by("center__name", "sort_order", "id")
    )


def public_item(code: str) -> ServiceItem:
    try:
        return public_items().get(code=code)
    except ServiceItem.DoesNotExist:
        raise Http404 from None


def items_visible_to(user, perm: str = Perm.MANAGE_CENTERS) -> QuerySet[ServiceItem]:
    return (
        ServiceItem.objects.filter(permissions.scope_q(user, perm, "org_path"))
        .select_related("center")
        .order_by("center__name", "sort_order", "id")
    )


def promise_text(item: ServiceItem) -> str:
    if not item.promise_value:
        return ""
    unit = _("小时") if item.promise_unit == PromiseUnit.HOURS else _("个工作日")
    return _("承诺 %(n)d %(u)s内办结") % {"n": item.promise_value, "u": unit}


# --- staff reads --------------------------------------------------------------------------------


def requests_visible_to(user, perm: str = Perm.HANDLE_REQUESTS) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(permissions.scope_q(user, perm, "org_path")).select_related(
        "item", "item__center", "organization", "handler", "enterprise", "escalated_to", "device"
    )


def get_request_for(user, pk, perm: str = Perm.HANDLE_REQUESTS) -> ServiceRequest:
    try:
        return requests_visible_to(user, perm).get(pk=pk)
    except (ServiceRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def overdue_q(now: datetime | None = None) -> Q:
    return Q(state_kind=StateKind.OPEN, due_at__lt=now or timezone.now())


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int
    urgent: int
    escalated: int
    resolved: int


def queue_counts(user, *, now: datetime | None = None) -> QueueCounts:
    """One aggregate over the viewer's scope (the workbench's 'past their promised time')."""
    now = now or timezone.now()
    opened = Q(state_kind=StateKind.OPEN)
    row = ServiceRequest.objects.filter(
        permissions.scope_q(user, Perm.HANDLE_REQUESTS, "org_path")
    ).aggregate(
        open=Count("pk", filter=opened),
        overdue=Count("pk", filter=overdue_q(now)),
        urgent=Count("pk", filter=opened & Q(is_urgent=True)),
        escalated=Count("pk", filter=opened & Q(escalated_at__isnull=False)),
        resolved=Count("pk", filter=~opened),
    )
    return QueueCounts(**row)


def history(request: ServiceRequest, *, public_only: bool) -> list[RequestEvent]:
    events = request.events.select_related("actor").prefetch_related("attachments")
    if public_only:
        events = events.filter(is_public=True)
    return list(events.order_by("created_at", "id"))


def handlers_for(request: ServiceRequest) -> list[User]:
    """Active users who may handle this request (a grant with handle_requests on it or above)."""
    org = request.organization
    paths = [org.path[: i * org.steplen] for i in range(1, len(org.path) // org.steplen + 1)]
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.HANDLE_REQUESTS in perms]
    ids = RoleGrant.objects.filter(
        role__in=roles, organization__path__in=paths, organization__dissolved_at__isnull=True
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("display_name", "username"))


def referral_targets(user, request: ServiceRequest, *, limit: int = 200) -> QuerySet[Organization]:
    """Organizations the viewer can see, plus the one above the request's (转办 choices)."""
    org = request.organization
    parent = org.path[: -org.steplen]
    scope = permissions.scope_q(user, Perm.VIEW_ORGS, "path") | permissions.scope_q(
        user, Perm.HANDLE_REQUESTS, "path"
    )
    if parent:
        scope |= Q(path=parent)
    return (
        Organization.objects.filter(scope, dissolved_at__isnull=True)
        .exclude(pk=org.pk)
        .select_related("kind")
        .order_by("path")[:limit]
    )


def follow_ups_visible_to(user) -> QuerySet[RatingFollowUp]:
    return (
        RatingFollowUp.objects.filter(permissions.scope_q(user, Perm.HANDLE_REQUESTS, "org_path"))
        .select_related("rating", "request", "request__item", "request__organization", "organization")
        .order_by("state", "due_on", "request_id")
    )


def get_follow_up_for(user, pk) -> RatingFollowUp:
    try:
        return follow_ups_visible_to(user).get(pk=pk)
    except (RatingFollowUp.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_follow_up_count(user) -> int:
    return follow_ups_visible_to(user).filter(state=FollowUpState.OPEN).count()


class RequesterPolicy:
    """The requester's mobile in full only with view_pii on the request's subtree."""

    def __init__(self, user):
        self.pii = PiiPolicy.for_user(user)

    def allows(self, request: ServiceRequest) -> bool:
        return self.pii.allows(request.org_path)

    def mobile(self, request: ServiceRequest) -> str:
        value = request.requester_mobile
        return value if self.allows(request) else mask_mobile(value)


def audit_pii_shown(user, requests: list[ServiceRequest], policy: RequesterPolicy | None = None) -> None:
    """One audit entry for each screen or response that showed full requester mobiles."""
    policy = policy or RequesterPolicy(user)
    shown = [r for r in requests if r.requester_mobile and policy.allows(r)]
    if len(shown) == 1:
        audit.record(
            "servicedesk.pii.viewed", actor=user, obj=shown[0], data={"fields": ["requester_mobile"]}
        )
    elif shown:
        audit.record("servicedesk.pii.viewed", actor=user, org_path=shown[0].org_path,
                     data={"request_ids": [r.pk for r in shown], "fields": ["requester_mobile"]})  # fmt: skip


def allowed_actions(request: ServiceRequest) -> set[str]:
    """Staff actions the table allows from the request's current state."""
    return {
        action for action, rule in TRANSITIONS.items() if request.state in rule.targets and "staff" in rule.by
    }


# --- the requester's view (tracking token) -------------------------------------------------------


def request_for_token(token: str | None) -> ServiceRequest:
    if not token or len(token) > 100:
        raise Http404
    try:
        return ServiceRequest.objects.select_related("item", "item__center", "organization").get(
            tracking_hash=hash_token(token)
        )
    except ServiceRequest.DoesNotExist:
        raise Http404 from None


def requests_of_user(user) -> QuerySet[ServiceRequest]:
    """A logged-in requester's own requests, newest first."""
    if user is None or not user.is_authenticated:
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(requester_user=user)
        .select_related("item", "item__center")
        .order_by("-created_at", "-id")
    )


@dataclass
class PublicNote:
    at: datetime
    text: str
    state_name: str


@dataclass
class PublicStatus:
    """What the requester's phone page (and the kiosk after filing) shows: no staff names."""

    number: str
    item_name: str
    center_name: str
    state: str
    state_kind: str
    status: str  # public name of the state
    status_description: str
    created_at: datetime
    expected_at: datetime | None
    due_at: datetime
    promise: str
    requester_name: str  # masked
    notes: list[PublicNote] = field(default_factory=list)
    attachments: int = 0
    rating: int | None = None
    rating_comment: str = ""
    can_rate: bool = False
    can_supply: bool = False
    can_cancel: bool = False
    can_reopen: bool = False
    is_urgent: bool = False


def public_status(request: ServiceRequest) -> PublicStatus:
    catalog = states.catalog()
    current = states.info(request.state, catalog)
    rating = getattr(request, "rating", None) if _has_rating(request) else None
    notes = [
        PublicNote(e.created_at, e.note, states.info(e.to_state, catalog).public_name)
        for e in history(request, public_only=True)
        if e.note
    ]
    return PublicStatus(
        number=request.number,
        item_name=request.item.name,
        center_name=request.item.center.name,
        state=request.state,
        state_kind=request.state_kind,
        status=current.public_name,
        status_description=current.public_description,
        created_at=request.created_at,
        expected_at=request.expected_at,
        due_at=request.due_at,
        promise=promise_text(request.item),
        requester_name=mask_name(request.requester_name),
        notes=notes,
        attachments=request.attachments.count(),
        rating=rating.score if rating else None,
        rating_comment=rating.comment if rating else "",
        can_rate=rating is None
        and request.resolved_at is not None
        and request.state in TRANSITIONS["rate"].targets,
        can_supply=request.state in TRANSITIONS["supply_info"].targets,
        can_cancel=request.state in TRANSITIONS["cancel"].targets,
        can_reopen=request.state in TRANSITIONS["reopen"].targets,
        is_urgent=request.is_urgent,
    )


def _has_rating(request: ServiceRequest) -> bool:
    try:
        return request.rating is not None
    except ServiceRequest.rating.RelatedObjectDoesNotExist:
        return False


# --- Open311 readers --------------------------------------------------------------------------


def open311_requests() -> QuerySet[ServiceRequest]:
    """Requests of public items, with what Open311 shows (never the requester)."""
    public_notes = RequestEvent.objects.filter(is_public=True).exclude(note="").order_by("-created_at", "-id")
    return (
        ServiceRequest.objects.filter(item__is_public=True)
        .select_related("item", "item__center", "organization")
        .prefetch_related(Prefetch("events", queryset=public_notes, to_attr="public_notes"))
        .order_by("-created_at", "-id")
    )
