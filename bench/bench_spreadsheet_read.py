"""Benchmark the roster spreadsheet reader against a bare openpyxl read-only pass.

    .venv/bin/python bench/bench_spreadsheet_read.py [--rows 100000] [--repeat 3] [--regenerate]

The workbook (a title row, a header row, then ROWS × 12 columns of Chinese names, 18-char
ID strings, phones, dates and branch names) is written once with openpyxl write_only and
cached under var/bench/.  openpyxl (without lxml) writes every string inline; Excel and WPS
save strings in a shared-string table instead, so a second copy with the strings moved
there ("shared") is timed too.  Each reader runs in its own child process, so the peak RSS
(resource.getrusage) printed for it is its own.  Target: ours ≤ 0.6 × openpyxl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "var" / "bench"
HEADERS = [
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "手机号码",
    "出生日期",
    "入党日期",
    "所在党支部",
    "党员类型",
    "学历",
    "现居住地址",
    "备注",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文玉珍志国红梅海波宇浩然子涵欣怡思远"
BRANCHES = [f"顺城社区第{n}党支部" for n in "一二三四五六七八"] + ["退休党员党支部", "流动党员党支部"]


SST_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
INLINE_CELL = re.compile(r'<c([^>]*?)t="inlineStr"><is>(.*?)</is></c>')


def workbook_path(rows: int, variant: str) -> Path:
    suffix = "" if variant == "inline" else "_shared"
    return CACHE_DIR / f"roster_{rows}{suffix}.xlsx"


def generate(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(20260101)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["顺城社区党员花名册 2026年"])
    sheet.append(HEADERS)
    for number in range(1, rows + 1):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 65))
        joined = birth + dt.timedelta(days=365 * 18 + rng.randrange(0, 365 * 20))
        id_body = f"{rng.randrange(110000, 660000)}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
        sheet.append(
            [
                number,
                rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                rng.choice(("男", "女")),
                id_body + rng.choice("0123456789X"),
                f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}",
                birth,
                joined,
                rng.choice(BRANCHES),
                rng.choice(("正式党员", "正式党员", "预备党员")),
                rng.choice(("大学本科", "大专", "高中", "硕士研究生", "初中")),
                f"抚顺市顺城区新华街道{rng.randrange(1, 200)}号楼{rng.randrange(1, 7)}单元{rng.randrange(101, 1802)}",
                rng.choice((None, None, None, "在职", "离退休", "流动党员，现居沈阳")),
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    workbook.save(partial)
    partial.replace(path)


def share_strings(source_path: Path, target_path: Path) -> None:
    """Copy a workbook, moving its inline strings into xl/sharedStrings.xml as Excel does."""
    strings: dict[str, int] = {}

    def share(match: re.Match) -> str:
        index = strings.setdefault(match.group(2), len(strings))
        return f'<c{match.group(1)}t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(source_path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = INLINE_CELL.sub(share, parts[sheet].decode()).encode()
    items = "".join(f"<si>{text}</si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{MAIN_NS}" uniqueCount="{len(strings)}">{items}</sst>'.encode()
    )
    parts["[Content_Types].xml"] = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_CONTENT_TYPE}"/></Types>',
        )
        .encode()
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = (
        parts[rels]
        .decode()
        .replace(
            "</Relationships>",
            f'<Relationship Id="rIdStrings" Type="{SST_REL_TYPE}" Target="sharedStrings.xml"/></Relationships>',
        )
        .encode()
    )
    partial = target_path.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    partial.replace(target_path)


def run_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    count = 0
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        count += 1
    workbook.close()
    return count


def run_ours(path: Path) -> int:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)
    from dangqun.core.spreadsheets import open_table

    count = 0
    with path.open("rb") as handle:
        table = open_table(
            handle,
            filename=path.name,
            max_bytes=200 * 1024 * 1024,
            required_headers=["姓名", "身份证号"],
        )
        for _row in table.rows():
            count += 1
    return count


def child(mode: str, path: Path, repeat: int) -> None:
    runner = run_openpyxl if mode == "openpyxl" else run_ours
    timings = []
    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = runner(path)
        timings.append(time.perf_counter() - started)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": timings, "rows": rows, "peak_rss_mb": peak_mb}))


def run_child(mode: str, path: Path, *, rows: int = 0, repeat: int = 1) -> str:
    command = [sys.executable, __file__, "--child", mode, "--path", str(path), "--rows", str(rows)]
    command += ["--repeat", str(repeat)]
    return subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout


def measure(mode: str, path: Path, repeat: int) -> dict:
    return json.loads(run_child(mode, path, repeat=repeat).strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--variants", default="inline,shared", help="comma-separated: inline, shared")
    parser.add_argument("--child", choices=("openpyxl", "ours", "generate", "share"))
    parser.add_argument("--path", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child == "generate":
        generate(args.path, args.rows)
        return
    if args.child == "share":
        share_strings(workbook_path(args.rows, "inline"), args.path)
        return
    if args.child:
        child(args.child, args.path, args.repeat)
        return

    if args.regenerate:
        for variant in ("inline", "shared"):
            workbook_path(args.rows, variant).unlink(missing_ok=True)
    for variant in args.variants.split(","):
        path = prepare(variant, args.rows)
        report(variant, path, args.rows, args.repeat)


def prepare(variant: str, rows: int) -> Path:
    """The cached workbook, built first if missing (in a child, so its memory stays out of
    the parent whose peak RSS the measuring children would otherwise inherit)."""
    inline = workbook_path(rows, "inline")
    if not inline.exists():
        print(f"generating {inline} …", flush=True)
        started = time.perf_counter()
        run_child("generate", inline, rows=rows)
        print(f"  written in {time.perf_counter() - started:.1f} s", flush=True)
    path = workbook_path(rows, variant)
    if variant == "shared" and not path.exists():
        run_child("share", path, rows=rows)
    return path


def report(variant: str, path: Path, rows: int, repeat: int) -> None:
    size = path.stat().st_size / 1024 / 1024
    print(f"\n[{variant} strings] {path.name}: {size:.1f} MB, {rows} data rows × {len(HEADERS)} columns")
    baseline = measure("openpyxl", path, repeat)
    ours = measure("ours", path, repeat)
    for name, result in (("openpyxl read-only", baseline), ("dangqun reader", ours)):
        runs = ", ".join(f"{seconds:.2f}" for seconds in result["seconds"])
        print(
            f"  {name:<20} best {min(result['seconds']):6.2f} s  (runs: {runs})  "
            f"rows {result['rows']}  peak RSS {result['peak_rss_mb']:.0f} MB"
        )
    ratio = min(ours["seconds"]) / min(baseline["seconds"])
    print(f"  ratio ours/openpyxl: {ratio:.2f}  (target ≤ 0.60)", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
