"""People: every person (群众 by default) and the party-member profile some of them hold."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangqun.core.models import TimeStampedModel
from dangqun.people.enums import CadreLevel, Gender, MemberStatus


class Person(TimeStampedModel):
    """A person registered with an organization: a resident, a worker, a member.

    `org_path` copies the organization's tree path so that scope filters and search stay on one
    table; it is rewritten when a subtree moves (orgs.signals.subtree_moved).
    """

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, null=True, blank=True, unique=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    residence = models.CharField(_("居住地址"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="people", verbose_name=_("所属组织")
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["org_path", "name", "id"], name="person_scope_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_member(self) -> bool:
        try:
            return self.party_profile is not None
        except PartyMember.DoesNotExist:
            return False


class PartyMember(models.Model):
    """The party-member profile of a Person: branch is the person's organization."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="party_profile"
    )
    status = models.CharField(_("党员状态"), max_length=12, choices=MemberStatus.choices)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    probation_ends_on = models.DateField(_("预备期满日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("转正日期"), null=True, blank=True)
    cadre_level = models.CharField(_("干部级别"), max_length=10, choices=CadreLevel.choices, blank=True)
    post = models.CharField(_("党内职务"), max_length=50, blank=True)
    is_floating = models.BooleanField(_("流动党员"), default=False)

    class Meta:
        verbose_name = _("党员信息")
        verbose_name_plural = _("党员信息")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MemberStatus.values), name="member_status_valid"),
            models.CheckConstraint(
                condition=Q(probation_ends_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(probation_ends_on__gt=models.F("joined_on")),
                name="member_probation_after_join",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_status_display()}）"


class PersonSearchKey(models.Model):
    """One searchable key of a person, prefixed by its kind: n=name, p=pinyin, i=initials,
    m=mobile reversed, d=ID number reversed (a tail query becomes a prefix range on the index)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=64)
    org_path = models.CharField(max_length=255)

    class Meta:
        indexes = [models.Index(fields=["key", "org_path"], name="personkey_key_scope")]

    def __str__(self) -> str:
        return self.key


class RosterImport(models.Model):
    """One uploaded roster: its dry-run report, then (if clean) the commit.

    The file is kept only until it is committed or discarded; the commit reads it again.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("已检查")
        COMMITTED = "committed", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.CHECKED)
    rows_total = models.PositiveIntegerField(_("数据行"), default=0)
    to_create = models.PositiveIntegerField(_("新增"), default=0)
    to_update = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("花名册导入")
        verbose_name_plural = _("花名册导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
