"""Notice pages: authorization matrix, inbox and badge, read and confirm, send form, progress, remind."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangqun.news.models import Notice, NoticeReceipt
from dangqun.news.services import confirm, mark_read, send_notice
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def notice(send, branch_sec, community_sec):
    return send([branch_sec, community_sec])


@pytest.fixture
def far_notice(tree, far_sec, far_branch_sec):
    return send_notice(
        actor=far_sec, organization=tree.far_county, title="陆良的通知", body="b", recipients=[far_branch_sec]
    )


def staff_pages(notice, tree) -> list[str]:
    return [
        reverse("news:send"),
        reverse("news:send") + f"?to={tree.branch.pk}",
        reverse("news:send") + f"?org={tree.street.pk}",
        reverse("news:send-recipients") + f"?organization={tree.street.pk}",
        reverse("news:sent"),
        reverse("news:sent-detail", args=[notice.pk]),
    ]


def scoped_staff_pages(notice, tree) -> list[str]:
    """The staff pages that name a record or node (404 outside the viewer's subtree)."""
    return [url for url in staff_pages(notice, tree) if "?" in url or str(notice.pk) in url]


# --- the authorization matrix -----------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, tree, notice):
    gets = staff_pages(notice, tree) + [reverse("news:inbox"), reverse("news:detail", args=[notice.pk])]
    posts = [reverse("news:confirm", args=[notice.pk]), reverse("news:remind", args=[notice.pk])]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url
    for url in posts:
        response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url
    assert NoticeReceipt.objects.filter(confirmed_at__isnull=False).count() == 0


def test_member_has_an_inbox_but_no_staff_pages(client, tree, notice, member):
    client.force_login(member)
    assert client.get(reverse("news:inbox")).status_code == 200
    assert client.get(reverse("news:detail", args=[notice.pk])).status_code == 404
    assert client.post(reverse("news:confirm", args=[notice.pk])).status_code == 404
    for url in staff_pages(notice, tree):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("news:remind", args=[notice.pk])).status_code == 403
    assert "发送通知" not in html(client.get(reverse("news:inbox")))


def test_grant_elsewhere_gets_404_and_no_foreign_rows(client, tree, notice, far_notice, far_sec):
    client.force_login(far_sec)
    for url in scoped_staff_pages(notice, tree):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("news:remind", args=[notice.pk])).status_code == 404
    assert client.get(reverse("news:detail", args=[notice.pk])).status_code == 404
    response = client.get(reverse("news:sent"))
    assert [n.title for n in response.context["notices"]] == ["陆良的通知"]
    assert "请报送三会一课记录" not in html(response)
    assert client.get(reverse("news:send")).status_code == 200
    options = [
        label
        for _pk, label in client.get(reverse("news:send"))
        .context["form"]
        .fields["organization"]
        .widget.choices
    ]
    assert "大观街道党工委" not in "".join(options)


def test_grant_on_the_node_sees_everything(client, tree, notice, far_notice, street_sec):
    client.force_login(street_sec)
    for url in staff_pages(notice, tree):
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("news:sent"))
    assert [n.title for n in response.context["notices"]] == ["请报送三会一课记录"]
    assert "陆良的通知" not in html(response)
    response = client.post(reverse("news:remind", args=[notice.pk]))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("news:sent-detail", args=[notice.pk]),
    )


def test_a_recipient_reads_and_confirms_only_their_own(client, tree, notice, far_notice, branch_sec):
    client.force_login(branch_sec)
    assert client.get(reverse("news:detail", args=[notice.pk])).status_code == 200
    assert client.get(reverse("news:detail", args=[far_notice.pk])).status_code == 404
    assert client.post(reverse("news:confirm", args=[far_notice.pk])).status_code == 404
    assert client.get(reverse("news:confirm", args=[notice.pk])).status_code == 405


# --- inbox, badge, query counts ---------------------------------------------------------------


def test_inbox_and_badge(client, tree, send, branch_sec):
    send([branch_sec], title="旧的")
    newest = send([branch_sec], title="新的")
    mark_read(user=branch_sec, notice=newest)
    client.force_login(branch_sec)
    page = html(client.get(reverse("news:inbox")))
    assert page.index("旧的") < page.index("新的")  # unread first
    assert 'id="nav-notices-unread">1<span class="visually-hidden">条未读</span>' in page
    assert "1 条未读" in page
    workbench = html(client.get(reverse("workbench")))
    assert 'id="nav-notices-unread">1<' in workbench
    mark_read(user=branch_sec, notice=Notice.objects.get(title="旧的"))
    assert "nav-notices-unread" not in html(client.get(reverse("workbench")))


def test_the_nav_badge_costs_one_query(client, tree, send, branch_sec):
    client.force_login(branch_sec)
    url = reverse("workbench")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    send([branch_sec])
    with CaptureQueriesContext(connection) as after:
        assert 'id="nav-notices-unread">1<' in html(client.get(url))
    badge = [q["sql"] for q in after.captured_queries if "news_noticereceipt" in q["sql"]]
    assert len(badge) == 1 and "COUNT(" not in badge[0].upper() and "LIMIT 100" in badge[0].upper()
    assert len(before.captured_queries) == len(after.captured_queries)


