"""Template context for the staff workbench: which menu entries the viewer may see."""

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm


def workbench(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can": {
            "view_orgs": permissions.has_perm(user, Perm.VIEW_ORGS),
            "view_people": permissions.has_perm(user, Perm.VIEW_PEOPLE),
            "import_people": permissions.has_perm(user, Perm.IMPORT_PEOPLE),
            "view_audit": permissions.has_perm(user, Perm.VIEW_AUDIT),
        }
    }
