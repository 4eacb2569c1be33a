import pytest

from dangqun.accounts.devices import device_for_token, register_device
from dangqun.accounts.models import Device
from dangqun.core.errors import DomainError
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_token_shown_once_stored_hashed(tree):
    device, token = register_device(actor=None, organization=tree.community, name="一楼签到机", kind="scanner")
    assert token not in device.token_hash and len(device.token_hash) == 64
    assert device_for_token(token) == device
    assert device_for_token(token, kind="kiosk") is None
    assert device_for_token("forged") is None
    Device.objects.filter(pk=device.pk).update(is_active=False)
    assert device_for_token(token) is None


def test_registering_needs_manage_orgs_on_the_node(tree):
    outsider = make_user(grants=[(tree.far_county, "org_admin")])
    with pytest.raises(DomainError):
        register_device(actor=outsider, organization=tree.community, name="x", kind="kiosk")
