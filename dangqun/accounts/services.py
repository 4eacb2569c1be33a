"""Login security (等保 2.0): lockout per account, throttling per IP, audited outcomes."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import auth
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.backends import find_user
from dangqun.accounts.enums import Role
from dangqun.accounts.models import RoleGrant, User
from dangqun.accounts.selectors import users_managed_by
from dangqun.core import audit, request_context
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry

SESSION_LOGIN_AT = "dq_login_at"
SESSION_LAST_SEEN = "dq_last_seen"


def _ip_key(ip: str | None) -> str:
    return f"dq:login-fail-ip:{ip or 'unknown'}"


def _minutes_left(until) -> int:
    return max(1, int((until - timezone.now()).total_seconds() // 60) + 1)


def attempt_login(request, *, login: str, password: str) -> User:
    """Log in or raise DomainError(locked | throttled | invalid_credentials). Every outcome is audited."""
    ip = request_context.current().ip
    ip_failures = cache.get(_ip_key(ip), 0)
    if ip_failures >= settings.SECURITY_IP_FAILURES_PER_WINDOW:
        audit.record(
            "accounts.login.throttled",
            result=AuditEntry.Result.FAILURE,
            actor_label=login[:150],
            data={"login": login[:150], "ip_failures": ip_failures},
        )
        raise DomainError(
            "throttled",
            _("此网络地址登录失败次数过多，请 %(m)d 分钟后再试。")
            % {"m": settings.SECURITY_IP_WINDOW_MINUTES},
            status=429,
        )

    user = find_user(login)
    if user is not None and user.locked_until and user.locked_until > timezone.now():
        audit.record(
            "accounts.login.locked",
            result=AuditEntry.Result.FAILURE,
            actor_label=user.username,
            obj=user,
            data={"login": login[:150]},
        )
        raise DomainError(
            "locked",
            _("账号因连续登录失败已被锁定，请 %(m)d 分钟后再试，或联系安全管理员解锁。")
            % {"m": _minutes_left(user.locked_until)},
            status=403,
        )

    if user is not None and not user.is_active:
        audit.record(
            "accounts.login.inactive",
            result=AuditEntry.Result.FAILURE,
            actor_label=user.username,
            obj=user,
            data={"login": login[:150]},
        )
        raise DomainError("invalid_credentials", _("用户名或密码错误。"), status=400)

    authenticated = auth.authenticate(request, username=login, password=password)
    if authenticated is None:
        _register_failure(ip, login, user)
        if user is not None:
            user.refresh_from_db(fields=["locked_until"])
            if user.locked_until and user.locked_until > timezone.now():
                raise DomainError(
                    "locked",
                    _("连续 %(n)d 次登录失败，账号已锁定 %(m)d 分钟。")
                    % {"n": settings.SECURITY_LOCKOUT_FAILURES, "m": settings.SECURITY_LOCKOUT_MINUTES},
                    status=403,
                )
        raise DomainError("invalid_credentials", _("用户名或密码错误。"), status=400)

    with transaction.atomic():
        User.objects.filter(pk=authenticated.pk).update(failed_login_count=0, locked_until=None)
        auth.login(request, authenticated)  # rotates the session key
        now = time.time()
        request.session[SESSION_LOGIN_AT] = now
        request.session[SESSION_LAST_SEEN] = now
        audit.record("accounts.login.succeeded", actor=authenticated, obj=authenticated)
    return authenticated


def _register_failure(ip: str | None, login: str, user: User | None) -> None:
    key = _ip_key(ip)
    cache.add(key, 0, timeout=settings.SECURITY_IP_WINDOW_MINUTES * 60)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.SECURITY_IP_WINDOW_MINUTES * 60)
    with transaction.atomic():
        data: dict = {"login": login[:150], "reason": "unknown_user" if user is None else "bad_password"}
        if user is not None:
            locked = User.objects.select_for_update().get(pk=user.pk)
            locked.failed_login_count += 1
            if locked.failed_login_count >= settings.SECURITY_LOCKOUT_FAILURES:
                locked.locked_until = timezone.now() + timedelta(minutes=settings.SECURITY_LOCKOUT_MINUTES)
                locked.failed_login_count = 0
                data["locked_until"] = locked.locked_until.isoformat()
            else:
                data["failures"] = locked.failed_login_count
            locked.save(update_fields=["failed_login_count", "locked_until"])
        audit.record(
            "accounts.login.failed",
            result=AuditEntry.Result.FAILURE,
            actor_label=(user.username if user else login)[:150],
            obj=user,
            data=data,
        )


@transaction.atomic
def unlock_account(*, actor: User, user: User) -> None:
    if not users_managed_by(actor).filter(pk=user.pk).exists():
        raise DomainError("permission_denied", _("只有该账号所在组织的安全管理员可以解锁。"), status=403)
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    audit.record("accounts.user.unlocked", actor=actor, obj=user)


@transaction.atomic
def grant_role(*, actor: User | None, user: User, organization, role: str) -> RoleGrant:
    """Give `user` `role` on `organization`'s subtree. `actor` None only for seeding and migrations."""
    if role not in Role.values:
        raise DomainError("invalid_role", _("未知角色：%(r)s") % {"r": role}, field="role")
    if actor is not None and not permissions.has_perm(actor, "manage_grants", organization.path):
        raise DomainError("permission_denied", _("您无权在该组织授权。"), status=403)
    grant, created = RoleGrant.objects.get_or_create(
        user=user, organization=organization, role=role, defaults={"granted_by": actor}
    )
    if created:
        audit.record(
            "accounts.grant.created",
            actor=actor,
            obj=grant,
            org_path=organization.path,
            data={"user": user.username, "role": role, "organization": organization.name},
        )
    permissions.forget(user)
    return grant


@transaction.atomic
def revoke_role(*, actor: User, grant: RoleGrant) -> None:
    if not permissions.has_perm(actor, "manage_grants", grant.organization.path):
        raise DomainError("permission_denied", _("您无权在该组织授权。"), status=403)
    audit.record(
        "accounts.grant.revoked",
        actor=actor,
        obj=grant,
        org_path=grant.organization.path,
        data={"user": grant.user.username, "role": grant.role},
    )
    grant.delete()


@transaction.atomic
def create_user(
    *, actor: User | None, username: str, password: str, display_name: str = "", mobile: str | None = None
) -> User:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if User.objects.filter(username=username).exists():
        raise DomainError("username_taken", _("用户名已被使用。"), field="username")
    user = User(username=username, display_name=display_name, mobile=mobile or None)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.password_changed_at = timezone.now()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise DomainError("username_taken", _("用户名或手机号已被使用。"), field="username") from exc
    audit.record("accounts.user.created", actor=actor, obj=user, data={"username": username})
    return user
