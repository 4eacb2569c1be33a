"""Authenticate by username or by mobile number (+86 / 0086 / spaces accepted)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from dangqun.accounts.models import User


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def find_user(login: str) -> User | None:
    login = (login or "").strip()
    if not login:
        return None
    user = User.objects.filter(username=login).first()
    if user is not None:
        return user
    from dangqun.core.validators import normalize_mobile

    try:
        mobile = normalize_mobile(login)
    except ValidationError:
        return None
    return User.objects.filter(mobile=mobile).first()
