"""Recompute the activity rollups from activities and records; report (or --fix) any drift."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from dangqun.activities.models import ActivityRollup
from dangqun.activities.services.rollups import COUNTER_FIELDS, expected_rows, rebuild, recompute_rows


class Command(BaseCommand):
    help = "核对活动统计（开展次数、记录、参加人次）与活动数据是否一致；--fix 重建"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="发现不一致时按活动数据重建统计")

    def handle(self, *args, fix: bool, **options):
        expected = expected_rows(recompute_rows())
        stored = {
            (r.organization_id, r.month, r.activity_type_id, r.need_code): {
                f: getattr(r, f) for f in COUNTER_FIELDS
            }
            for r in ActivityRollup.objects.all()
        }
        zero = dict.fromkeys(COUNTER_FIELDS, 0)
        drift = [
            key for key in set(expected) | set(stored) if expected.get(key, zero) != stored.get(key, zero)
        ]
        if not drift:
            self.stdout.write(f"一致：{len(stored)} 行统计。")
            return
        self.stdout.write(f"不一致：{len(drift)} 组（组织, 月份, 类型, 需求类别）。")
        for key in sorted(drift, key=str)[:20]:
            want, have = expected.get(key, zero), stored.get(key, zero)
            diff = {f: (want[f], have[f]) for f in COUNTER_FIELDS if want[f] != have[f]}
            self.stdout.write(f"  {key}: （应为, 实为）{diff}")
        if fix:
            with transaction.atomic():
                rebuild(expected)
            self.stdout.write("已重建。")
