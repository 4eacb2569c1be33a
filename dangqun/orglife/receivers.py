"""Follow a moved subtree: every copied org path of the app is rewritten."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.db.models.signals import post_save
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


# Saves that can make a published meeting a contact point's: publishing, creating it published,
# or editing it (a full save: time or organizer may have changed). Counter updates name their
# fields and are skipped.
_RELEVANT_FIELDS = {"status", "starts_at", "organization", "org_path", "activity_type"}


@receiver(post_save, sender="activities.Activity", dispatch_uid="orglife_invite_contact_cadres")
def invite_contact_cadres(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A branch meeting published while a contact point is assigned: invite the cadre (列席)."""
    if raw or instance.status != "published":
        return
    if not created and update_fields is not None and not _RELEVANT_FIELDS & set(update_fields):
        return
    from dangqun.orglife.services.invitations import invite_contact_cadres as invite

    invite(instance)
