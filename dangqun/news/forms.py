"""The send form. Shapes only: `services.send_notice` judges scope, recipients, link and dates."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangqun.news import selectors
from dangqun.news.enums import NoticeCategory
from dangqun.news.services import BODY_MAX, LINK_MAX, TITLE_MAX
from dangqun.orgs.models import Organization

ORG_OPTIONS_LIMIT = 300
_NONCE = re.compile(r"^[0-9a-f]{32}$")


def organization_choices(user, selected: Organization | None = None) -> list[tuple[str, str]]:
    """(pk, indented name) of the nodes the user may send from; the selected one always listed."""
    orgs = list(
        selectors.sending_organizations(user)
        .select_related(None)
        .only("pk", "name", "depth")[:ORG_OPTIONS_LIMIT]
    )
    if selected is not None and all(o.pk != selected.pk for o in orgs):
        orgs.append(selected)
    base = min((o.depth for o in orgs), default=1)
    return [(str(o.pk), "　" * (o.depth - base) + o.name) for o in orgs]


class NoticeForm(forms.Form):
    # A plain value, not a validated choice: the option list is capped, and the view resolves the pk
    # through the send_notices scope anyway (404 outside it).
    organization = forms.CharField(label=_("发送单位"), widget=forms.Select)
    recipients = forms.TypedMultipleChoiceField(
        label=_("接收人"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("所选接收人不在该发送单位的下级组织中，请重新选择。")},
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=NoticeCategory.choices, initial=NoticeCategory.REMINDER
    )
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX)
    body = forms.CharField(label=_("正文"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    requires_confirmation = forms.BooleanField(label=_("需要接收人确认已读"), required=False, initial=True)
    due_date = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("可不填；填写后接收人会看到截止日期。"),
    )
    link = forms.CharField(
        label=_("相关页面"),
        required=False,
        max_length=LINK_MAX,
        help_text=_("可不填；本系统内以“/”开头的路径，如 /activities/。"),
    )
    nonce = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, user, *args, organization: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].widget.choices = organization_choices(user, organization)
        self.fields["organization"].widget.attrs.update(
            {
                "hx-get": reverse("news:send-recipients"),
                "hx-target": "#recipient-field",
                "hx-trigger": "change",
            }
        )
        self.candidates = selectors.recipient_candidates(organization) if organization is not None else []
        self.fields["recipients"].choices = [(c.user_id, c.label) for c in self.candidates]
        if not self.is_bound:
            self.initial.setdefault("nonce", uuid.uuid4().hex)
        for name in ("title", "body"):
            self.fields[name].error_messages["required"] = _("请填写%(f)s。") % {"f": self.fields[name].label}

    def clean_recipients(self):
        value = self.cleaned_data.get("recipients") or []
        if not value:
            raise forms.ValidationError(_("请至少选择一位接收人。"))
        return value

    def clean_nonce(self):
        value = (self.cleaned_data.get("nonce") or "").strip()
        return value if _NONCE.match(value) else ""
