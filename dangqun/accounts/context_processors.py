"""Template context for the staff workbench: which menu entries the viewer may see."""

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm


def workbench(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can": {
            "staff": permissions.is_staff_user(user),
            "view_orgs": permissions.has_perm(user, Perm.VIEW_ORGS),
            "manage_orgs": permissions.has_perm(user, Perm.MANAGE_ORGS),
            "view_people": permissions.has_perm(user, Perm.VIEW_PEOPLE),
            "edit_people": permissions.has_perm(user, Perm.EDIT_PEOPLE),
            "import_people": permissions.has_perm(user, Perm.IMPORT_PEOPLE),
            "export_people": permissions.has_perm(user, Perm.EXPORT_PEOPLE),
            "view_audit": permissions.has_perm(user, Perm.VIEW_AUDIT),
            "manage_grants": permissions.has_perm(user, Perm.MANAGE_GRANTS),
        }
    }
