"""The JSON API under /api/v1/ (OpenAPI at /api/v1/docs). Session auth for pages' scripts."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import django_auth

from dangqun.activities.api import router as activities_router
from dangqun.centers.api import router as centers_router
from dangqun.core.errors import DomainError
from dangqun.news.api import router as news_router
from dangqun.orglife.api import router as orglife_router
from dangqun.orgs.api import router as orgs_router
from dangqun.people.api import router as people_router
from dangqun.portal.api import router as portal_router
from dangqun.servicedesk.api import router as servicedesk_router

api = NinjaAPI(
    title="党群通 API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(
        request, {"code": exc.code, "message": exc.message, "field": exc.field}, status=exc.status
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "message": _("未找到")}, status=404)


api.add_router("/orgs", orgs_router)
api.add_router("/people", people_router)
api.add_router("/activities", activities_router)
api.add_router("/centers", centers_router)
api.add_router("/notices", news_router)
api.add_router("/orglife", orglife_router)
api.add_router("/servicedesk", servicedesk_router)
api.add_router("/portal", portal_router)
