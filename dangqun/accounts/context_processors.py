"""Template context for the staff workbench: which menu entries the viewer may see."""

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm


def workbench(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    can = {perm.value: permissions.has_perm(user, perm) for perm in Perm}
    can["staff"] = permissions.is_staff_user(user)
    return {"can": can}
