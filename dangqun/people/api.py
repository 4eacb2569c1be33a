"""People over JSON: the same scope, the same masking, the same audit as the pages."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from dangqun.people import selectors
from dangqun.people.models import Person

router = Router(tags=["人员"])


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: date | None
    id_number: str
    mobile: str
    organization_id: int
    organization: str
    category: str
    member_status: str | None


def _out(person: Person, policy: selectors.PiiPolicy) -> dict:
    profile = getattr(person, "party_profile", None)
    return {
        "id": person.pk,
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "id_number": policy.id_number(person),
        "mobile": policy.mobile(person),
        "organization_id": person.organization_id,
        "organization": person.organization.name,
        "category": "member" if profile else "masses",
        "member_status": profile.status if profile else None,
    }


@router.get("/", response=list[PersonOut], summary="搜索人员（姓名、拼音、首字母、手机尾号、身份证尾号）")
def search(request, q: str = "", limit: int = 20):
    limit = max(1, min(limit, 100))
    visible = selectors.people_visible_to(request.user)
    if q:
        ids = selectors.search_person_ids(request.user, q, limit=limit)
        people = sorted(visible.filter(pk__in=ids), key=lambda p: ids.index(p.pk))
    else:
        people = list(visible.order_by("name", "id")[:limit])
    policy = selectors.PiiPolicy.for_user(request.user)
    selectors.audit_pii_shown(request.user, people)
    return [_out(p, policy) for p in people]


@router.get("/{person_id}", response=PersonOut, summary="人员详情")
def detail(request, person_id: int):
    person = selectors.get_person_for(request.user, person_id)
    selectors.audit_pii_shown(request.user, [person])
    return _out(person, selectors.PiiPolicy.for_user(request.user))
