"""Build the derived PDF font once (deployment step; otherwise the first PDF builds it)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from dangqun.orglife import fonts, pdf


class Command(BaseCommand):
    help = "生成 PDF 使用的中文字体子集（取自 Debian fonts-noto-cjk）"

    def handle(self, *args, **options):
        family = pdf.font_family()
        if fonts.installed(family) is None:
            raise CommandError(f"缺少中文字体“{family}”（Debian 软件包 fonts-noto-cjk）")
        started = time.perf_counter()
        path = fonts.subset_font(family, build=True)
        if path is None:
            raise CommandError("ORGLIFE_PDF_FONT_SUBSET 已关闭")
        self.stdout.write(
            f"{path} ({path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s)"
        )
