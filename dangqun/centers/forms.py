"""Forms of the centers pages. They only shape input; the services judge it (errors land on fields)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.accounts.models import RoleGrant
from dangqun.buildings.models import Enterprise
from dangqun.centers.enums import WEEKDAY_LABELS, WEEKDAYS, BookingMode, RequesterKind
from dangqun.centers.models import ServiceCenter, Space
from dangqun.centers.services import Requester
from dangqun.orgs.models import Organization
from dangqun.people.models import Person

TIME = forms.TimeInput(attrs={"type": "time", "step": 60}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WeeklyHoursMixin:
    """Seven pairs of time fields `<prefix>_<day>_open` / `_close` ⇄ {"mon": ["09:00", "21:00"], …}."""

    hours_prefix = "hours"

    def add_hours_fields(self, initial: dict | None, label) -> None:
        self.hours_label = label
        for day in WEEKDAYS:
            pair = (initial or {}).get(day) or ["", ""]
            for index, part in enumerate(("open", "close")):
                self.fields[f"{self.hours_prefix}_{day}_{part}"] = forms.TimeField(
                    label=f"{WEEKDAY_LABELS[day]}{_('开始') if part == 'open' else _('结束')}",
                    required=False,
                    widget=TIME,
                    initial=pair[index] or None,
                )

    def hours_rows(self):
        return [
            (
                WEEKDAY_LABELS[day],
                self[f"{self.hours_prefix}_{day}_open"],
                self[f"{self.hours_prefix}_{day}_close"],
            )
            for day in WEEKDAYS
        ]

    def hours_value(self) -> dict:
        value = {}
        for day in WEEKDAYS:
            opens = self.cleaned_data.get(f"{self.hours_prefix}_{day}_open")
            closes = self.cleaned_data.get(f"{self.hours_prefix}_{day}_close")
            if opens or closes:
                value[day] = [f"{opens:%H:%M}" if opens else "", f"{closes:%H:%M}" if closes else ""]
        return value


class CenterForm(WeeklyHoursMixin, forms.Form):
    hours_prefix = "opening_hours"
    organization = forms.ChoiceField(label=_("主办组织"))
    name = forms.CharField(label=_("中心名称"), max_length=100)
    slug = forms.CharField(
        label=_("网址代码"), max_length=60, help_text=_("小写字母、数字和连字符，如 jinling")
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    floor_area_m2 = forms.IntegerField(label=_("面积（平方米）"), required=False, min_value=1)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    accepts_group_visits = forms.BooleanField(label=_("接受团体参观预约"), required=False)
    visit_capacity = forms.IntegerField(label=_("同时参观人数上限"), required=False, min_value=0)
    visit_minutes = forms.IntegerField(
        label=_("每场参观时长（分钟）"), required=False, initial=90, min_value=15
    )

    def __init__(self, *args, organizations=(), center: ServiceCenter | None = None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if center is not None:
            for field in ("name", "slug", "address", "floor_area_m2", "phone", "contact_name", "description",
                          "is_active", "accepts_group_visits", "visit_capacity", "visit_minutes"):  # fmt: skip
                initial.setdefault(field, getattr(center, field))
        super().__init__(*args, **kwargs)
        if center is not None:
            del self.fields["organization"]
        else:
            self.fields["organization"].choices = [(str(o.pk), o.name) for o in organizations]
        self.add_hours_fields(center.opening_hours if center else {}, _("开放时间"))

    def service_data(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if not k.startswith("opening_hours_") and k != "organization"
        }
        data["opening_hours"] = self.hours_value()
        return data


class SpaceForm(WeeklyHoursMixin, forms.Form):
    hours_prefix = "bookable_hours"
    name = forms.CharField(label=_("功能区名称"), max_length=100)
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=0, initial=20)
    equipment = forms.CharField(label=_("设备"), max_length=200, required=False)
    description = forms.CharField(label=_("介绍"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    bookable = forms.BooleanField(label=_("可预约"), required=False, initial=True)
    auto_accept = forms.BooleanField(label=_("自动通过预约"), required=False)
    allows_sharing = forms.BooleanField(
        label=_("可合用（多家共用一个时段，总人数不超过容纳人数）"), required=False
    )
    slot_minutes = forms.IntegerField(label=_("时段粒度（分钟）"), initial=30, min_value=5, max_value=240)
    sort_order = forms.IntegerField(label=_("排序"), initial=0, min_value=0, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, space: Space | None = None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if space is not None:
            for field in ("name", "capacity", "equipment", "description", "bookable", "auto_accept",
                          "allows_sharing", "slot_minutes", "sort_order", "is_active"):  # fmt: skip
                initial.setdefault(field, getattr(space, field))
        super().__init__(*args, **kwargs)
        self.add_hours_fields(space.bookable_hours if space else {}, _("可预约时间（留空则同中心开放时间）"))

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("bookable_hours_")}
        data["bookable_hours"] = self.hours_value()
        return data


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("照片（JPEG、PNG、WebP）"))
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)


class BlackoutForm(forms.Form):
    space = forms.ChoiceField(label=_("功能区"), required=False)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("原因"), max_length=200)
    cancel_affected = forms.BooleanField(label=_("同时取消该时段内的预约"), required=False)

    def __init__(self, *args, center: ServiceCenter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].choices = [("", _("整个中心"))] + [
            (str(s.pk), s.name) for s in center.spaces.all()
        ]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("意见"), max_length=200, required=False)


def requester_choices(user, center: ServiceCenter) -> list[tuple[str, str]]:
    """Myself, the organizations I belong to, the enterprise I work for."""
    choices = [("person", _("个人"))]
    orgs = (
        Organization.objects.filter(
            pk__in=RoleGrant.objects.filter(user=user).values("organization"), dissolved_at__isnull=True
        )
        .only("pk", "name")
        .order_by("path")
    )
    choices += [(f"org:{o.pk}", o.name) for o in orgs]
    employer = Person.objects.filter(user=user).values_list("employer", flat=True).first()
    if employer:
        choices += [(f"ent:{e.pk}", e.name) for e in Enterprise.objects.filter(name=employer.strip())[:5]]
    return choices


class BookingForm(forms.Form):
    on_behalf = forms.ChoiceField(label=_("申请方"))
    day = forms.DateField(label=_("日期"), widget=DATE)
    start = forms.TimeField(label=_("开始"), widget=TIME)
    end = forms.TimeField(label=_("结束"), widget=TIME)
    mode = forms.ChoiceField(label=_("使用方式"), choices=BookingMode.choices, widget=forms.RadioSelect)
    attendees = forms.IntegerField(label=_("参加人数"), min_value=1)
    purpose = forms.CharField(
        label=_("用途"), max_length=200, help_text=_("如：读书沙龙")
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_mobile = forms.CharField(label=_("联系手机"), max_length=20, required=False)
    repeat_weeks = forms.IntegerField(label=_("每周重复次数"), min_value=1, max_value=26, initial=1,
                                      help_text=_("1 表示只预约一次"))  # fmt: skip
    skip_conflicts = forms.BooleanField(label=_("跳过冲突日期，只预约空闲的日期"), required=False)

    def __init__(self, *args, user, space: Space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf"].choices = requester_choices(user, space.center)
        if not space.allows_sharing:
            self.fields["mode"].choices = [c for c in BookingMode.choices if c[0] != BookingMode.SHARED]
        self.fields["attendees"].widget.attrs["max"] = space.capacity

    def range(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            timezone.make_aware(datetime.combine(day, self.cleaned_data["start"]), tz),
            timezone.make_aware(datetime.combine(day, self.cleaned_data["end"]), tz),
        )

    def requester(self) -> Requester:
        choice = self.cleaned_data["on_behalf"]
        name, mobile = self.cleaned_data.get("contact_name", ""), self.cleaned_data.get("contact_mobile", "")
        if choice.startswith("org:"):
            return Requester.of_organization(
                Organization.objects.get(pk=int(choice[4:])), name=name, mobile=mobile
            )
        if choice.startswith("ent:"):
            return Requester.of_enterprise(
                Enterprise.objects.get(pk=int(choice[4:])), name=name, mobile=mobile
            )
        return Requester(RequesterKind.PERSON, name=name, mobile=mobile)


class VisitForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DATE)
    start = forms.TimeField(label=_("开始时间"), widget=TIME)
    group_name = forms.CharField(label=_("参观团体名称"), max_length=100)
    visitors = forms.IntegerField(label=_("参观人数"), min_value=1)
    needs_guide = forms.BooleanField(label=_("需要讲解"), required=False, initial=True)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_mobile = forms.CharField(label=_("联系手机"), max_length=20)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def starts_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["start"]),
            timezone.get_current_timezone(),
        )
