"""A browser on a lobby touch screen becomes a registered kiosk (accounts Device, kind "kiosk").

Staff register the device (dangqun.accounts.devices.register_device) and type its token once on
the kiosk's pairing page; the token then lives in a signed, HttpOnly cookie scoped to /kiosk/.
Every kiosk request resolves the device from it (inactive or foreign devices are ignored).
"""

from __future__ import annotations

from dangqun.accounts.devices import device_for_token
from dangqun.accounts.models import Device

COOKIE = "dq_kiosk"
COOKIE_PATH = "/kiosk/"
COOKIE_SALT = "dangqun.portal.kiosk"
COOKIE_AGE = 5 * 365 * 24 * 3600


def device_covers(device: Device, center) -> bool:
    """A kiosk serves the centers of its organization's subtree."""
    return center.org_path.startswith(device.organization.path)


def device_of(request, center) -> Device | None:
    """The registered kiosk this browser is, for `center`; None for any other browser."""
    token = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    device = device_for_token(token, kind=Device.Kind.KIOSK)
    if device is None or not device_covers(device, center):
        return None
    return device


def remember(response, token: str, *, secure: bool = False) -> None:
    response.set_signed_cookie(
        COOKIE,
        token,
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )


def forget(response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")
