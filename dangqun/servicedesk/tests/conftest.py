"""Fixtures of the service desk tests: a center on 顺城社区, its catalog, staff, a member, files."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangqun.centers.services import create_center
from dangqun.people.services import link_user, register_person
from dangqun.servicedesk.enums import PromiseUnit
from dangqun.servicedesk.services import create_service_item
from dangqun.testing.factories import make_id_number, make_user, masses_data, member_data

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday morning: working-day arithmetic reads easily from here.
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def center(tree, settings_media):
    return create_center(
        actor=None, organization=tree.community, data={"name": "“金领”党群服务中心", "slug": "jinling"}
    )


@pytest.fixture
def far_center(tree, settings_media):
    return create_center(
        actor=None, organization=tree.far_branch, data={"name": "金源花园服务站", "slug": "jinyuan"}
    )


def item_data(code: str = "registration", name: str = "代办企业登记注册", **overrides) -> dict:
    data = {
        "code": code,
        "name": name,
        "group": "企业服务",
        "target_groups": ["enterprise"],
        "required_materials": ["营业执照复印件", "法定代表人身份证复印件"],
        "promise_value": 5,
        "promise_unit": PromiseUnit.WORKING_DAYS,
    }
    data.update(overrides)
    return data


@pytest.fixture
def item(center):
    return create_service_item(actor=None, center=center, data=item_data())


@pytest.fixture
def far_item(far_center):
    return create_service_item(actor=None, center=far_center, data=item_data("far-consult", "政策咨询"))


@pytest.fixture
def staff(tree):
    return make_user("staff", display_name="中心工作人员", grants=[(tree.community, "center_staff")])


@pytest.fixture
def supervisor(tree):
    return make_user("street", display_name="朱晓荣", grants=[(tree.street, "secretary")])


@pytest.fixture
def foreigner(tree):
    return make_user("far", grants=[(tree.far_county, "secretary")])


@pytest.fixture
def member_user(tree):
    user = make_user("liuhui", display_name="刘慧", mobile="13800138000")
    person = register_person(actor=None, organization=tree.branch, data=member_data("刘慧"))
    link_user(actor=None, person=person, user=user)
    return user


@pytest.fixture
def second_member(tree):
    user = make_user("yang", display_name="杨志宇", mobile="13700137000")
    person = register_person(
        actor=None,
        organization=tree.branch,
        data=member_data("杨志宇", id_number=make_id_number(date(1982, 5, 1), seq=311), mobile="13700137000"),
    )
    link_user(actor=None, person=person, user=user)
    return user


@pytest.fixture
def resident(tree):
    return register_person(
        actor=None, organization=tree.community, data=masses_data("王秀英", mobile="13512345678")
    )


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
