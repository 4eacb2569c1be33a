"""Forms of the activities pages. They parse and present; the services judge (DomainError → field)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.accounts.enums import Perm
from dangqun.activities.enums import (
    AbsenceReason,
    ActivityStatus,
    Audience,
    VoteKind,
)
from dangqun.activities.models import ActivitySeries, ActivityType, NeedCategory
from dangqun.activities.rules import excludable_absence_labels, excludable_absence_reasons
from dangqun.orgs.models import Organization
from dangqun.people.forms import organization_choices

STEPLEN = Organization.steplen

_DT = "%Y-%m-%dT%H:%M"


def _dt_field(label, required=True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[_DT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DT),
    )


class ActivityForm(forms.Form):
    organization = forms.ChoiceField(label=_("主办组织"))
    activity_type = forms.ChoiceField(label=_("类型"))
    title = forms.CharField(label=_("名称"), max_length=100)
    need_category = forms.ChoiceField(label=_("需求类别"), required=False)
    series = forms.ChoiceField(label=_("所属系列"), required=False)
    starts_at = _dt_field(_("开始时间"))
    ends_at = _dt_field(_("结束时间"))
    space = forms.ChoiceField(label=_("服务中心场地"), required=False)
    place_text = forms.CharField(label=_("地点"), max_length=200, required=False)
    audience = forms.ChoiceField(label=_("参加对象"), choices=Audience.choices, initial=Audience.BRANCH)
    capacity = forms.IntegerField(label=_("名额"), required=False, help_text=_("不限名额请留空"))
    registration_opens_at = _dt_field(_("报名开始"), required=False)
    registration_closes_at = _dt_field(_("报名截止"), required=False)
    rotating_checkin = forms.BooleanField(
        label=_("动态码签到（会场屏幕显示每 30 秒更新的二维码，本人手机扫码，防代签）"), required=False
    )
    latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    geofence_m = forms.IntegerField(label=_("签到范围（米）"), required=False, help_text=_("留空则不限位置"))
    description = forms.CharField(
        label=_("内容简介"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, user, *args, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.activity = activity
        orgs = organization_choices(
            user, Perm.MANAGE_ACTIVITIES, selected=activity.organization if activity else None
        )
        self.fields["organization"].choices = [("", _("请选择"))] + orgs
        if activity is not None:
            self.fields["organization"].disabled = True
        self.fields["activity_type"].choices = [("", _("请选择"))] + [
            (t.code, t.name) for t in ActivityType.objects.filter(is_active=True)
        ]
        self.fields["need_category"].choices = [("", _("按类型默认"))] + [
            (n.code, n.name) for n in NeedCategory.objects.all()
        ]
        org_ids = [int(pk) for pk, _label in orgs]
        self.fields["series"].choices = [("", _("不属于系列"))] + [
            (str(s.pk), f"{s.organization.name} · {s.name}")
            for s in ActivitySeries.objects.filter(organization_id__in=org_ids).select_related(
                "organization"
            )[:200]
        ]
        self.fields["space"].choices = [("", _("不在服务中心"))] + self._space_choices()

    def _space_choices(self):
        """Spaces of the centers that serve the user's organizations (the center's organization is
        one of them, above or below them; see centers.services.activity_bookings) or that the user
        runs; the activity's current space always stays listed."""
        from django.db.models import Q

        from dangqun.accounts import permissions
        from dangqun.centers.models import Space

        reach = Q(pk=self.activity.space_id) if self.activity and self.activity.space_id else Q(pk__in=[])
        paths = set(permissions.scope_paths(self.user, Perm.MANAGE_ACTIVITIES))
        paths |= set(permissions.scope_paths(self.user, Perm.MANAGE_CENTERS))
        for path in paths:
            ancestors = [path[:i] for i in range(STEPLEN, len(path) + 1, STEPLEN)]
            reach |= Q(center__org_path__under=path) | Q(center__org_path__in=ancestors)
        current = self.activity.space_id if self.activity and self.activity.space_id else 0
        spaces = Space.objects.filter(reach).filter(Q(is_active=True, center__is_active=True) | Q(pk=current))
        return [
            (str(s.pk), f"{s.center.name} · {s.name}")
            for s in spaces.select_related("center").order_by("center__name", "sort_order", "name")[:300]
        ]

    def service_values(self) -> dict:
        from dangqun.centers.models import Space

        data = dict(self.cleaned_data)
        data.pop("organization", None)
        data["need_category"] = data.get("need_category") or None
        data["series"] = (
            ActivitySeries.objects.filter(pk=data["series"]).first() if data.get("series") else None
        )
        data["space"] = (
            Space.objects.select_related("center").filter(pk=data["space"]).first()
            if data.get("space")
            else None
        )
        return data


