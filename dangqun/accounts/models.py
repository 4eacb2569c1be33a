"""Accounts: the user, login-security state, and role grants on organization nodes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.accounts.enums import Role


class User(AbstractUser):
    """A login. Log in by username or by mobile number; a Person may link to it (people app)."""

    mobile = models.CharField(_("手机号"), max_length=11, null=True, blank=True, unique=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("首次登录须改密码"), default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleGrant(models.Model):
    """`user` holds `role` on `organization` and its whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="rolegrant_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="rolegrant_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} @ {self.organization}"


class Device(models.Model):
    """A scanner, kiosk or big screen that calls the API with its own token (never a person's login).

    Only a hash of the token is stored; the token is shown once, when the device is registered.
    """

    class Kind(models.TextChoices):
        SCANNER = "scanner", _("签到扫码设备")
        KIOSK = "kiosk", _("办事通大屏")
        SCREEN = "screen", _("数据大屏")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="devices")
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = _("设备")

    def __str__(self) -> str:
        return self.name
