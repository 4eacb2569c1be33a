"""The unread badge of the nav entry: one bounded query per page, reused when the view has the count."""

from django import template

from dangqun.news.selectors import BADGE_CAP, unread_badge

register = template.Library()

_ATTR = "_news_unread_count"


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    if "notice_unread" in context:
        return context["notice_unread"]
    request = context.get("request")
    cached = getattr(request, _ATTR, None)
    if cached is None:
        cached = unread_badge(context.get("user"))
        if request is not None:
            setattr(request, _ATTR, cached)
    return cached


@register.filter
def badge_number(value: int) -> str:
    return f"{BADGE_CAP}+" if value > BADGE_CAP else str(value)
