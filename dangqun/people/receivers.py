"""Follow a moved subtree: the copied org paths of people and search keys are rewritten."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver

from dangqun.orgs.signals import subtree_moved
from dangqun.people.models import Person, PersonSearchKey


@receiver(subtree_moved)
def rewrite_paths(sender, old_path: str, new_path: str, **kwargs):
    rest = Substr("org_path", len(old_path) + 1)
    for model in (Person, PersonSearchKey):
        model.objects.filter(org_path__under=old_path).update(org_path=Concat(Value(new_path), rest))
