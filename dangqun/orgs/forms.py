"""Forms for the organization pages. Choices come from the rules (kinds) and the viewer's scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangqun.accounts.enums import Perm
from dangqun.orgs import selectors
from dangqun.orgs.models import Organization

MOVE_TARGET_LIMIT = 500


class OrganizationChoiceField(forms.ModelChoiceField):
    """Options indented by depth so the tree reads in a plain <select>."""

    def __init__(self, *args, base_depth: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_depth = base_depth

    def label_from_instance(self, obj: Organization) -> str:
        indent = "　" * max(0, obj.depth - self.base_depth)
        return f"{indent}{obj.name}（{obj.kind.name}）"


class CreateChildForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ModelChoiceField(label=_("类型"), queryset=None, empty_label=None)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    established_on = forms.DateField(
        label=_("成立日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, parent: Organization, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds the rules allow under this parent's kind.
        self.fields["kind"].queryset = parent.kind.allowed_children.order_by("sort_order", "code")

    def extra_fields(self) -> dict:
        data = self.cleaned_data
        return {"phone": data["phone"], "address": data["address"], "established_on": data["established_on"]}


class RenameForm(forms.Form):
    name = forms.CharField(label=_("新名称"), max_length=100)


class MoveForm(forms.Form):
    new_parent = OrganizationChoiceField(label=_("移至"), queryset=None)

    def __init__(self, organization: Organization, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Targets: nodes the viewer manages, of a kind this node may sit under, outside its own
        # subtree, other than its current parent.
        current_parent = organization.path[: -Organization.steplen]
        targets = (
            selectors.organizations_visible_to(user, Perm.MANAGE_ORGS)
            .filter(dissolved_at__isnull=True, kind__in=organization.kind.allowed_parents.all())
            .exclude(path__under=organization.path)
            .exclude(path=current_parent)
        )
        ids = list(targets.values_list("pk", flat=True)[:MOVE_TARGET_LIMIT])
        field = self.fields["new_parent"]
        field.queryset = Organization.objects.filter(pk__in=ids).select_related("kind").order_by("path")
        field.empty_label = _("请选择上级组织")
