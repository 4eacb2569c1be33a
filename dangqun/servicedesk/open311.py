"""Open311 GeoReport v2 representations (RULES.md §8.3): JSON and XML from the same dicts.

Datetimes are ISO 8601 with the +08:00 offset; internal states collapse onto open / closed through
their type; the requester is never shown and the description only with the requester's consent.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.servicedesk import states
from dangqun.servicedesk.enums import TargetGroup
from dangqun.servicedesk.models import ServiceItem, ServiceRequest
from dangqun.servicedesk.selectors_requests import promise_text

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# XML element names of list items, by the name of the list.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}


def iso(value: datetime | None) -> str | None:
    """2026-03-02T09:30:00+08:00 (Asia/Shanghai, whole seconds)."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        item_tag = ITEM_TAGS.get(tag, "item")
        for child in value:
            _append(element, item_tag, child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """`value` (a list of dicts, or a dict) as an Open311 XML document under `root`."""
    element = ET.Element(root)
    if isinstance(value, list):
        item_tag = ITEM_TAGS.get(root, "item")
        for child in value:
            _append(element, item_tag, child)
    else:
        for key, child in value.items():
            _append(element, key, child)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def render(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The Open311 error format: a list of {code, description}."""
    return render(fmt, "errors", [{"code": status, "description": d} for d in descriptions], status=status)


# --- representations ------------------------------------------------------------------------------


def _keywords(item: ServiceItem) -> str:
    labels = dict(TargetGroup.choices)
    return ",".join(str(labels.get(g, g)) for g in item.target_groups)


def service(item: ServiceItem) -> dict[str, Any]:
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": item.description or promise_text(item),
        "metadata": True,
        "type": "realtime",
        "keywords": _keywords(item),
        "group": item.group or item.center.name,
    }


def service_definition(item: ServiceItem) -> dict[str, Any]:
    """Two attributes every item takes (enterprise, 急难愁) and the materials as information."""
    attributes = [
        {
            "variable": True,
            "code": "enterprise",
            "datatype": "string",
            "required": False,
            "datatype_description": _("所在企业或单位名称"),
            "order": 1,
            "description": _("所在企业或单位"),
            "values": [],
        },
        {
            "variable": True,
            "code": "urgent",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "",
            "order": 2,
            "description": _("是否属于“急、难、愁”问题"),
            "values": [{"key": "true", "name": _("是")}, {"key": "false", "name": _("否")}],
        },
    ]
    if item.required_materials:
        attributes.append(
            {
                "variable": False,
                "code": "materials",
                "datatype": "text",
                "required": False,
                "datatype_description": "",
                "order": 3,
                "description": _("所需材料：%(m)s") % {"m": "；".join(item.required_materials)},
                "values": [],
            }
        )
    return {"service_code": item.code, "attributes": attributes}


def service_request(request: ServiceRequest, catalog: dict[str, states.StateInfo]) -> dict[str, Any]:
    """One request as Open311 shows it; `public_notes` must be prefetched (newest first)."""
    info = states.info(request.state, catalog)
    notes = getattr(request, "public_notes", None)
    latest = notes[0].note if notes else ""
    item = request.item
    return {
        "service_request_id": request.number,
        "status": info.open311_status,
        "status_notes": latest or info.public_name,
        "service_name": item.name,
        "service_code": item.code,
        "description": request.description if request.description_public else "",
        "agency_responsible": request.organization.name,
        "service_notice": promise_text(item),
        "requested_datetime": iso(request.created_at),
        "updated_datetime": iso(request.updated_at),
        "expected_datetime": iso(request.expected_at),
        "address": item.center.address or item.center.name,
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }
