"""The activities demo: built through the services, idempotent, and showing what the journeys need."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from dangqun.activities.enums import Period
from dangqun.activities.models import (
    Activity,
    ActivityRollup,
    ActivitySeries,
    CenterActivityRollup,
    MeetingRecord,
    Registration,
    ScanLog,
)
from dangqun.activities.periods import month_start, span_of
from dangqun.activities.selectors.compliance import compliance_report
from dangqun.activities.selectors.records import sign_in_sheet
from dangqun.orgs.models import Organization

MODELS = (
    Activity,
    ActivitySeries,
    Registration,
    ScanLog,
    MeetingRecord,
    ActivityRollup,
    CenterActivityRollup,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


class ActivitiesDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", "--small", stdout=StringIO())
        cls.first = counts()

    def test_second_run_writes_nothing(self):
        call_command("load_demo", "--small", stdout=StringIO())
        self.assertEqual(counts(), self.first)
        self.assertGreater(self.first["Activity"], 20)

    def test_this_months_theme_day_at_the_jinling_center(self):
        activity = Activity.objects.get(
            organization__name="世邦魏理仕物业昆明分公司党支部", title__contains="主题党日：重温入党誓词"
        )
        self.assertEqual(activity.status, "published")
        self.assertEqual(activity.audience, "public")
        self.assertEqual(
            month_start(timezone.localtime(activity.starts_at).date()), month_start(timezone.localdate())
        )
        self.assertEqual((activity.center.slug, activity.space.name), ("jinling", "党建图书馆"))
        names = set(activity.registrations.values_list("name", flat=True))
        self.assertIn("杨志宇", names)
        self.assertNotIn("刘慧", names)  # she registers in journey 1

    def test_branch_assembly_with_an_approved_record(self):
        record = MeetingRecord.objects.select_related("activity").get(
            activity__organization__name="世邦魏理仕物业昆明分公司党支部",
            activity__activity_type="branch_assembly",
        )
        self.assertEqual(record.status, "approved")
        self.assertTrue(record.quorum_met)
        self.assertEqual(record.votes.count(), 1)
        self.assertEqual(len(sign_in_sheet(record.activity)), record.present_total)

    def test_compliance_shows_green_amber_and_red_branches(self):
        street = Organization.objects.get(name="大观街道党工委")
        today = timezone.localdate()
        span = span_of(Period.QUARTER, today)
        if span.start == month_start(today):  # a quarter's first month: the history is last quarter
            span = span.previous()
        lights = {n.organization.name: n.light for n in compliance_report(street, span, today=today).nodes}
        self.assertEqual(lights["顺城社区第一党支部"], "green")
        self.assertEqual(lights["楼宇联合党支部"], "amber")
        self.assertEqual(lights["顺城社区第二党支部"], "red")

    def test_xishan_series_and_jinyuan_moral_lecture(self):
        series = ActivitySeries.objects.get(name="“清风西山”主题党日")
        self.assertGreaterEqual(series.activities.count(), 2)
        lecture = Activity.objects.filter(
            organization__name="老年人协会", activity_type="moral_lecture", status="published"
        )
        self.assertEqual(lecture.get().audience, "public")

    def test_rollups_agree_with_the_activities(self):
        out = StringIO()
        call_command("verify_activity_rollups", stdout=out)
        self.assertTrue(out.getvalue().startswith("一致"), out.getvalue())

    def test_rollups_count_held_and_participants(self):
        root = Organization.objects.get(name="大观街道党工委")
        totals = ActivityRollup.objects.filter(organization=root).values_list(
            "held_total", "participants_total"
        )
        self.assertGreater(sum(h for h, _p in totals), 10)
        self.assertGreater(sum(p for _h, p in totals), 10)
