"""The URL map. Each app owns its own patterns; this file only mounts them."""

from django.conf import settings
from django.urls import include, path

from config.api import api
from dangqun.accounts.urls import audit_urlpatterns
from dangqun.dashboards.views import workbench

urlpatterns = [
    path("", workbench, name="workbench"),
    path("accounts/", include("dangqun.accounts.urls")),
    path("audit/", include((audit_urlpatterns, "audit"))),
    path("orgs/", include("dangqun.orgs.urls")),
    path("people/", include("dangqun.people.urls")),
    path("centers/", include("dangqun.centers.urls")),
    path("activities/", include("dangqun.activities.urls")),
    path("notices/", include("dangqun.news.urls")),
    path("orglife/", include("dangqun.orglife.urls")),
    path("servicedesk/", include("dangqun.servicedesk.urls")),
    path("open311/v2/", include("dangqun.servicedesk.open311_urls")),
    path("", include("dangqun.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

if settings.BENCH_ENDPOINTS:
    urlpatterns.append(path("bench/", include("bench.bare_urls")))
