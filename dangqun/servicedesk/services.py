"""The service desk's writes, one module per aggregate; import them from here.

- catalog: create_service_item, update_service_item, register_open311_client, client_for_key
- requests: file_request (→ Filed(request, token)), accept_request, reject_request, assign_request,
  start_request, set_expected, request_info, resolve_request, refer_request, close_request, add_note,
  set_urgent; requester (token or own login): supply_info, cancel_request, reopen_request,
  rate_request; supervisors: answer_follow_up; the job: escalate_overdue(now)
- wishes: post_wish (→ Posted(wish, token)), approve_wish, reject_wish, claim_wish,
  claim_wish_verified (→ Claimed(wish, claim_token)), release_claim, fulfil_wish, confirm_wish, cancel_wish
"""

from dangqun.servicedesk.services_catalog import (
    client_for_key,
    create_service_item,
    register_open311_client,
    update_service_item,
)
from dangqun.servicedesk.services_followup import (
    answer_follow_up,
    cancel_request,
    escalate_overdue,
    rate_request,
    reopen_request,
    supply_info,
)
from dangqun.servicedesk.services_requests import (
    Filed,
    accept_request,
    add_note,
    assign_request,
    close_request,
    file_request,
    hash_token,
    is_requester,
    refer_request,
    reject_request,
    request_info,
    resolve_request,
    set_expected,
    set_urgent,
    start_request,
)
from dangqun.servicedesk.services_wishes import (
    Claimed,
    Posted,
    approve_wish,
    cancel_wish,
    claim_wish,
    claim_wish_verified,
    confirm_wish,
    fulfil_wish,
    post_wish,
    reject_wish,
    release_claim,
)

__all__ = [
    "Claimed",
    "Filed",
    "Posted",
    "accept_request",
    "add_note",
    "answer_follow_up",
    "approve_wish",
    "assign_request",
    "cancel_request",
    "cancel_wish",
    "claim_wish",
    "claim_wish_verified",
    "client_for_key",
    "close_request",
    "confirm_wish",
    "create_service_item",
    "escalate_overdue",
    "file_request",
    "fulfil_wish",
    "hash_token",
    "is_requester",
    "post_wish",
    "rate_request",
    "refer_request",
    "register_open311_client",
    "reject_request",
    "reject_wish",
    "release_claim",
    "reopen_request",
    "request_info",
    "resolve_request",
    "set_expected",
    "set_urgent",
    "start_request",
    "supply_info",
    "update_service_item",
]
