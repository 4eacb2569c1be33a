"""Roles and what each may do, as data. A grant on a node applies to its whole subtree."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    ORG_ADMIN = "org_admin", _("组织管理员")
    SECRETARY = "secretary", _("书记")
    COMMITTEE = "committee", _("委员")
    CENTER_STAFF = "center_staff", _("中心工作人员")
    MEMBER = "member", _("党员")
    MASSES = "masses", _("群众")


class Perm(models.TextChoices):
    VIEW_PEOPLE = "view_people", _("查看人员")
    EDIT_PEOPLE = "edit_people", _("编辑人员")
    IMPORT_PEOPLE = "import_people", _("导入花名册")
    EXPORT_PEOPLE = "export_people", _("导出花名册")
    VIEW_PII = "view_pii", _("查看完整身份证号与手机号")
    VIEW_ORGS = "view_orgs", _("查看组织")
    MANAGE_ORGS = "manage_orgs", _("管理组织")
    MANAGE_ACCOUNTS = "manage_accounts", _("管理账号")
    MANAGE_GRANTS = "manage_grants", _("授权与安全策略")
    VIEW_AUDIT = "view_audit", _("查看审计日志")
    MANAGE_ACTIVITIES = "manage_activities", _("管理活动与会议")
    REVIEW_RECORDS = "review_records", _("审核下级组织生活记录")
    SEND_NOTICES = "send_notices", _("发送通知")
    MANAGE_CENTERS = "manage_centers", _("管理服务中心与场地")
    HANDLE_REQUESTS = "handle_requests", _("办理服务请求")
    MODERATE_WISHES = "moderate_wishes", _("审核与管理心愿")
    REVIEW_FILINGS = "review_filings", _("审核领导干部组织生活报备")


# 三员分立: the system admin runs accounts and structure, the security admin grants and unlocks,
# the audit admin only reads the audit log. None of the three reads personal data by default.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset({Perm.VIEW_ORGS, Perm.MANAGE_ORGS, Perm.MANAGE_ACCOUNTS}),
    Role.SECURITY_ADMIN: frozenset({Perm.VIEW_ORGS, Perm.MANAGE_GRANTS}),
    Role.AUDIT_ADMIN: frozenset({Perm.VIEW_AUDIT}),
    Role.ORG_ADMIN: frozenset(
        {
            Perm.VIEW_ORGS,
            Perm.MANAGE_ORGS,
            Perm.VIEW_PEOPLE,
            Perm.EDIT_PEOPLE,
            Perm.IMPORT_PEOPLE,
            Perm.EXPORT_PEOPLE,
            Perm.VIEW_PII,
            Perm.MANAGE_ACTIVITIES,
            Perm.REVIEW_RECORDS,
            Perm.SEND_NOTICES,
            Perm.MANAGE_CENTERS,
            Perm.HANDLE_REQUESTS,
            Perm.MODERATE_WISHES,
            Perm.REVIEW_FILINGS,
        }
    ),
    Role.SECRETARY: frozenset(
        {
            Perm.VIEW_ORGS,
            Perm.VIEW_PEOPLE,
            Perm.EDIT_PEOPLE,
            Perm.IMPORT_PEOPLE,
            Perm.EXPORT_PEOPLE,
            Perm.MANAGE_ACTIVITIES,
            Perm.REVIEW_RECORDS,
            Perm.SEND_NOTICES,
            Perm.MANAGE_CENTERS,
            Perm.HANDLE_REQUESTS,
            Perm.MODERATE_WISHES,
            Perm.REVIEW_FILINGS,
        }
    ),
    Role.COMMITTEE: frozenset({Perm.VIEW_ORGS, Perm.VIEW_PEOPLE, Perm.MANAGE_ACTIVITIES, Perm.SEND_NOTICES}),
    Role.CENTER_STAFF: frozenset(
        {Perm.VIEW_ORGS, Perm.MANAGE_ACTIVITIES, Perm.MANAGE_CENTERS, Perm.HANDLE_REQUESTS, Perm.MODERATE_WISHES}
    ),
    Role.MEMBER: frozenset(),
    Role.MASSES: frozenset(),
}

STAFF_ROLES = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDIT_ADMIN,
        Role.ORG_ADMIN,
        Role.SECRETARY,
        Role.COMMITTEE,
        Role.CENTER_STAFF,
    }
)
