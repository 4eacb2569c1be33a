from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from dangqun.core import audit


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record("accounts.logout", actor=user, obj=user)
