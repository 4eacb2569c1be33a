"""Forms of the phone pages and the kiosk. They only shape the input: the owning app's service
checks it and its refusal lands next to the field it names (see `attach_error`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangqun.centers.enums import BookingMode
from dangqun.core.errors import DomainError
from dangqun.servicedesk.enums import Score, WishKind


def attach_error(form: forms.Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the field it names (through `aliases`), else on the form."""
    field = (aliases or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


# Examples go in `hint`, shown under the field at all times: a hint inside the box vanishes as soon
# as one types, and is too faint for older eyes.
def _text(label, *, max_length: int, required: bool = False, hint="", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=hint, widget=forms.TextInput(attrs=attrs)
    )


def _area(label, *, max_length: int, rows: int = 4, hint="", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows, **attrs}),
    )


def _mobile(label=None) -> forms.CharField:
    return _text(
        label or _("手机号"), max_length=20, inputmode="tel", autocomplete="tel", hint=_("11 位手机号")
    )


def _name(label=None) -> forms.CharField:
    return _text(label or _("姓名"), max_length=50, autocomplete="name")


class KioskMixin:
    """On the public screen the browser must not remember what anyone typed."""

    def kiosk(self):
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"
        return self


class RequestForm(KioskMixin, forms.Form):
    name = _name(_("联系人姓名"))
    mobile = _mobile()
    unit = _text(_("所在企业或单位（可不填）"), max_length=100, autocomplete="organization")
    description = _area(_("需要办理什么？"), max_length=2000, hint=_("请简要说明您的需求"))
    attachments = forms.FileField(
        label=_("附件（可不传）"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，每个不超过 10 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, with_files: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_files:
            del self.fields["attachments"]


class BookingForm(forms.Form):
    day = forms.DateField(label=_("日期"), required=False, widget=forms.HiddenInput)
    # Plain text behind a select: a slot taken since the page was drawn still reaches the service,
    # whose refusal carries the nearest free slots.
    start = forms.CharField(label=_("开始时间"), required=False, max_length=5, widget=forms.Select)
    end = forms.CharField(label=_("结束时间"), required=False, max_length=5, widget=forms.Select)
    mode = forms.ChoiceField(
        label=_("使用方式"), choices=BookingMode.choices, initial=BookingMode.BORROW, widget=forms.RadioSelect
    )
    attendees = forms.IntegerField(
        label=_("参加人数"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    purpose = _text(_("用途"), max_length=200, hint=_("例如：读书沙龙、支部学习"))
    name = _name(_("联系人姓名"))
    mobile = _mobile(_("联系手机"))

    ALIASES = {"starts_at": "start", "ends_at": "end", "contact_name": "name", "contact_mobile": "mobile"}

    def __init__(self, *args, starts=(), ends=(), sharing: bool = True, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, times in (("start", list(starts)), ("end", list(ends))):
            sent = self.data.get(name, "") if self.is_bound else ""
            if sent and sent not in times and len(sent) <= 5:
                times = sorted([*times, sent])
            self.fields[name].widget.choices = [("", _("请选择"))] + [(t, t) for t in times]
        if not sharing:
            self.fields["mode"].choices = [c for c in BookingMode.choices if c[0] != BookingMode.SHARED]
        if signed_in:
            self.fields["name"].label = _("联系人姓名（可不填，默认用您的账号姓名）")
            self.fields["mobile"].label = _("联系手机（可不填）")


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("您对办理结果满意吗？"),
        choices=[(s.value, s.label) for s in reversed(Score)],
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = _area(_("想说的话（可不填）"), max_length=500, rows=3)


class SupplyForm(forms.Form):
    note = _area(_("补充说明"), max_length=1000, rows=3)
    attachments = forms.FileField(
        label=_("补充材料（PDF、JPG 或 PNG）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class WishForm(forms.Form):
    title = _text(_("我的心愿"), max_length=60, hint=_("例如：想要一台收音机"))
    description = _area(_("说一说（可不填）"), max_length=500, rows=3)
    kind = forms.ChoiceField(
        label=_("心愿类别"), choices=WishKind.choices, initial=WishKind.MATERIAL, widget=forms.RadioSelect
    )
    name = _name(_("您的姓名（不会公开）"))
    mobile = _mobile(_("手机号（不会公开，方便党员联系您）"))
    consent_name_shown = forms.BooleanField(
        label=_("我同意在心愿墙上显示我的称呼（不勾选则显示为“张*”这样的形式）"), required=False
    )
    shown_name = _text(_("公开称呼"), max_length=10, hint=_("例如：李奶奶、王阿姨"))

    def clean(self):
        data = super().clean()
        if data.get("consent_name_shown") and not (data.get("shown_name") or "").strip():
            self.add_error("shown_name", _("勾选了同意显示称呼，请填写公开称呼。"))
        return data


class FulfilForm(forms.Form):
    note = _area(_("心愿是怎样实现的？"), max_length=300, rows=3, hint=_("例如：已把收音机送到家里"))


class ConfirmWishForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("给认领的党员打个分"),
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    thanks = _area(_("感谢的话"), max_length=300, rows=3, hint=_("会显示在心愿墙上"))


class PairForm(forms.Form):
    token = forms.CharField(
        label=_("设备令牌"),
        max_length=100,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("在后台登记“办事通大屏”设备时显示的一次性令牌"),
    )
