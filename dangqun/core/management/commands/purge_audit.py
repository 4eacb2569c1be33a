"""Delete audit entries older than N days; refuses to keep fewer than the legal minimum (180)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangqun.core import audit
from dangqun.core.models import AuditEntry


class Command(BaseCommand):
    help = "删除超过保留期的审计记录（至少保留 180 天）"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365, help="保留天数（≥ 180）")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days: int, dry_run: bool, **options):
        minimum = settings.AUDIT_MIN_RETENTION_DAYS
        if days < minimum:
            raise CommandError(f"保留期不能少于 {minimum} 天（网络安全法：日志留存不少于六个月）。")
        cutoff = timezone.now() - timedelta(days=days)
        old = AuditEntry.objects.filter(occurred_at__lt=cutoff)
        count = old.count()
        if not dry_run and count:
            old.delete()
            audit.record(
                "core.audit.purged",
                actor_label="system",
                data={"deleted": count, "cutoff": cutoff.isoformat(), "days": days},
            )
        self.stdout.write(f"{'将删除' if dry_run else '已删除'} {count} 条 {cutoff:%Y-%m-%d} 之前的审计记录。")
