"""Write the PDFs of a quarter's filings (one per cadre) to a folder, e.g. for the paper archive."""

from __future__ import annotations

import statistics
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangqun.core.errors import DomainError
from dangqun.orglife.batch import render_quarter_pdfs
from dangqun.orglife.quarters import parse


class Command(BaseCommand):
    help = "生成某季度全部领导干部报备的 PDF（报告单 + 组织生活纪实）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True)
        parser.add_argument("--out", required=True, help="output folder")
        parser.add_argument("--org-path", default="", help="only filings under this tree path")

    def handle(self, *args, **options):
        quarter = parse(options["year"], options["quarter"])
        if quarter is None:
            raise CommandError("季度无效")
        try:
            result = render_quarter_pdfs(quarter, out_dir=Path(options["out"]), org_path=options["org_path"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        median = statistics.median(result.timings) * 1000 if result.timings else 0
        self.stdout.write(
            f"{result.count} PDF, {result.bytes / 1e6:.1f} MB, {result.seconds:.1f} s, median {median:.0f} ms"
        )
