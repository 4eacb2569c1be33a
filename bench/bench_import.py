"""Roster import of N rows from XLSX, beside its floor: a bare openpyxl read-only pass.

    .venv/bin/python bench/bench_import.py [--rows 100000]

Target (issue 2): import ≤ 2× the floor, peak memory ≤ 500 MB. Each measurement runs in its
own child process so that the peak RSS printed is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BENCH_DIR, peak_rss_mb, setup_django  # noqa: E402

HEADERS = [
    "姓名",
    "身份证号",
    "所属组织",
    "人员类别",
    "手机号",
    "党员状态",
    "入党日期",
    "性别",
    "民族",
    "工作单位",
    "居住地址",
    "流动党员",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈单解仇"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂建华文玉珍志国红梅海波宇浩然子涵欣怡思远晓荣岱慧"
BRANCH_COUNT = 40


def branch_name(i: int) -> str:
    return f"基准社区第{i + 1}党支部"


def workbook(rows: int) -> Path:
    path = BENCH_DIR / f"import_{rows}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    from dangqun.core.validators import id_checksum_char

    rng = random.Random(20261129)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(["基准社区党员花名册"])
    sheet.append(HEADERS)
    for n in range(rows):
        birth = date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28))
        first17 = f"530102{birth:%Y%m%d}{n % 1000:03d}"
        # make every ID unique: vary the area code by the row number's thousands
        first17 = f"53{(n // 1000) % 100:02d}{(n // 100000) % 100:02d}{birth:%Y%m%d}{n % 1000:03d}"
        id_number = first17 + id_checksum_char(first17)
        member = n % 3 != 0
        sheet.append([
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            id_number,
            branch_name(n % BRANCH_COUNT),
            "党员" if member else "群众",
            f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
            ("正式党员" if n % 7 else "预备党员") if member else "",
            date(2019, 1, 1 + n % 28) if member and n % 7 == 0 else (date(max(birth.year + 19, 1980), 7, 1) if member else None),
            "",
            "汉族",
            "招银大厦某公司",
            f"顺城街{n % 500}号",
            "否" if member else "",
        ])  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def floor(path: str) -> dict:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=False)
    count = sum(1 for _row in book.active.iter_rows(values_only=True))
    book.close()
    return {"seconds": time.perf_counter() - start, "rows": count, "peak_mb": peak_rss_mb()}


def ours(path: str) -> dict:
    setup_django("import", fresh=True)
    from dangqun.accounts.models import User
    from dangqun.accounts.services import grant_role
    from dangqun.orgs.services import create_organization
    from dangqun.people import roster
    from dangqun.people.models import Person

    root = create_organization(actor=None, parent=None, name="基准区委", kind="local_committee")
    community = create_organization(actor=None, parent=root, name="基准社区党委", kind="primary_committee")
    for i in range(BRANCH_COUNT):
        create_organization(actor=None, parent=community, name=branch_name(i), kind="branch")
    actor = User.objects.create_user("bench-importer", password="Bench@2026x")
    grant_role(actor=None, user=actor, organization=community, role="org_admin")

    start = time.perf_counter()
    with open(path, "rb") as handle:
        plan = roster.analyse(handle, filename="import.xlsx", actor=actor, today=date(2026, 11, 29))
    analysed = time.perf_counter()
    if plan.errors:
        raise SystemExit(f"unexpected errors: {[str(e) for e in plan.errors[:5]]}")
    result = roster.commit(plan, actor=actor, filename="import.xlsx")
    done = time.perf_counter()
    return {
        "seconds": done - start,
        "analyse_seconds": analysed - start,
        "write_seconds": done - analysed,
        "created": result["created"],
        "persons": Person.objects.count(),
        "peak_mb": peak_rss_mb(),
    }


def child(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--path", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(floor(args.path) if args.child == "floor" else ours(args.path)))
        return
    setup_django("import")
    path = workbook(args.rows)
    bare = child("floor", path)
    real = child("ours", path)
    ratio = real["seconds"] / bare["seconds"]
    print(f"roster import, {args.rows:,} rows from XLSX")
    print(f"  floor  bare openpyxl read-only pass: {bare['seconds']:.2f} s  (peak {bare['peak_mb']:.0f} MB)")
    print(
        f"  ours   analyse + commit: {real['seconds']:.2f} s = {ratio:.2f}× floor "
        f"(analyse {real['analyse_seconds']:.2f} s, write {real['write_seconds']:.2f} s), "
        f"peak {real['peak_mb']:.0f} MB, {real['created']:,} created"
    )
    print(
        f"  target ≤ 2.00× floor and ≤ 500 MB: {'PASS' if ratio <= 2 and real['peak_mb'] <= 500 else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
