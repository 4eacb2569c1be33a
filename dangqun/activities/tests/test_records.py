"""Meeting records: the workflow, attendance and quorum from the sign-in, photos checked by
content with EXIF stripped, a record submitted twice, review only from the superior node."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from dangqun.activities.enums import RecordStatus
from dangqun.activities.models import ActivityRollup, MeetingRecord, RecordAttachment, RecordEvent
from dangqun.activities.selectors.records import attendance, records_to_review, sign_in_sheet
from dangqun.activities.services.activities import finish_activity
from dangqun.activities.services.attendance import enter_paper_sheet
from dangqun.activities.services.records import (
    add_attachment,
    record_vote,
    review_record,
    set_absence,
    start_record,
    submit_record,
    update_record,
)
from dangqun.activities.tests.factories import at, make_activity, make_member
from dangqun.core import rules
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry, RuleValue
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def jpeg_with_exif(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 40))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° when shown
    gps = exif.get_ifd(0x8825)
    gps[2] = (25.0, 2.0, 26.0)  # GPSLatitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 0, 255, 128)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def assembly(tree):
    """A 支部党员大会 of the branch: 10 voting full members and 1 probationary member."""
    formal = [make_member(tree.branch, f"党员{'一二三四五六七八九十'[i]}") for i in range(10)]
    probationary = make_member(tree.branch, "预备党员", status="probationary")
    activity = make_activity(tree.branch, type_code="branch_assembly", starts=at(hours=-3))
    return activity, formal, probationary


def attend(activity, people):
    enter_paper_sheet(actor=None, activity=activity, person_ids=[p.pk for p in people])


def complete(record, host):
    return update_record(actor=None, record=record, host=host, recorder=host, minutes="会议纪要：通过了……")


@pytest.mark.parametrize(("present", "quorate"), [(4, False), (5, True), (9, True)])
def test_quorum_of_a_general_meeting_from_the_sign_in(assembly, present, quorate):
    activity, formal, probationary = assembly
    attend(activity, formal[:present] + [probationary])
    finish_activity(actor=None, activity=activity)
    record = complete(start_record(actor=None, activity=activity), formal[0])
    submitted = submit_record(actor=None, record=record)
    assert (submitted.voting_should_attend, submitted.voting_present, submitted.present_total) == (
        10,
        present,
        present + 1,
    )
    assert submitted.quorum_met is quorate


def test_exclusive_reading_is_configurable(assembly):
    activity, formal, _p = assembly
    RuleValue.objects.create(
        key="activities.quorum.ordinary_inclusive", value=False, effective_from=date(2000, 1, 1)
    )
    assert rules.value("activities.quorum.ordinary_inclusive") is False
    attend(activity, formal[:5])
    finish_activity(actor=None, activity=activity)
    record = submit_record(
        actor=None, record=complete(start_record(actor=None, activity=activity), formal[0])
    )
    assert record.quorum_met is False


def test_excused_absence_leaves_who_should_attend(tree, assembly):
    activity, formal, _p = assembly
    attend(activity, formal[:4])
    record = start_record(actor=None, activity=activity)
    set_absence(actor=None, record=record, person=formal[9], reason="abroad", counts_as_expected=False)
    set_absence(actor=None, record=record, person=formal[8], reason="sick")
    present = attendance(activity, record)
    assert (present.voting_should_attend, present.voting_present) == (9, 4)
    with pytest.raises(DomainError) as error:
        set_absence(actor=None, record=record, person=formal[0], reason="leave")
    assert error.value.code == "was_present"
    outsider = make_member(tree.community, "上级党员")
    with pytest.raises(DomainError) as error:
        set_absence(actor=None, record=record, person=outsider, reason="leave")
    assert error.value.code == "not_expected"


@pytest.mark.parametrize(
    ("present", "kind", "yes", "written", "quorate", "passed"),
    [
        (5, "ordinary", 5, 0, True, False),
        (5, "admission", 5, 0, False, False),
        (6, "admission", 5, 1, True, True),
        (6, "admission", 5, 0, True, False),
        (9, "admission", 5, 0, True, False),
        (9, "admission", 6, 0, True, True),
    ],
)
def test_votes_follow_rules_md_cases(assembly, present, kind, yes, written, quorate, passed):
    activity, formal, _p = assembly
    attend(activity, formal[:present])
    record = start_record(actor=None, activity=activity)
    vote = record_vote(
        actor=None, record=record, kind=kind, subject="接收张某为预备党员", yes=yes, written_yes=written
    )
    assert (vote.quorate, vote.passed) == (quorate, passed)


def test_vote_counts_are_checked(assembly):
    activity, formal, _p = assembly
    attend(activity, formal[:5])
    record = start_record(actor=None, activity=activity)
    for kwargs, code in [
        ({"yes": 6}, "more_votes_than_present"),
        ({"yes": 3, "written_yes": 1}, "written_not_allowed"),
        ({"yes": -1}, "invalid_count"),
        ({"yes": 1, "subject": ""}, "required"),
    ]:
        with pytest.raises(DomainError) as error:
            record_vote(actor=None, record=record, **{"kind": "ordinary", "subject": "议题", **kwargs})
        assert error.value.code == code
    theme_day = make_activity(activity.organization, type_code="theme_day", starts=at(hours=-3))
    with pytest.raises(DomainError) as error:
        record_vote(
            actor=None,
            record=start_record(actor=None, activity=theme_day),
            kind="ordinary",
            subject="x",
            yes=1,
        )
    assert error.value.code == "no_votes"


def test_photo_is_reencoded_without_exif_and_orientation_applied(tree):
    activity = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-3))
    record = start_record(actor=None, activity=activity)
    attachment = add_attachment(
        actor=None, record=record, kind="photo", name="../../现场.JPG", data=jpeg_with_exif()
    )
    assert (attachment.original_name, attachment.content_type) == ("现场.jpg", "image/jpeg")
    assert (attachment.width, attachment.height) == (48, 64)  # rotated by the EXIF orientation
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert b"CameraMaker" not in stored
    assert len(Image.open(io.BytesIO(stored)).getexif()) == 0
    png = add_attachment(actor=None, record=record, kind="photo", name="a.png", data=png_bytes())
    assert png.content_type == "image/png"
    with pytest.raises(DomainError) as error:
        add_attachment(actor=None, record=record, kind="photo", name="again.png", data=png_bytes())
    assert error.value.code == "duplicate_file"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<script>alert(1)</script>", "photo.jpg"),
        (b"#!/bin/sh\nrm -rf /\n", "photo.png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "truncated.jpg"),
        (b"GIF89a" + b"\x00" * 40, "anim.gif"),
        (b"", "empty.jpg"),
    ],
)
def test_a_photo_that_is_not_an_image_is_refused(tree, data, name):
    activity = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-3))
    record = start_record(actor=None, activity=activity)
    with pytest.raises(DomainError) as error:
        add_attachment(actor=None, record=record, kind="photo", name=name, data=data)
    assert (error.value.code, error.value.field) == ("photo_invalid", "photo")
    assert "JPEG 或 PNG" in error.value.message
    assert RecordAttachment.objects.count() == 0


def test_photo_size_limit(tree):
    activity = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-3))
    record = start_record(actor=None, activity=activity)
    RuleValue.objects.create(key="activities.photo.max_bytes", value=100, effective_from=date(2000, 1, 1))
    with pytest.raises(DomainError) as error:
        add_attachment(actor=None, record=record, kind="photo", name="big.jpg", data=jpeg_with_exif())
    assert error.value.code == "file_too_large"


def test_materials_by_content(tree):
    activity = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-3))
    record = start_record(actor=None, activity=activity)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert (
        add_attachment(actor=None, record=record, kind="material", name="学习材料.pdf", data=pdf).content_type
        == "application/pdf"
    )
    with pytest.raises(DomainError) as error:
        add_attachment(
            actor=None, record=record, kind="material", name="材料.pdf", data=b"MZ\x90\x00 not a pdf"
        )
    assert error.value.code == "material_invalid"


def test_workflow_submit_once_review_by_superior_lock(tree, people):
    activity = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-3))
    record = start_record(actor=people.secretary_user, activity=activity)
    with pytest.raises(DomainError) as error:
        submit_record(actor=people.secretary_user, record=record)
    assert error.value.code == "meeting_not_finished"
    finish_activity(actor=None, activity=activity)
    with pytest.raises(DomainError) as error:
        submit_record(actor=people.secretary_user, record=record)
    assert error.value.code == "record_incomplete"
    assert "活动计划" in error.value.message and "活动照片" in error.value.message
    update_record(actor=people.secretary_user, record=record, host=people.yang, recorder=people.yang,
                  plan="学习党章", minutes="会议纪要")  # fmt: skip
    add_attachment(actor=people.secretary_user, record=record, kind="photo", name="p.png", data=png_bytes())
    submit_record(actor=people.secretary_user, record=record)
    with pytest.raises(DomainError) as error:
        submit_record(actor=people.secretary_user, record=record)
    assert (error.value.code, error.value.message) == ("already_submitted", "记录已提交，请勿重复提交。")
    with pytest.raises(DomainError) as error:
        update_record(actor=people.secretary_user, record=record, minutes="改")
    assert error.value.code == "record_submitted"
    assert ActivityRollup.objects.get(organization=tree.branch).recorded_direct == 1

    # The branch's own secretary holds review_records on the branch, not on its superior.
    with pytest.raises(DomainError) as error:
        review_record(actor=people.secretary_user, record=record, approve=True)
    assert error.value.status == 403
    far = make_user(grants=[(tree.far_county, "secretary")])
    with pytest.raises(DomainError):
        review_record(actor=far, record=record, approve=True)
    superior = make_user("shuncheng", grants=[(tree.community, "secretary")])
    assert list(records_to_review(superior)) == [record]
    assert list(records_to_review(people.secretary_user)) == []
    with pytest.raises(DomainError) as error:
        review_record(actor=superior, record=record, approve=False, comment="")
    assert (error.value.code, error.value.field) == ("comment_required", "comment")
    review_record(actor=superior, record=record, approve=False, comment="请补充照片说明")
    record.refresh_from_db()
    assert (record.status, record.review_comment) == (RecordStatus.RETURNED, "请补充照片说明")
    assert ActivityRollup.objects.get(organization=tree.branch).recorded_direct == 0
    update_record(actor=people.secretary_user, record=record, minutes="会议纪要（已补充）")
    submit_record(actor=people.secretary_user, record=record)
    review_record(actor=superior, record=record, approve=True, comment="")
    record.refresh_from_db()
    assert record.is_locked
    for call in (
        lambda: update_record(actor=people.secretary_user, record=record, minutes="x"),
        lambda: add_attachment(
            actor=people.secretary_user,
            record=record,
            kind="photo",
            name="q.jpg",
            data=jpeg_with_exif((10, 10)),
        ),  # fmt: skip
        lambda: submit_record(actor=people.secretary_user, record=record),
    ):
        with pytest.raises(DomainError) as error:
            call()
        assert error.value.code == "record_locked"
    with pytest.raises(DomainError) as error:
        review_record(actor=superior, record=record, approve=True)
    assert error.value.code == "not_submitted"
    assert list(RecordEvent.objects.filter(record=record).values_list("to_status", flat=True)) == [
        "submitted", "returned", "submitted", "approved",
    ]  # fmt: skip
    assert ActivityRollup.objects.get(organization=tree.branch).recorded_direct == 1
    actions = set(
        AuditEntry.objects.filter(object_type="activities.meetingrecord").values_list("action", flat=True)
    )
    assert {
        "activities.record.submitted",
        "activities.record.returned",
        "activities.record.approved",
    } <= actions


def test_only_meetings_have_records_and_one_each(tree):
    salon = make_activity(tree.community, type_code="salon", audience="public")
    with pytest.raises(DomainError) as error:
        start_record(actor=None, activity=salon)
    assert error.value.code == "not_a_meeting"
    meeting = make_activity(tree.branch, type_code="group_meeting")
    assert start_record(actor=None, activity=meeting).pk == start_record(actor=None, activity=meeting).pk
    assert MeetingRecord.objects.count() == 1


def test_sign_in_sheet_comes_from_the_scan_log_in_order(assembly):
    activity, formal, _p = assembly
    enter_paper_sheet(actor=None, activity=activity, person_ids=[formal[2].pk], signed_at=activity.starts_at)
    enter_paper_sheet(actor=None, activity=activity, person_ids=[formal[0].pk, formal[1].pk],
                      signed_at=activity.starts_at + timedelta(minutes=5))  # fmt: skip
    rows = sign_in_sheet(activity)
    assert [r.name for r in rows] == ["党员三", "党员一", "党员二"]
    assert {r.method for r in rows} == {"paper"}
