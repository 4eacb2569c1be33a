"""The nav entry: a cadre's own quarter, or the staff page the viewer's grants lead to."""

from django import template

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.orglife.enums import Light

register = template.Library()


@register.simple_tag(takes_context=True)
def orglife_entry(context) -> str:
    """URL name of the viewer's main page, or "" for no entry (staff from their grants, no query;
    others: one query to find out whether they are a leading cadre). The link goes to orglife:home,
    which picks the page."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    if permissions.has_perm(user, Perm.REVIEW_FILINGS):
        return "orglife:overview"
    from dangqun.orglife.selectors.access import cadre_of

    if cadre_of(user) is not None:
        return "orglife:me"
    if permissions.has_perm(user, Perm.REVIEW_RECORDS):
        return "orglife:signoff"
    return ""


@register.filter
def light_label(value: str) -> str:
    return str(Light(value).label) if value in Light.values else ""
