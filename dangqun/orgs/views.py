"""Organization pages: tree browser, detail, and the four structural changes. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.decorators import require_perm_on, staff_view
from dangqun.accounts.enums import Perm
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import form_error_from
from dangqun.orgs import selectors, services
from dangqun.orgs.forms import CreateChildForm, MoveForm, RenameForm


def _manageable(request, pk):
    """The node if visible (else 404) and manageable by the viewer (else 403)."""
    organization = selectors.get_organization_for(request.user, pk)
    require_perm_on(request.user, Perm.MANAGE_ORGS, organization.path)
    return organization


def _breadcrumb(user, organization) -> list:
    """Ancestors of the node, but only those inside the viewer's own scope."""
    paths = organization.ancestor_paths()[:-1]
    return list(selectors.organizations_visible_to(user).filter(path__in=paths))


def _page(request, template: str, organization, context: dict | None = None, status: int = 200):
    context = {
        "organization": organization,
        "breadcrumb": _breadcrumb(request.user, organization),
        **(context or {}),
    }
    return render(request, template, context, status=status)


@staff_view(Perm.VIEW_ORGS)
def tree(request):
    roots = list(selectors.scope_roots(request.user))
    return render(request, "orgs/tree.html", {"roots": roots})


@staff_view(Perm.VIEW_ORGS)
def children(request, pk: int):
    organization = selectors.get_organization_for(request.user, pk)
    nodes = list(selectors.children_of(organization))
    return render(request, "orgs/partials/children.html", {"nodes": nodes, "parent": organization})


@staff_view(Perm.VIEW_ORGS)
def detail(request, pk: int):
    user = request.user
    organization = selectors.get_organization_for(user, pk)
    rollup = organization.rollup
    context = {
        "rollup": rollup,
        "children": list(selectors.children_of(organization)),
        # The people registered here are loaded from the people app (people:org-people):
        # orgs sits below people in the import order.
        "direct_people_total": rollup.members_direct + rollup.masses_direct,
        "can_view_people": permissions.has_perm(user, Perm.VIEW_PEOPLE, organization.path),
        "can_edit_people": permissions.has_perm(user, Perm.EDIT_PEOPLE, organization.path),
        "can_manage": permissions.has_perm(user, Perm.MANAGE_ORGS, organization.path),
    }
    return _page(request, "orgs/detail.html", organization, context)


@staff_view(Perm.MANAGE_ORGS)
def create_child(request, pk: int):
    parent = _manageable(request, pk)
    form = CreateChildForm(parent, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.create_organization(
                actor=request.user,
                parent=parent,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                **form.extra_fields(),
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("已创建“%(n)s”。") % {"n": child.name})
            return redirect("orgs:detail", pk=child.pk)
    return _page(request, "orgs/create_child.html", parent, {"form": form})


@staff_view(Perm.MANAGE_ORGS)
def rename(request, pk: int):
    organization = _manageable(request, pk)
    form = RenameForm(request.POST or None, initial={"name": organization.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_organization(
                actor=request.user, organization=organization, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("名称已修改。"))
            return redirect("orgs:detail", pk=organization.pk)
    return _page(request, "orgs/rename.html", organization, {"form": form})


@staff_view(Perm.MANAGE_ORGS)
def move(request, pk: int):
    organization = _manageable(request, pk)
    form = MoveForm(organization, request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_organization(
                actor=request.user, organization=organization, new_parent=form.cleaned_data["new_parent"]
            )
        except DomainError as exc:
            form.add_error("new_parent" if exc.field == "parent" else None, exc.message)
        else:
            messages.success(request, _("已移至“%(n)s”之下。") % {"n": form.cleaned_data["new_parent"].name})
            return redirect("orgs:detail", pk=organization.pk)
    return _page(request, "orgs/move.html", organization, {"form": form})


@staff_view(Perm.MANAGE_ORGS)
def dissolve(request, pk: int):
    organization = _manageable(request, pk)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            services.dissolve_organization(actor=request.user, organization=organization)
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("“%(n)s”已撤销。") % {"n": organization.name})
            parent_path = organization.path[: -organization.steplen]
            parent = selectors.organizations_visible_to(request.user).filter(path=parent_path).first()
            return redirect("orgs:detail", pk=parent.pk) if parent else redirect("orgs:tree")
    return _page(request, "orgs/dissolve.html", organization, {"error": error}, status=status)
