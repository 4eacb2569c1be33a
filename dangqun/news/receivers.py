"""Follow a moved subtree: the copied org paths of notices are rewritten."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver

from dangqun.news.models import Notice
from dangqun.orgs.signals import subtree_moved


@receiver(subtree_moved)
def rewrite_paths(sender, old_path: str, new_path: str, **kwargs):
    rest = Substr("org_path", len(old_path) + 1)
    Notice.objects.filter(org_path__startswith=old_path).update(org_path=Concat(Value(new_path), rest))
