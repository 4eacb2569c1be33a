"""Open311 GeoReport v2 (RULES.md §8.3). Mount at /open311/v2/:

path("open311/v2/", include("dangqun.servicedesk.open311_urls")),
"""

from django.urls import path, register_converter

from dangqun.servicedesk import open311_views as views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class IdConverter:
    """Anything up to the format suffix, so that a bad id still gets an Open311 error."""

    regex = r"[^/.]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311fmt")
register_converter(IdConverter, "open311id")

app_name = "open311"

urlpatterns = [
    path("discovery.<open311fmt:fmt>", views.discovery, name="discovery"),
    path("services.<open311fmt:fmt>", views.services, name="services"),
    path("services/<open311id:code>.<open311fmt:fmt>", views.service_definition, name="service"),
    path("requests.<open311fmt:fmt>", views.requests, name="requests"),
    path("requests/<open311id:request_id>.<open311fmt:fmt>", views.request_detail, name="request"),
    path("tokens/<open311id:token>.<open311fmt:fmt>", views.token_detail, name="token"),
]
