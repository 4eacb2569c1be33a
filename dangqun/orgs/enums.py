from django.db import models
from django.utils.translation import gettext_lazy as _


class KindCategory(models.TextChoices):
    PARTY = "party", _("党组织")
    MASS = "mass", _("群团组织")
    SOCIAL = "social", _("社会组织")
    OTHER = "other", _("机关与院校")
