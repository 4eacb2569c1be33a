"""Demo logins: one per kind of user, each linked to its Person where there is one."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from dangqun.accounts.enums import Role
from dangqun.accounts.models import RoleGrant, User
from dangqun.accounts.services import create_user, grant_role
from dangqun.demo.tree import ROOT_KEYS
from dangqun.orgs.models import Organization
from dangqun.people.models import Person
from dangqun.people.services import link_user


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    org_keys: tuple[str, ...]
    person_key: str  # PersonSpec.key of the linked person, "" for none
    hint: str


ROOTS = tuple(ROOT_KEYS)

LOGINS: list[Login] = [
    Login("admin", Role.SYSTEM_ADMIN, ROOTS, "", "组织树：五个州市委及其下级组织的新建、改名、移动、撤销；账号管理"),
    Login("security", Role.SECURITY_ADMIN, ROOTS, "", "授权与安全：给某个账号授权、撤销授权、解锁被锁定的账号"),
    Login("auditor", Role.AUDIT_ADMIN, ROOTS, "", "审计日志：演示数据写入的每一条记录都在；看不到人员信息"),
    Login("zhuxiaorong", Role.SECRETARY, ("daguan",), "zhuxiaorong",
          "大观街道全貌：顺城社区各支部的党员、群众统计，招银大厦 37 家企业的党组织覆盖"),
    Login("lidai", Role.COMMITTEE, ("daguan",), "lidai", "只读查看大观街道的人员：身份证号、手机号均打码"),
    Login("ruanyuhua", Role.SECRETARY, ("shuncheng",), "ruanyuhua",
          "人员搜索：输入 zxr 找到朱晓荣；输入 zeng 或 ceng 都能找到曾姓"),
    Login("yangzhiyu", Role.SECRETARY, ("cbre",), "yangzhiyu", "本支部党员名册（含刘慧）；招银大厦工会、团支部、妇联"),
    Login("orgadmin", Role.ORG_ADMIN, ("daguan",), "orgadmin",
          "查看完整身份证号与手机号（每次查看都记审计）；导入、导出花名册"),
    Login("centerstaff", Role.CENTER_STAFF, ("shuncheng",), "centerstaff", "“金领”党群服务中心：看组织，不能看人员"),
    Login("liuhui", Role.MEMBER, ("cbre",), "liuhui", "普通党员：登录后只有本人相关的内容，没有管理功能"),
    Login("masses1", Role.MASSES, ("shuncheng",), "masses1", "群众：登录后没有管理功能"),
    Login("xihua", Role.SECRETARY, ("xihua",), "xihua", "金源花园二期：180 户、618 人，小区党支部与老年人协会、广场舞协会"),
    Login("jinning", Role.ORG_ADMIN, ("jinning",), "jinning", "晋宁区：县处级、乡科级领导干部党员，完整身份证号可见"),
]  # fmt: skip


@dataclass
class AccountsResult:
    users: dict[str, User]
    created: int


def build_accounts(orgs: dict[str, Organization], people: dict[str, int]) -> AccountsResult:
    """Create missing users and grants (through the services) and link users to their people.

    `people` maps PersonSpec.key → person pk. An existing user is left as it is (password too).
    """
    password = settings.DEMO_PASSWORD
    users: dict[str, User] = {}
    created = 0
    persons = Person.objects.in_bulk([people[login.person_key] for login in LOGINS if login.person_key])
    for login in LOGINS:
        person = persons.get(people[login.person_key]) if login.person_key else None
        user = User.objects.filter(username=login.username).first()
        if user is None:
            taken = (
                person is not None and person.mobile and User.objects.filter(mobile=person.mobile).exists()
            )
            user = create_user(
                actor=None,
                username=login.username,
                password=password,
                display_name=person.name if person else str(Role(login.role).label),
                mobile=person.mobile if person is not None and not taken else None,
            )
            created += 1
        for key in login.org_keys:
            organization = orgs[key]
            if not RoleGrant.objects.filter(user=user, organization=organization, role=login.role).exists():
                grant_role(actor=None, user=user, organization=organization, role=login.role)
                created += 1
        if person is not None and person.user_id is None and not Person.objects.filter(user=user).exists():
            link_user(actor=None, person=person, user=user)
            created += 1
        users[login.username] = user
    return AccountsResult(users=users, created=created)


def login_rows(orgs: dict[str, Organization]) -> list[tuple[str, str, str, str, str]]:
    """(用户名, 密码, 角色, 组织, 先试试) for the command's table."""
    rows = []
    for login in LOGINS:
        if login.org_keys == ROOTS:
            where = f"全部 {len(ROOTS)} 个州市委"
        else:
            where = "、".join(orgs[key].name for key in login.org_keys)
        rows.append((login.username, settings.DEMO_PASSWORD, str(Role(login.role).label), where, login.hint))
    return rows


def feature_login_rows(hints: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
    """The logins the feature demos made (not in LOGINS), with their grants, for the same table."""
    known = {login.username for login in LOGINS}
    rows = []
    users = User.objects.exclude(username__in=known).filter(is_active=True).order_by("id")
    for user in users.prefetch_related("grants__organization"):
        grants = sorted(user.grants.all(), key=lambda g: g.pk)
        if not grants:
            continue
        role = "、".join(dict.fromkeys(str(Role(g.role).label) for g in grants))
        where = "、".join(dict.fromkeys(g.organization.name for g in grants))
        rows.append((user.username, settings.DEMO_PASSWORD, role, where, hints.get(user.username, "")))
    return rows
