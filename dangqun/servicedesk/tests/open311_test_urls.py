"""The project's URLs plus Open311 at /open311/v2/ (until config/urls.py mounts it itself)."""

from django.urls import Resolver404, include, path, resolve

from config.urls import urlpatterns as project_patterns

urlpatterns = list(project_patterns)
try:
    resolve("/open311/v2/services.json", urlconf="config.urls")
except Resolver404:
    urlpatterns.append(path("open311/v2/", include("dangqun.servicedesk.open311_urls")))
