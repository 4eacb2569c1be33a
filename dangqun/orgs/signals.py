"""Signals other apps listen to, so that orgs never imports them."""

from django.dispatch import Signal

# Sent inside the move transaction: kwargs old_path, new_path.
subtree_moved = Signal()
