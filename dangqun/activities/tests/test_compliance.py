"""三会一课 compliance from the rollups: states and lights per branch and period, tenant overrides,
the street page with drill-down, reminders (job and by hand) through the news app."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dangqun.activities.enums import Period
from dangqun.activities.models import ActivityRollup
from dangqun.activities.periods import Span, parse_span, span_of
from dangqun.activities.selectors.compliance import RuleValues, compliance_report
from dangqun.activities.selectors.records import expected_members
from dangqun.activities.services.activities import create_activity, finish_activity
from dangqun.activities.services.attendance import enter_paper_sheet
from dangqun.activities.services.records import add_attachment, start_record, submit_record, update_record
from dangqun.activities.services.reminders import remind_node, send_due_reminders
from dangqun.activities.tests.factories import make_member
from dangqun.core import rules
from dangqun.core.errors import DomainError
from dangqun.core.models import RuleValue
from dangqun.news.models import Notice
from dangqun.orgs.services import create_organization
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db
Q1 = Span(Period.QUARTER, date(2025, 1, 1))


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


def held(organization, type_code: str, day: date, *, record: bool = True):
    starts = timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))
    activity = create_activity(
        actor=None, organization=organization, activity_type=type_code, title=f"{type_code} {day}",
        starts_at=starts, ends_at=starts + timedelta(hours=2), place_text="会议室", publish=True,
    )  # fmt: skip
    if activity.activity_type.quorum == "ordinary":  # everyone came: the meeting is quorate
        present = list(expected_members(activity).values_list("pk", flat=True))
        if present:
            enter_paper_sheet(actor=None, activity=activity, person_ids=present)
    finish_activity(actor=None, activity=activity)
    if record:
        item = start_record(actor=None, activity=activity)
        update_record(
            actor=None, record=item, host_name="书记", recorder_name="委员", minutes="纪要", plan="计划"
        )
        if type_code == "theme_day":
            add_attachment(
                actor=None, record=item, kind="photo", name="p.png", data=png() + bytes([activity.pk % 250])
            )
        submit_record(actor=None, record=item)
    return activity


@pytest.fixture
def scene(tree):
    green = create_organization(actor=None, parent=tree.community, name="顺城社区绿色党支部", kind="branch")
    make_member(green, "绿色党员")
    for org in (tree.branch, green):
        held(org, "branch_assembly", date(2025, 2, 12))
    for month in (1, 2, 3):
        held(green, "theme_day", date(2025, month, 8))
        held(tree.group, "group_meeting", date(2025, month, 9))
    held(tree.branch, "theme_day", date(2025, 1, 8))
    held(tree.branch, "theme_day", date(2025, 2, 8))
    held(tree.branch, "theme_day", date(2025, 3, 8), record=False)
    return green


def cells(report, organization, type_code):
    node = next(n for n in report.nodes if n.organization.pk == organization.pk)
    status = next(s for s in node.statuses if s is not None and s.rule.activity_type_id == type_code)
    return [(c.span.label, c.required, c.held, c.recorded, c.state) for c in status.cells]


def lights(report):
    return {n.organization.name: n.light for n in report.nodes}


def test_past_quarter_states_and_lights(tree, scene):
    report = compliance_report(tree.street, Q1, today=date(2025, 4, 10))
    assert lights(report) == {
        "世邦魏理仕物业昆明分公司党支部": "amber",  # March 主题党日 held, record not submitted
        "第一党小组": "green",
        "顺城社区绿色党支部": "green",
        "大观社区第一党支部": "red",  # nothing held
    }
    assert cells(report, tree.branch, "theme_day") == [
        ("2025-01", 1, 1, 1, "met"), ("2025-02", 1, 1, 1, "met"), ("2025-03", 1, 1, 0, "unrecorded"),
    ]  # fmt: skip
    assert cells(report, tree.other_branch, "branch_assembly") == [("2025 Q1", 1, 0, 0, "missed")]
    assert cells(report, tree.branch, "org_life_meeting") == [("2025", 1, 0, 0, "pending")]
    assert report.counts == {"green": 2, "amber": 1, "red": 1}
    # 支委会 only where a committee exists (≥ 7 members); 党小组会 only for 党小组.
    branch_row = next(n for n in report.nodes if n.organization.pk == tree.branch.pk)
    assert [s.rule.activity_type_id for s in branch_row.statuses if s] == [
        "branch_assembly", "theme_day", "org_life_meeting", "democratic_appraisal",
    ]  # fmt: skip


def test_open_period_pending_then_due_soon():
    from dangqun.activities.selectors.compliance import _state

    march = Span(Period.MONTH, date(2025, 3, 1))
    assert _state(march, 1, 0, 0, date(2025, 3, 5), 10) == "pending"
    assert _state(march, 1, 0, 0, date(2025, 3, 25), 10) == "due_soon"
    assert _state(march, 1, 0, 0, date(2025, 4, 1), 10) == "missed"
    assert _state(march, 1, 0, 0, date(2025, 2, 1), 10) == "future"
    assert _state(march, 1, 1, 0, date(2025, 3, 25), 10) == "unrecorded"
    assert _state(march, 1, 2, 1, date(2025, 3, 25), 10) == "met"


def test_counts_come_from_rollups_not_from_activities(tree, scene):
    ActivityRollup.objects.filter(organization=tree.other_branch).delete()
    with CaptureQueriesContext(connection) as queries:
        compliance_report(tree.street, Q1, today=date(2025, 4, 10))
    sql = " ".join(q["sql"] for q in queries)
    assert '"activities_activity"' not in sql
    assert len(queries) <= 5


def test_tenant_override_of_a_frequency(tree, scene):
    RuleValue.objects.create(key="activities.freq.theme_day", value=2, effective_from=date(2025, 2, 1),
                             org_path=tree.branch.path)  # fmt: skip
    report = compliance_report(tree.street, Q1, today=date(2025, 4, 10))
    assert [c[1] for c in cells(report, tree.branch, "theme_day")] == [1, 2, 2]
    assert [c[1] for c in cells(report, scene, "theme_day")] == [1, 1, 1]
    values = RuleValues(["activities.freq.theme_day"])
    for path in (tree.branch.path, scene.path, tree.group.path):
        for on in (date(2025, 1, 15), date(2025, 3, 1)):
            assert values.value("activities.freq.theme_day", 1, on=on, org_path=path) == rules.value(
                "activities.freq.theme_day", on=on, org_path=path
            )


def test_periods():
    assert parse_span("2025-Q2", today=date(2026, 1, 1)) == Span(Period.QUARTER, date(2025, 4, 1))
    assert parse_span("2025", today=date(2026, 1, 1)).end == date(2026, 1, 1)
    assert parse_span("2025-11", today=date(2026, 1, 1)).months == [date(2025, 11, 1)]
    assert parse_span("junk", today=date(2026, 5, 20)) == span_of(Period.QUARTER, date(2026, 5, 20))
    assert Span(Period.QUARTER, date(2025, 10, 1)).next() == Span(Period.QUARTER, date(2026, 1, 1))


def test_street_page_and_drill_down(client, tree, scene):
    street_secretary = make_user("zhuxiaorong", grants=[(tree.street, "secretary")])
    client.force_login(street_secretary)
    page = client.get(reverse("activities:compliance"), {"period": "2025-Q1"})
    assert page.status_code == 200
    expected = compliance_report(tree.street, Q1, today=timezone.localdate())
    assert page.context["report"].counts == expected.counts
    html = page.content.decode()
    assert html.count('data-light="red"') == expected.counts["red"] and "大观社区第一党支部" in html
    node = client.get(reverse("activities:compliance-node", args=[tree.branch.pk]), {"period": "2025-Q1"})
    assert node.status_code == 200
    assert [m.title for m in node.context["meetings"]][:3] == [
        "theme_day 2025-01-08", "group_meeting 2025-01-09", "theme_day 2025-02-08",
    ]  # fmt: skip
    assert node.context["can_remind"] is True
    # The page's counts cost a fixed number of queries whatever the number of branches.
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("activities:compliance"), {"period": "2025-Q1"})
    for i in range(5):
        create_organization(actor=None, parent=tree.other_community, name=f"新支部{i}", kind="branch")
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("activities:compliance"), {"period": "2025-Q1"})
    assert len(more) == len(few)


def _secretary_of(organization, name):
    return make_user(name, grants=[(organization, "secretary")])


def test_reminder_by_hand_from_the_superior_needs_confirmation(tree, scene):
    target = _secretary_of(tree.other_branch, "other_sec")
    superior = make_user("street", grants=[(tree.street, "secretary")])
    span = span_of(Period.QUARTER, timezone.localdate())
    notice = remind_node(actor=superior, organization=tree.other_branch, span=span)
    assert notice.requires_confirmation is True and notice.category == "reminder"
    assert list(notice.receipts.values_list("recipient_id", flat=True)) == [target.pk]
    assert "支部党员大会" in notice.body
    with pytest.raises(DomainError) as error:
        remind_node(actor=target, organization=tree.other_branch, span=span)
    assert error.value.status == 403
    outsider = make_user(grants=[(tree.far_county, "secretary")])
    with pytest.raises(DomainError):
        remind_node(actor=outsider, organization=tree.other_branch, span=span)
    with pytest.raises(DomainError) as error:
        remind_node(actor=superior, organization=scene, span=Q1, today=date(2025, 4, 10))
    assert error.value.code in ("nothing_due", "no_recipient")


def test_reminder_page_button(client, tree, scene):
    _secretary_of(tree.other_branch, "other_sec")
    client.force_login(make_user("street", grants=[(tree.street, "secretary")]))
    period = f"{timezone.localdate():%Y}-Q{(timezone.localdate().month - 1) // 3 + 1}"
    response = client.post(
        reverse("activities:compliance-remind", args=[tree.other_branch.pk]), {"period": period}
    )
    assert response.status_code == 302
    assert Notice.objects.filter(organization=tree.other_branch, category="reminder").count() == 1


def test_reminder_job_is_idempotent(tree, scene):
    _secretary_of(tree.other_branch, "other_sec")
    _secretary_of(tree.branch, "branch_sec")
    RuleValue.objects.create(
        key="activities.compliance.remind_days", value=366, effective_from=date(2000, 1, 1)
    )
    now = timezone.now()
    sent = send_due_reminders(now=now)
    assert sent >= 2
    keys = set(Notice.objects.values_list("dedupe_key", flat=True))
    month = timezone.localdate().replace(day=1)
    assert f"activities.compliance:{tree.other_branch.pk}:theme_day_monthly:{month:%Y%m%d}" in keys
    assert send_due_reminders(now=now) == sent  # same keys: the news app returns the first notices
    assert Notice.objects.count() == len(keys)
    assert all(n.requires_confirmation for n in Notice.objects.all())


def test_reminder_is_emailed_through_the_pluggable_backend_and_confirmed(
    tree, scene, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from dangqun.news.services import confirm

    settings.NOTICE_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    target = make_user("other_sec", email="other_sec@example.cn", grants=[(tree.other_branch, "secretary")])
    superior = make_user("street", grants=[(tree.street, "secretary")])
    with django_capture_on_commit_callbacks(execute=True):
        notice = remind_node(
            actor=superior, organization=tree.other_branch, span=span_of(Period.QUARTER, timezone.localdate())
        )
    assert [m.to for m in mail.outbox] == [["other_sec@example.cn"]]
    receipt = notice.receipts.get(recipient=target)
    assert receipt.confirmed_at is None
    confirm(user=target, notice=notice)
    notice.refresh_from_db()
    assert notice.confirmed_count == 1
