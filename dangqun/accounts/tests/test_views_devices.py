"""The staff device page: register (token shown once), list with last seen, deactivate (audited);
manage_orgs on the organization; outside scope is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangqun.accounts.devices import device_for_token, register_device
from dangqun.accounts.models import Device
from dangqun.core.models import AuditEntry
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tree):
    return make_user("orgadmin", grants=[(tree.community, "org_admin")])


def url(organization) -> str:
    return reverse("accounts:devices", args=[organization.pk])


def test_register_shows_the_token_once_and_it_works(client, admin, tree):
    client.force_login(admin)
    response = client.post(
        url(tree.community) + "?center=jinling", {"name": " 大厅办事通 1 号 ", "kind": "kiosk"}
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    device = Device.objects.get()
    assert (device.name, device.kind, device.organization) == ("大厅办事通 1 号", "kiosk", tree.community)
    token = page.split('id="device-token-value">')[1].split("<")[0]
    assert device_for_token(token, kind="kiosk") == device
    assert "/kiosk/jinling/pair/" in page
    assert AuditEntry.objects.filter(action="accounts.device.registered", object_id=str(device.pk)).exists()
    # The list never shows it again.
    listing = client.get(url(tree.community)).content.decode()
    assert token not in listing and "大厅办事通 1 号" in listing and "最近使用" in listing


def test_the_list_shows_the_subtree_with_last_seen(client, admin, tree):
    seen, token = register_device(actor=None, organization=tree.branch, name="图书馆扫码枪", kind="scanner")
    device_for_token(token)  # touches last_seen_at
    register_device(actor=None, organization=tree.other_community, name="隔壁大屏", kind="kiosk")
    client.force_login(admin)
    page = client.get(url(tree.community)).content.decode()
    assert "图书馆扫码枪" in page and "隔壁大屏" not in page
    assert "从未使用" not in page.split(f'id="device-{seen.pk}"')[1].split("</tr>")[0]


@pytest.mark.parametrize(
    "data,message",
    [
        ({"name": "", "kind": "kiosk"}, "请填写设备名称。"),
        ({"name": "   ", "kind": "kiosk"}, "请填写设备名称。"),
        ({"name": "x" * 101, "kind": "kiosk"}, "设备名称不能超过 100 个字。"),
        ({"name": "大屏", "kind": "toaster"}, "未知设备类型。"),
        ({"name": "大屏"}, "请选择设备类型。"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(client, admin, tree, data, message):
    client.force_login(admin)
    response = client.post(url(tree.community), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert Device.objects.count() == 0


def test_deactivate_is_audited_and_the_token_stops_working(client, admin, tree):
    device, token = register_device(actor=None, organization=tree.branch, name="大厅大屏", kind="kiosk")
    client.force_login(admin)
    response = client.post(
        reverse("accounts:device-deactivate", args=[device.pk]), {"org": tree.community.pk}
    )
    assert response.status_code == 302 and response["Location"] == url(tree.community)
    device.refresh_from_db()
    assert not device.is_active and device_for_token(token) is None
    entry = AuditEntry.objects.get(action="accounts.device.deactivated", object_id=str(device.pk))
    assert entry.actor == admin
    again = client.post(reverse("accounts:device-deactivate", args=[device.pk]), follow=True)
    assert "该设备已停用。" in again.content.decode()


def test_outside_scope_is_404_and_without_the_permission_403(client, admin, tree):
    far, _token = register_device(actor=None, organization=tree.far_branch, name="远方大屏", kind="kiosk")
    client.force_login(admin)
    assert client.get(url(tree.far_branch)).status_code == 404
    assert client.get(url(tree.street)).status_code == 404  # above the grant
    assert client.get(reverse("accounts:devices", args=[999999])).status_code == 404
    assert client.post(reverse("accounts:device-deactivate", args=[far.pk])).status_code == 404
    assert client.post(url(tree.far_branch), {"name": "x", "kind": "kiosk"}).status_code == 404
    far.refresh_from_db()
    assert far.is_active and Device.objects.count() == 1
    client.force_login(make_user("sec", grants=[(tree.community, "secretary")]))
    assert client.get(url(tree.community)).status_code == 403
    client.logout()
    assert client.get(url(tree.community)).status_code == 302
