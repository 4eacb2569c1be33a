"""Anonymous submissions are limited per IP (per account when logged in, per device for a paired
kiosk), with a clear message and a 429; the limits are rule data."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from dangqun.core.models import RuleValue
from dangqun.portal import ratelimit, rules
from dangqun.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db

FORM = {"name": "周敏", "mobile": "13629475810", "description": "请协助办理分支机构登记"}


@pytest.fixture(autouse=True)
def one_long_window(db):
    """Windows are aligned to the clock; a test must not straddle two of them."""
    RuleValue.objects.create(key=rules.WINDOW_SECONDS, value=10**9, effective_from=date(2000, 1, 1))


def file_it(client, ip="10.0.0.1", path=None):
    path = path or reverse("portal:item", args=["jinling-registration"])
    return client.post(path, FORM, REMOTE_ADDR=ip)


def test_the_eleventh_submission_from_one_ip_is_refused_clearly(client, place):
    for _ in range(10):
        assert file_it(client).status_code == 302
    refused = file_it(client)
    assert refused.status_code == 429
    assert "提交太频繁了，请" in refused.content.decode() and "分钟后再试。" in refused.content.decode()
    assert ServiceRequest.objects.count() == 10
    # Another address is not affected.
    assert file_it(client, ip="10.0.0.2").status_code == 302


def test_bad_submissions_count_too(client, place):
    for _ in range(10):
        client.post(
            reverse("portal:item", args=["jinling-registration"]), {"mobile": "1"}, REMOTE_ADDR="10.0.0.3"
        )
    assert file_it(client, ip="10.0.0.3").status_code == 429


def test_every_public_form_is_limited(client, place, wall):
    targets = [
        (reverse("portal:space", args=[place.library.pk]), {}),
        (reverse("portal:wish-new", args=["jinling"]), {}),
        (reverse("portal:item", args=["jinling-registration"]), {}),
        (reverse("portal:my-wish-confirm", args=[wall["glasses"].token]), {}),
        (reverse("portal:kiosk-item", args=["jinling", "jinling-registration"]), {}),
        (reverse("portal:kiosk-pair", args=["jinling"]), {"token": "x"}),
    ]
    for path, data in targets:
        client.cookies.clear()
        for _ in range(10):
            client.post(path, data, REMOTE_ADDR="10.1.1.1")
        response = client.post(path, data, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 429, path
        assert "提交太频繁了" in response.content.decode(), path
        cache.clear()


def test_a_paired_kiosk_has_its_own_larger_allowance(client, place, kiosk_device):
    client.post(
        reverse("portal:kiosk-pair", args=["jinling"]), {"token": kiosk_device.token}, REMOTE_ADDR="10.2.0.9"
    )
    path = reverse("portal:kiosk-item", args=["jinling", "jinling-registration"])
    for _ in range(30):
        assert file_it(client, ip="10.2.0.9", path=path).status_code == 302
    # The phone pages from the same address are counted apart.
    assert file_it(client, ip="10.2.0.9").status_code == 302


def test_the_limit_is_a_rule(place):
    RuleValue.objects.filter(key=rules.WINDOW_SECONDS).delete()
    RuleValue.objects.create(key=rules.POSTS_PER_WINDOW, value=2, effective_from=date(2000, 1, 1))

    class Request:
        META = {"REMOTE_ADDR": "10.9.9.9"}
        user = None

    assert [ratelimit.hit(Request, now=1000.0).allowed for _ in range(3)] == [True, True, False]
    # The next window starts afresh.
    assert ratelimit.hit(Request, now=1000.0 + 600).allowed is True
