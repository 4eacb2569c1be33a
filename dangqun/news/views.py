"""Notice pages: my inbox and a notice (any logged-in user); send, sent list and progress (senders)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangqun.accounts import permissions
from dangqun.accounts.decorators import staff_view
from dangqun.accounts.enums import Perm
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import decode_cursor, encode_cursor, form_error_from
from dangqun.news import selectors, services
from dangqun.news.forms import NoticeForm
from dangqun.orgs.models import Organization
from dangqun.orgs.selectors import get_organization_for

PAGE_SIZE = 20


# --- recipients -------------------------------------------------------------------------------


@login_required
def inbox(request):
    user = request.user
    after = decode_cursor(request.GET.get("after"), 3)
    rows, cursor = selectors.inbox_page(user, after=after, limit=PAGE_SIZE)
    context = {
        "rows": rows,
        "notice_unread": selectors.unread_count(user),
        "next_cursor": encode_cursor(*cursor) if cursor else "",
        "is_first_page": after is None,
        "filter_query": "",
    }
    return render(request, "news/inbox.html", context)


@login_required
def detail(request, pk: int):
    """Opening a notice marks it read; a confirmation is a separate, explicit POST."""
    receipt = selectors.get_receipt_for(request.user, pk)
    if receipt.is_unread:
        marked = services.mark_read(user=request.user, notice=receipt.notice)
        receipt.is_unread, receipt.read_at = marked.is_unread, marked.read_at
    return render(request, "news/detail.html", {"receipt": receipt, "notice": receipt.notice})


@login_required
@require_POST
def confirm(request, pk: int):
    receipt = selectors.get_receipt_for(request.user, pk)
    try:
        services.confirm(user=request.user, notice=receipt.notice)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认。发送单位会看到您已读。"))
    return redirect("news:detail", pk=pk)


# --- senders ----------------------------------------------------------------------------------


def _default_organization(user, target: Organization | None) -> Organization | None:
    """The user's top sending node: the one above `target` when given."""
    paths = permissions.scope_paths(user, Perm.SEND_NOTICES)
    if target is not None:
        paths = [p for p in paths if target.path.startswith(p)]
    if not paths:
        return None
    return selectors.sending_organizations(user).filter(path=paths[0]).first()


@staff_view(Perm.SEND_NOTICES)
def send(request):
    user = request.user
    target = None
    if request.GET.get("to"):
        target = get_organization_for(user, request.GET["to"], Perm.SEND_NOTICES)
    chosen = request.POST.get("organization") or request.GET.get("org")
    if chosen:
        organization = get_organization_for(user, chosen, Perm.SEND_NOTICES)
    else:
        organization = _default_organization(user, target)
    refresh = request.method == "POST" and "refresh" in request.POST
    if request.method == "POST" and not refresh:
        form = NoticeForm(user, request.POST, organization=organization)
        if form.is_valid():
            notice = _send(request, form, organization)
            if notice is not None:
                return redirect("news:sent-detail", pk=notice.pk)
    else:
        initial = {}
        if refresh:
            initial = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
            initial["requires_confirmation"] = "requires_confirmation" in request.POST
        if organization is not None:
            initial["organization"] = str(organization.pk)
            initial["recipients"] = selectors.default_recipients(organization, target=target)
        form = NoticeForm(user, initial=initial, organization=organization)
    return render(request, "news/send.html", {"form": form, "organization": organization, "target": target})


def _send(request, form: NoticeForm, organization: Organization):
    data = form.cleaned_data
    nonce = data.get("nonce")
    try:
        notice = services.send_notice(
            actor=request.user,
            organization=organization,
            title=data["title"],
            body=data["body"],
            recipients=data["recipients"],
            requires_confirmation=data["requires_confirmation"],
            category=data["category"],
            link=data["link"],
            due_date=data["due_date"],
            dedupe_key=f"form:{request.user.pk}:{nonce}" if nonce else None,
        )
    except DomainError as exc:
        form_error_from(form, exc)
        return None
    messages.success(request, _("已发送给 %(n)d 人。") % {"n": notice.recipient_count})
    return notice


@staff_view(Perm.SEND_NOTICES)
def send_recipients(request):
    """htmx: the recipient checkboxes of the organization chosen in the send form."""
    organization = get_organization_for(request.user, request.GET.get("organization"), Perm.SEND_NOTICES)
    form = NoticeForm(
        request.user,
        initial={"recipients": selectors.default_recipients(organization)},
        organization=organization,
    )
    return render(request, "news/partials/recipients.html", {"form": form, "organization": organization})


@staff_view(Perm.SEND_NOTICES)
def sent_list(request):
    queryset = selectors.sent_notices_visible_to(request.user)
    cursor = decode_cursor(request.GET.get("after"), 2)
    if cursor is not None and isinstance(cursor[0], str) and isinstance(cursor[1], int):
        queryset = queryset.filter(_before(cursor[0], cursor[1]))
    else:
        cursor = None
    notices = list(queryset[: PAGE_SIZE + 1])
    has_more = len(notices) > PAGE_SIZE
    notices = notices[:PAGE_SIZE]
    next_cursor = encode_cursor(notices[-1].created_at.isoformat(), notices[-1].pk) if has_more else ""
    context = {
        "notices": notices,
        "next_cursor": next_cursor,
        "is_first_page": cursor is None,
        "filter_query": "",
    }
    return render(request, "news/sent_list.html", context)


def _before(created_at: str, pk: int) -> Q:
    when = parse_datetime(created_at)
    if when is None:
        return Q()
    return Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk)


@staff_view(Perm.SEND_NOTICES)
def sent_detail(request, pk: int):
    notice = selectors.get_sent_notice_for(request.user, pk)
    summary = selectors.receipt_summary(notice)
    return render(request, "news/sent_detail.html", {"notice": notice, "summary": summary})


@staff_view(Perm.SEND_NOTICES)
@require_POST
def remind(request, pk: int):
    notice = selectors.get_sent_notice_for(request.user, pk)
    try:
        count = services.remind_pending(actor=request.user, notice=notice)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已再次提醒 %(n)d 人。") % {"n": count})
    return redirect("news:sent-detail", pk=notice.pk)
