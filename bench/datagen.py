"""Generate a large, realistic population for the search and count benchmarks.

Not through the services (a million rows that way would take an hour): the same columns the
roster writer fills, written with executemany, then rollups recomputed by rollup_check.fix().
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from django.db import connection, transaction

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解仇"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂建华文玉珍志国红梅海波宇浩然子涵欣怡思远晓荣岱慧琳雪婷鑫佳俊豪博瑞嘉颖晨阳"


def build_tree(streets: int = 10, communities: int = 10, branches: int = 5):
    """root → streets → communities → branches, through the org service (fast enough: ~600 nodes)."""
    from dangqun.orgs.models import Organization
    from dangqun.orgs.services import create_organization

    root = Organization.objects.filter(name="基准市委", depth=1).first()
    if root is not None:
        return root
    root = create_organization(actor=None, parent=None, name="基准市委", kind="local_committee")
    for s in range(streets):
        street = create_organization(actor=None, parent=root, name=f"基准第{s + 1}街道党工委", kind="working_committee")
        for c in range(communities):
            community = create_organization(
                actor=None, parent=street, name=f"基准{s + 1}-{c + 1}社区党委", kind="primary_committee"
            )
            for b in range(branches):
                create_organization(actor=None, parent=community, name=f"基准{s + 1}-{c + 1}-{b + 1}党支部", kind="branch")
    return root


def populate(total: int, *, seed: int = 20261129, batch: int = 20_000) -> None:
    from dangqun.core.validators import id_checksum_char
    from dangqun.orgs.models import Organization
    from dangqun.people.models import PartyMember, Person, PersonSearchKey
    from dangqun.people.rollup_check import fix
    from dangqun.people.search import keys_for

    if Person.objects.count() >= total:
        return
    branches = list(Organization.objects.filter(kind_id="branch", name__startswith="基准").values_list("id", "path"))
    rng = random.Random(seed)
    now = datetime(2026, 11, 29, tzinfo=UTC)
    q = connection.ops.quote_name
    person_cols = ["id", "name", "gender", "birth_date", "id_number", "mobile", "ethnicity", "employer",
                   "residence", "organization_id", "org_path", "created_at", "updated_at"]  # fmt: skip
    person_sql = f"INSERT INTO {q(Person._meta.db_table)} ({', '.join(map(q, person_cols))}) VALUES ({', '.join(['%s'] * len(person_cols))})"
    member_sql = f"INSERT INTO {q(PartyMember._meta.db_table)} (person_id, status, joined_on, cadre_level, post, is_floating) VALUES (%s, %s, %s, '', '', %s)"
    key_sql = f"INSERT INTO {q(PersonSearchKey._meta.db_table)} (person_id, {q('key')}, org_path) VALUES (%s, %s, %s)"
    next_id = (Person.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    with transaction.atomic():
        for start in range(0, total, batch):
            people, members, keys = [], [], []
            for n in range(start, min(start + batch, total)):
                org_id, path = branches[n % len(branches)]
                birth = date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))
                first17 = f"5{n // 1000:05d}{birth:%Y%m%d}{n % 1000:03d}"  # unique per n
                id_number = first17 + id_checksum_char(first17)
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
                mobile = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
                pid = next_id
                next_id += 1
                people.append((pid, name, "M" if int(id_number[16]) % 2 else "F", birth, id_number, mobile, "汉族",
                               "", "", org_id, path, now, now))  # fmt: skip
                if n % 10 == 0:
                    members.append((pid, "formal" if n % 70 else "probationary", date(2010, 7, 1), n % 170 == 0))
                keys.extend((pid, key, path) for key in keys_for(name, mobile, id_number))
            with connection.cursor() as cursor:
                cursor.executemany(person_sql, people)
                cursor.executemany(member_sql, members)
                cursor.executemany(key_sql, keys)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{Person._meta.db_table}', 'id'), (SELECT MAX(id) FROM {q(Person._meta.db_table)}))"
                )
    fix()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
