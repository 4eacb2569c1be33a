"""Forms for the people pages: the list filters (shared with the roster export) and the person form.

The person form does no cleaning of its own: `people.fields.clean_person_input`, called by the
services, is the one place that judges a person's data; its FieldErrors land next to each field.
"""

from __future__ import annotations

from django import forms
from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.utils.translation import gettext_lazy as _

from dangqun.accounts.enums import Perm
from dangqun.orgs.models import Organization
from dangqun.orgs.selectors import get_organization_for, organizations_visible_to
from dangqun.people import selectors
from dangqun.people.enums import CadreLevel, Category, Gender, MemberStatus
from dangqun.people.fields import MEMBER_FIELDS, PERSON_FIELDS, FieldError, clean_person_input
from dangqun.people.models import Person

ORG_OPTIONS_LIMIT = 300
SEARCH_LIMIT = 500


def _org_label(org: Organization, base_depth: int) -> str:
    return "　" * max(0, org.depth - base_depth) + org.name


def organization_choices(user, perm: str, *, selected: Organization | None = None) -> list[tuple[str, str]]:
    """(pk, indented name) for the active nodes where `user` holds `perm`, in tree order."""
    visible = organizations_visible_to(user, perm).filter(dissolved_at__isnull=True)
    orgs = list(visible.select_related(None).only("pk", "name", "path", "depth")[:ORG_OPTIONS_LIMIT])
    if selected is not None and all(o.pk != selected.pk for o in orgs):
        orgs.append(selected)
    base = min((o.depth for o in orgs), default=1)
    return [(str(o.pk), _org_label(o, base)) for o in orgs]


class PeopleFilterForm(forms.Form):
    """The list's search box and filters. `apply()` is shared with the roster export."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=40,
        help_text=_("姓名、拼音、首字母或手机尾号"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    org = forms.ChoiceField(label=_("所属组织（含下级）"), required=False)
    category = forms.ChoiceField(
        label=_("人员类别"), required=False, choices=[("", _("全部"))] + Category.choices
    )
    status = forms.ChoiceField(
        label=_("党员状态"), required=False, choices=[("", _("全部"))] + MemberStatus.choices
    )
    floating = forms.BooleanField(label=_("仅流动党员"), required=False)
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[("", _("全部"))] + Gender.choices)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.organization: Organization | None = None
        org_id = (self.data.get("org") or "").strip() if self.is_bound else ""
        if org_id:
            # Outside the viewer's scope this is a 404, like any detail fetch.
            self.organization = get_organization_for(user, org_id, Perm.VIEW_PEOPLE)
        self.fields["org"].choices = [("", _("全部组织"))] + organization_choices(
            user, Perm.VIEW_PEOPLE, selected=self.organization
        )

    def apply(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        """Narrow a `people_visible_to` queryset by the valid filters."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if self.organization is not None:
            queryset = queryset.filter(org_path__under=self.organization.path)
        query = (data.get("q") or "").strip()
        if query:
            within = self.organization.path if self.organization else None
            ids = selectors.search_person_ids(self.user, query, limit=SEARCH_LIMIT, within_path=within)
            queryset = queryset.filter(pk__in=ids)
        category = data.get("category")
        if category == Category.MEMBER:
            queryset = queryset.filter(party_profile__isnull=False)
        elif category == Category.MASSES:
            queryset = queryset.filter(party_profile__isnull=True)
        if data.get("status"):
            queryset = queryset.filter(party_profile__status=data["status"])
        if data.get("floating"):
            queryset = queryset.filter(party_profile__is_floating=True)
        if data.get("gender"):
            queryset = queryset.filter(gender=data["gender"])
        return queryset

    def is_filtered(self) -> bool:
        return any((self.data.get(name) or "").strip() for name in self.fields)


def after_row(org_path: str, name: str, pk: int) -> Q:
    """Keyset condition for rows after (org_path, name, id): the list's order, which the index
    person_scope_name walks directly — people grouped by organization, by name within it.
    A row-value comparison, so the index range starts at the cursor."""
    columns = Tuple(F("org_path"), F("name"), F("id"))
    # The plain bound too: backends without row values expand the tuple into ORs.
    return Q(org_path__gte=org_path) & Q(TupleGreaterThan(columns, (org_path, name, pk)))


