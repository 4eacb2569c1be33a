"""Attachments are judged by content; a bad one refuses the whole request and leaves no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangqun.core.errors import DomainError
from dangqun.core.models import RuleValue
from dangqun.servicedesk import services
from dangqun.servicedesk.enums import Channel
from dangqun.servicedesk.models import RequestAttachment, ServiceRequest

from .conftest import PDF_BYTES, T0, jpeg_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def file_with(item, *files):
    return services.file_request(
        actor=None, item=item, description="请代办登记", name="陈经理", mobile="13912345678",
        channel=Channel.PHONE, attachments_in=list(files), now=T0,
    )  # fmt: skip


def stored_files(media: Path) -> list[Path]:
    folder = media / "servicedesk"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_pdf_jpeg_and_png_are_kept_under_random_names(item, settings_media):
    request = file_with(
        item,
        upload("营业执照.pdf", PDF_BYTES, "application/pdf"),
        upload("门头照片.JPG", jpeg_bytes()),
        upload("scan", png_bytes()),
    ).request
    rows = list(request.attachments.order_by("id"))
    assert [(r.original_name, r.kind) for r in rows] == [
        ("营业执照.pdf", "pdf"),
        ("门头照片.JPG", "jpeg"),
        ("scan", "png"),
    ]
    assert sorted(p.suffix for p in stored_files(settings_media)) == [".jpg", ".pdf", ".png"]
    assert all("营业执照" not in r.file.name for r in rows)
    assert rows[0].file.read() == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("photo.jpg", b"this is not a picture at all", "attachment_type",
         "附件“photo.jpg”不是 PDF、JPG 或 PNG 文件，请上传这三种格式之一。"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "attachment_fake_image",
         "附件“photo.jpg”不是有效的图片（文件已损坏或是伪装成图片的其他文件）。"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>", "attachment_fake_image",
         "附件“photo.png”不是有效的图片（文件已损坏或是伪装成图片的其他文件）。"),
        ("photo.png", jpeg_bytes(), "attachment_mismatch", "附件“photo.png”的扩展名与文件内容不符（内容是 JPEG）。"),
        ("file.pdf", b"%PDF-1.4 truncated", "attachment_broken_pdf", "附件“file.pdf”不是完整的 PDF 文件。"),
        ("empty.pdf", b"", "attachment_empty", "附件“empty.pdf”是空文件。"),
    ],
)  # fmt: skip
def test_fake_or_broken_files_are_refused_with_a_clear_message(
    item, settings_media, name, content, code, message
):
    good = upload("ok.pdf", PDF_BYTES)
    with pytest.raises(DomainError) as caught:
        file_with(item, good, upload(name, content))
    assert (caught.value.code, caught.value.field, caught.value.message) == (code, "attachments", message)
    assert ServiceRequest.objects.count() == 0
    assert RequestAttachment.objects.count() == 0
    assert stored_files(settings_media) == []


def test_size_and_count_limits_come_from_the_rules(item, settings_media):
    RuleValue.objects.create(
        key="servicedesk.attachment_max_bytes", value=2 * 1024 * 1024, effective_from=T0.date()
    )
    RuleValue.objects.create(key="servicedesk.attachment_max_count", value=2, effective_from=T0.date())
    big = PDF_BYTES[:-7] + b" " * (2 * 1024 * 1024) + b"%%EOF\n"
    with pytest.raises(DomainError) as caught:
        file_with(item, upload("big.pdf", big))
    assert caught.value.message == "附件“big.pdf”超过 2 MB 的上限。"
    with pytest.raises(DomainError) as caught:
        file_with(item, *(upload(f"{i}.pdf", PDF_BYTES) for i in range(3)))
    assert (caught.value.code, caught.value.message) == ("too_many_attachments", "附件最多 2 个。")
    assert ServiceRequest.objects.count() == 0
    assert stored_files(settings_media) == []


def test_a_pixel_bomb_is_refused(item, settings_media):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")  # 81 million pixels, a few kilobytes
    with pytest.raises(DomainError) as caught:
        file_with(item, upload("bomb.png", buffer.getvalue()))
    assert caught.value.code == "attachment_fake_image"
