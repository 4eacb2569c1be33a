"""The one error type services raise: a stable machine code plus a translated message."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation. `code` is stable (tests, API clients); `message` is for people."""

    def __init__(self, code: str, message: str, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.field = field
        self.status = status

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    def __init__(self, message: str = "未找到"):
        super().__init__("not_found", message, status=404)


class PermissionDenied(DomainError):
    def __init__(self, message: str = "无权执行此操作"):
        super().__init__("permission_denied", message, status=403)
