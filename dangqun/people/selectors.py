"""Reads on people, always inside the viewer's scope; personal data masked unless view_pii."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from dangqun.accounts import permissions
from dangqun.accounts.enums import Perm
from dangqun.core import audit
from dangqun.core.masking import mask_id_number, mask_mobile
from dangqun.people.models import Person, PersonSearchKey
from dangqun.people.search import prefix_upper_bound, query_prefixes


def people_visible_to(user, perm: str = Perm.VIEW_PEOPLE) -> QuerySet[Person]:
    return Person.objects.filter(permissions.scope_q(user, perm, "org_path")).select_related(
        "organization", "organization__kind", "party_profile"
    )


def get_person_for(user, pk, perm: str = Perm.VIEW_PEOPLE) -> Person:
    try:
        return people_visible_to(user, perm).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def search_person_ids(user, query: str, *, limit: int = 50, within_path: str | None = None) -> list[int]:
    """Ids of people matching `query` in the viewer's scope, best keys first (one index range scan per
    query kind). `within_path` narrows further to one subtree."""
    prefixes = query_prefixes(query)
    scope = permissions.scope_q(user, Perm.VIEW_PEOPLE, "org_path")
    if within_path:
        scope &= Q(org_path__under=within_path)
    found: list[int] = []
    seen: set[int] = set()
    for prefix in prefixes:
        rows = (
            PersonSearchKey.objects.filter(scope, key__gte=prefix, key__lt=prefix_upper_bound(prefix))
            .order_by("key", "person_id")
            .values_list("person_id", flat=True)[: limit * 2]
        )
        for person_id in rows:
            if person_id not in seen:
                seen.add(person_id)
                found.append(person_id)
        if len(found) >= limit:
            break
    return found[:limit]


@dataclass
class PiiPolicy:
    """Decides, per row, whether the viewer sees full ID and mobile (view_pii on that subtree)."""

    paths: list[str]

    @classmethod
    def for_user(cls, user) -> PiiPolicy:
        return cls(permissions.scope_paths(user, Perm.VIEW_PII))

    def allows(self, org_path: str) -> bool:
        return any(org_path.startswith(p) for p in self.paths)

    def id_number(self, person: Person) -> str:
        value = person.id_number or ""
        return value if self.allows(person.org_path) else mask_id_number(value)

    def birth_date(self, person: Person) -> str:
        """The full date only with view_pii; otherwise the year (the masked ID hides the date too)."""
        if person.birth_date is None:
            return ""
        if self.allows(person.org_path):
            return person.birth_date.isoformat()
        return gettext("%(year)d 年") % {"year": person.birth_date.year}

    def mobile(self, person: Person) -> str:
        value = person.mobile or ""
        return value if self.allows(person.org_path) else mask_mobile(value)


def audit_pii_shown(user, people: list[Person], *, action: str = "people.pii.viewed") -> None:
    """One audit entry for every screen or export that showed full personal data."""
    policy = PiiPolicy.for_user(user)
    shown = [p for p in people if policy.allows(p.org_path) and (p.id_number or p.mobile)]
    if not shown:
        return
    if len(shown) == 1:
        audit.record(action, actor=user, obj=shown[0], data={"fields": ["id_number", "mobile"]})
    else:
        audit.record(
            action,
            actor=user,
            data={"person_ids": [p.pk for p in shown][:500], "count": len(shown)},
            org_path=shown[0].org_path,
        )
