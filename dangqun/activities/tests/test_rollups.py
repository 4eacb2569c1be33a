"""Rollups: kept in the writer's transaction, follow a moved subtree, verified by the command;
the statistics page reads them (by need category, type, center)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from dangqun.activities.models import Activity, ActivityRollup, CenterActivityRollup
from dangqun.activities.services.activities import finish_activity
from dangqun.activities.services.attendance import enter_paper_sheet
from dangqun.activities.services.registrations import register_guest
from dangqun.activities.tests.factories import at, make_activity, make_member
from dangqun.orgs.services import move_organization
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def totals(organization) -> tuple[int, int]:
    rows = ActivityRollup.objects.filter(organization=organization)
    return sum(r.held_total for r in rows), sum(r.participants_total for r in rows)


@pytest.fixture
def history(tree):
    member = make_member(tree.branch, "党员甲")
    meeting = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-1))
    enter_paper_sheet(actor=None, activity=meeting, person_ids=[member.pk])
    finish_activity(actor=None, activity=meeting)
    salon = make_activity(tree.group, type_code="salon", audience="public", starts=at(hours=-1))
    for i in range(3):
        registration = register_guest(activity=salon, name=f"来宾{'甲乙丙'[i]}", mobile=f"1390000000{i}")
        from dangqun.activities.services.attendance import check_in_by_hand

        check_in_by_hand(actor=None, registration=registration)
    finish_activity(actor=None, activity=salon)
    return meeting, salon


def test_totals_roll_up_the_tree(tree, history):
    assert totals(tree.group) == (1, 3)
    assert totals(tree.branch) == (2, 4)
    assert totals(tree.street) == (2, 4)
    assert totals(tree.other_community) == (0, 0)


def test_moving_a_subtree_moves_its_counts_and_paths(tree, history):
    move_organization(actor=None, organization=tree.branch, new_parent=tree.other_community)
    tree.branch.refresh_from_db()
    assert totals(tree.community) == (0, 0)
    assert totals(tree.other_community) == (2, 4)
    assert totals(tree.street) == (2, 4)
    assert set(Activity.objects.values_list("org_path", flat=True)) <= {
        tree.branch.path,
        tree.branch.path + "0001",
    }
    out = StringIO()
    call_command("verify_activity_rollups", stdout=out)
    assert out.getvalue().startswith("一致")


def test_verify_reports_and_fixes_drift(tree, history):
    ActivityRollup.objects.filter(organization=tree.street).update(held_total=99)
    ActivityRollup.objects.filter(organization=tree.branch, activity_type="theme_day").update(
        participants_direct=7
    )
    out = StringIO()
    call_command("verify_activity_rollups", stdout=out)
    assert out.getvalue().startswith("不一致：3 组")  # the street's two rows and the branch's 主题党日
    call_command("verify_activity_rollups", "--fix", stdout=StringIO())
    assert totals(tree.street) == (2, 4)
    out = StringIO()
    call_command("verify_activity_rollups", stdout=out)
    assert out.getvalue().startswith("一致")


def test_stats_page_by_need_category_and_center(client, tree, history):
    from dangqun.centers.models import ServiceCenter, Space

    center = ServiceCenter.objects.create(
        name="测试中心", slug="t", organization=tree.community, org_path=tree.community.path
    )
    space = Space.objects.create(center=center, name="大厅", capacity=50)
    lecture = make_activity(tree.community, type_code="moral_lecture", audience="public", starts=at(hours=-1),
                            space=space, place_text="")  # fmt: skip
    register_guest(activity=lecture, name="李四", mobile="13700000001")
    finish_activity(actor=None, activity=lecture)
    assert CenterActivityRollup.objects.get(center=center).held == 1
    client.force_login(make_user(grants=[(tree.street, "secretary")]))
    response = client.get(reverse("activities:stats"))
    counts = response.context["counts"]
    assert (counts["held"], counts["participants"]) == (3, 4)
    assert {(r.label, r.held, r.participants) for r in counts["by_need"]} == {
        ("文化娱乐", 1, 3), ("社会公益", 0, 0), ("技能提高", 0, 0), ("人文关怀", 1, 0), ("", 1, 1),
    }  # fmt: skip
    assert [(c["center"].name, c["held"]) for c in response.context["centers"]] == [("测试中心", 1)]
