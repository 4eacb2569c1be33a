"""The compliance page (a 街道党工委 sees all its branches on one page), the drill-down with the
reminder button, and the statistics page — all read from rollups."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.activities.enums import ActivityStatus, Period
from dangqun.activities.models import Activity
from dangqun.activities.periods import parse_span, span_of, span_param
from dangqun.activities.selectors.compliance import compliance_report, node_report
from dangqun.activities.selectors.stats import center_counts, subtree_counts
from dangqun.activities.services.reminders import remind_node
from dangqun.core.errors import DomainError
from dangqun.orgs.models import Organization
from dangqun.orgs.selectors import ancestors_of, get_organization_for, scope_roots
from dangqun.people.forms import organization_choices


def _root(request, perm: str):
    if request.GET.get("org"):
        return get_organization_for(request.user, request.GET["org"], perm)
    root = scope_roots(request.user, perm).first()
    if root is None:
        from django.http import Http404

        raise Http404
    return root


def _periods(span):
    return {
        "prev": span_param(span.previous()),
        "next": span_param(span.next()),
        "this_quarter": span_param(span_of(Period.QUARTER, timezone.localdate())),
        "this_year": span_param(span_of(Period.YEAR, timezone.localdate())),
    }


@staff_view(Perm.REVIEW_RECORDS)
def compliance(request):
    today = timezone.localdate()
    root = _root(request, Perm.REVIEW_RECORDS)
    span = parse_span(request.GET.get("period"), today=today)
    report = compliance_report(root, span, today=today)
    context = {
        "report": report,
        "root": root,
        "span": span,
        "period": span_param(span),
        "periods": _periods(span),
        "org_choices": organization_choices(request.user, Perm.REVIEW_RECORDS),
        "today": today,
    }
    return render(request, "activities/compliance.html", context)


@staff_view(Perm.REVIEW_RECORDS)
def compliance_node(request, pk: int):
    today = timezone.localdate()
    organization = get_organization_for(request.user, pk, Perm.REVIEW_RECORDS)
    span = parse_span(request.GET.get("period"), today=today)
    status = node_report(organization, span, today=today)
    start = timezone.make_aware(datetime.combine(span.start, time.min))
    end = timezone.make_aware(datetime.combine(span.end, time.min))
    meetings = (
        Activity.objects.filter(org_path__under=organization.path, activity_type__is_meeting=True,
                                starts_at__gte=start, starts_at__lt=end)
        .exclude(status=ActivityStatus.DRAFT)
        .select_related("activity_type", "organization", "record")
        .order_by("starts_at", "id")
    )  # fmt: skip
    parent = organization.path[: -Organization.steplen]
    context = {
        "organization": organization,
        "status": status,
        "span": span,
        "period": span_param(span),
        "periods": _periods(span),
        "meetings": meetings,
        "ancestors": [
            a
            for a in ancestors_of(organization)
            if permissions.has_perm(request.user, Perm.REVIEW_RECORDS, a.path)
        ],
        "can_remind": bool(parent) and permissions.has_perm(request.user, Perm.SEND_NOTICES, parent),
    }
    return render(request, "activities/compliance_node.html", context)


@require_POST
@staff_view(Perm.SEND_NOTICES)
def compliance_remind(request, pk: int):
    today = timezone.localdate()
    organization = get_organization_for(request.user, pk, Perm.REVIEW_RECORDS)
    span = parse_span(request.POST.get("period"), today=today)
    try:
        notice = remind_node(actor=request.user, organization=organization, span=span, today=today)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已向 %(o)s 发送督办提醒（需确认已读，%(n)d 人）。")
            % {"o": organization.name, "n": notice.recipient_count},
        )
    return redirect(
        reverse("activities:compliance-node", args=[organization.pk]) + f"?period={span_param(span)}"
    )


@staff_view(Perm.MANAGE_ACTIVITIES)
def stats(request):
    today = timezone.localdate()
    root = _root(request, Perm.MANAGE_ACTIVITIES)
    span = parse_span(request.GET.get("period") or str(today.year), today=today)
    context = {
        "root": root,
        "span": span,
        "period": span_param(span),
        "periods": _periods(span),
        "counts": subtree_counts(root, span),
        "centers": center_counts(root.path, span),
        "org_choices": organization_choices(request.user, Perm.MANAGE_ACTIVITIES),
    }
    return render(request, "activities/stats.html", context)
