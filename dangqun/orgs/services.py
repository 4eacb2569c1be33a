"""Writes on the organization tree. Each checks the kind rules (data), writes rollups and audit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core import audit
from dangqun.core.errors import DomainError
from dangqun.orgs import rollups
from dangqun.orgs.models import ROLLUP_FIELDS, Organization, OrganizationKind, OrgRollup
from dangqun.orgs.signals import subtree_moved


def _require_manage(actor, path: str | None) -> None:
    if actor is None:  # seeding and management commands
        return
    if path is None:
        allowed = permissions.has_perm(actor, Perm.MANAGE_ORGS) and any(
            len(p) == Organization.steplen for p in permissions.scope_paths(actor, Perm.MANAGE_ORGS)
        )
    else:
        allowed = permissions.has_perm(actor, Perm.MANAGE_ORGS, path)
    if not allowed:
        raise DomainError("permission_denied", _("您无权管理该组织。"), status=403)


def _check_kind_allowed(kind: OrganizationKind, parent: Organization | None) -> None:
    if parent is None:
        if not kind.allowed_at_root:
            raise DomainError(
                "kind_not_allowed", _("“%(k)s”不能作为顶层组织。") % {"k": kind.name}, field="kind"
            )
        return
    if not kind.allowed_parents.filter(pk=parent.kind_id).exists():
        allowed = "、".join(kind.allowed_parents.values_list("name", flat=True)) or _("无")
        raise DomainError(
            "kind_not_allowed",
            _("“%(k)s”不能设在“%(p)s”之下；只能隶属于：%(a)s。")
            % {"k": kind.name, "p": parent.kind.name, "a": allowed},
            field="parent",
        )
    if parent.dissolved_at is not None:
        raise DomainError("parent_dissolved", _("上级组织已撤销。"), field="parent")


def _children(parent: Organization | None):
    """By path and depth, not treebeard's numchild, which is stale on instances held by callers."""
    if parent is None:
        return Organization.objects.filter(depth=1)
    return Organization.objects.filter(path__under=parent.path, depth=parent.depth + 1)


def _sibling_named(parent: Organization | None, name: str):
    return _children(parent).filter(name=name, dissolved_at__isnull=True)


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", _("请填写组织名称。"), field="name")
    if len(name) > 100:
        raise DomainError("name_too_long", _("组织名称不能超过 100 个字。"), field="name")
    return name


@transaction.atomic
def create_organization(
    *, actor, parent: Organization | None, name: str, kind: OrganizationKind | str, **fields
) -> Organization:
    if isinstance(kind, str):
        kind = OrganizationKind.objects.get(pk=kind)
    name = _clean_name(name)
    _require_manage(actor, parent.path if parent else None)
    _check_kind_allowed(kind, parent)
    if _sibling_named(parent, name).exists():
        raise DomainError("name_taken", _("同一上级下已有名为“%(n)s”的组织。") % {"n": name}, field="name")
    if parent is None:
        node = Organization.objects.add_root(create_kwargs={"name": name, "kind": kind, **fields})
    else:
        parent = Organization.objects.get(pk=parent.pk)  # fresh numchild/path for treebeard
        node = Organization.objects.add_child(parent, create_kwargs={"name": name, "kind": kind, **fields})
    OrgRollup.objects.create(organization=node)
    if parent is not None:
        rollups.apply_delta(parent.path, suborgs_total=1)
    audit.record("orgs.organization.created", actor=actor, obj=node, data={"name": name, "kind": kind.code})
    return node


@transaction.atomic
def rename_organization(*, actor, organization: Organization, name: str) -> Organization:
    name = _clean_name(name)
    _require_manage(actor, organization.path)
    old = organization.name
    if old == name:
        return organization
    parent_path = organization.path[: -Organization.steplen]
    parent = Organization.objects.filter(path=parent_path).first() if parent_path else None
    if _sibling_named(parent, name).exclude(pk=organization.pk).exists():
        raise DomainError("name_taken", _("同一上级下已有名为“%(n)s”的组织。") % {"n": name}, field="name")
    organization.name = name
    organization.save(update_fields=["name", "updated_at"])
    audit.record("orgs.organization.renamed", actor=actor, obj=organization, data={"name": [old, name]})
    return organization


@transaction.atomic
def move_organization(*, actor, organization: Organization, new_parent: Organization) -> Organization:
    """Move a whole subtree under `new_parent`; people, grants and counts follow."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    _require_manage(actor, organization.path)
    _require_manage(actor, new_parent.path)
    if new_parent.path.startswith(organization.path):
        raise DomainError("move_into_self", _("不能把组织移到它自己或其下级组织之下。"), field="parent")
    _check_kind_allowed(organization.kind, new_parent)
    old_path = organization.path
    old_parent_path = old_path[: -Organization.steplen]
    if old_parent_path == new_parent.path:
        return organization

    counts = OrgRollup.objects.filter(organization=organization).values(*ROLLUP_FIELDS).get()
    subtree_size = counts["suborgs_total"] + 1
    moving = {name: counts[name] for name in rollups.TOTAL_FIELDS if name != "suborgs_total"}
    rollups.apply_delta(
        old_path,
        include_self=False,
        suborgs_total=-subtree_size,
        **{k: -v for k, v in moving.items()},
    )
    Organization.objects.move(organization, new_parent, pos="last-child")
    organization.refresh_from_db()
    rollups.apply_delta(organization.path, include_self=False, suborgs_total=subtree_size, **moving)
    subtree_moved.send(sender=Organization, old_path=old_path, new_path=organization.path)
    audit.record(
        "orgs.organization.moved",
        actor=actor,
        obj=organization,
        data={"path": [old_path, organization.path], "parent": new_parent.name},
    )
    return organization


@transaction.atomic
def dissolve_organization(*, actor, organization: Organization) -> Organization:
    """Dissolve (撤销) a node: refused while people or active sub-organizations remain."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _require_manage(actor, organization.path)
    if organization.dissolved_at is not None:
        raise DomainError("already_dissolved", _("该组织已撤销。"))
    active_children = _children(organization).filter(dissolved_at__isnull=True).count()
    if active_children:
        raise DomainError(
            "has_children",
            _("“%(n)s”下还有 %(c)d 个下级组织，请先撤销或转移。")
            % {"n": organization.name, "c": active_children},
        )
    rollup = OrgRollup.objects.get(organization=organization)
    people = rollup.members_direct + rollup.masses_direct
    if people:
        raise DomainError(
            "has_people",
            _("“%(n)s”还有 %(m)d 名党员、%(p)d 名群众，请先转出后再撤销。")
            % {"n": organization.name, "m": rollup.members_direct, "p": rollup.masses_direct},
        )
    organization.dissolved_at = timezone.now()
    organization.save(update_fields=["dissolved_at", "updated_at"])
    rollups.apply_delta(organization.path, include_self=False, suborgs_total=-1)
    audit.record("orgs.organization.dissolved", actor=actor, obj=organization)
    return organization
