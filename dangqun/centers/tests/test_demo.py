"""The centers demo: the seed's three centers and spaces, bookings this week, idempotent."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from dangqun.centers.models import Blackout, Booking, BookingSeries, GroupVisit, ServiceCenter, Space
from dangqun.centers.selectors import availability

MODELS = (ServiceCenter, Space, Booking, BookingSeries, GroupVisit, Blackout)


def counts():
    found = {model.__name__: model.objects.count() for model in MODELS}
    # The bookings the demo makes itself; activities held in a space add their own (activity_bookings).
    found["Booking"] = Booking.objects.filter(activity__isnull=True).count()
    return found


class CentersDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", "--small", stdout=StringIO())
        cls.first = counts()

    def test_second_run_writes_nothing(self):
        call_command("load_demo", "--small", stdout=StringIO())
        self.assertEqual(counts(), self.first)

    def test_the_seed_centers_and_spaces(self):
        centers = {c.slug: c for c in ServiceCenter.objects.select_related("organization")}
        self.assertEqual(set(centers), {"jinling", "dali-edz", "mekong"})
        self.assertEqual(centers["jinling"].organization.name, "世邦魏理仕物业昆明分公司党支部")
        self.assertEqual(centers["jinling"].contact_name, "段思雨")
        self.assertEqual(centers["dali-edz"].organization.name, "大理经开区党工委")
        self.assertEqual((centers["dali-edz"].floor_area_m2, centers["mekong"].floor_area_m2), (2700, 600))
        names = lambda slug: list(Space.objects.filter(center__slug=slug).values_list("name", flat=True))  # noqa: E731
        self.assertEqual(names("jinling"), ["休闲吧", "心愿墙", "喜马拉雅声音图书馆", "党建图书馆"])
        self.assertEqual(names("dali-edz"), ["党史坊", "党示坊", "党视坊", "向心壁", "乡愁小院"])
        self.assertEqual(names("mekong"), ["“云岭先锋”党建书架", "全国工会职工书屋"])
        self.assertTrue(centers["dali-edz"].accepts_group_visits)

    def test_bookings_this_week(self):
        self.assertEqual(
            self.first,
            {
                "ServiceCenter": 3,
                "Space": 11,
                "Booking": 10,
                "BookingSeries": 1,
                "GroupVisit": 2,
                "Blackout": 1,
            },
        )
        salon = Booking.objects.select_related("organization", "space").get(
            purpose="读书沙龙：新阶层青年读书会"
        )
        self.assertEqual(
            (salon.organization.name, salon.mode, salon.status), ("归海加油站", "shared", "accepted")
        )
        day = availability(salon.space, timezone.localdate(salon.starts_at))
        evening = [s for s in day.slots if s.starts_at >= salon.starts_at and s.ends_at <= salon.ends_at]
        self.assertEqual({(s.state, s.remaining) for s in evening}, {("shared", 12)})
        self.assertEqual(Booking.objects.filter(status="pending", activity__isnull=True).count(), 1)
        self.assertEqual(set(GroupVisit.objects.values_list("status", flat=True)), {"pending", "accepted"})