_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=_DATE_WIDGET)


class PersonForm(forms.Form):
    """Raw values for register_person / update_person; the service reports every field problem."""

    name = forms.CharField(label=_("姓名"), required=False, max_length=60)
    id_number = forms.CharField(
        label=_("身份证号"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label=_("性别"), required=False, choices=[("", _("按身份证号"))] + Gender.choices
    )
    birth_date = _date_field(_("出生日期"))
    mobile = forms.CharField(
        label=_("手机号"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    ethnicity = forms.CharField(label=_("民族"), required=False, max_length=40)
    employer = forms.CharField(label=_("工作单位"), required=False, max_length=200)
    residence = forms.CharField(label=_("居住地址"), required=False, max_length=400)
    # A plain value, not a validated choice: the option list is capped, and the view resolves the
    # pk through the EDIT_PEOPLE scope anyway.
    organization = forms.CharField(label=_("所属组织"), required=False, widget=forms.Select)
    category = forms.ChoiceField(
        label=_("人员类别"), choices=Category.choices, initial=Category.MASSES, widget=forms.RadioSelect
    )
    status = forms.ChoiceField(
        label=_("党员状态"), required=False, choices=[("", "—")] + MemberStatus.choices
    )
    joined_on = _date_field(_("入党日期"))
    probation_ends_on = _date_field(_("预备期满日期"))
    confirmed_on = _date_field(_("转正日期"))
    cadre_level = forms.ChoiceField(label=_("干部级别"), required=False, choices=CadreLevel.choices)
    post = forms.CharField(label=_("党内职务"), required=False, max_length=100)
    is_floating = forms.BooleanField(label=_("流动党员"), required=False)

    PERSON_FIELDS = PERSON_FIELDS
    MEMBER_FIELDS = MEMBER_FIELDS

    def __init__(
        self, user, *args, selected: Organization | None = None, masked: dict | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["organization"].widget.choices = [("", _("请选择"))] + organization_choices(
            user, Perm.EDIT_PEOPLE, selected=selected
        )
        self.user = user
        # Editing without view_pii: ID and mobile stay blank (masked value as a hint) and are
        # changed only when typed in.
        self.masked = masked or {}
        # Marked as required on screen: the service refuses a person without them.
        self.visually_required = [f for f in ("name", "id_number", "organization") if f not in self.masked]
        for field, hint in self.masked.items():
            self.fields[field].help_text = _("已登记 %(v)s；留空表示不修改。") % {"v": hint}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organization"):
            self.add_error("organization", _("请选择所属组织。"))
            # No service call without an organization: still report every other field problem.
            _cleaned, errors = clean_person_input(self.service_data())
            self.add_field_errors(errors)
        return cleaned

    def add_field_errors(self, errors: list[FieldError]) -> None:
        for error in errors:
            field = error.field if error.field in self.fields else None
            if field in self.masked:
                continue  # left blank on purpose: the registered value stays
            self.add_error(field, error.message)

    def organization_pk(self) -> str:
        return (self.cleaned_data.get("organization") or "").strip()

    def service_data(self) -> dict:
        """What to pass to the service: everything typed, minus blank masked fields."""
        data = {name: self.cleaned_data.get(name) for name in self.PERSON_FIELDS + self.MEMBER_FIELDS}
        data["category"] = self.cleaned_data.get("category") or Category.MASSES
        for field in self.masked:
            if not (data.get(field) or "").strip():
                data.pop(field)
        return data

    def person_fields(self):
        return [self[name] for name in self.PERSON_FIELDS]

    def member_fields(self):
        return [self[name] for name in self.MEMBER_FIELDS]


def initial_for(person: Person, *, show_pii: bool) -> dict:
    profile = getattr(person, "party_profile", None)
    initial = {name: getattr(person, name) for name in PersonForm.PERSON_FIELDS}
    initial["organization"] = str(person.organization_id)
    initial["category"] = Category.MEMBER if profile else Category.MASSES
    if profile is not None:
        for name in PersonForm.MEMBER_FIELDS:
            initial[name] = getattr(profile, name)
    if not show_pii:
        initial["id_number"] = ""
        initial["mobile"] = ""
    return initial
