"""Follow a moved subtree: every copied org path of the app is rewritten."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver

from dangqun.orgs.signals import subtree_moved

PATH_FIELDS = {
    "ContactPoint": ("cadre_path", "branch_path", "district_path"),
    "Attendance": ("org_path", "cadre_path"),
    "OrgLifeReport": ("org_path", "cadre_path"),
    "QuarterlyFiling": ("org_path", "committee_path", "copy_path"),
    "PublicNotice": ("org_path", "queue_path"),
    "Objection": ("queue_path",),
}


@receiver(subtree_moved)
def rewrite_paths(sender, old_path: str, new_path: str, **kwargs):
    from dangqun.orglife import models

    rest_from = len(old_path) + 1
    for model_name, fields in PATH_FIELDS.items():
        model = getattr(models, model_name)
        for name in fields:
            model.objects.filter(**{f"{name}__under": old_path}).update(
                **{name: Concat(Value(new_path), Substr(name, rest_from))}
            )
