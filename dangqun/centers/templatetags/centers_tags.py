from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] or None (for dicts built by the views)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
