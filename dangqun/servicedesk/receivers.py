"""Follow a moved subtree: the copied org paths of catalog items, requests and wishes."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver

from dangqun.orgs.signals import subtree_moved
from dangqun.servicedesk.models import Open311Client, RatingFollowUp, ServiceItem, ServiceRequest, Wish


@receiver(subtree_moved)
def rewrite_paths(sender, old_path: str, new_path: str, **kwargs):
    rest = Substr("org_path", len(old_path) + 1)
    for model in (ServiceItem, ServiceRequest, Wish, RatingFollowUp, Open311Client):
        model.objects.filter(org_path__startswith=old_path).update(org_path=Concat(Value(new_path), rest))