def test_the_badge_caps_at_99_plus(client, tree, send, branch_sec):
    notice = send([branch_sec])
    other = make_user("other")
    NoticeReceipt.objects.bulk_create(
        NoticeReceipt(notice=n, recipient=branch_sec, delivered_at=notice.created_at)
        for n in Notice.objects.bulk_create(
            Notice(title=f"n{i}", body="b", organization=tree.street, org_path=tree.street.path, sender=other)
            for i in range(100)
        )
    )
    client.force_login(branch_sec)
    assert 'id="nav-notices-unread">99+<' in html(client.get(reverse("workbench")))
    assert "101 条未读" in html(client.get(reverse("news:inbox")))


def test_inbox_query_count_is_flat(client, tree, send, branch_sec):
    send([branch_sec], title="一")
    client.force_login(branch_sec)
    url = reverse("news:inbox")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["rows"]) == 1
    committee = make_user(grants=[(tree.community, "committee")])
    for i in range(19):
        send(
            [branch_sec],
            title=f"通知{i}",
            actor=committee if i % 2 else None,
            organization=tree.community if i % 2 else tree.street,
        )
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get(url).context["rows"]) == 20
    assert len(one.captured_queries) == len(twenty.captured_queries)


def test_sent_list_query_count_is_flat(client, tree, send, street_sec, branch_sec):
    send([branch_sec])
    client.force_login(street_sec)
    url = reverse("news:sent")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["notices"]) == 1
    for i in range(19):
        send([branch_sec], title=f"通知{i}", requires_confirmation=bool(i % 2))
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get(url).context["notices"]) == 20
    assert len(one.captured_queries) == len(twenty.captured_queries)


def test_inbox_and_sent_list_page_by_keyset(client, tree, send, street_sec, branch_sec):
    for i in range(23):
        send([branch_sec], title=f"第{i:02d}条")
    client.force_login(branch_sec)
    first = client.get(reverse("news:inbox"))
    assert first.context["next_cursor"]
    second = client.get(reverse("news:inbox"), {"after": first.context["next_cursor"]})
    seen = [r.notice.title for r in first.context["rows"] + second.context["rows"]]
    assert len(seen) == len(set(seen)) == 23
    client.force_login(street_sec)
    first = client.get(reverse("news:sent"))
    second = client.get(reverse("news:sent"), {"after": first.context["next_cursor"]})
    assert len({n.pk for n in first.context["notices"] + second.context["notices"]}) == 23
    assert len(client.get(reverse("news:sent"), {"after": "garbage"}).context["notices"]) == 20


# --- reading and confirming -------------------------------------------------------------------


def test_detail_marks_read_and_shows_body_escaped_with_line_breaks(client, send, branch_sec):
    notice = send(
        [branch_sec],
        body="第一行\n<script>alert(1)</script>",
        link="/activities/",
        requires_confirmation=False,
    )
    client.force_login(branch_sec)
    page = html(client.get(reverse("news:detail", args=[notice.pk])))
    assert "第一行<br>&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert 'href="/activities/"' in page
    assert "确认已读" not in page
    receipt = NoticeReceipt.objects.get(notice=notice, recipient=branch_sec)
    assert (receipt.is_unread, receipt.read_at is not None, receipt.confirmed_at) == (False, True, None)
    assert "nav-notices-unread" not in page


