"""Follow a moved subtree: the copied org paths of centers, bookings and visits are rewritten."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver

from dangqun.centers.models import Booking, GroupVisit, ServiceCenter
from dangqun.orgs.signals import subtree_moved


@receiver(subtree_moved)
def rewrite_paths(sender, old_path: str, new_path: str, **kwargs):
    rest = Substr("org_path", len(old_path) + 1)
    for model in (ServiceCenter, Booking, GroupVisit):
        model.objects.filter(org_path__startswith=old_path).update(org_path=Concat(Value(new_path), rest))
