"""Forms of the orglife pages: thin, the services check everything again."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.orglife.enums import ObjectionOutcome
from dangqun.orglife.services.reports import FIELD_LIMITS

TEXTAREA = {"rows": 5}
STARTED_SALT = "orglife.objection.started"


class AttendanceForm(forms.Form):
    outline_text = forms.CharField(label=_("发言提纲"), required=False, max_length=20000,
                                   widget=forms.Textarea(attrs={"rows": 8}))  # fmt: skip
    guidance = forms.CharField(label=_("指导联系点情况"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs=TEXTAREA))  # fmt: skip

    def __init__(self, *args, contact: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not contact:
            del self.fields["guidance"]


class OutlineFileForm(forms.Form):
    outline_file = forms.FileField(label=_("发言提纲文件（PDF、Word、图片或文本）"))


class ReportForm(forms.Form):
    """Only the fields the rule opens are built (the others are shown as facts)."""

    def __init__(self, *args, fields: list[str], labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in fields:
            limit = FIELD_LIMITS[name]
            widget = forms.Textarea(attrs=TEXTAREA) if limit > 300 else forms.TextInput()
            self.fields[name] = forms.CharField(
                label=labels[name], required=False, max_length=limit, widget=widget
            )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FilingForm(forms.Form):
    note = forms.CharField(
        label=_("报备说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContactPointForm(forms.Form):
    cadre = forms.TypedChoiceField(label=_("领导干部"), coerce=int)
    branch = forms.TypedChoiceField(label=_("联系点（党支部）"), coerce=int)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    note = forms.CharField(label=_("联系内容"), required=False, max_length=200)

    def __init__(self, *args, cadres, branches, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [(p.pk, f"{p.name}（{p.organization.name}）") for p in cadres]
        self.fields["branch"].choices = [(o.pk, o.name) for o in branches]
        self.fields["year"].choices = [(y, str(y)) for y in years]


class TakeDownForm(forms.Form):
    reason = forms.CharField(label=_("撤下原因"), max_length=200)


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[("", "—")] + list(ObjectionOutcome.choices))
    response = forms.CharField(label=_("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


def started_token() -> str:
    return signing.dumps(timezone.now().timestamp(), salt=STARTED_SALT)


def started_at(token: str):
    """When the form was opened (signed by the server), or None when missing or tampered with."""
    try:
        stamp = signing.loads(token or "", salt=STARTED_SALT)
        return datetime.fromtimestamp(float(stamp), tz=timezone.get_current_timezone())
    except (signing.BadSignature, TypeError, ValueError, OverflowError):
        return None


class ObjectionForm(forms.Form):
    """Anonymous allowed. `website` is a honeypot (hidden from people by CSS); `started` a signed
    time stamp for the minimum fill time."""

    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=_("姓名（可不填）"), required=False, max_length=50)
    contact = forms.CharField(label=_("联系电话（可不填，便于答复）"), required=False, max_length=20)
    website = forms.CharField(label=_("请勿填写此项"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, max_chars: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = max_chars
        self.fields["text"].widget.attrs["maxlength"] = str(max_chars)
        from django.core.validators import MaxLengthValidator

        self.fields["text"].validators.append(MaxLengthValidator(max_chars))
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
