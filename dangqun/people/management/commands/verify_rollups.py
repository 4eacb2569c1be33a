"""Check (and with --fix, repair) organization rollups against the rows."""

from django.core.management.base import BaseCommand, CommandError

from dangqun.people import rollup_check


class Command(BaseCommand):
    help = "核对组织统计（党员数、群众数等）与实际数据是否一致"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="按实际数据修正")

    def handle(self, *args, fix: bool, **options):
        drift = rollup_check.differences()
        if not drift:
            self.stdout.write("组织统计与实际数据一致。")
            return
        for path, field, stored, actual in drift[:50]:
            self.stdout.write(f"{path} {field}: 记录 {stored}，实际 {actual}")
        if fix:
            rollup_check.fix()
            self.stdout.write(f"已修正 {len(drift)} 处差异。")
            return
        raise CommandError(f"发现 {len(drift)} 处差异；运行 verify_rollups --fix 修正。")
