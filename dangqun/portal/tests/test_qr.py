"""QR codes: every public object has one, served as cacheable SVG without personal data in the
URL, and it holds exactly the absolute address of the object's phone page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import segno
from django.urls import reverse
from django.utils import timezone

from dangqun.activities.services.activities import create_activity
from dangqun.portal import qr
from dangqun.portal.tests.qrdecode import decode_svg

pytestmark = pytest.mark.django_db


def cases(place, wall):
    return [
        ("center", "jinling", "/m/c/jinling/"),
        ("wall", "jinling", "/m/c/jinling/wishes/"),
        ("space", str(place.library.pk), f"/m/s/{place.library.pk}/"),
        ("item", "jinling-registration", "/m/i/jinling-registration/"),
        ("activity", str(place.salon.pk), f"/activities/p/{place.salon.pk}/"),
        ("wish", str(wall["radio"].wish.pk), f"/m/w/{wall['radio'].wish.pk}/"),
    ]


def test_each_qr_holds_the_absolute_address_of_its_page(client, place, wall):
    for kind, key, path in cases(place, wall):
        response = client.get(reverse("portal:qr", args=[kind, key]))
        assert response.status_code == 200, kind
        assert response["Content-Type"] == "image/svg+xml"
        assert response["Cache-Control"] == "public, max-age=86400"
        body = response.content.decode()
        url = f"http://testserver{path}"
        assert decode_svg(body) == url
        # The very symbol segno makes of that address (same error level, scale and colours).
        expected = segno.make(url, error="m", micro=False).svg_inline(
            scale=8, border=2, dark=qr.DARK, light=qr.LIGHT, omitsize=True
        )
        assert body == '<?xml version="1.0" encoding="utf-8"?>\n' + expected.replace(
            "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1
        )
        assert client.get(path).status_code == 200


def test_a_members_only_activity_has_a_qr_too(client, place):
    """Its QR hangs on the meeting room's door and opens the canonical activity page."""
    response = client.get(reverse("portal:qr", args=["activity", str(place.theme_day.pk)]))
    assert decode_svg(response.content.decode()) == f"http://testserver/activities/p/{place.theme_day.pk}/"


def test_qr_follows_the_host_the_visitor_used(client, place, settings):
    settings.ALLOWED_HOSTS = ["dangqun.example.cn"]
    response = client.get(reverse("portal:qr", args=["center", "jinling"]), HTTP_HOST="dangqun.example.cn")
    assert decode_svg(response.content.decode()) == "http://dangqun.example.cn/m/c/jinling/"


def test_qr_of_anything_not_public_is_404(client, place, wall):
    now = timezone.now()
    draft = create_activity(actor=None, organization=place.tree.branch, activity_type="theme_day", title="草稿",
                            space=place.library, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2))  # fmt: skip
    for kind, key in [
        ("wish", str(wall["pending"].wish.pk)),
        ("activity", str(draft.pk)),
        ("space", "abc"),
        ("space", "9" * 30),
        ("center", "nowhere"),
        ("person", "1"),
    ]:
        assert client.get(reverse("portal:qr", args=[kind, key])).status_code == 404, (kind, key)


def test_the_svg_cannot_run_anything(client, place):
    response = client.get(reverse("portal:qr", args=["center", "jinling"]))
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "<script" not in response.content.decode()


def test_the_board_prints_the_center_qr(client, place):
    text = client.get(reverse("portal:board", args=["jinling"])).content.decode()
    assert 'src="/m/qr/center/jinling.svg"' in text
    assert "http://testserver/m/c/jinling/" in text
    assert "周一至周日 08:00–21:00" in text
