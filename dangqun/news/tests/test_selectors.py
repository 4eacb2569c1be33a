"""Notice reads: inbox order and count, senders' scope, the receipts summary, recipient helpers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from dangqun.news import selectors
from dangqun.news.models import NoticeReceipt
from dangqun.news.services import confirm, mark_read, send_notice
from dangqun.people.services import link_user, register_person
from dangqun.testing.factories import make_user, member_data

pytestmark = pytest.mark.django_db


def titles(receipts) -> list[str]:
    return [r.notice.title for r in receipts]


# --- recipients_for_organization --------------------------------------------------------------


def test_recipients_for_organization_is_exactly_that_node(tree, branch_sec, community_sec):
    committee = make_user("cm", grants=[(tree.branch, "committee")])
    group_sec = make_user("gs", grants=[(tree.group, "secretary")])
    gone = make_user("gone", is_active=False, grants=[(tree.branch, "secretary")])
    assert list(selectors.recipients_for_organization(tree.branch)) == [branch_sec]
    both = selectors.recipients_for_organization(tree.branch, roles=("secretary", "committee"))
    assert list(both) == [branch_sec, committee]
    assert list(selectors.recipients_for_organization(tree.community)) == [community_sec]
    assert group_sec not in selectors.recipients_for_organization(tree.branch)
    assert gone not in both


def test_recipients_for_organization_feeds_send_notice(tree, branch_sec):
    notice = send_notice(
        actor=None,
        organization=tree.community,
        title="第一季度三会一课提醒",
        body="支委会本季度尚未召开。",
        recipients=selectors.recipients_for_organization(tree.branch),
        requires_confirmation=True,
        category="reminder",
        dedupe_key=f"activities:compliance:2026Q1:{tree.branch.pk}",
    )
    assert list(notice.receipts.values_list("recipient_id", flat=True)) == [branch_sec.pk]


# --- the inbox --------------------------------------------------------------------------------


def test_inbox_unread_first_then_newest(tree, send, branch_sec):
    first = send([branch_sec], title="第一条")
    send([branch_sec], title="第二条")
    third = send([branch_sec], title="第三条")
    mark_read(user=branch_sec, notice=third)
    inbox = selectors.notices_for(branch_sec)
    assert inbox.unread == 2
    assert titles(inbox.receipts) == ["第二条", "第一条", "第三条"]
    mark_read(user=branch_sec, notice=first)
    assert selectors.unread_count(branch_sec) == 1


def test_inbox_pages_by_keyset(tree, send, branch_sec):
    for i in range(5):
        send([branch_sec], title=f"通知{i}")
    NoticeReceipt.objects.filter(recipient=branch_sec, notice__title="通知2").update(
        is_unread=False, read_at=timezone.now()
    )
    page1, cursor = selectors.inbox_page(branch_sec, limit=3)
    page2, end = selectors.inbox_page(branch_sec, after=cursor, limit=3)
    assert titles(page1) == ["通知4", "通知3", "通知1"]
    assert titles(page2) == ["通知0", "通知2"] and end is None
    assert titles(selectors.inbox_page(branch_sec, after=[2, "x", "y"], limit=3)[0]) == titles(page1)


def test_get_receipt_for_is_404_for_others(tree, send, branch_sec, community_sec):
    notice = send([branch_sec])
    assert selectors.get_receipt_for(branch_sec, notice.pk).recipient == branch_sec
    for user, pk in ((community_sec, notice.pk), (branch_sec, "x"), (branch_sec, notice.pk + 100)):
        with pytest.raises(Http404):
            selectors.get_receipt_for(user, pk)


# --- senders ----------------------------------------------------------------------------------


def test_sent_notices_scope_by_org_path(
    tree, send, street_sec, branch_sec, community_sec, far_sec, far_branch_sec
):
    from_street = send([branch_sec], title="街道发")
    from_community = send([branch_sec], title="社区发", actor=community_sec, organization=tree.community)
    far = send_notice(
        actor=far_sec, organization=tree.far_county, title="陆良发", body="b", recipients=[far_branch_sec]
    )
    assert list(selectors.sent_notices_visible_to(street_sec)) == [from_community, from_street]
    assert list(selectors.sent_notices_visible_to(community_sec)) == [from_community]
    assert list(selectors.sent_notices_visible_to(far_sec)) == [far]
    assert list(selectors.sent_notices_visible_to(make_user(grants=[(tree.branch, "member")]))) == []
    with pytest.raises(Http404):
        selectors.get_sent_notice_for(community_sec, from_street.pk)
    with pytest.raises(Http404):
        selectors.get_sent_notice_for(far_sec, from_community.pk)


def test_receipt_summary_names_who_has_not_confirmed(tree, send, branch_sec, community_sec, other_branch_sec):
    plain = make_user("liuhui", display_name="刘慧")
    link_user(
        actor=None,
        person=register_person(actor=None, organization=tree.group, data=member_data()),
        user=plain,
    )
    notice = send([branch_sec, community_sec, other_branch_sec, plain])
    mark_read(user=branch_sec, notice=notice)
    confirm(user=community_sec, notice=notice)
    summary = selectors.receipt_summary(notice)
    assert (summary.delivered, summary.read, summary.confirmed, summary.pending_total) == (4, 2, 1, 3)
    assert [(r.name, r.where) for r in summary.done] == [("阮玉华", "顺城社区党委 · 书记")]
    assert [(r.name, r.where, r.receipt.read_at is not None) for r in summary.pending] == [
        ("大观支部书记", "大观社区第一党支部 · 书记", False),
        ("刘慧", "第一党小组", False),
        ("杨志宇", "世邦魏理仕物业昆明分公司党支部 · 书记", True),
    ]
    assert summary.done_total == 1


def test_receipt_summary_without_confirmation_waits_for_reading(tree, send, branch_sec, community_sec):
    notice = send([branch_sec, community_sec], requires_confirmation=False)
    mark_read(user=branch_sec, notice=notice)
    summary = selectors.receipt_summary(notice)
    assert (summary.pending_total, [r.name for r in summary.pending], [r.name for r in summary.done]) == (
        1,
        ["阮玉华"],
        ["杨志宇"],
    )
    notice.refresh_from_db()
    assert notice.pending_count == 1


def test_candidates_and_default_recipients(tree, street_sec, branch_sec, community_sec, other_branch_sec):
    committee = make_user("cm", display_name="顺城委员", grants=[(tree.community, "committee")])
    twice = make_user(
        "tw",
        display_name="兼职书记",
        grants=[(tree.other_community, "committee"), (tree.other_community, "secretary")],
    )
    make_user("mem", grants=[(tree.community, "member")])
    candidates = selectors.recipient_candidates(tree.street)
    assert [c.label for c in candidates] == [
        "阮玉华（顺城社区党委 · 书记）",
        "顺城委员（顺城社区党委 · 委员）",
        "杨志宇（世邦魏理仕物业昆明分公司党支部 · 书记）",
        "兼职书记（大观社区党委 · 书记）",
        "大观支部书记（大观社区第一党支部 · 书记）",
    ]
    assert selectors.default_recipients(tree.street) == [community_sec.pk, twice.pk]
    assert selectors.default_recipients(tree.street, target=tree.branch) == [branch_sec.pk]
    assert street_sec.pk not in [c.user_id for c in candidates] and committee.pk in [
        c.user_id for c in candidates
    ]


def test_due_date_today_is_allowed(tree, send, branch_sec):
    assert (
        send([branch_sec], due_date=timezone.localdate() + timedelta(days=0)).due_date == timezone.localdate()
    )
