"""The write half of the roster import: batched inserts and updates in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from os.path import commonprefix

from django.db import connection, transaction
from django.utils import timezone

from dangqun.core import audit
from dangqun.orgs import rollups
from dangqun.orgs.models import Organization
from dangqun.people.enums import Category
from dangqun.people.fields import MEMBER_FIELDS, PERSON_FIELDS
from dangqun.people.models import PartyMember, Person, PersonSearchKey
from dangqun.people.search import keys_for
from dangqun.people.services import rollup_counts

BATCH = 2000


def _executemany(sql: str, rows: Sequence[Sequence]) -> None:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert_sql(model, columns: Sequence[str]) -> str:
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {_table(model)} ({names}) VALUES ({marks})"


_MEMBER_COLUMNS = ["person_id", *MEMBER_FIELDS]
_KEY_COLUMNS = ["person_id", "key", "org_path"]


def _member_values(person_id: int, cleaned: dict) -> list:
    return [person_id, *(cleaned[f] for f in MEMBER_FIELDS)]


def _key_rows(person_id: int, cleaned: dict, org_path: str) -> list[tuple]:
    return [
        (person_id, key, org_path)
        for key in keys_for(cleaned["name"], cleaned["mobile"], cleaned["id_number"])
    ]


@transaction.atomic
def write_plan(plan, *, actor, filename: str) -> dict[str, int]:
    now = timezone.now()
    deltas: list[tuple[str, dict, dict]] = []
    member_sql = _insert_sql(PartyMember, _MEMBER_COLUMNS)
    key_sql = _insert_sql(PersonSearchKey, _KEY_COLUMNS)

    for batch in _chunks(plan.to_create, BATCH):
        people = [
            Person(
                organization_id=row.organization.pk,
                org_path=row.organization.path,
                created_at=now,
                updated_at=now,
                **{f: row.cleaned[f] for f in PERSON_FIELDS},
            )
            for row in batch
        ]
        Person.objects.bulk_create(people, batch_size=500)
        members, keys = [], []
        for person, row in zip(people, batch, strict=True):
            is_member = row.cleaned["category"] == Category.MEMBER
            if is_member:
                members.append(_member_values(person.pk, row.cleaned))
            keys.extend(_key_rows(person.pk, row.cleaned, person.org_path))
            totals, direct = rollup_counts(
                is_member=is_member,
                status=row.cleaned.get("status"),
                is_floating=row.cleaned.get("is_floating", False),
            )
            deltas.append((person.org_path, totals, direct))
        _executemany(member_sql, members)
        _executemany(key_sql, keys)

    person_update_sql = (
        f"UPDATE {_table(Person)} SET "
        + ", ".join(
            f"{connection.ops.quote_name(c)} = %s"
            for c in (*PERSON_FIELDS, "organization_id", "org_path", "updated_at")
        )
        + " WHERE id = %s"
    )
    for batch in _chunks(plan.to_update, BATCH):
        ids = [row.existing_id for row in batch]
        person_rows, members, keys = [], [], []
        for row in batch:
            cleaned, existing = row.cleaned, row.existing
            org = row.organization
            person_rows.append([*(cleaned[f] for f in PERSON_FIELDS), org.pk, org.path, now, row.existing_id])
            is_member = cleaned["category"] == Category.MEMBER
            if is_member:
                members.append(_member_values(row.existing_id, cleaned))
            keys.extend(_key_rows(row.existing_id, cleaned, org.path))
            was_member = existing["party_profile__status"] is not None
            old_totals, old_direct = rollup_counts(
                is_member=was_member,
                status=existing["party_profile__status"],
                is_floating=bool(existing["party_profile__is_floating"]),
            )
            deltas.append((existing["org_path"], _neg(old_totals), _neg(old_direct)))
            totals, direct = rollup_counts(
                is_member=is_member,
                status=cleaned.get("status"),
                is_floating=cleaned.get("is_floating", False),
            )
            deltas.append((org.path, totals, direct))
        _executemany(person_update_sql, person_rows)
        PartyMember.objects.filter(person_id__in=ids).delete()
        PersonSearchKey.objects.filter(person_id__in=ids).delete()
        _executemany(member_sql, members)
        _executemany(key_sql, keys)

    rollups.apply_deltas(deltas)
    paths = [d[0] for d in deltas]
    scope = commonprefix(paths) if paths else ""
    scope = scope[: len(scope) - len(scope) % Organization.steplen]
    result = {"created": len(plan.to_create), "updated": len(plan.to_update), "unchanged": plan.unchanged}
    audit.record(
        "people.roster.imported",
        actor=actor,
        org_path=scope,
        data={"filename": filename[:200], "rows": plan.rows_total, **result},
    )
    return result


def _neg(counts: dict) -> dict:
    return {k: -v for k, v in counts.items()}


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
