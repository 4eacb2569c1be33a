"""Centers and spaces: cleaning with the field named, hours, photos checked by content, scope."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangqun.centers.hours import bookable_window, clean_weekly_hours
from dangqun.centers.models import ServiceCenter, Space, SpacePhoto
from dangqun.centers.services import (
    add_space_photo,
    create_center,
    create_space,
    remove_space_photo,
    update_center,
)
from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.orgs.services import move_organization
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_file(kind="PNG", size=(40, 30), name="room.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 16, 46)).save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_center_copies_the_organization_path_and_is_audited(center, tree):
    assert (center.org_path, center.slug, center.is_active) == (tree.branch.path, "jinling", True)
    assert AuditEntry.objects.get(action="centers.center.created").org_path == tree.branch.path


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"name": "", "slug": "x"}, "name_required", "name"),
        ({"name": "x", "slug": "金领"}, "slug_invalid", "slug"),
        ({"name": "x", "slug": "x", "phone": "12"}, "phone_invalid", "phone"),
        ({"name": "x", "slug": "x", "floor_area_m2": "-3"}, "floor_area_m2_too_small", "floor_area_m2"),
        (
            {"name": "x", "slug": "x", "accepts_group_visits": True},
            "visit_capacity_too_small",
            "visit_capacity",
        ),
        (
            {"name": "x", "slug": "x", "opening_hours": {"mon": ["9:00", "21:00"]}},
            "hours_invalid",
            "opening_hours",
        ),
        (
            {"name": "x", "slug": "x", "opening_hours": {"mon": ["21:00", "09:00"]}},
            "hours_invalid",
            "opening_hours",
        ),
        (
            {"name": "x", "slug": "x", "opening_hours": {"funday": ["09:00", "21:00"]}},
            "hours_invalid",
            "opening_hours",
        ),
    ],
)
def test_bad_center_input_names_the_field(tree, data, code, field):
    with pytest.raises(DomainError) as exc:
        create_center(actor=None, organization=tree.branch, data=data)
    assert (exc.value.code, exc.value.field) == (code, field)
    assert ServiceCenter.objects.count() == 0


def test_slug_is_unique_and_landline_normalised(center, tree):
    with pytest.raises(DomainError) as exc:
        create_center(actor=None, organization=tree.community, data={"name": "另一个", "slug": "jinling"})
    assert (exc.value.code, exc.value.field) == ("slug_taken", "slug")
    updated = update_center(actor=None, center=center, data={"phone": "0871 6312 3456"})
    assert updated.phone == "0871-63123456"
    assert AuditEntry.objects.get(action="centers.center.updated").data["changes"]["phone"] == [
        "",
        "0871-63123456",
    ]


def test_only_staff_on_the_subtree_manage(center, tree):
    outsider = make_user(grants=[(tree.far_county, "center_staff")])
    with pytest.raises(DomainError) as exc:
        update_center(actor=outsider, center=center, data={"address": "x"})
    assert exc.value.status == 403
    with pytest.raises(DomainError):
        create_space(
            actor=make_user(grants=[(tree.branch, "member")]),
            center=center,
            data={"name": "x", "capacity": 3},
        )
    staff = make_user(grants=[(tree.community, "center_staff")])
    assert create_space(actor=staff, center=center, data={"name": "会议室", "capacity": 12}).capacity == 12


def test_space_rules(center):
    with pytest.raises(DomainError) as exc:
        create_space(actor=None, center=center, data={"name": "党建图书馆", "capacity": 0})
    assert (exc.value.code, exc.value.field) == ("capacity_too_small", "capacity")
    create_space(actor=None, center=center, data={"name": "党建图书馆", "capacity": 20})
    with pytest.raises(DomainError) as exc:
        create_space(actor=None, center=center, data={"name": "党建图书馆", "capacity": 5})
    assert (exc.value.code, exc.value.field) == ("name_taken", "name")
    wall = create_space(actor=None, center=center, data={"name": "心愿墙", "bookable": False})
    assert (wall.capacity, wall.bookable) == (0, False)


def test_weekly_hours_and_windows(thursday):
    from datetime import time

    assert clean_weekly_hours({"thu": ["08:00", "21:00"], "fri": None}, field="h") == {
        "thu": ["08:00", "21:00"]
    }
    with pytest.raises(DomainError) as exc:
        clean_weekly_hours({"thu": ["08:00"]}, field="bookable_hours")
    assert (exc.value.field, exc.value.message) == ("bookable_hours", "周四应填写开始和结束两个时间。")
    center = {"thu": ["08:00", "21:00"]}
    assert bookable_window(center, {}, thursday) == (time(8), time(21))
    assert bookable_window(center, {"thu": ["18:00", "23:00"]}, thursday) == (time(18), time(21))
    assert bookable_window(center, {"thu": ["06:00", "07:00"]}, thursday) is None
    assert bookable_window(center, {"fri": ["06:00", "22:00"]}, thursday) is None


def test_photo_checked_by_content_and_stored_under_our_name(library):
    photo = add_space_photo(actor=None, space=library, upload=image_file(), caption="阅览区")
    assert (photo.width, photo.height, photo.content_type, photo.caption) == (40, 30, "image/png", "阅览区")
    assert photo.image.name.startswith(f"centers/spaces/{library.pk}/") and photo.image.name.endswith(".png")
    assert "room" not in photo.image.name
    jpeg = add_space_photo(actor=None, space=library, upload=image_file("JPEG", name="x.png"))
    assert (jpeg.content_type, jpeg.image.name[-4:]) == (
        "image/jpeg",
        ".jpg",
    )  # the content decides, not the name


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (
            SimpleUploadedFile("fake.jpg", b"<?php echo 'not an image'; ?>" * 10, content_type="image/jpeg"),
            "photo_not_image",
        ),
        (
            SimpleUploadedFile("broken.png", image_file().read()[:60], content_type="image/png"),
            "photo_not_image",
        ),
        (image_file("GIF", name="anim.gif"), "photo_type"),
        (SimpleUploadedFile("empty.png", b"", content_type="image/png"), "photo_required"),
    ],
)
def test_bad_photos_refused(library, upload, code):
    with pytest.raises(DomainError) as exc:
        add_space_photo(actor=None, space=library, upload=upload)
    assert (exc.value.code, exc.value.field) == (code, "photo")
    assert SpacePhoto.objects.count() == 0


def test_oversize_photo_refused(library, settings):
    from dangqun.centers import rules as center_rules
    from dangqun.core.models import RuleValue

    RuleValue.objects.create(key=center_rules.PHOTO_MAX_BYTES, value=100, effective_from="2000-01-01")
    with pytest.raises(DomainError) as exc:
        add_space_photo(actor=None, space=library, upload=image_file(size=(400, 400)))
    assert (exc.value.code, exc.value.field) == ("photo_too_large", "photo")


def test_photo_served_with_its_type_and_removed(client, library, tree):
    photo = add_space_photo(actor=None, space=library, upload=image_file())
    response = client.get(f"/centers/photos/{photo.pk}/")
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == "inline"
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    staff = make_user(grants=[(tree.community, "center_staff")])
    path = photo.image.path
    from django.db import transaction

    with transaction.atomic():
        remove_space_photo(actor=staff, photo=photo)
    assert SpacePhoto.objects.count() == 0
    assert client.get(f"/centers/photos/{photo.pk}/").status_code == 404
    assert path


def test_photo_upload_page_refuses_a_fake_image(client, library, tree):
    client.force_login(make_user(grants=[(tree.community, "center_staff")]))
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a-not-really", content_type="image/jpeg")
    response = client.post(f"/centers/spaces/{library.pk}/photos/", {"photo": fake, "caption": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["photo"] == ["文件不是有效的图片（只接受 JPEG、PNG、WebP）。"]
    good = client.post(f"/centers/spaces/{library.pk}/photos/", {"photo": image_file(), "caption": "阅览区"})
    assert good.status_code == 302
    assert SpacePhoto.objects.get().caption == "阅览区"


def test_moved_subtree_rewrites_center_and_booking_paths(center, library, thursday, tree):
    from dangqun.centers.models import Booking
    from dangqun.centers.tests.conftest import at
    from dangqun.centers.tests.helpers import book

    booking = book(library, at(thursday, 9), at(thursday, 10))
    move_organization(actor=None, organization=tree.branch, new_parent=tree.other_community)
    tree.branch.refresh_from_db()
    center.refresh_from_db()
    assert center.org_path == tree.branch.path
    assert Booking.objects.get(pk=booking.pk).org_path == tree.branch.path
    assert Space.objects.filter(center__org_path__startswith=tree.other_community.path).count() == 1
