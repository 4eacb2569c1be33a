"""The quarter's PDFs for 1,000 leading cadres as a batch job, beside its floor.

    .venv/bin/python bench/bench_reports_pdf.py [--cadres 1000] [--fresh]

Data (scratch database under var/bench/orglife, reused between runs unless --fresh) is generated
through the orglife and activities services, not a fast path: 100 branches of 10 cadres each; every
branch holds last quarter's 组织生活会 (paper sign-in, approved record with a photo); each cadre
has a 纪实 with an outline and a signed-off 报告单; the branch's 区级领导 also guides the next branch
(contact point, assigned before the meeting is published, so he is invited to that branch
meeting: second meeting, second report); every cadre files the quarter.

Measured in a child process (so that the peak RSS is the batch's own): the batch job
`dangqun.orglife.batch.render_quarter_pdfs` over all filings (one PDF per cadre: the 纪实 table and
every 报告单, A4, footer 第 N 页 / 共 M 页, QR), total time, per-PDF median and p95, peak memory
(resource.getrusage); the floor beside it: WeasyPrint rendering a minimal one-page Chinese HTML in
the same process with the same font configuration. Target (issue 4): per-PDF median ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import BENCH_DIR, peak_rss_mb, percentile, setup_django  # noqa: E402

DB = "orglife"
PER_BRANCH = 10
TARGET_MS = 300
FLOOR_HTML = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
    '@page { size: A4; margin: 20mm; } * { font-family: "Noto Sans CJK SC"; font-weight: normal; }'
    "</style></head><body><p>党员领导干部参加党的组织生活报告单</p></body></html>"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂建华文玉珍志国红梅海波宇浩然子涵欣怡思远"


def _local(day: date, hour: int) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, dtime(hour, 0)))


def _quarter():
    from django.utils import timezone

    from dangqun.orglife.quarters import Quarter

    return Quarter.of(timezone.localdate()).previous()


def _photo(seed: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 200), (150 + seed % 100, 40, 40)).save(out, "JPEG", quality=80)
    return out.getvalue()


def _meeting(branch, starts, people, host, seed):
    from dangqun.activities.services import activities as acts
    from dangqun.activities.services import records
    from dangqun.activities.services.attendance import enter_paper_sheet

    activity = acts.create_activity(
        actor=None, organization=branch, activity_type="org_life_meeting", title=f"{branch.name}组织生活会",
        place_text="党员活动室", starts_at=starts, ends_at=starts + timedelta(hours=2), audience="branch", publish=True,
    )  # fmt: skip
    enter_paper_sheet(actor=None, activity=activity, person_ids=[p.pk for p in people], signed_at=starts)
    activity = acts.finish_activity(actor=None, activity=activity, now=starts + timedelta(hours=3))
    record = records.start_record(actor=None, activity=activity)
    records.update_record(actor=None, record=record, host=host, recorder_name="记录员", plan="议程",
                          minutes="学习党章党规，开展批评与自我批评，明确整改措施。")  # fmt: skip
    records.add_attachment(actor=None, record=record, kind="photo", name="现场.jpg", data=_photo(seed))
    record = records.submit_record(actor=None, record=record)
    records.review_record(actor=None, record=record, approve=True)
    return activity


def _report(cadre, activity, signer_name):
    from dangqun.orglife import services

    attendance = services.start_attendance(actor=None, cadre=cadre, activity=activity)
    services.update_attendance(
        actor=None, attendance=attendance, outline_text="一、学习体会\n二、查摆问题\n三、整改措施",
        guidance="指导支部规范“三会一课”记录。" if attendance.role == "contact" else None,
    )  # fmt: skip
    report = services.create_report(actor=None, attendance=attendance)
    services.update_report(
        actor=None, report=report, speech_summary="以普通党员身份参加会议，作对照检查发言，查摆问题两条。" * 3,
        criticism="提出批评意见两条，接受批评意见一条。", rectification="一、每月开展调研；二、每季度到联系点参加组织生活。",
        public_summary="参加组织生活会并作对照检查发言。",
    )  # fmt: skip
    report = services.submit_report(actor=None, report=report)
    services.sign_off_report(actor=None, report=report, signer_name=signer_name)


def generate(cadres: int) -> float:
    """Build the data through the services (skipped when the quarter's filings already exist)."""
    from django.db import transaction

    from dangqun.orglife import services
    from dangqun.orglife.models import QuarterlyFiling
    from dangqun.orgs.services import create_organization
    from dangqun.people.services import register_person
    from dangqun.testing.factories import make_id_number

    quarter = _quarter()
    if QuarterlyFiling.objects.filter(year=quarter.year, quarter=quarter.number).count() >= cadres:
        return 0.0
    started = time.perf_counter()
    branches_needed = (cadres + PER_BRANCH - 1) // PER_BRANCH
    with transaction.atomic():
        district = create_organization(actor=None, parent=None, name="基准区委", kind="local_committee")
        create_organization(actor=None, parent=district, name="基准区委组织部", kind="department")
        organs = create_organization(
            actor=None, parent=district, name="基准区直属机关工委", kind="working_committee"
        )
        branches = [
            create_organization(actor=None, parent=organs, name=f"基准区第{i + 1}机关党支部", kind="branch")
            for i in range(branches_needed)
        ]
    people: dict[int, list] = {}
    serial = 0
    for index, branch in enumerate(branches):
        members = []
        with transaction.atomic():
            for n in range(PER_BRANCH):
                serial += 1
                name = (
                    SURNAMES[serial % len(SURNAMES)]
                    + GIVEN[(serial * 7) % len(GIVEN)]
                    + GIVEN[(serial * 13) % len(GIVEN)]
                )
                members.append(register_person(actor=None, organization=branch, data={
                    "name": name, "id_number": make_id_number(date(1965 + serial % 15, 1 + serial % 12, 1 + serial % 28),
                                                              seq=serial % 500, area=f"5301{serial // 500:02d}"),
                    "category": "member", "status": "formal", "joined_on": date(2000, 7, 1),
                    "cadre_level": "county" if n == 0 else "township", "post": "支部书记" if n == 1 else "",
                }))  # fmt: skip
        people[index] = members
    day = quarter.last_day - timedelta(days=20)
    for index, branch in enumerate(branches):
        with transaction.atomic():
            leader_prev = people[(index - 1) % len(branches)][
                0
            ]  # the previous branch's 区级领导 guides this one
            if len(branches) > 1:
                services.assign_contact_point(actor=None, cadre=leader_prev, branch=branch, year=quarter.year)
            guests = [leader_prev] if len(branches) > 1 else []
            meeting = _meeting(branch, _local(day, 9), people[index] + guests, people[index][1], index)
            for cadre in people[index]:
                _report(cadre, meeting, people[index][1].name if cadre != people[index][1] else "副书记")
            for guest in guests:
                _report(guest, meeting, people[index][1].name)
        print(f"  branch {index + 1}/{len(branches)}", end="\r", flush=True)
    filed_at = _local(quarter.last_day + timedelta(days=2), 10)
    for index in range(len(branches)):
        with transaction.atomic():
            for cadre in people[index]:
                services.submit_filing(actor=None, cadre=cadre, quarter=quarter, now=filed_at)
    print()
    return time.perf_counter() - started


def measure(limit: int | None) -> dict:
    """In a fresh process: the floor, then the batch job over the quarter's filings."""
    from weasyprint import HTML

    from dangqun.orglife import pdf
    from dangqun.orglife.batch import render_quarter_pdfs
    from dangqun.orglife.models import OrgLifeReport

    pdf.check_font()
    config = pdf._font_config()
    HTML(string=FLOOR_HTML).write_pdf(font_config=config)  # warm the font cache
    floors = []
    for _ in range(30):
        begin = time.perf_counter()
        HTML(string=FLOOR_HTML).write_pdf(font_config=config)
        floors.append(time.perf_counter() - begin)
    rss_before = peak_rss_mb()
    out_dir = BENCH_DIR / DB / "pdfs"
    load_before = os.getloadavg()[0]
    result = render_quarter_pdfs(_quarter(), out_dir=out_dir, limit=limit)
    singles = []
    for report in OrgLifeReport.objects.order_by("id")[:100]:
        begin = time.perf_counter()
        pdf.report_pdf(report)
        singles.append(time.perf_counter() - begin)
    return {
        "single_median_ms": statistics.median(singles) * 1000,
        "single_count": len(singles),
        "cpu_median_ms": statistics.median(result.cpu_timings) * 1000,
        "load": [load_before, os.getloadavg()[0]],
        "count": result.count,
        "total_s": result.seconds,
        "median_ms": statistics.median(result.timings) * 1000,
        "p95_ms": percentile(result.timings, 95) * 1000,
        "max_ms": max(result.timings) * 1000,
        "mb": result.bytes / 1e6,
        "floor_ms": statistics.median(floors) * 1000,
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_mb": rss_before,
        "out_dir": str(out_dir),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cadres", type=int, default=1000)
    parser.add_argument("--fresh", action="store_true", help="rebuild the scratch database")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        setup_django(DB)
        print(json.dumps(measure(args.cadres)))
        return
    setup_django(DB, fresh=args.fresh)
    seconds = generate(args.cadres)
    if seconds:
        print(f"data: {args.cadres} cadres generated through the services in {seconds:.0f} s")
    child = subprocess.run(
        [sys.executable, __file__, "--measure", "--cadres", str(args.cadres)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    r = json.loads(child.stdout.strip().splitlines()[-1])
    print(
        f"quarter PDFs (one per cadre: 纪实 + 报告单), {r['count']} files, {r['mb']:.1f} MB in {r['out_dir']}"
    )
    print(f"  total            {r['total_s']:8.1f} s   ({r['count'] / r['total_s']:.1f} PDF/s)")
    print(
        f"  per-PDF median   {r['median_ms']:8.0f} ms  (target ≤ {TARGET_MS} ms: {'OK' if r['median_ms'] <= TARGET_MS else 'MISSED'})"
    )
    print(f"  per-PDF p95      {r['p95_ms']:8.0f} ms   max {r['max_ms']:.0f} ms")
    print(f"  per-PDF CPU time median {r['cpu_median_ms']:.0f} ms (this process only: robust to other load)")
    print(f"  one 报告单 alone (1 page), {r['single_count']} of them: median {r['single_median_ms']:.0f} ms")
    print(
        f"  floor: minimal one-page Chinese HTML → PDF, same process and fonts: median {r['floor_ms']:.0f} ms"
    )
    print(f"  ratio median / floor: {r['median_ms'] / r['floor_ms']:.2f}×")
    print(
        f"  peak RSS of the batch process: {r['peak_rss_mb']:.0f} MB (before the batch: {r['rss_before_mb']:.0f} MB)"
    )
    load = r["load"]
    print(
        f"  machine load average (1 min) before / after: {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
