"""Login, logout, idle timeout, password change, unlocking, and the audit-log search."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dangqun.accounts.models import User
from dangqun.core import audit
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the per-IP failure counter lives in the cache


def html(response) -> str:
    return response.content.decode()


def post_login(client, login, password, **extra):
    return client.post(reverse("accounts:login"), {"login": login, "password": password, **extra})


# --- login / logout ---------------------------------------------------------------------------


def test_login_page_renders_with_csp(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "登录党群通" in html(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_login_succeeds_rotates_session_key_and_audits(client, tree):
    make_user("liuhui", grants=[(tree.community, "secretary")])
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key

    response = post_login(client, "liuhui", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("workbench")
    assert client.session.session_key != before
    assert AuditEntry.objects.filter(action="accounts.login.succeeded", actor_label="liuhui").count() == 1


def test_login_by_mobile_number(client, tree):
    make_user("wang", mobile="13987654321")
    response = post_login(client, "+86 139 8765 4321", PASSWORD)
    assert response.status_code == 302


def test_login_follows_safe_next_only(client, db):
    make_user("liuhui")
    response = post_login(client, "liuhui", PASSWORD, next="/people/")
    assert response["Location"] == "/people/"
    client.logout()
    response = post_login(client, "liuhui", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("workbench")


def test_wrong_password_shows_message(client, db):
    make_user("liuhui")
    response = post_login(client, "liuhui", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误。" in html(response)
    assert "_auth_user_id" not in client.session


def test_lockout_message_after_five_failures(client, db):
    make_user("liuhui")
    for _ in range(4):
        assert "用户名或密码错误。" in html(post_login(client, "liuhui", "wrong"))
    fifth = post_login(client, "liuhui", "wrong")
    assert "连续 5 次登录失败，账号已锁定 30 分钟。" in html(fifth)

    # Even the right password is refused now, with the locked message.
    response = post_login(client, "liuhui", PASSWORD)
    assert response.status_code == 200
    assert "账号因连续登录失败已被锁定" in html(response)
    assert "_auth_user_id" not in client.session


def test_must_change_password_goes_to_password_page(client, db):
    make_user("newbie", must_change_password=True)
    response = post_login(client, "newbie", PASSWORD)
    assert response["Location"] == reverse("accounts:password-change")


def test_logout_only_by_post(client, db):
    user = make_user()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.logout", actor=user).exists()


def test_idle_timeout_logs_out_with_message(client, tree):
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    assert client.get(reverse("people:list")).status_code == 200
    session = client.session
    session["dq_last_seen"] = time.time() - 31 * 60
    session.save()

    response = client.get(reverse("people:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    page = html(client.get(response["Location"]))
    assert "您已 30 分钟无操作，为保护信息安全已自动退出，请重新登录。" in page


# --- password change --------------------------------------------------------------------------


def test_password_change_requires_login(client):
    response = client.get(reverse("accounts:password-change"))
    assert response["Location"].startswith(LOGIN)


def test_password_change_errors_next_to_fields(client, db):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "nope", "new_password1": "abc", "new_password2": "abd"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["old_password"] == ["原密码不正确。"]
    assert form.errors["new_password2"] == ["两次输入的新密码不一致。"]
    assert "原密码不正确。" in html(response)


def test_password_change_weak_password_refused(client, db):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert (
        "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"
        in response.context["form"].errors["new_password1"]
    )


def test_password_change_succeeds_keeps_session_and_audits(client, db):
    user = make_user(must_change_password=True)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "Yunnan#2026go", "new_password2": "Yunnan#2026go"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Yunnan#2026go")
    assert user.must_change_password is False
    assert user.password_changed_at is not None
    assert AuditEntry.objects.filter(action="accounts.password.changed", actor=user).count() == 1
    assert client.get(reverse("accounts:password-change")).status_code == 200


# --- locked accounts --------------------------------------------------------------------------


def lock(user: User) -> None:
    User.objects.filter(pk=user.pk).update(
        locked_until=timezone.now() + timedelta(minutes=20), failed_login_count=0
    )


def test_locked_page_authorization(client, tree):
    url = reverse("accounts:locked")
    assert client.get(url)["Location"].startswith(LOGIN)
    client.force_login(make_user(grants=[(tree.branch, "member")]))
    assert client.get(url).status_code == 403
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    assert client.get(url).status_code == 403


def test_security_admin_sees_and_unlocks_locked_users_in_scope(client, tree):
    near = make_user("near", grants=[(tree.branch, "secretary")])
    far = make_user("far", grants=[(tree.far_branch, "secretary")])
    lock(near)
    lock(far)
    admin = make_user(grants=[(tree.street, "security_admin")])
    client.force_login(admin)

    response = client.get(reverse("accounts:locked"))
    assert [u.username for u in response.context["users"]] == ["near"]
    assert "far" not in [u.username for u in response.context["users"]]

    response = client.post(reverse("accounts:unlock", args=[near.pk]))
    assert response.status_code == 302
    near.refresh_from_db()
    assert near.locked_until is None
    assert AuditEntry.objects.filter(action="accounts.user.unlocked", object_id=str(near.pk)).count() == 1

    # Outside the admin's subtree: 404, and still locked.
    assert client.post(reverse("accounts:unlock", args=[far.pk])).status_code == 404
    far.refresh_from_db()
    assert far.locked_until is not None


def test_unlock_is_post_only(client, tree):
    user = make_user(grants=[(tree.branch, "secretary")])
    lock(user)
    client.force_login(make_user(grants=[(tree.district, "security_admin")]))
    assert client.get(reverse("accounts:unlock", args=[user.pk])).status_code == 405


def test_root_security_admin_sees_users_without_grants(client, tree):
    loner = make_user("loner")
    lock(loner)
    client.force_login(make_user(grants=[(tree.district, "security_admin")]))
    assert [u.username for u in client.get(reverse("accounts:locked")).context["users"]] == ["loner"]
    client.force_login(make_user(grants=[(tree.street, "security_admin")]))
    assert list(client.get(reverse("accounts:locked")).context["users"]) == []


# --- audit log --------------------------------------------------------------------------------


def entry(action, org_path="", *, label="someone", result="success", when=None, object_type=""):
    created = audit.record(action, org_path=org_path, actor_label=label, result=result)
    AuditEntry.objects.filter(pk=created.pk).update(
        occurred_at=when or created.occurred_at, object_type=object_type, object_id="7" if object_type else ""
    )
    return created


def auditor(tree_node):
    """An audit admin, created before the entries under test (granting writes entries too)."""
    user = make_user(grants=[(tree_node, "audit_admin")])
    AuditEntry.objects.all().delete()
    return user


def test_audit_log_authorization(client, tree):
    url = reverse("audit:log")
    assert client.get(url)["Location"].startswith(LOGIN)
    client.force_login(make_user(grants=[(tree.branch, "member")]))
    assert client.get(url).status_code == 403
    client.force_login(make_user(grants=[(tree.community, "secretary")]))
    assert client.get(url).status_code == 403


def test_audit_log_scoped_to_subtree_and_root_sees_logins(client, tree):
    community_auditor = auditor(tree.community)
    root_auditor = auditor(tree.district)
    entry("people.person.created", tree.branch.path, label="near")
    entry("people.person.created", tree.far_branch.path, label="far")
    entry("accounts.login.failed", "", label="nobody", result="failure")

    client.force_login(community_auditor)
    labels = [e.actor_label for e in client.get(reverse("audit:log")).context["entries"]]
    assert labels == ["near"]

    client.force_login(root_auditor)
    labels = [e.actor_label for e in client.get(reverse("audit:log")).context["entries"]]
    assert labels == ["nobody", "near"]


def test_audit_log_filters(client, tree):
    client.force_login(auditor(tree.district))
    now = timezone.now()
    entry("people.pii.viewed", tree.branch.path, label="secretary-liu", object_type="people.person", when=now)
    entry("people.person.created", tree.branch.path, label="clerk-wang", when=now - timedelta(days=3))
    entry("accounts.login.failed", tree.branch.path, label="clerk-wang", result="failure")
    url = reverse("audit:log")

    def labels(**params):
        return [(e.actor_label, e.action) for e in client.get(url, params).context["entries"]]

    assert labels(action="people.") == [
        ("secretary-liu", "people.pii.viewed"),
        ("clerk-wang", "people.person.created"),
    ]
    assert labels(actor="LIU") == [("secretary-liu", "people.pii.viewed")]
    assert labels(result="failure") == [("clerk-wang", "accounts.login.failed")]
    day = timezone.localdate(now - timedelta(days=3)).isoformat()
    assert labels(date_from=day, date_to=day) == [("clerk-wang", "people.person.created")]
    assert labels(object_type="people.person") == [("secretary-liu", "people.pii.viewed")]
    response = client.get(url, {"date_from": "2026-02-02", "date_to": "2026-01-01"})
    assert "截止日期不能早于起始日期。" in html(response)


def test_audit_log_keyset_pages_newest_first(client, tree):
    client.force_login(auditor(tree.district))
    base = timezone.now() - timedelta(hours=1)
    for i in range(55):
        # Pairs share a timestamp: the id breaks the tie.
        entry(
            "orgs.organization.renamed",
            tree.branch.path,
            label=f"u{i:02d}",
            when=base + timedelta(seconds=i // 2),
        )

    first = client.get(reverse("audit:log"), {"action": "orgs."})
    page1 = [e.actor_label for e in first.context["entries"]]
    assert len(page1) == 50
    assert page1[0] == "u54"
    cursor = first.context["next_cursor"]
    assert cursor and f"after={cursor}" in html(first)

    second = client.get(reverse("audit:log"), {"action": "orgs.", "after": cursor})
    page2 = [e.actor_label for e in second.context["entries"]]
    assert page2 == ["u04", "u03", "u02", "u01", "u00"]
    assert second.context["next_cursor"] == ""
    assert not set(page1) & set(page2)


def test_audit_log_bad_cursor_restarts(client, tree):
    entry("orgs.organization.renamed", tree.branch.path)
    client.force_login(make_user(grants=[(tree.district, "audit_admin")]))
    response = client.get(reverse("audit:log"), {"after": "garbage!!"})
    assert response.status_code == 200
    assert len(response.context["entries"]) >= 1
