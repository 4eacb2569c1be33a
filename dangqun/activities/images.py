"""Uploaded files of meeting records, checked by content (never by name or declared type).

Photos: JPEG or PNG, opened and fully decoded by Pillow, bounded in bytes and pixels, then
re-encoded without metadata (EXIF with GPS position, camera serial …) after applying the EXIF
orientation. Materials: PDF or Office Open XML (docx, xlsx, pptx), by their leading bytes.
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from dangqun.core.errors import DomainError

PHOTO_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    width: int | None = None
    height: int | None = None


def _too_big(field: str, limit: int) -> DomainError:
    return DomainError(
        "file_too_large", _("文件超过 %(m)d MB 的上限。") % {"m": max(1, limit // (1024 * 1024))}, field=field
    )


def clean_photo(data: bytes, *, max_bytes: int, max_pixels: int, field: str = "photo") -> CleanFile:
    if len(data) > max_bytes:
        raise _too_big(field, max_bytes)
    invalid = DomainError(
        "photo_invalid", _("照片须为 JPEG 或 PNG 图片，文件内容无法识别为图片。"), field=field
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in PHOTO_FORMATS:
                raise invalid
            if probe.width * probe.height > max_pixels:
                raise DomainError("photo_too_large", _("照片像素过大，请压缩后再上传。"), field=field)
            probe.verify()  # structure and checksums; the object is unusable afterwards
            image = Image.open(io.BytesIO(data))
            image.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        raise invalid from None
    fmt = image.format
    image = ImageOps.exif_transpose(image)
    # Drop every metadata item (JPEG COM comment, XMP, ICC, PNG text …) but PNG transparency.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=88, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    content = out.getvalue()
    content_type, extension = PHOTO_FORMATS[fmt]
    return CleanFile(
        content, content_type, extension, hashlib.sha256(content).hexdigest(), image.width, image.height
    )


def clean_material(data: bytes, *, max_bytes: int, field: str = "material") -> CleanFile:
    if len(data) > max_bytes:
        raise _too_big(field, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]:
        return CleanFile(data, "application/pdf", ".pdf", digest)
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            names = []
        if "[Content_Types].xml" in names:
            for prefix, (content_type, extension) in OOXML.items():
                if any(name.startswith(prefix) for name in names):
                    return CleanFile(data, content_type, extension, digest)
    for check in (clean_photo,):
        try:
            return check(data, max_bytes=max_bytes, max_pixels=40_000_000, field=field)
        except DomainError:
            pass
    raise DomainError(
        "material_invalid",
        _("会议材料须为 PDF、Word、Excel、PowerPoint 文件或图片；文件内容无法识别。"),
        field=field,
    )
