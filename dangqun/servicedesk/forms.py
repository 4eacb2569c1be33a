"""Forms of the staff pages: queue filters, one small form per request action, wish moderation."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.servicedesk import selectors, states
from dangqun.servicedesk.enums import PromiseUnit, Score, StateKind, TargetGroup, WishState
from dangqun.servicedesk.models import ServiceItem, ServiceRequest


class LocalDateTimeField(forms.DateTimeField):
    """`<input type="datetime-local">`, read as Asia/Shanghai."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_("受理编号"), required=False, max_length=12)
    state = forms.ChoiceField(label=_("状态"), required=False)
    item = forms.ChoiceField(label=_("服务事项"), required=False)
    overdue = forms.BooleanField(label=_("已超时"), required=False)
    urgent = forms.BooleanField(label=_("急难愁"), required=False)
    escalated = forms.BooleanField(label=_("已上报督办"), required=False)

    def __init__(self, user, *args, catalog=None, **kwargs):
        super().__init__(*args, **kwargs)
        catalog = catalog if catalog is not None else states.catalog()
        self.fields["state"].choices = [("", _("全部")), ("open", _("全部未办结"))] + [
            (code, info.name) for code, info in catalog.items()
        ]
        items = ServiceItem.objects.filter(
            Q(pk__in=selectors.requests_visible_to(user).values("item_id"))
        ).order_by("name", "id")
        self.fields["item"].choices = [("", _("全部"))] + [(str(i.pk), i.name) for i in items]

    def apply(self, queryset: QuerySet[ServiceRequest], *, now: datetime) -> QuerySet[ServiceRequest]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        number = (data.get("q") or "").strip().lstrip("0")
        if number:
            queryset = queryset.filter(pk=int(number)) if number.isdigit() else queryset.none()
        if data.get("state") == "open":
            queryset = queryset.filter(state_kind=StateKind.OPEN)
        elif data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("item"):
            queryset = queryset.filter(item_id=data["item"])
        if data.get("overdue"):
            queryset = queryset.filter(selectors.overdue_q(now))
        if data.get("urgent"):
            queryset = queryset.filter(is_urgent=True)
        if data.get("escalated"):
            queryset = queryset.filter(escalated_at__isnull=False)
        return queryset

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


NOTE_LABELS = {
    "reject": _("不予受理的原因（申请人可见）"),
    "request_info": _("需要补充的材料（申请人可见）"),
    "resolve": _("办结说明（申请人可见）"),
    "reopen": _("重新办理的原因（申请人可见）"),
    "note": _("办理进展说明"),
}
# Which fields each action's form has (the services decide what is required).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "accept": ("note",),
    "reject": ("note",),
    "assign": ("handler", "note"),
    "start": ("expected_at", "note"),
    "request_info": ("note",),
    "resolve": ("note",),
    "refer": ("organization", "note"),
    "close": ("state", "note"),
    "reopen": ("note",),
    "cancel": ("note",),
    "note": ("note", "public"),
    "expected": ("expected_at", "note"),
    "urgent": ("urgent",),
}


