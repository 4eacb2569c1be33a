"""Follow a moved subtree: copied org paths are rewritten and rollup totals move with it."""

from django.dispatch import receiver

from dangqun.orgs.signals import subtree_moved


@receiver(subtree_moved)
def follow_moved_subtree(sender, old_path: str, new_path: str, **kwargs):
    from dangqun.activities.services.rollups import move_subtree

    move_subtree(old_path=old_path, new_path=new_path)
