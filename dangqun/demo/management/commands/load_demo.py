"""`manage.py load_demo [--small]`: the seed's organizations, building and people, and demo logins."""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand

from dangqun.buildings.selectors import coverage_summary
from dangqun.demo.accounts import feature_login_rows, login_rows
from dangqun.demo.loader import load_demo
from dangqun.demo.residents import COMPOUND
from dangqun.orgs.models import Organization
from dangqun.people.models import PartyMember, Person

HEADERS = ("用户名", "密码", "角色", "组织", "先试试")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows: list[tuple[str, ...]]) -> str:
    """Columns aligned for a terminal that shows CJK characters two cells wide."""
    widths = [max(_width(row[i]) for row in [HEADERS, *rows]) for i in range(len(HEADERS) - 1)]
    lines = []
    for row in [HEADERS, *rows]:
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]))
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 10)
    return "\n".join(lines)


class Command(BaseCommand):
    help = "载入演示数据（可重复运行：已有的数据不会重复写入）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--small",
            action="store_true",
            help="精简版（测试用）：保留全部具名组织、人物与 37 家企业、180 户 618 人，其余生成人员较少",
        )

    def handle(self, *args, small: bool, **options):
        result = load_demo(small=small)
        summary = coverage_summary(result.building)
        write = self.stdout.write
        if result.created_total:
            write(f"演示数据已载入，用时 {result.seconds:.1f} 秒。")
        else:
            write(f"演示数据已存在，未写入任何记录（核对用时 {result.seconds:.1f} 秒）。")
        write(
            "本次新建：组织 {organizations}，楼宇与企业 {buildings_and_enterprises}，人员 {people}，"
            "账号/授权/关联 {accounts_grants_links}。".format(**result.created)
        )
        write(
            f"库中共有：组织 {Organization.objects.count()} 个，人员 {Person.objects.count()} 人"
            f"（党员 {PartyMember.objects.count()} 人）。"
        )
        write(
            f"{result.building.name}：入驻企业 {summary.total} 家，已覆盖 {summary.covered} 家，"
            f"未覆盖 {summary.uncovered} 家（员工 {summary.uncovered_employees} 人）。"
        )
        compound = Person.objects.filter(residence__startswith=COMPOUND)
        mediators = Person.objects.filter(pk__in=result.mediators).order_by("birth_date")
        write(
            f"{COMPOUND}：{compound.values('residence').distinct().count()} 户、{compound.count()} 人"
            f"（党员 {compound.filter(party_profile__isnull=False).count()} 人）；"
            f"矛盾调解室的 5 名老党员：{'、'.join(p.name for p in mediators)}。"
        )
        write("")
        write(format_table(login_rows(result.orgs) + feature_login_rows(result.login_hints)))
