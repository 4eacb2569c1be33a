"""Forms for login, password change and the audit-log search."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.accounts.selectors import AuditFilters
from dangqun.core import audit
from dangqun.core.models import AuditEntry


class LoginForm(forms.Form):
    login = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("原密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise ValidationError(_("原密码不正确。"), code="password_incorrect")
        return value

    def clean(self):
        cleaned = super().clean()
        new1, new2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif new1:
            if new1 == cleaned.get("old_password"):
                self.add_error("new_password1", _("新密码不能与原密码相同。"))
            else:
                try:
                    validate_password(new1, self.user)
                except ValidationError as exc:
                    self.add_error("new_password1", exc)
        return cleaned

    @transaction.atomic
    def save(self):
        # No change_password service exists yet in accounts.services; this is its whole job.
        user = self.user
        user.set_password(self.cleaned_data["new_password1"])
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record("accounts.password.changed", actor=user, obj=user)
        return user


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.CharField(
        label=_("操作代码"),
        required=False,
        max_length=80,
        help_text=_("如 %(e)s") % {"e": "people.pii"},
    )
    result = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部"))] + list(AuditEntry.Result.choices)
    )
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    object_type = forms.CharField(
        label=_("对象类型"),
        required=False,
        max_length=80,
        help_text=_("如 %(e)s") % {"e": "people.person"},
    )
    object_id = forms.CharField(label=_("对象 ID"), required=False, max_length=64)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return cleaned

    def filters(self) -> AuditFilters:
        self.is_valid()  # a bad field is dropped; the others still filter
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            actor=(data.get("actor") or "").strip(),
            action=(data.get("action") or "").strip(),
            result=data.get("result") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            object_type=(data.get("object_type") or "").strip(),
            object_id=(data.get("object_id") or "").strip(),
        )
