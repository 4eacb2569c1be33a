"""Notices over JSON for the logged-in user: the inbox, and confirming a notice."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Router, Schema

from dangqun.core.viewutils import decode_cursor, encode_cursor
from dangqun.news import selectors, services
from dangqun.news.models import NoticeReceipt

router = Router(tags=["通知"])


class NoticeOut(Schema):
    id: int
    title: str
    body: str
    category: str
    category_label: str
    organization: str
    sender: str
    requires_confirmation: bool
    link: str
    due_date: date | None
    created_at: datetime


class ReceiptOut(Schema):
    notice: NoticeOut
    delivered_at: datetime
    is_unread: bool
    read_at: datetime | None
    confirmed_at: datetime | None
    state: str


class InboxOut(Schema):
    unread: int
    items: list[ReceiptOut]
    next: str | None


def _out(receipt: NoticeReceipt) -> dict:
    notice = receipt.notice
    return {
        "notice": {
            "id": notice.pk,
            "title": notice.title,
            "body": notice.body,
            "category": notice.category,
            "category_label": str(notice.get_category_display()),
            "organization": notice.organization.name,
            "sender": str(notice.sender) if notice.sender else "",
            "requires_confirmation": notice.requires_confirmation,
            "link": notice.link,
            "due_date": notice.due_date,
            "created_at": notice.created_at,
        },
        "delivered_at": receipt.delivered_at,
        "is_unread": receipt.is_unread,
        "read_at": receipt.read_at,
        "confirmed_at": receipt.confirmed_at,
        "state": receipt.state,
    }


@router.get("/inbox", response=InboxOut, summary="我的通知（未读在前）")
def inbox(request, limit: int = 20, after: str = ""):
    limit = max(1, min(limit, 100))
    rows, cursor = selectors.inbox_page(request.user, after=decode_cursor(after, 3), limit=limit)
    return {
        "unread": selectors.unread_count(request.user),
        "items": [_out(r) for r in rows],
        "next": encode_cursor(*cursor) if cursor else None,
    }


@router.post("/{notice_id}/confirm", response=ReceiptOut, summary="确认已读（可重复调用）")
def confirm(request, notice_id: int):
    receipt = selectors.get_receipt_for(request.user, notice_id)
    confirmed = services.confirm(user=request.user, notice=receipt.notice)
    receipt.read_at, receipt.confirmed_at, receipt.is_unread = (
        confirmed.read_at,
        confirmed.confirmed_at,
        confirmed.is_unread,
    )
    return _out(receipt)
