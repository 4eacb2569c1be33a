"""Per-IP (or per account, or per registered kiosk) limits on public form submissions.

A fixed window counter in the Django cache (locmem in the embedded mode, Redis at scale). Every
POST of a public form counts, accepted or refused, so guessing and flooding cost the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from dangqun.core import request_context
from dangqun.portal import rules


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0

    @property
    def message(self) -> str:
        minutes = max(1, (self.retry_after + 59) // 60)
        return _("提交太频繁了，请 %(m)d 分钟后再试。如有急事，请到服务中心前台或拨打中心电话。") % {
            "m": minutes
        }


def _who(request, device) -> tuple[str, str]:
    if device is not None:
        return f"kiosk:{device.pk}", rules.KIOSK_POSTS_PER_WINDOW
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}", rules.POSTS_PER_WINDOW
    ip = request_context.client_ip(request.META) or "unknown"
    return f"ip:{ip}", rules.POSTS_PER_WINDOW


def hit(request, *, device=None, now: float | None = None) -> Verdict:
    """Count one submission; refuse when the window's count is over the limit."""
    who, limit_key = _who(request, device)
    window = int(rules.value(rules.WINDOW_SECONDS))
    limit = int(rules.value(limit_key))
    now = time.time() if now is None else now
    start = int(now // window) * window
    key = f"portal:rl:{who}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return Verdict(False, retry_after=int(start + window - now) + 1)
    return Verdict(True)
