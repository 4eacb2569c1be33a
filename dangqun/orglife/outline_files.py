"""Checks an uploaded 发言提纲 by its content (never by its name): PDF, Word (.docx), a photo of a
handwritten outline (re-encoded without EXIF), or plain text."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from dangqun.core.errors import DomainError

MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    extension: str
    content_type: str
    sha256: str


def _done(content: bytes, extension: str, content_type: str) -> CleanFile:
    return CleanFile(content, extension, content_type, hashlib.sha256(content).hexdigest())


def _image(data: bytes) -> CleanFile | None:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    if fmt not in ("JPEG", "PNG"):
        return None
    if width * height > MAX_PIXELS:
        raise DomainError("image_too_large", _("图片像素过大，请缩小后再上传。"), field="outline_file")
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        out = io.BytesIO()
        if fmt == "JPEG":
            image.convert("RGB").save(out, "JPEG", quality=88)
            return _done(out.getvalue(), ".jpg", "image/jpeg")
        image.save(out, "PNG")
        return _done(out.getvalue(), ".png", "image/png")


def _docx(data: bytes) -> CleanFile | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        return None
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _done(data, ".docx", mime)


def _text(data: bytes) -> CleanFile | None:
    if b"\x00" in data:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _done(text.encode("utf-8"), ".txt", "text/plain; charset=utf-8")
    return None


def clean_outline(data: bytes, *, max_bytes: int) -> CleanFile:
    if not data:
        raise DomainError("empty_file", _("上传的文件是空的。"), field="outline_file")
    if len(data) > max_bytes:
        raise DomainError(
            "file_too_large",
            _("文件不能超过 %(n)d MB。") % {"n": max_bytes // (1024 * 1024)},
            field="outline_file",
        )
    if data.startswith(b"%PDF-"):
        return _done(data, ".pdf", "application/pdf")
    for check in (_docx, _image, _text):
        clean = check(data)
        if clean is not None:
            return clean
    raise DomainError(
        "unsupported_file",
        _("发言提纲只支持 PDF、Word（.docx）、JPG/PNG 图片或纯文本文件。"),
        field="outline_file",
    )
