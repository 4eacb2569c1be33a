"""Notice services: who may send to whom, dedupe, read vs confirm, reminders, email after commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.news import tasks
from dangqun.news.models import Notice, NoticeReceipt
from dangqun.news.services import confirm, mark_read, remind_pending, send_notice
from dangqun.orgs.services import create_organization, dissolve_organization, move_organization
from dangqun.people.services import link_user, register_person
from dangqun.testing.factories import make_user, member_data

pytestmark = pytest.mark.django_db


def refused(exc_info) -> tuple[str, str | None]:
    return exc_info.value.code, exc_info.value.field


def receipt_of(notice, user) -> NoticeReceipt:
    return NoticeReceipt.objects.get(notice=notice, recipient=user)


# --- sending ----------------------------------------------------------------------------------


def test_send_creates_receipts_counters_and_audit(tree, send, street_sec, branch_sec, community_sec):
    notice = send([branch_sec, community_sec, branch_sec.pk])
    notice.refresh_from_db()
    assert (notice.org_path, notice.sender, notice.recipient_count) == (tree.street.path, street_sec, 2)
    assert (notice.read_count, notice.confirmed_count, notice.category) == (0, 0, "reminder")
    receipts = NoticeReceipt.objects.filter(notice=notice).order_by("recipient_id")
    assert [(r.recipient_id, r.is_unread, r.read_at, r.confirmed_at) for r in receipts] == [
        (branch_sec.pk, True, None, None),
        (community_sec.pk, True, None, None),
    ]
    entry = AuditEntry.objects.get(action="news.notice.sent")
    assert (entry.actor, entry.org_path, entry.object_id) == (street_sec, tree.street.path, str(notice.pk))
    assert entry.data["recipients"] == 2 and entry.data["requires_confirmation"] is True


def test_actor_needs_send_notices_on_the_organization(tree, send, branch_sec, community_sec, member, far_sec):
    for actor in (member, far_sec, branch_sec):  # branch_sec may send from the branch, not the street
        with pytest.raises(DomainError) as exc:
            send([community_sec], actor=actor)
        assert (exc.value.code, exc.value.status) == ("permission_denied", 403)
    assert Notice.objects.count() == 0


def test_committee_may_send_from_its_node(tree, send, branch_sec):
    committee = make_user(grants=[(tree.community, "committee")])
    notice = send([branch_sec], actor=committee, organization=tree.community)
    assert notice.sender == committee


def test_recipients_outside_the_subtree_are_refused_by_name(tree, send, branch_sec, far_branch_sec, far_sec):
    with pytest.raises(DomainError) as exc:
        send([branch_sec, far_branch_sec, far_sec])
    assert refused(exc) == ("recipient_out_of_scope", "recipients")
    assert (
        exc.value.message
        == "以下接收人不在“大观街道党工委”及其下级组织范围内（或账号已停用）：金源书记、陆良书记。"
    )
    assert Notice.objects.count() == 0 and NoticeReceipt.objects.count() == 0


def test_a_secretary_above_the_sending_node_is_outside_its_subtree(tree, send, street_sec, community_sec):
    with pytest.raises(DomainError) as exc:
        send([street_sec], actor=community_sec, organization=tree.community)
    assert refused(exc) == ("recipient_out_of_scope", "recipients")
    assert "朱晓荣" in exc.value.message


def test_a_member_linked_to_a_person_in_the_subtree_may_receive(tree, send):
    plain = make_user("liuhui", display_name="刘慧")  # no grant at all
    person = register_person(actor=None, organization=tree.group, data=member_data())
    with pytest.raises(DomainError):
        send([plain])
    link_user(actor=None, person=person, user=plain)
    assert send([plain]).recipient_count == 1


def test_inactive_and_unknown_recipients_are_refused(tree, send, branch_sec):
    branch_sec.is_active = False
    branch_sec.save()
    with pytest.raises(DomainError) as exc:
        send([branch_sec])
    assert refused(exc) == ("recipient_out_of_scope", "recipients")
    with pytest.raises(DomainError) as exc:
        send([987654])
    assert refused(exc) == ("recipient_unknown", "recipients")
    with pytest.raises(DomainError) as exc:
        send([])
    assert refused(exc) == ("recipients_required", "recipients")


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"title": "  "}, "title_required", "title"),
        ({"title": "长" * 101}, "title_too_long", "title"),
        ({"body": ""}, "body_required", "body"),
        ({"category": "gossip"}, "category_invalid", "category"),
        ({"link": "https://evil.example/"}, "link_not_internal", "link"),
        ({"link": "//evil.example/x"}, "link_not_internal", "link"),
        ({"link": "javascript:alert(1)"}, "link_not_internal", "link"),
        ({"link": "/a b"}, "link_not_internal", "link"),
        ({"link": "/" + "a" * 300}, "link_too_long", "link"),
        ({"due_date": timezone.localdate() - timedelta(days=1)}, "due_date_past", "due_date"),
    ],
)
def test_bad_input_is_refused_naming_the_field(tree, send, branch_sec, overrides, code, field):
    with pytest.raises(DomainError) as exc:
        send([branch_sec], **overrides)
    assert refused(exc) == (code, field)
    assert Notice.objects.count() == 0


def test_internal_link_and_due_date_are_kept(tree, send, branch_sec):
    due = timezone.localdate()
    notice = send([branch_sec], link=" /activities/12/ ", due_date=due)
    assert (notice.link, notice.due_date) == ("/activities/12/", due)


def test_a_dissolved_organization_cannot_send(tree, branch_sec):
    lone = create_organization(actor=None, parent=tree.community, name="待撤销支部", kind="branch")
    sec = make_user(grants=[(lone, "secretary")])
    dissolve_organization(actor=None, organization=lone)
    lone.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        send_notice(actor=None, organization=lone, title="t", body="b", recipients=[sec])
    assert refused(exc) == ("org_dissolved", "organization")


def test_a_job_sends_without_actor_as_the_system(tree, branch_sec):
    notice = send_notice(
        actor=None, organization=tree.branch, title="提醒", body="正文", recipients=[branch_sec]
    )
    assert notice.sender is None
    assert AuditEntry.objects.get(action="news.notice.sent").actor_label == "system"


def test_an_actor_cannot_pose_as_another_sender(tree, send, branch_sec, community_sec):
    with pytest.raises(DomainError) as exc:
        send([branch_sec], sender=community_sec)
    assert exc.value.code == "sender_mismatch"


# --- dedupe -----------------------------------------------------------------------------------


def test_dedupe_key_returns_the_first_notice_and_sends_nothing(
    tree, send, branch_sec, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send([branch_sec], dedupe_key="compliance:2026Q1:branch")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = send([branch_sec], dedupe_key="compliance:2026Q1:branch", title="另一个标题")
    assert again.pk == first.pk and again.title == "请报送三会一课记录"
    assert (Notice.objects.count(), NoticeReceipt.objects.count()) == (1, 1)
    assert AuditEntry.objects.filter(action="news.notice.sent").count() == 1
    assert callbacks == [] and len(mailoutbox) == 1


def test_dedupe_still_checks_permission(tree, send, branch_sec, far_sec):
    send([branch_sec], dedupe_key="k1")
    with pytest.raises(DomainError) as exc:
        send([branch_sec], dedupe_key="k1", actor=far_sec)
    assert exc.value.code == "permission_denied"


def test_database_keeps_dedupe_keys_and_receipts_unique(tree, send, branch_sec):
    notice = send([branch_sec], dedupe_key="k2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            title="x", body="y", organization=tree.street, org_path=tree.street.path, dedupe_key="k2"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        NoticeReceipt.objects.create(notice=notice, recipient=branch_sec, delivered_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            title="x", body="y", organization=tree.street, org_path=tree.street.path, link="//evil.example"
        )


# --- read and confirm -------------------------------------------------------------------------


def test_read_is_not_confirm(tree, send, branch_sec):
    notice = send([branch_sec])
    receipt = mark_read(user=branch_sec, notice=notice)
    assert (receipt.is_unread, receipt.read_at is not None, receipt.confirmed_at) == (False, True, None)
    first_read = receipt.read_at
    assert mark_read(user=branch_sec, notice=notice).read_at == first_read
    notice.refresh_from_db()
    assert (notice.read_count, notice.confirmed_count) == (1, 0)
    assert not AuditEntry.objects.filter(action="news.notice.confirmed").exists()


def test_confirm_is_idempotent_and_audited_once(tree, send, branch_sec, community_sec):
    notice = send([branch_sec, community_sec])
    first = confirm(user=branch_sec, notice=notice)
    second = confirm(user=branch_sec, notice=notice)
    assert first.confirmed_at == second.confirmed_at is not None
    assert first.read_at == first.confirmed_at and first.is_unread is False
    notice.refresh_from_db()
    assert (notice.recipient_count, notice.read_count, notice.confirmed_count) == (2, 1, 1)
    entries = AuditEntry.objects.filter(action="news.notice.confirmed")
    assert [(e.actor, e.org_path, e.object_id) for e in entries] == [
        (branch_sec, tree.street.path, str(notice.pk))
    ]


def test_confirm_after_read_counts_the_read_once(tree, send, branch_sec):
    notice = send([branch_sec])
    mark_read(user=branch_sec, notice=notice)
    confirm(user=branch_sec, notice=notice)
    notice.refresh_from_db()
    assert (notice.read_count, notice.confirmed_count) == (1, 1)


def test_confirm_only_when_asked(tree, send, branch_sec):
    notice = send([branch_sec], requires_confirmation=False)
    with pytest.raises(DomainError) as exc:
        confirm(user=branch_sec, notice=notice)
    assert exc.value.code == "confirmation_not_required"
    assert receipt_of(notice, branch_sec).confirmed_at is None


def test_someone_else_cannot_read_or_confirm(tree, send, branch_sec, community_sec):
    notice = send([branch_sec])
    for service in (mark_read, confirm):
        with pytest.raises(DomainError) as exc:
            service(user=community_sec, notice=notice)
        assert (exc.value.code, exc.value.status) == ("not_found", 404)


# --- reminding again --------------------------------------------------------------------------


def test_remind_goes_only_to_the_unconfirmed(tree, send, street_sec, branch_sec, community_sec):
    notice = send([branch_sec, community_sec])
    mark_read(user=branch_sec, notice=notice)
    confirm(user=community_sec, notice=notice)
    assert remind_pending(actor=street_sec, notice=notice) == 1
    again = receipt_of(notice, branch_sec)
    done = receipt_of(notice, community_sec)
    assert (again.is_unread, again.delivery_count, again.read_at is not None) == (True, 2, True)
    assert (done.is_unread, done.delivery_count) == (False, 1)
    notice.refresh_from_db()
    assert notice.last_reminded_at is not None and notice.read_count == 2
    assert AuditEntry.objects.get(action="news.notice.reminded").data == {"recipients": 1}
    mark_read(user=branch_sec, notice=notice)  # reading again does not count twice
    notice.refresh_from_db()
    assert notice.read_count == 2


def test_remind_too_soon_then_allowed(tree, send, street_sec, branch_sec):
    notice = send([branch_sec])
    remind_pending(actor=street_sec, notice=notice)
    with pytest.raises(DomainError) as exc:
        remind_pending(actor=street_sec, notice=notice)
    assert (exc.value.code, exc.value.message) == ("remind_too_soon", "刚刚已经提醒过，请 10 分钟后再试。")
    Notice.objects.filter(pk=notice.pk).update(last_reminded_at=timezone.now() - timedelta(minutes=11))
    assert remind_pending(actor=street_sec, notice=notice) == 1
    assert receipt_of(notice, branch_sec).delivery_count == 3


def test_remind_when_everyone_is_done_or_without_permission(tree, send, street_sec, branch_sec, far_sec):
    notice = send([branch_sec])
    with pytest.raises(DomainError) as exc:
        remind_pending(actor=far_sec, notice=notice)
    assert exc.value.code == "permission_denied"
    confirm(user=branch_sec, notice=notice)
    with pytest.raises(DomainError) as exc:
        remind_pending(actor=street_sec, notice=notice)
    assert (exc.value.code, exc.value.message) == ("nothing_to_remind", "所有接收人都已确认，无需再次提醒。")


def test_remind_without_confirmation_goes_to_the_unread(tree, send, street_sec, branch_sec, community_sec):
    notice = send([branch_sec, community_sec], requires_confirmation=False)
    mark_read(user=community_sec, notice=notice)
    assert remind_pending(actor=street_sec, notice=notice) == 1
    assert receipt_of(notice, community_sec).delivery_count == 1


# --- email ------------------------------------------------------------------------------------


class BrokenBackend(BaseEmailBackend):
    """An email backend whose server refuses everything (Django's backend interface, not our code)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp refused")


def test_email_goes_after_commit_to_recipients_with_an_address(
    tree, send, branch_sec, community_sec, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = send([branch_sec, community_sec], due_date=timezone.localdate())
    assert mailoutbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["yang@example.com"]]
    message = mailoutbox[0]
    assert message.subject == "【党群通】请报送三会一课记录"
    assert "杨志宇，您好：" in message.body
    assert "大观街道党工委发来工作提醒：请报送三会一课记录" in message.body
    assert "各支部：\n请于月底前上传会议记录。" in message.body
    assert f"/notices/{notice.pk}/" in message.body
    assert "确认已读" in message.body
    assert tasks.email_notice(notice.pk) == 0  # idempotent: that delivery went out already
    assert receipt_of(notice, branch_sec).emailed_count == 1


def test_reminder_emails_again_only_the_pending(
    tree, send, street_sec, branch_sec, django_capture_on_commit_callbacks, mailoutbox
):
    other = make_user("other", email="other@example.com", grants=[(tree.other_branch, "secretary")])
    with django_capture_on_commit_callbacks(execute=True):
        notice = send([branch_sec, other])
    confirm(user=other, notice=notice)
    with django_capture_on_commit_callbacks(execute=True):
        remind_pending(actor=street_sec, notice=notice)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "other@example.com",
        "yang@example.com",
        "yang@example.com",
    ]


def test_email_failure_is_recorded_and_the_notice_stands(
    tree, send, branch_sec, settings, django_capture_on_commit_callbacks
):
    settings.NOTICE_EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notice = send([branch_sec])
    assert Notice.objects.filter(pk=notice.pk).exists()
    assert receipt_of(notice, branch_sec).email_error == "smtp refused"
    entry = AuditEntry.objects.get(action="news.notice.email_failed")
    assert (entry.result, entry.data["recipients"], entry.data["count"]) == ("failure", ["yangzy"], 1)


# --- moving subtrees --------------------------------------------------------------------------


def test_notice_paths_follow_a_moved_subtree(tree, branch_sec):
    notice = send_notice(actor=None, organization=tree.branch, title="t", body="b", recipients=[branch_sec])
    move_organization(actor=None, organization=tree.branch, new_parent=tree.other_community)
    tree.branch.refresh_from_db()
    notice.refresh_from_db()
    assert notice.org_path == tree.branch.path
    assert notice.org_path.startswith(tree.other_community.path)