class RequestActionForm(forms.Form):
    """The form of one action on one request; fields from ACTION_FIELDS."""

    def __init__(self, action: str, request_obj: ServiceRequest, user, *args, **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        for name in ACTION_FIELDS[action]:
            self.fields[name] = self._field(name, request_obj, user)

    def _field(self, name: str, request_obj: ServiceRequest, user):
        if name == "note":
            label = NOTE_LABELS.get(self.action, _("说明"))
            return forms.CharField(label=label, required=False, max_length=1000,
                                   widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
        if name == "public":
            return forms.BooleanField(label=_("对申请人公开"), required=False, initial=True)
        if name == "expected_at":
            initial = (
                timezone.localtime(request_obj.expected_at).replace(tzinfo=None)
                if request_obj.expected_at
                else None
            )
            return LocalDateTimeField(label=_("预计办结时间"), required=False, initial=initial)
        if name == "handler":
            handlers = selectors.handlers_for(request_obj)
            choices = [("", "—")] + [(str(u.pk), str(u)) for u in handlers]
            self.handlers = {str(u.pk): u for u in handlers}
            initial = str(request_obj.handler_id or "")
            return forms.ChoiceField(label=_("承办人"), choices=choices, required=False, initial=initial)
        if name == "organization":
            targets = list(selectors.referral_targets(user, request_obj))
            self.targets = {str(o.pk): o for o in targets}
            return forms.ChoiceField(
                label=_("转交给"),
                choices=[("", "—")] + [(str(o.pk), o.name) for o in targets],
                required=False,
            )
        if name == "state":
            closing = [
                (c, i.name) for c, i in states.catalog().items() if i.kind == StateKind.CLOSED and i.is_active
            ]
            return forms.ChoiceField(label=_("关闭为"), choices=closing, required=False, initial="closed")
        if name == "urgent":
            return forms.BooleanField(label=_("急难愁"), required=False)
        raise KeyError(name)

    def value(self, name: str):
        data = self.cleaned_data
        if name == "handler":
            return getattr(self, "handlers", {}).get(data.get("handler") or "")
        if name == "organization":
            return getattr(self, "targets", {}).get(data.get("organization") or "")
        return data.get(name)


class FollowUpForm(forms.Form):
    answer = forms.CharField(
        label=_("整改与答复（申请人可见）"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    visited = forms.BooleanField(label=_("已电话或上门回访"), required=False)


class WishFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部"))] + [(str(v), label) for v, label in WishState.choices]

    def apply(self, queryset):
        if self.is_valid() and self.cleaned_data.get("state") not in (None, ""):
            return queryset.filter(state=int(self.cleaned_data["state"]))
        return queryset


WISH_ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "approve": (),
    "reject": ("reason",),
    "release": ("reason",),
    "fulfil": ("note",),
    "confirm": ("thanks", "rating"),
    "cancel": ("reason",),
}


class WishActionForm(forms.Form):
    def __init__(self, action: str, *args, **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        for name in WISH_ACTION_FIELDS[action]:
            if name == "rating":
                self.fields[name] = forms.TypedChoiceField(
                    label=_("许愿人的评价"), choices=[("", "—")] + list(Score.choices), coerce=int, required=False,
                    empty_value=None,
                )  # fmt: skip
            else:
                label = {"reason": _("原因"), "note": _("实现情况"), "thanks": _("感谢留言")}[name]
                self.fields[name] = forms.CharField(label=label, required=False, max_length=300,
                                                    widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


def aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


class ItemForm(forms.Form):
    """A catalog item; `center` only among the centers the viewer manages."""

    center = forms.ChoiceField(label=_("服务中心"))
    name = forms.CharField(label=_("事项名称"), max_length=60)
    code = forms.CharField(
        label=_("事项代码"), max_length=60, help_text=_("小写字母、数字和连字符，用于 Open311 和二维码")
    )
    group = forms.CharField(label=_("分类"), max_length=40, required=False)
    description = forms.CharField(
        label=_("事项说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    target_groups = forms.MultipleChoiceField(
        label=_("服务对象"), required=False, widget=forms.CheckboxSelectMultiple, choices=TargetGroup.choices
    )
    required_materials = forms.CharField(
        label=_("所需材料"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行一项")
    )
    promise_value = forms.IntegerField(label=_("承诺时限"), required=False, min_value=1, max_value=720)
    promise_unit = forms.ChoiceField(label=_("时限单位"), choices=PromiseUnit.choices)
    is_public = forms.BooleanField(label=_("对外公开（大屏、手机、Open311）"), required=False, initial=True)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("排序"), required=False, min_value=0, max_value=999, initial=0)

    def __init__(self, centers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.centers = {str(c.pk): c for c in centers}
        self.fields["center"].choices = [(k, c.name) for k, c in self.centers.items()]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("center")
        data["required_materials"] = (data.get("required_materials") or "").splitlines()
        return data

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "center": str(item.center_id), "name": item.name, "code": item.code, "group": item.group,
            "description": item.description, "target_groups": item.target_groups,
            "required_materials": "\n".join(item.required_materials), "promise_value": item.promise_value,
            "promise_unit": item.promise_unit, "is_public": item.is_public, "is_active": item.is_active,
            "sort_order": item.sort_order,
        }  # fmt: skip
