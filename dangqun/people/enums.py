from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class MemberStatus(models.TextChoices):
    FORMAL = "formal", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class CadreLevel(models.TextChoices):
    """Decides the training-hour rule (RULES.md §5)."""

    NONE = "", _("非领导干部")
    COUNTY_AND_ABOVE = "county", _("县处级及以上")
    TOWNSHIP_AND_BELOW = "township", _("乡科级及以下")


class Category(models.TextChoices):
    MEMBER = "member", _("党员")
    MASSES = "masses", _("群众")
