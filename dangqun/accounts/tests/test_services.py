from datetime import timedelta

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.utils import timezone

from dangqun.accounts import permissions
from dangqun.accounts.models import User
from dangqun.accounts.services import attempt_login, create_user, grant_role, unlock_account
from dangqun.core import request_context
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def _request(ip="10.0.0.1"):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)
    SessionMiddleware(lambda r: None).process_request(request)
    request.session.save()
    return request


def _login(login, password, ip="10.0.0.1"):
    request = _request(ip)
    token = request_context.set_current(request_context.RequestContext(ip=ip))
    try:
        return request, attempt_login(request, login=login, password=password)
    finally:
        request_context.reset(token)


def test_login_by_username_or_mobile_rotates_session_and_audits():
    user = make_user("ruanyuhua", mobile="13800138000")
    request, logged_in = _login("ruanyuhua", PASSWORD)
    assert logged_in == user
    _, again = _login("+86 138 0013 8000", PASSWORD)
    assert again == user
    entries = AuditEntry.objects.filter(action="accounts.login.succeeded")
    assert entries.count() == 2
    assert entries.first().ip == "10.0.0.1"


def test_session_key_rotated_at_login():
    make_user("yangzhiyu")
    request = _request()
    before = request.session.session_key
    token = request_context.set_current(request_context.RequestContext(ip="10.0.0.1"))
    try:
        attempt_login(request, login="yangzhiyu", password=PASSWORD)
    finally:
        request_context.reset(token)
    assert request.session.session_key != before


def test_five_failures_lock_for_thirty_minutes_even_with_right_password():
    user = make_user("lidai")
    for _attempt in range(4):
        with pytest.raises(DomainError) as exc:
            _login("lidai", "wrong-password")
        assert exc.value.code == "invalid_credentials"
    with pytest.raises(DomainError) as exc:
        _login("lidai", "wrong-password")
    assert exc.value.code == "locked"
    assert "锁定 30 分钟" in exc.value.message
    user.refresh_from_db()
    assert timedelta(minutes=29) < user.locked_until - timezone.now() <= timedelta(minutes=30)
    with pytest.raises(DomainError) as exc:
        _login("lidai", PASSWORD)
    assert exc.value.code == "locked"
    failures = AuditEntry.objects.filter(result="failure", actor_label="lidai")
    assert failures.filter(action="accounts.login.failed").count() == 5
    assert failures.filter(action="accounts.login.locked").count() == 1


def test_lock_expires_after_thirty_minutes():
    user = make_user("zhuxiaorong")
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    _, logged_in = _login("zhuxiaorong", PASSWORD)
    assert logged_in == user


@override_settings(SECURITY_IP_FAILURES_PER_WINDOW=3)
def test_ip_throttled_across_accounts():
    for name in ("a1", "a2", "a3"):
        with pytest.raises(DomainError):
            _login(name, "nope", ip="10.9.9.9")
    with pytest.raises(DomainError) as exc:
        _login("a4", "nope", ip="10.9.9.9")
    assert exc.value.code == "throttled"
    make_user("a5")
    _, ok = _login("a5", PASSWORD, ip="10.9.9.10")
    assert ok.username == "a5"


def test_unknown_user_failure_audited_without_user():
    with pytest.raises(DomainError):
        _login("nobody", "whatever1A!")
    entry = AuditEntry.objects.get(action="accounts.login.failed")
    assert entry.actor is None
    assert entry.data["reason"] == "unknown_user"


@pytest.mark.parametrize(
    "password, ok",
    [("Shuncheng9", True), ("shuncheng9!", True), ("abcdefgh1", False), ("Ab1!", False), ("ABCDEFGH!", False)],
)
def test_password_policy_three_of_four_classes(password, ok):
    if ok:
        create_user(actor=None, username=f"u{abs(hash(password))}", password=password)
    else:
        with pytest.raises(DomainError) as exc:
            create_user(actor=None, username="weak", password=password)
        assert exc.value.code == "weak_password"


def test_unlock_only_by_security_admin(tree):
    locked = make_user("locked")
    User.objects.filter(pk=locked.pk).update(locked_until=timezone.now() + timedelta(minutes=20))
    system_admin = make_user(grants=[(tree.district, "system_admin")])
    security_admin = make_user(grants=[(tree.district, "security_admin")])
    with pytest.raises(DomainError):
        unlock_account(actor=system_admin, user=locked)
    unlock_account(actor=security_admin, user=locked)
    locked.refresh_from_db()
    assert locked.locked_until is None


def test_three_admin_duties_are_separate(tree):
    system_admin = make_user(grants=[(tree.district, "system_admin")])
    security_admin = make_user(grants=[(tree.district, "security_admin")])
    auditor = make_user(grants=[(tree.district, "audit_admin")])
    assert permissions.has_perm(system_admin, "manage_orgs")
    assert not permissions.has_perm(system_admin, "view_audit")
    assert not permissions.has_perm(system_admin, "manage_grants")
    assert permissions.has_perm(security_admin, "manage_grants")
    assert not permissions.has_perm(security_admin, "view_people")
    assert permissions.has_perm(auditor, "view_audit")
    assert not permissions.has_perm(auditor, "view_people")
    assert not permissions.has_perm(auditor, "manage_orgs")


def test_grant_applies_to_subtree_only(tree):
    secretary = make_user(grants=[(tree.community, "secretary")])
    assert permissions.has_perm(secretary, "view_people", tree.group.path)
    assert not permissions.has_perm(secretary, "view_people", tree.street.path)
    assert not permissions.has_perm(secretary, "view_people", tree.other_branch.path)
    assert not permissions.has_perm(secretary, "view_pii", tree.branch.path)
    assert permissions.scope_paths(secretary, "view_people") == [tree.community.path]


def test_nested_grants_collapse(tree):
    user = make_user(grants=[(tree.street, "secretary"), (tree.branch, "secretary")])
    assert permissions.scope_paths(user, "view_people") == [tree.street.path]


def test_granting_needs_manage_grants_on_the_node(tree):
    security_admin = make_user(grants=[(tree.far_county, "security_admin")])
    target = make_user()
    with pytest.raises(DomainError):
        grant_role(actor=security_admin, user=target, organization=tree.community, role="secretary")
    grant_role(actor=security_admin, user=target, organization=tree.far_branch, role="secretary")
    assert AuditEntry.objects.filter(action="accounts.grant.created", actor=security_admin).count() == 1


def test_purge_audit_keeps_at_least_180_days():
    from django.core.management import CommandError, call_command

    old = AuditEntry.objects.create(occurred_at=timezone.now() - timedelta(days=400), action="x.old")
    recent = AuditEntry.objects.create(occurred_at=timezone.now() - timedelta(days=179), action="x.recent")
    with pytest.raises(CommandError):
        call_command("purge_audit", days=90)
    call_command("purge_audit", days=180)
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert AuditEntry.objects.filter(action="core.audit.purged").count() == 1
