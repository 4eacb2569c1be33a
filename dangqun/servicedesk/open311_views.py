"""Open311 GeoReport v2 endpoints (mounted at /open311/v2/). Thin: parse, call a service or a
selector, render JSON or XML, answer errors in the Open311 format.

Reads are public (the minimum of each request). POST needs the api_key of a registered
Open311Client; its organization is the jurisdiction: it may file for the centers in its subtree.
`jurisdiction_id` is accepted and ignored (one deployment, one endpoint).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dangqun.core import rules
from dangqun.core.errors import DomainError
from dangqun.servicedesk import open311, states
from dangqun.servicedesk import rules as keys
from dangqun.servicedesk.enums import OPEN311_STATUS, Channel
from dangqun.servicedesk.models import ServiceItem, ServiceRequest
from dangqun.servicedesk.selectors import open311_requests, promise_text, public_items, request_for_token
from dangqun.servicedesk.services import client_for_key, file_request

REQUIRED_POST_FIELDS = ("api_key", "service_code", "description", "phone")


@require_GET
def discovery(request, fmt: str):
    base = (
        request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0] + "/"
    )
    body = {
        "changeset": "2026-03-01T00:00:00+08:00",
        "contact": _("党群服务中心服务台（工作时间请拨打中心电话）"),
        "key_service": _("向服务中心管理员申请 api_key"),
        "endpoints": [
            {
                "specification": open311.SPEC_URL,
                "url": base,
                "changeset": "2026-03-01T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return open311.render(fmt, "discovery", body)


@require_GET
def services(request, fmt: str):
    return open311.render(fmt, "services", [open311.service(item) for item in public_items()])


@require_GET
def service_definition(request, code: str, fmt: str):
    item = public_items().filter(code=code).first()
    if item is None:
        return open311.errors(fmt, 404, [_("service_code “%(c)s” 不存在。") % {"c": code}])
    return open311.render(fmt, "service_definition", open311.service_definition(item))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request, fmt: str):
    if request.method == "POST":
        return _post_request(request, fmt)
    return _list_requests(request, fmt)


def _parse_when(raw: str, *, end: bool) -> datetime | None:
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw)
        if day is None:
            raise ValueError(raw)
        value = datetime.combine(day + timedelta(days=1) if end else day, datetime.min.time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _list_requests(request, fmt: str):
    params = request.GET
    rows = open311_requests()
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:  # the spec: other filters are ignored when ids are given
        numbers = [int(i) for i in ids if _is_id(i)]
        rows = rows.filter(pk__in=numbers)
    else:
        try:
            start = _parse_when(params["start_date"], end=False) if params.get("start_date") else None
            end = _parse_when(params["end_date"], end=True) if params.get("end_date") else None
        except ValueError:
            return open311.errors(fmt, 400, [_("start_date 或 end_date 不是 ISO 8601 日期时间。")])
        if start is None and end is None:
            start = timezone.now() - timedelta(days=int(rules.value(keys.OPEN311_DEFAULT_DAYS)))
        if start is not None:
            rows = rows.filter(created_at__gte=start)
        if end is not None:
            rows = rows.filter(created_at__lt=end)
        codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
        if codes:
            rows = rows.filter(item__code__in=codes)
        wanted = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if wanted - {"open", "closed"}:
            return open311.errors(fmt, 400, [_("status 只能是 open 或 closed。")])
        if wanted:
            kinds = [kind for kind, status in OPEN311_STATUS.items() if status in wanted]
            rows = rows.filter(state_kind__in=kinds)
    limit = int(rules.value(keys.OPEN311_MAX_RESULTS))
    catalog = states.catalog()
    return open311.render(
        fmt, "service_requests", [open311.service_request(r, catalog) for r in rows[:limit]]
    )


def _post_request(request, fmt: str):
    data = request.POST
    missing = [name for name in REQUIRED_POST_FIELDS if not data.get(name, "").strip()]
    if not (data.get("first_name", "").strip() or data.get("last_name", "").strip()):
        missing.append("first_name")
    if missing:
        return open311.errors(fmt, 400, [_("缺少必填字段 %(f)s。") % {"f": name} for name in missing])
    client = client_for_key(data["api_key"].strip())
    if client is None:
        return open311.errors(fmt, 403, [_("api_key 无效。")])
    item = ServiceItem.objects.filter(
        code=data["service_code"].strip(), is_active=True, is_public=True
    ).first()
    if item is None:
        return open311.errors(
            fmt, 404, [_("service_code “%(c)s” 不存在。") % {"c": data["service_code"].strip()}]
        )
    if not item.org_path.startswith(client.org_path):
        return open311.errors(fmt, 403, [_("该服务不在此 api_key 的辖区内。")])
    name = (data.get("last_name", "").strip() + data.get("first_name", "").strip())[:50]
    urgent = data.get("attribute[urgent]", "").strip().lower() in {"true", "1", "yes"}
    try:
        filed = file_request(
            actor=None, item=item, description=data["description"], name=name, mobile=data["phone"],
            unit=data.get("attribute[enterprise]", ""), urgent=urgent, channel=Channel.OPEN311,
            open311_client=client,
        )  # fmt: skip
    except DomainError as exc:
        field = {"mobile": "phone", "name": "first_name", "unit": "attribute[enterprise]"}.get(
            exc.field, exc.field
        )
        return open311.errors(fmt, 400, [f"{field}: {exc.message}" if field else exc.message])
    body = [
        {
            "service_request_id": filed.request.number,
            "service_notice": promise_text(item),
            "account_id": None,
            "token": filed.token,
        }
    ]
    return open311.render(fmt, "service_requests", body, status=201)


def _is_id(text: str) -> bool:
    """A request id as a client may send it: ASCII digits that fit a 64-bit integer."""
    return text.isascii() and text.isdigit() and len(text) <= 18


@require_GET
def request_detail(request, request_id: str, fmt: str):
    found = None
    if _is_id(request_id):
        found = open311_requests().filter(pk=int(request_id)).first()
    if found is None:
        return open311.errors(fmt, 404, [_("service_request_id “%(i)s” 不存在。") % {"i": request_id}])
    return open311.render(fmt, "service_requests", [open311.service_request(found, states.catalog())])


@require_GET
def token_detail(request, token: str, fmt: str):
    try:
        found: ServiceRequest | None = request_for_token(token)
    except Http404:
        found = None
    if found is None or not found.item.is_public:
        return open311.errors(fmt, 404, [_("token 不存在。")])
    return open311.render(fmt, "service_requests", [{"service_request_id": found.number, "token": token}])
