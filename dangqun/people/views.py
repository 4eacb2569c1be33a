"""People pages: the searchable list, detail, and the register / edit forms. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangqun.accounts import permissions
from dangqun.accounts.decorators import require_perm_on, staff_view
from dangqun.accounts.enums import Perm
from dangqun.core.errors import DomainError
from dangqun.core.viewutils import decode_cursor, encode_cursor, form_error_from, query_without
from dangqun.orgs.selectors import get_organization_for
from dangqun.people import selectors
from dangqun.people.forms import PeopleFilterForm, PersonForm, after_row, initial_for
from dangqun.people.services import PersonInvalid, register_person, update_person

PAGE_SIZE = 20
ORG_PEOPLE_SHOWN = 20


def _rows(user, people) -> list[dict]:
    """What a list row shows: ID and mobile through the PII policy."""
    policy = selectors.PiiPolicy.for_user(user)
    return [
        {
            "person": p,
            "profile": getattr(p, "party_profile", None),
            "mobile": policy.mobile(p),
            "id_number": policy.id_number(p),
        }
        for p in people
    ]


@staff_view(Perm.VIEW_PEOPLE)
def person_list(request):
    user = request.user
    form = PeopleFilterForm(user, request.GET)
    queryset = form.apply(selectors.people_visible_to(user)).order_by("org_path", "name", "id")
    cursor = decode_cursor(request.GET.get("after"), 3)
    if cursor is not None and all(isinstance(v, t) for v, t in zip(cursor, (str, str, int), strict=True)):
        queryset = queryset.filter(after_row(*cursor))
    else:
        cursor = None
    people = list(queryset[: PAGE_SIZE + 1])
    has_more = len(people) > PAGE_SIZE
    people = people[:PAGE_SIZE]
    selectors.audit_pii_shown(user, people)
    last = people[-1] if people else None
    next_cursor = encode_cursor(last.org_path, last.name, last.pk) if has_more else ""
    context = {
        "form": form,
        "rows": _rows(user, people),
        "next_cursor": next_cursor,
        "is_first_page": cursor is None,
        "filter_query": query_without(request, "after"),
        "organization": form.organization,
    }
    template = (
        "people/partials/results.html"
        if request.htmx and request.htmx.target == "people-results"
        else "people/list.html"
    )
    return render(request, template, context)


@staff_view(Perm.VIEW_PEOPLE)
def org_people(request, pk: int):
    """The first people registered directly on a node (shown inside the organization page)."""
    organization = get_organization_for(request.user, pk, Perm.VIEW_PEOPLE)
    people = list(
        selectors.people_visible_to(request.user)
        .filter(organization=organization)
        .order_by("name", "id")[:ORG_PEOPLE_SHOWN]
    )
    context = {"organization": organization, "people": people}
    return render(request, "people/partials/org_people.html", context)


@staff_view(Perm.VIEW_PEOPLE)
def person_detail(request, pk: int):
    user = request.user
    person = selectors.get_person_for(user, pk)
    policy = selectors.PiiPolicy.for_user(user)
    selectors.audit_pii_shown(user, [person])
    context = {
        "person": person,
        "profile": getattr(person, "party_profile", None),
        "id_number": policy.id_number(person),
        "mobile": policy.mobile(person),
        "birth_date": policy.birth_date(person),
        "pii_shown": policy.allows(person.org_path),
        "can_edit": permissions.has_perm(user, Perm.EDIT_PEOPLE, person.org_path),
    }
    return render(request, "people/detail.html", context)


def _show_errors(form: PersonForm, exc: DomainError) -> None:
    if isinstance(exc, PersonInvalid):
        form.add_field_errors(exc.errors)
    else:
        form_error_from(form, exc)


def _chosen_organization(user, form: PersonForm):
    """The organization picked in the form, inside the viewer's EDIT_PEOPLE scope, else a field error."""
    try:
        return get_organization_for(user, form.organization_pk(), Perm.EDIT_PEOPLE)
    except Http404:
        form.add_error("organization", _("所选组织不存在或不在您的管辖范围内。"))
        return None


@staff_view(Perm.EDIT_PEOPLE)
def person_new(request):
    user = request.user
    preset = None
    if request.GET.get("org"):
        preset = get_organization_for(user, request.GET["org"], Perm.EDIT_PEOPLE)
    initial = {"organization": str(preset.pk)} if preset else {}
    form = PersonForm(user, request.POST or None, initial=initial, selected=preset)
    organization = None
    if request.method == "POST" and form.is_valid():
        organization = _chosen_organization(user, form)
    if organization is not None:
        try:
            person = register_person(actor=user, organization=organization, data=form.service_data())
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("已登记 %(n)s。") % {"n": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": None})


@staff_view(Perm.EDIT_PEOPLE)
def person_edit(request, pk: int):
    user = request.user
    person = selectors.get_person_for(user, pk)
    require_perm_on(user, Perm.EDIT_PEOPLE, person.org_path)
    policy = selectors.PiiPolicy.for_user(user)
    show_pii = policy.allows(person.org_path)
    masked = {} if show_pii else {"id_number": policy.id_number(person), "mobile": policy.mobile(person)}
    if not person.mobile:
        masked.pop("mobile", None)
    form = PersonForm(
        user,
        request.POST or None,
        initial=initial_for(person, show_pii=show_pii),
        selected=person.organization,
        masked=masked,
    )
    if request.method == "GET" and show_pii:
        selectors.audit_pii_shown(user, [person])
    organization = None
    if request.method == "POST" and form.is_valid():
        organization = _chosen_organization(user, form)
    if organization is not None:
        try:
            update_person(actor=user, person=person, data=form.service_data(), organization=organization)
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person})