def initial_for(activity) -> dict:
    local = timezone.localtime

    def fmt(value):
        return local(value).strftime(_DT) if value else ""

    return {
        "organization": str(activity.organization_id),
        "activity_type": activity.activity_type_id,
        "title": activity.title,
        "need_category": activity.need_category_id or "",
        "series": str(activity.series_id or ""),
        "starts_at": fmt(activity.starts_at),
        "ends_at": fmt(activity.ends_at),
        "space": str(activity.space_id or ""),
        "place_text": activity.place_text,
        "audience": activity.audience,
        "capacity": activity.capacity,
        "registration_opens_at": fmt(activity.registration_opens_at),
        "registration_closes_at": fmt(activity.registration_closes_at),
        "rotating_checkin": activity.rotating_checkin,
        "latitude": activity.latitude,
        "longitude": activity.longitude,
        "geofence_m": activity.geofence_m,
        "description": activity.description,
    }


class ActivityFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + ActivityStatus.choices
    )
    type = forms.ChoiceField(label=_("类型"), required=False)
    org = forms.ChoiceField(label=_("主办组织（含下级）"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("全部"))] + [
            (t.code, t.name) for t in ActivityType.objects.all()
        ]
        self.fields["org"].choices = [("", _("全部组织"))] + organization_choices(
            user, Perm.MANAGE_ACTIVITIES
        )


class GuestRegistrationForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=30)
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class RecordForm(forms.Form):
    host = forms.ChoiceField(label=_("主持人"), required=False)
    host_name = forms.CharField(label=_("主持人（非本组织人员）"), max_length=50, required=False)
    recorder = forms.ChoiceField(label=_("记录人"), required=False)
    recorder_name = forms.CharField(label=_("记录人（非本组织人员）"), max_length=50, required=False)
    plan = forms.CharField(label=_("活动计划"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    notes = forms.CharField(label=_("会议记录"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, people, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择"))] + [(str(p.pk), p.name) for p in people]
        self.fields["host"].choices = choices
        self.fields["recorder"].choices = choices


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[("photo", _("活动照片")), ("material", _("会议材料"))])
    file = forms.FileField(label=_("文件"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class AbsenceForm(forms.Form):
    person = forms.ChoiceField(label=_("缺席人员"))
    reason = forms.ChoiceField(label=_("缺席原因"), choices=AbsenceReason.choices)
    detail = forms.CharField(label=_("说明"), max_length=200, required=False)
    counts_as_expected = forms.BooleanField(
        label=_("计入应到人数"),
        required=False,
        initial=True,
    )

    def __init__(self, people, *args, excludable: frozenset[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        excludable = excludable_absence_reasons() if excludable is None else excludable
        self.fields["person"].choices = [("", _("请选择"))] + [(str(p.pk), p.name) for p in people]
        self.fields["counts_as_expected"].help_text = _(
            "仅%(list)s可不计入；接收预备党员、转正等表决仍以全体有表决权党员为基数。"
        ) % {"list": excludable_absence_labels(excludable) or _("（无）")}
        # activities.js shows the checkbox only for these reasons (the service refuses the others).
        self.fields["reason"].widget.attrs["data-excludable"] = " ".join(sorted(excludable))


class VoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("表决事项类型"), choices=VoteKind.choices)
    subject = forms.CharField(label=_("表决事项"), max_length=200)
    yes = forms.IntegerField(label=_("赞成"), min_value=0)
    no = forms.IntegerField(label=_("反对"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("弃权"), min_value=0, initial=0)
    written_yes = forms.IntegerField(label=_("书面赞成（缺席党员事先书面表达）"), min_value=0, initial=0)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("审核通过")), ("return", _("退回修改"))])
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
