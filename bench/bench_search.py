"""People search over N generated persons, in one street's scope, and subtree member counts.

    .venv/bin/python bench/bench_search.py [--persons 1000000] [--queries 300]

Targets (issue 2): search p95 ≤ 50 ms for name, pinyin-initials and phone-tail queries in a
street's scope; member count of any subtree p95 ≤ 5 ms. Floors in the same run: the same key
range scan as raw SQL on the same connection (search), a raw primary-key read (count), and,
for scale, the COUNT(*) over the subtree that the rollup replaces.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import percentile, setup_django  # noqa: E402


def timed(fn, runs) -> list[float]:
    out = []
    for arg in runs:
        start = time.perf_counter()
        fn(arg)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    setup_django(f"search_{args.persons}")

    from django.db import connection

    from bench import datagen
    from dangqun.accounts.models import User
    from dangqun.accounts.services import grant_role
    from dangqun.orgs.models import Organization
    from dangqun.orgs.selectors import subtree_member_count
    from dangqun.people.models import Person, PersonSearchKey
    from dangqun.people.search import prefix_upper_bound, query_prefixes
    from dangqun.people.selectors import people_visible_to, search_person_ids

    start = time.perf_counter()
    root = datagen.build_tree()
    datagen.populate(args.persons)
    generated = time.perf_counter() - start
    street = Organization.objects.filter(depth=2, path__startswith=root.path).order_by("path")[3]
    user, _ = User.objects.get_or_create(username="bench-street-secretary")
    grant_role(actor=None, user=user, organization=street, role="secretary")
    in_street = Person.objects.filter(org_path__startswith=street.path).count()

    rng = random.Random(7)
    sample = list(
        Person.objects.filter(org_path__startswith=street.path).values_list("name", "mobile")[: 20000]
    )
    picks = [rng.choice(sample) for _ in range(args.queries)]
    from dangqun.core.pinyin import name_pinyin_keys

    queries = {
        "name": [name for name, _m in picks],
        "name prefix (surname+1)": [name[:2] for name, _m in picks],
        "pinyin initials": [name_pinyin_keys(name)[1][0] for name, _m in picks],
        "phone tail (4)": [mobile[-4:] for _n, mobile in picks],
    }
    visible = people_visible_to(user)

    def search(q):
        ids = search_person_ids(user, q, limit=20)
        list(visible.filter(pk__in=ids))

    table = PersonSearchKey._meta.db_table

    def raw(q):
        with connection.cursor() as cursor:
            for prefix in query_prefixes(q):
                cursor.execute(
                    f"SELECT person_id FROM {table} WHERE key >= %s AND key < %s AND org_path LIKE %s "
                    "ORDER BY key, person_id LIMIT 40",
                    [prefix, prefix_upper_bound(prefix), street.path + "%"],
                )
                cursor.fetchall()

    for q in queries["name"][:20]:  # warm the page cache
        search(q)
    print(f"people search, {Person.objects.count():,} persons ({in_street:,} in the street's scope); data ready in {generated:.0f} s")
    for label, qs in queries.items():
        ours = timed(search, qs)
        floor = timed(raw, qs)
        p95, f95 = percentile(ours, 95), percentile(floor, 95)
        print(
            f"  {label:<24} p50 {percentile(ours, 50):6.2f} ms  p95 {p95:6.2f} ms   floor (raw key scan) p95 {f95:6.2f} ms"
            f"   target p95 ≤ 50 ms: {'PASS' if p95 <= 50 else 'FAIL'}"
        )

    orgs = list(Organization.objects.values_list("id", "path"))
    picks = [rng.choice(orgs) for _ in range(args.queries)]
    ours = timed(lambda o: subtree_member_count(o[0]), picks)

    def raw_pk(o):
        with connection.cursor() as cursor:
            cursor.execute("SELECT members_total FROM orgs_orgrollup WHERE organization_id = %s", [o[0]])
            cursor.fetchone()

    floor = timed(raw_pk, picks)
    naive = timed(
        lambda o: Person.objects.filter(org_path__startswith=o[1], party_profile__isnull=False).count(), picks[:30]
    )
    p95 = percentile(ours, 95)
    print(
        f"subtree member count ({len(orgs)} nodes): p50 {percentile(ours, 50):.3f} ms  p95 {p95:.3f} ms   "
        f"floor (raw pk read) p95 {percentile(floor, 95):.3f} ms   COUNT(*) over the subtree p95 {percentile(naive, 95):.1f} ms"
        f"   target p95 ≤ 5 ms: {'PASS' if p95 <= 5 else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
