"""Attachments are judged by their content, never by name or declared type: PDF (``%PDF-`` … ``%%EOF``),
JPEG and PNG (magic bytes, then decoded by Pillow). Everything is checked before anything is written."""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from dangqun.core import rules
from dangqun.core.errors import DomainError
from dangqun.servicedesk import rules as keys

FIELD = "attachments"
MAX_PIXELS = 60_000_000
_EXTENSIONS = {"pdf": {".pdf"}, "jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"}, "png": {".png"}}
_PIL_FORMAT = {"jpeg": "JPEG", "png": "PNG"}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _shown_name(raw) -> str:
    name = PurePath(str(raw or "")).name.strip() or _("未命名文件")
    return name[:120]


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def _read(upload, limit: int) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload[: limit + 1])
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(limit + 1)


def _image_ok(content: bytes, kind: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                if probe.format != _PIL_FORMAT[kind] or probe.width * probe.height > MAX_PIXELS:
                    return False
                probe.verify()
            with Image.open(io.BytesIO(content)) as image:
                image.load()  # decodes the pixels: a truncated or forged body fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        return False
    return True


def _pdf_ok(content: bytes) -> bool:
    return b"%%EOF" in content[-2048:]


def check_files(uploads, *, org_path: str = "") -> list[CheckedFile]:
    """Validate every upload (count, size, content); refuse the whole lot on the first bad one."""
    uploads = [u for u in (uploads or []) if u is not None]
    today = timezone.localdate()
    max_count = int(rules.value(keys.ATTACHMENT_MAX_COUNT, on=today, org_path=org_path))
    max_bytes = int(rules.value(keys.ATTACHMENT_MAX_BYTES, on=today, org_path=org_path))
    if len(uploads) > max_count:
        raise DomainError("too_many_attachments", _("附件最多 %(n)d 个。") % {"n": max_count}, field=FIELD)
    checked = []
    for upload in uploads:
        name = _shown_name(getattr(upload, "name", ""))
        declared = getattr(upload, "size", None)
        if declared is not None and declared > max_bytes:
            raise _too_large(name, max_bytes)
        content = _read(upload, max_bytes)
        if len(content) > max_bytes:
            raise _too_large(name, max_bytes)
        if not content:
            raise DomainError("attachment_empty", _("附件“%(f)s”是空文件。") % {"f": name}, field=FIELD)
        kind = sniff(content[:16])
        if kind is None:
            raise DomainError(
                "attachment_type",
                _("附件“%(f)s”不是 PDF、JPG 或 PNG 文件，请上传这三种格式之一。") % {"f": name},
                field=FIELD,
            )
        suffix = PurePath(name).suffix.lower()
        if suffix and suffix not in _EXTENSIONS[kind]:
            raise DomainError(
                "attachment_mismatch",
                _("附件“%(f)s”的扩展名与文件内容不符（内容是 %(k)s）。") % {"f": name, "k": kind.upper()},
                field=FIELD,
            )
        if kind == "pdf" and not _pdf_ok(content):
            raise DomainError(
                "attachment_broken_pdf", _("附件“%(f)s”不是完整的 PDF 文件。") % {"f": name}, field=FIELD
            )
        if kind in _PIL_FORMAT and not _image_ok(content, kind):
            raise DomainError(
                "attachment_fake_image",
                _("附件“%(f)s”不是有效的图片（文件已损坏或是伪装成图片的其他文件）。") % {"f": name},
                field=FIELD,
            )
        checked.append(CheckedFile(name, kind, content, hashlib.sha256(content).hexdigest()))
    return checked


def _too_large(name: str, max_bytes: int) -> DomainError:
    return DomainError(
        "attachment_too_large",
        _("附件“%(f)s”超过 %(mb)s MB 的上限。") % {"f": name, "mb": _megabytes(max_bytes)},
        field=FIELD,
    )


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def store(request, files: list[CheckedFile], *, event=None, by_requester: bool = True) -> list:
    """Write the files and their rows (inside the caller's transaction). If writing fails, the files
    already written are removed before the error goes up, so the rollback leaves nothing behind."""
    from dangqun.servicedesk.models import RequestAttachment

    rows = []
    try:
        for checked in files:
            row = RequestAttachment(
                request=request,
                event=event,
                stored_name=f"{uuid.uuid4().hex}.{'jpg' if checked.kind == 'jpeg' else checked.kind}",
                original_name=checked.name,
                kind=checked.kind,
                size=checked.size,
                sha256=checked.sha256,
                by_requester=by_requester,
            )
            row.file.save(row.stored_name, ContentFile(checked.content), save=False)
            rows.append(row)
        return RequestAttachment.objects.bulk_create(rows)
    except Exception:
        for row in rows:
            row.file.delete(save=False)
        raise