def test_confirm_button_then_confirmed(client, notice, branch_sec):
    client.force_login(branch_sec)
    url = reverse("news:detail", args=[notice.pk])
    page = html(client.get(url))
    assert f'action="{reverse("news:confirm", args=[notice.pk])}"' in page and "确认已读</button>" in page
    response = client.post(reverse("news:confirm", args=[notice.pk]), follow=True)
    assert response.redirect_chain == [(url, 302)]
    page = html(response)
    assert "已确认。发送单位会看到您已读。" in page and "确认已读</button>" not in page
    assert NoticeReceipt.objects.get(notice=notice, recipient=branch_sec).confirmed_at is not None
    client.post(reverse("news:confirm", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.confirmed_count == 1


def test_confirm_on_a_notice_without_confirmation_says_so(client, send, branch_sec):
    notice = send([branch_sec], requires_confirmation=False)
    client.force_login(branch_sec)
    page = html(client.post(reverse("news:confirm", args=[notice.pk]), follow=True))
    assert "这条通知不需要确认已读。" in page


# --- sending ----------------------------------------------------------------------------------


def form_data(tree, recipients, **overrides) -> dict:
    data = {
        "organization": str(tree.street.pk),
        "recipients": [str(r.pk) for r in recipients],
        "category": "reminder",
        "title": "请报送记录",
        "body": "各支部：\n请尽快报送。",
        "requires_confirmation": "on",
        "due_date": "",
        "link": "",
        "nonce": "0123456789abcdef0123456789abcdef",
    }
    data.update(overrides)
    return data


def test_send_form_defaults(client, tree, street_sec, branch_sec, community_sec, other_branch_sec):
    client.force_login(street_sec)
    form = client.get(reverse("news:send")).context["form"]
    assert form.initial["organization"] == str(tree.street.pk)
    assert form.initial["recipients"] == [community_sec.pk]  # secretaries of the direct children
    assert [label for _pk, label in form.fields["recipients"].choices] == [
        "阮玉华（顺城社区党委 · 书记）",
        "杨志宇（世邦魏理仕物业昆明分公司党支部 · 书记）",
        "大观支部书记（大观社区第一党支部 · 书记）",
    ]
    drilled = client.get(reverse("news:send"), {"to": tree.branch.pk})
    assert drilled.context["form"].initial["recipients"] == [branch_sec.pk]
    assert "发给“世邦魏理仕物业昆明分公司党支部”的书记。" in html(drilled)
    page = html(client.get(reverse("news:send")))
    assert f'hx-get="{reverse("news:send-recipients")}"' in page


def test_send_creates_the_notice_and_a_resubmit_does_not_duplicate(client, tree, street_sec, branch_sec):
    client.force_login(street_sec)
    data = form_data(tree, [branch_sec])
    response = client.post(reverse("news:send"), data)
    notice = Notice.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("news:sent-detail", args=[notice.pk]),
    )
    assert (notice.sender, notice.organization, notice.requires_confirmation, notice.category) == (
        street_sec,
        tree.street,
        True,
        "reminder",
    )
    assert list(notice.receipts.values_list("recipient_id", flat=True)) == [branch_sec.pk]
    again = client.post(reverse("news:send"), data)
    assert again["Location"] == reverse("news:sent-detail", args=[notice.pk])
    assert Notice.objects.count() == 1


def test_send_form_errors_name_the_field(client, tree, street_sec, branch_sec, far_branch_sec):
    client.force_login(street_sec)
    url = reverse("news:send")
    form = client.post(url, form_data(tree, [])).context["form"]
    assert form.errors == {"recipients": ["请至少选择一位接收人。"]}
    form = client.post(url, form_data(tree, [far_branch_sec])).context["form"]
    assert form.errors == {"recipients": ["所选接收人不在该发送单位的下级组织中，请重新选择。"]}
    form = client.post(url, form_data(tree, [branch_sec], title="", link="https://evil.example")).context[
        "form"
    ]
    assert form.errors["title"] == ["请填写标题。"]
    form = client.post(url, form_data(tree, [branch_sec], link="https://evil.example")).context["form"]
    assert form.errors == {"link": ["相关页面必须是本系统内以“/”开头的路径，例如 /activities/。"]}
    assert Notice.objects.count() == 0


def test_send_from_a_node_outside_scope_is_404(client, tree, street_sec, far_branch_sec):
    client.force_login(street_sec)
    response = client.post(
        reverse("news:send"), form_data(tree, [far_branch_sec], organization=str(tree.far_county.pk))
    )
    assert response.status_code == 404
    assert Notice.objects.count() == 0


def test_changing_organization_refreshes_recipients(client, tree, street_sec, branch_sec, community_sec):
    client.force_login(street_sec)
    partial = client.get(
        reverse("news:send-recipients"), {"organization": tree.community.pk}, HTTP_HX_REQUEST="true"
    )
    page = html(partial)
    assert "<html" not in page
    assert f'value="{branch_sec.pk}"' in page and "checked" in page
    assert f'value="{community_sec.pk}"' not in page
    data = form_data(tree, [], organization=str(tree.community.pk), refresh="1", title="草稿")
    del data["requires_confirmation"]
    form = client.post(reverse("news:send"), data).context["form"]
    assert (form.is_bound, form.initial["recipients"], form.initial["title"]) == (
        False,
        [branch_sec.pk],
        "草稿",
    )
    assert form.initial["requires_confirmation"] is False
    assert Notice.objects.count() == 0


# --- progress and reminding -------------------------------------------------------------------


def test_sent_pages_show_progress_and_who_is_missing(
    client, tree, notice, street_sec, branch_sec, community_sec
):
    confirm(user=community_sec, notice=notice)
    client.force_login(street_sec)
    listing = html(client.get(reverse("news:sent")))
    assert "1/2 已确认" in listing and 'max="2" value="1"' in listing
    page = html(client.get(reverse("news:sent-detail", args=[notice.pk])))
    assert 'id="stat-confirmed">1/2<' in page
    pending = page[page.index('id="pending"') : page.index('id="done"')]
    assert "杨志宇" in pending and "阮玉华" not in pending
    assert "再次提醒（1 人）" in page


def test_remind_button_sends_again_to_the_missing(
    client, tree, notice, street_sec, branch_sec, community_sec
):
    confirm(user=community_sec, notice=notice)
    client.force_login(street_sec)
    page = html(client.post(reverse("news:remind", args=[notice.pk]), follow=True))
    assert "已再次提醒 1 人。" in page
    assert NoticeReceipt.objects.get(notice=notice, recipient=branch_sec).delivery_count == 2
    assert NoticeReceipt.objects.get(notice=notice, recipient=community_sec).delivery_count == 1
    page = html(client.post(reverse("news:remind", args=[notice.pk]), follow=True))
    assert "刚刚已经提醒过，请 10 分钟后再试。" in page
