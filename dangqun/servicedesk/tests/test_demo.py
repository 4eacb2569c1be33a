"""The service desk's part of load_demo: the 金领 catalog, requests in many states, the wish wall;
idempotent (a second run writes nothing)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from dangqun.accounts.models import User
from dangqun.centers.models import ServiceCenter
from dangqun.centers.services import create_center
from dangqun.orgs.models import Organization
from dangqun.servicedesk import selectors
from dangqun.servicedesk.enums import State, WishState
from dangqun.servicedesk.models import (
    Rating,
    RatingFollowUp,
    RequestEvent,
    ServiceItem,
    ServiceRequest,
    Wish,
    WishEvent,
)

MODELS = (ServiceItem, ServiceRequest, RequestEvent, Rating, RatingFollowUp, Wish, WishEvent)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


class ServicedeskDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", "--small", stdout=StringIO())
        if not ServiceCenter.objects.filter(slug="jinling").exists():  # the centers demo makes it normally
            create_center(
                actor=None,
                organization=Organization.objects.get(name="顺城社区党委"),
                data={"name": "招银大厦“金领”党群服务中心", "slug": "jinling"},
            )
            call_command("load_demo", "--small", stdout=StringIO())
        cls.first = counts()
        call_command("load_demo", "--small", stdout=StringIO())
        cls.second = counts()

    def test_idempotent(self):
        self.assertEqual(self.first, self.second)
        self.assertEqual(self.first["ServiceItem"], 7)
        self.assertEqual(self.first["ServiceRequest"], 7)

    def test_catalog_of_the_building_service_station(self):
        center = ServiceCenter.objects.get(slug="jinling")
        names = list(selectors.catalog_for_center(center).values_list("name", flat=True))
        self.assertEqual(
            names,
            [
                "政策宣讲",
                "企业论坛交流",
                "代办企业登记注册",
                "人力资源专业化服务",
                "健康服务管理",
                "家政服务",
                "政策咨询",
            ],
        )

    def test_requests_in_various_states(self):
        uob = ServiceRequest.objects.get(enterprise__name__startswith="大华银行")
        self.assertEqual((uob.item.name, uob.state), ("代办企业登记注册", State.SUBMITTED))
        states = set(ServiceRequest.objects.values_list("state", flat=True))
        self.assertTrue(
            {State.SUBMITTED, State.ACCEPTED, State.REFERRED, State.AWAITING_INFO, State.CLOSED} <= states
        )
        self.assertEqual(ServiceRequest.objects.filter(is_urgent=True).count(), 1)
        runner = ServiceCenter.objects.get(slug="jinling").organization
        self.assertEqual(RatingFollowUp.objects.get().organization, Organization.objects.get_parent(runner))
        self.assertTrue(ServiceRequest.objects.filter(escalated_at__isnull=False).exists())
        street = User.objects.get(username="zhuxiaorong")
        self.assertGreaterEqual(selectors.queue_counts(street).overdue, 1)
        staff = User.objects.get(username="centerstaff")
        self.assertEqual(selectors.requests_visible_to(staff).count(), 7)

    def test_wish_wall(self):
        center = ServiceCenter.objects.get(slug="jinling")
        radio = Wish.objects.get(title="想要一台收音机")
        self.assertEqual(radio.state, WishState.OPEN)
        cards = selectors.public_wall(center)
        self.assertEqual(
            [c.title for c in cards],
            ["想要一台收音机", "想学用智能手机视频通话", "希望有人陪同去医院复查", "想要一副老花镜"],
        )
        self.assertNotIn(radio.wisher_name, repr(cards))
        self.assertEqual(cards[3].wisher, "李奶奶")
        self.assertEqual(Wish.objects.filter(state=WishState.PENDING).count(), 1)
