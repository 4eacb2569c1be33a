"""Demo data of the service desk and the wish wall at the 招银大厦 "金领" center.

Through the services with actor None; idempotent (items by code, requests by item and description,
wishes by center and title). Times are computed back from today so that "overdue" and "this month"
mean something on the day the demo is shown. Skipped when the centers demo has not made the center.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from dangqun.buildings.models import Enterprise
from dangqun.centers.models import ServiceCenter
from dangqun.orgs.models import Organization
from dangqun.people.models import Person
from dangqun.servicedesk import services
from dangqun.servicedesk.enums import Channel, PromiseUnit
from dangqun.servicedesk.models import ServiceItem, ServiceRequest, Wish

CENTER_SLUG = "jinling"

# 楼宇企业服务站 (seed): code, name, group, target groups, materials, promise (value, unit), description.
ITEMS = [
    ("jinling-policy-talk", "政策宣讲", "党建服务", ["party_org", "enterprise", "member"], [],
     (10, PromiseUnit.WORKING_DAYS), "为楼宇企业和党组织上门宣讲最新政策，可预约时间和场地。"),
    ("jinling-forum", "企业论坛交流", "企业服务", ["enterprise"], [], (10, PromiseUnit.WORKING_DAYS),
     "组织楼宇企业之间的主题论坛、沙龙和交流活动。"),
    ("jinling-registration", "代办企业登记注册", "企业服务", ["enterprise"],
     ["登记申请书", "法定代表人（负责人）身份证复印件", "住所（经营场所）使用证明", "上级单位授权书（分支机构）"],
     (5, PromiseUnit.WORKING_DAYS), "帮助入驻企业代办设立、变更、分支机构登记。"),
    ("jinling-hr", "人力资源专业化服务", "企业服务", ["enterprise"], ["岗位需求说明"], (5, PromiseUnit.WORKING_DAYS),
     "招聘对接、劳动关系咨询、人才政策申报，联合 HRP 人才服务站办理。"),
    ("jinling-health", "健康服务管理", "员工关爱", ["enterprise", "individual"], [], (3, PromiseUnit.WORKING_DAYS),
     "健康讲座、体检咨询、职场心理疏导。"),
    ("jinling-housekeeping", "家政服务", "员工关爱", ["individual"], [], (48, PromiseUnit.HOURS),
     "为楼宇员工和周边居民对接家政、保洁、养老照护服务。"),
    ("jinling-consult", "政策咨询", "企业服务", ["enterprise", "individual"], [], (24, PromiseUnit.HOURS),
     "税收、社保、人才、子女入学等政策的咨询解答。"),
]  # fmt: skip


@dataclass
class RequestSpec:
    item: str
    enterprise: str  # prefix of an enterprise in 招银大厦, or "" for a resident
    name: str
    mobile: str
    description: str
    days_ago: int
    steps: list[tuple] = field(default_factory=list)  # (action, kwargs)
    urgent: bool = False


REQUESTS = [
    # JOURNEYS.md 2 starts here: filed at the kiosk this morning, waiting for the staff.
    RequestSpec("jinling-registration", "大华银行", "周敏", "13629475810",
                "我行拟在招银大厦 16 层增设营业部，需要办理分支机构登记，请协助代办。", 0),
    RequestSpec("jinling-hr", "渣打银行", "Lim Wei", "13708712266",
                "下季度需招聘两名理财经理，希望对接人才服务站，了解昆明人才补贴政策。", 3,
                [("accept", {}), ("refer", {"to": "HRP人才服务站", "note": "人才服务站专业对接"})]),
    RequestSpec("jinling-consult", "普华永道", "陈思远", "13987122031",
                "咨询高新技术企业认定的最新政策和申报时间。", 9,
                [("accept", {}), ("assign", {}), ("start", {"days": 1}),
                 ("resolve", {"note": "已电话解答并发送政策原文和申报指南。"}), ("rate", {"score": 5, "comment": "回复及时、专业。"})]),
    RequestSpec("jinling-health", "新东方", "马晓雯", "13888516420",
                "希望为 120 名员工组织一次健康讲座和体检咨询。", 14,
                [("accept", {}), ("assign", {}), ("start", {"days": 4}),
                 ("resolve", {"note": "已联系社区卫生服务中心，于本月第二周到校开展讲座。"}),
                 ("rate", {"score": 2, "comment": "时间安排比预期晚了一周。"})]),
    RequestSpec("jinling-forum", "马来亚银行", "Aisyah", "13529087713",
                "希望参加楼宇外资企业交流沙龙，并推荐两家东盟合作企业参加。", 16),
    RequestSpec("jinling-consult", "@generated", "李建华", "13759023318",
                "员工子女今年秋季入学，户籍不在昆明，想了解随迁子女入学政策，时间很急。", 2,
                [("accept", {}), ("assign", {}), ("request_info", {"note": "请提供居住证和社保缴纳证明的照片。"})],
                urgent=True),
    RequestSpec("jinling-housekeeping", "", "王桂芬", "13808710542",
                "家中老人行动不便，需要每周两次的保洁和陪护服务。", 1, [("accept", {})]),
]  # fmt: skip


@dataclass
class WishSpec:
    title: str
    description: str
    kind: str
    state: str  # pending | open | claimed | done | rated | rejected
    claimer: str = ""  # a demo login
    days_ago: int = 0
    thanks: str = ""
    shown_name: str = ""


WISHES = [
    WishSpec("想要一台收音机", "退休在家，眼睛不好，想听听新闻和滇剧。", "material", "open", days_ago=2),
    WishSpec("想学用智能手机视频通话", "孩子在外地工作，想学会和孙子视频。", "spiritual", "claimed", "liuhui", 6),
    WishSpec("希望有人陪同去医院复查", "老伴腿脚不便，下周三要去延安医院复查。", "spiritual", "done", "yangzhiyu", 12),
    WishSpec("想要一副老花镜", "看报纸的眼镜坏了。", "material", "rated", "liuhui", 20,
             thanks="谢谢楼上的党员同志，眼镜戴着正合适！", shown_name="李奶奶"),
    WishSpec("想要一套大字版象棋", "和老伙计们在小区下棋用。", "material", "pending", days_ago=1),
    WishSpec("希望小区加装电梯", "住六楼上下楼困难。", "material", "rejected", days_ago=8),
]  # fmt: skip


def _staff(result):
    return result.accounts.users.get("centerstaff")


def _enterprise(prefix: str, building) -> Enterprise | None:
    if not prefix:
        return None
    enterprises = Enterprise.objects.filter(building=building)
    if prefix == "@generated":
        named = ("渣打", "大华", "马来亚", "招商", "中信", "新东方", "普华永道")
        return next((e for e in enterprises.order_by("id") if not e.name.startswith(named)), None)
    return enterprises.filter(name__startswith=prefix).order_by("id").first()


def _filed_at(today: datetime, days_ago: int, now: datetime) -> datetime:
    if days_ago == 0:
        return now - timedelta(minutes=20)
    return today - timedelta(days=days_ago) + timedelta(hours=9, minutes=30)


def _items(center: ServiceCenter) -> int:
    created = 0
    for order, (code, name, group, targets, materials, (value, unit), text) in enumerate(ITEMS):
        if ServiceItem.objects.filter(code=code).exists():
            continue
        services.create_service_item(
            actor=None, center=center,
            data={"code": code, "name": name, "group": group, "target_groups": targets, "required_materials": materials,
                  "promise_value": value, "promise_unit": unit, "description": text, "sort_order": order},
        )  # fmt: skip
        created += 1
    return created


def _step(request: ServiceRequest, token: str, action: str, options: dict, staff, at: datetime) -> None:
    if action == "accept":
        services.accept_request(actor=None, request=request, now=at)
    elif action == "assign":
        services.assign_request(actor=None, request=request, handler=staff, now=at)
    elif action == "start":
        services.start_request(
            actor=None, request=request, expected_at=at + timedelta(days=options["days"]), now=at
        )
    elif action == "request_info":
        services.request_info(actor=None, request=request, note=options["note"], now=at)
    elif action == "resolve":
        services.resolve_request(actor=None, request=request, note=options["note"], now=at)
    elif action == "refer":
        target = Organization.objects.filter(name=options["to"], dissolved_at__isnull=True).first()
        if target is not None:
            services.refer_request(
                actor=None, request=request, organization=target, note=options["note"], now=at
            )
    elif action == "rate":
        services.rate_request(
            request=request, token=token, score=options["score"], comment=options["comment"], now=at
        )
    request.refresh_from_db()


def _requests(result, today: datetime, now: datetime) -> int:
    staff = _staff(result)
    created = 0
    for spec in REQUESTS:
        item = ServiceItem.objects.get(code=spec.item)
        if ServiceRequest.objects.filter(item=item, description=spec.description).exists():
            continue
        filed_at = _filed_at(today, spec.days_ago, now)
        filed = services.file_request(
            actor=None, item=item, description=spec.description, name=spec.name, mobile=spec.mobile,
            enterprise=_enterprise(spec.enterprise, result.building), urgent=spec.urgent,
            channel=Channel.KIOSK if spec.enterprise else Channel.PHONE, now=filed_at,
        )  # fmt: skip
        for index, (action, options) in enumerate(spec.steps, start=1):
            at = min(filed_at + timedelta(hours=3 * index), now)
            if action in ("resolve", "rate"):
                at = min(filed_at + timedelta(days=2, hours=index), now)
            _step(filed.request, filed.token, action, options, staff, at)
        created += 1 + len(spec.steps)
    # Whatever is past its promise now goes up to the street (the job, run once here).
    created += services.escalate_overdue(now)
    return created


def _retired_resident(result) -> Person | None:
    shuncheng = result.orgs.get("shuncheng")
    if shuncheng is None:
        return None
    return (
        Person.objects.filter(
            org_path__startswith=shuncheng.path, employer="退休", birth_date__year__lte=1962
        )
        .order_by("birth_date", "id")
        .first()
    )


def _wishes(result, center: ServiceCenter, today: datetime) -> int:
    resident = _retired_resident(result)
    name = resident.name if resident else "王秀英"
    mobile = (resident.mobile if resident else "") or "13888041267"
    users = result.accounts.users
    created = 0
    for spec in WISHES:
        if Wish.objects.filter(center=center, title=spec.title).exists():
            continue
        at = today - timedelta(days=spec.days_ago) + timedelta(hours=10)
        posted = services.post_wish(
            actor=None, center=center, title=spec.title, description=spec.description, kind=spec.kind,
            name=name, mobile=mobile, on_behalf=True, wisher_person=resident,
            consent_name_shown=bool(spec.shown_name), shown_name=spec.shown_name, now=at,
        )  # fmt: skip
        wish = posted.wish
        created += 1
        if spec.state == "pending":
            continue
        if spec.state == "rejected":
            services.reject_wish(actor=None, wish=wish, reason="属于既有住宅加装电梯工作范围，已转社区居委会跟进。",
                                 now=at + timedelta(hours=2))  # fmt: skip
            continue
        services.approve_wish(actor=None, wish=wish, now=at + timedelta(hours=2))
        claimer = users.get(spec.claimer)
        if spec.state == "open" or claimer is None:
            continue
        services.claim_wish(actor=claimer, wish=wish, now=at + timedelta(days=1))
        if spec.state in ("done", "rated"):
            services.fulfil_wish(actor=claimer, wish=wish, note="已送到/已陪同。", now=at + timedelta(days=3))
        if spec.state == "rated":
            services.confirm_wish(
                wish=wish, token=posted.token, thanks=spec.thanks, rating=5, now=at + timedelta(days=4)
            )
    return created


def load(result) -> int:
    center = ServiceCenter.objects.filter(slug=CENTER_SLUG).select_related("organization").first()
    if center is None:
        return 0
    now = timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    created = _items(center)
    created += _requests(result, today, now)
    created += _wishes(result, center, today)
    return created
