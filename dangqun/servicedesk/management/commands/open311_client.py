"""`manage.py open311_client "<name>" --org "<organization name>"`: register an Open311 client and
print its api_key once (only a hash is stored)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dangqun.orgs.models import Organization
from dangqun.servicedesk.services import register_open311_client


class Command(BaseCommand):
    help = "登记一个 Open311 客户端（其组织即辖区），并显示一次 api_key"

    def add_arguments(self, parser):
        parser.add_argument("name", help="客户端名称，如“12345 市民服务热线”")
        parser.add_argument("--org", required=True, help="辖区组织的名称（该组织及下级中心的服务可提交）")

    def handle(self, *args, name: str, org: str, **options):
        found = list(Organization.objects.filter(name=org, dissolved_at__isnull=True)[:2])
        if len(found) != 1:
            raise CommandError(f"找不到唯一名为“{org}”的组织（找到 {len(found)} 个）。")
        client, api_key = register_open311_client(actor=None, organization=found[0], name=name)
        self.stdout.write(f"已登记 Open311 客户端“{client.name}”（辖区：{found[0].name}）。")
        self.stdout.write(f"api_key（只显示这一次）：{api_key}")
