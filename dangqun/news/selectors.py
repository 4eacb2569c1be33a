"""Reads on notices: a user's inbox, the senders' lists in scope, receipts summaries, recipients."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.dateparse import parse_datetime

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm, Role
from dangqun.accounts.models import RoleGrant, User
from dangqun.news.enums import DEFAULT_RECIPIENT_ROLES, RECIPIENT_ROLES
from dangqun.news.models import Notice, NoticeReceipt
from dangqun.orgs.models import Organization
from dangqun.orgs.selectors import organizations_visible_to

SUMMARY_ROWS = 200
CANDIDATES_LIMIT = 300

# --- a user's inbox ---------------------------------------------------------------------------


@dataclass
class Inbox:
    receipts: QuerySet[NoticeReceipt]  # unread first, then newest delivery
    unread: int


def inbox_receipts(user) -> QuerySet[NoticeReceipt]:
    return (
        NoticeReceipt.objects.filter(recipient_id=getattr(user, "pk", None))
        .select_related("notice", "notice__organization", "notice__sender")
        .order_by("-is_unread", "-delivered_at", "-id")
    )


def unread_count(user) -> int:
    """Exact number of unread notices (the inbox heading, the API)."""
    if user is None or not user.is_authenticated:
        return 0
    return NoticeReceipt.objects.filter(recipient_id=user.pk, is_unread=True).count()


BADGE_CAP = 99


def unread_badge(user) -> int:
    """The nav badge on every page: one bounded index scan (no COUNT), capped at BADGE_CAP + 1
    (shown as "99+")."""
    if user is None or not user.is_authenticated:
        return 0
    ids = NoticeReceipt.objects.filter(recipient_id=user.pk, is_unread=True).values_list("pk", flat=True)
    return len(ids[: BADGE_CAP + 1])


def notices_for(user) -> Inbox:
    return Inbox(receipts=inbox_receipts(user), unread=unread_count(user))


def inbox_page(
    user, *, after: list | None = None, limit: int = 20
) -> tuple[list[NoticeReceipt], list | None]:
    """One page of the inbox, keyset on (is_unread desc, delivered_at desc, id desc).

    Returns (rows, cursor of the next page or None). A malformed cursor restarts the list."""
    qs = inbox_receipts(user)
    position = _inbox_position(after)
    if position is not None:
        unread, at, pk = position
        qs = qs.filter(
            Q(is_unread__lt=unread)
            | Q(is_unread=unread, delivered_at__lt=at)
            | Q(is_unread=unread, delivered_at=at, id__lt=pk)
        )
    rows = list(qs[: limit + 1])
    cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        cursor = [int(last.is_unread), last.delivered_at.isoformat(), last.pk]
    return rows, cursor


def _inbox_position(after: list | None) -> tuple[bool, datetime, int] | None:
    if not after or len(after) != 3:
        return None
    unread, at, pk = after
    when = parse_datetime(at) if isinstance(at, str) else None
    if unread not in (0, 1) or when is None or not isinstance(pk, int):
        return None
    return bool(unread), when, pk


def get_receipt_for(user, notice_id) -> NoticeReceipt:
    """The user's own copy of a notice, else 404 (a notice sent to others stays invisible)."""
    try:
        return inbox_receipts(user).get(notice_id=notice_id)
    except (NoticeReceipt.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- what senders see -------------------------------------------------------------------------


def sent_notices_visible_to(user) -> QuerySet[Notice]:
    """Notices sent by nodes inside the viewer's send_notices subtrees, newest first."""
    return (
        Notice.objects.filter(permissions.scope_q(user, Perm.SEND_NOTICES, "org_path"))
        .select_related("organization", "sender")
        .order_by("-created_at", "-id")
    )


def get_sent_notice_for(user, pk) -> Notice:
    try:
        return sent_notices_visible_to(user).get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sending_organizations(user) -> QuerySet[Organization]:
    """Active nodes the user may send notices from, in tree order."""
    return organizations_visible_to(user, Perm.SEND_NOTICES).filter(dissolved_at__isnull=True)


@dataclass
class ReceiptRow:
    receipt: NoticeReceipt
    name: str
    where: str  # "世邦魏理仕物业昆明分公司党支部 · 书记", or the person's organization


@dataclass
class ReceiptSummary:
    notice: Notice
    delivered: int
    read: int
    confirmed: int
    pending_total: int  # unconfirmed (or unread, when no confirmation is asked)
    pending: list[ReceiptRow] = field(default_factory=list)  # the first SUMMARY_ROWS of them
    done: list[ReceiptRow] = field(default_factory=list)

    @property
    def done_total(self) -> int:
        return self.delivered - self.pending_total


def receipt_summary(notice: Notice, *, rows: int = SUMMARY_ROWS) -> ReceiptSummary:
    """Counts recounted from the receipts, and who the sender still waits for (for the sender)."""
    counts = NoticeReceipt.objects.filter(notice=notice).aggregate(
        delivered=Count("pk"),
        read=Count("pk", filter=Q(read_at__isnull=False)),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
    )
    waiting = Q(confirmed_at__isnull=True) if notice.requires_confirmation else Q(read_at__isnull=True)
    base = NoticeReceipt.objects.filter(notice=notice).select_related(
        "recipient", "recipient__person", "recipient__person__organization"
    )
    # Not read at all first, then in the order they were addressed (the same on every database).
    pending = list(base.filter(waiting).order_by(F("read_at").asc(nulls_first=True), "pk")[:rows])
    done_order = "-confirmed_at" if notice.requires_confirmation else "-read_at"
    done = list(base.exclude(waiting).order_by(done_order, "pk")[:rows])
    labels = _where(notice.org_path, [r.recipient for r in pending + done])
    done_count = counts["confirmed"] if notice.requires_confirmation else counts["read"]
    return ReceiptSummary(
        notice=notice,
        delivered=counts["delivered"],
        read=counts["read"],
        confirmed=counts["confirmed"],
        pending_total=counts["delivered"] - done_count,
        pending=[_row(r, labels) for r in pending],
        done=[_row(r, labels) for r in done],
    )


def _row(receipt: NoticeReceipt, labels: dict[int, str]) -> ReceiptRow:
    user = receipt.recipient
    return ReceiptRow(receipt, user.display_name or user.get_username(), labels.get(user.pk, ""))


_ROLE_ORDER = {role: i for i, role in enumerate(RECIPIENT_ROLES)}


def _where(path: str, users: list[User]) -> dict[int, str]:
    """Per user, their deepest grant inside `path` ("组织 · 角色"), else their person's organization."""
    ids = {u.pk for u in users}
    if not ids:
        return {}
    best: dict[int, tuple[int, int, str]] = {}
    grants = RoleGrant.objects.filter(
        user_id__in=ids, organization__path__startswith=path, organization__dissolved_at__isnull=True
    ).values_list("user_id", "role", "organization__name", "organization__depth")
    for user_id, role, org_name, depth in grants:
        rank = (depth, -_ROLE_ORDER.get(role, len(_ROLE_ORDER)))
        if user_id not in best or rank > best[user_id][:2]:
            best[user_id] = (*rank, f"{org_name} · {Role(role).label}")
    labels = {pk: value[2] for pk, value in best.items()}
    for user in users:
        if user.pk not in labels:
            try:
                labels[user.pk] = user.person.organization.name
            except ObjectDoesNotExist:
                pass
    return labels


# --- recipients -------------------------------------------------------------------------------


def recipients_for_organization(
    organization: Organization, *, roles: tuple[str, ...] | list[str] = DEFAULT_RECIPIENT_ROLES
) -> QuerySet[User]:
    """Active users holding one of `roles` on exactly this node (e.g. the branch secretary).

    For other apps' reminders: `send_notice(..., recipients=recipients_for_organization(branch))`."""
    return (
        User.objects.filter(
            is_active=True,
            grants__organization_id=organization.pk,
            grants__role__in=list(roles),
        )
        .distinct()
        .order_by("pk")
    )


@dataclass
class Candidate:
    user_id: int
    label: str
    organization_id: int
    depth: int
    role: str


def recipient_candidates(organization: Organization, *, limit: int = CANDIDATES_LIMIT) -> list[Candidate]:
    """Whom the send form offers: holders of secretary / committee / org-admin grants on the nodes
    below `organization`, in tree order, one entry per user (their highest node, their first role)."""
    grants = (
        RoleGrant.objects.filter(
            organization__path__startswith=organization.path,
            organization__depth__gt=organization.depth,
            organization__dissolved_at__isnull=True,
            role__in=RECIPIENT_ROLES,
            user__is_active=True,
        )
        .select_related("user", "organization")
        .order_by("organization__path", "user_id")[: limit * 3]
    )
    best: dict[int, RoleGrant] = {}
    for grant in grants:
        kept = best.get(grant.user_id)
        if kept is None or (
            kept.organization_id == grant.organization_id and _ROLE_ORDER[grant.role] < _ROLE_ORDER[kept.role]
        ):
            best[grant.user_id] = grant
    chosen = sorted(best.values(), key=lambda g: (g.organization.path, _ROLE_ORDER[g.role], g.user_id))
    found: list[Candidate] = []
    for grant in chosen[:limit]:
        user = grant.user
        name = user.display_name or user.get_username()
        label = f"{name}（{grant.organization.name} · {Role(grant.role).label}）"
        found.append(Candidate(user.pk, label, grant.organization_id, grant.organization.depth, grant.role))
    return found


def default_recipients(organization: Organization, *, target: Organization | None = None) -> list[int]:
    """Ticked by default: the secretaries of `target` when given, else of the direct children."""
    if target is not None:
        return list(recipients_for_organization(target).values_list("pk", flat=True))
    return list(
        User.objects.filter(
            is_active=True,
            grants__role__in=list(DEFAULT_RECIPIENT_ROLES),
            grants__organization__path__startswith=organization.path,
            grants__organization__depth=organization.depth + 1,
            grants__organization__dissolved_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
