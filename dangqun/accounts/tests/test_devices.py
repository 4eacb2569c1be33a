import pytest

from dangqun.accounts import devices
from dangqun.accounts.devices import deactivate_device, device_for_token, register_device
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
    deactivate_device(actor=None, device=device)
    assert device_for_token(token) is None
    with pytest.raises(DomainError) as error:
        deactivate_device(actor=None, device=device)
    assert error.value.code == "already_inactive"


def test_lookups_are_cached_and_a_change_elsewhere_shows_within_the_ttl(tree, settings, monkeypatch,
                                                                         django_assert_num_queries):  # fmt: skip
    settings.DEVICE_CACHE_SECONDS = 30
    clock = iter([100.0, 101.0, 129.0, 131.0, 132.0])
    monkeypatch.setattr(devices, "_clock", lambda: next(clock))
    device, token = register_device(actor=None, organization=tree.community, name="大厅大屏", kind="kiosk")
    with django_assert_num_queries(2):  # the lookup and the first last-seen touch; then cached
        assert [device_for_token(token) for _ in range(3)] == [device, device, device]
    Device.objects.filter(pk=device.pk).update(is_active=False)  # another process, no signal here
    with django_assert_num_queries(1):
        assert device_for_token(token) is None  # reloaded at 131
    with django_assert_num_queries(1):
        assert device_for_token(token) is None  # refusals are not cached


def test_deactivating_needs_manage_orgs_on_the_node(tree):
    device, _token = register_device(actor=None, organization=tree.community, name="一楼签到机", kind="scanner")
    outsider = make_user(grants=[(tree.far_county, "org_admin")])
    with pytest.raises(DomainError) as error:
        deactivate_device(actor=outsider, device=device)
    assert error.value.code == "permission_denied"
    device.refresh_from_db()
    assert device.is_active


def test_registering_needs_manage_orgs_on_the_node(tree):
    outsider = make_user(grants=[(tree.far_county, "org_admin")])
    with pytest.raises(DomainError):
        register_device(actor=outsider, organization=tree.community, name="x", kind="kiosk")
