"""The 报告单 and filing as A4 PDFs in Chinese: one CJK font, footer 第 N 页 / 共 M 页, a QR code."""

from __future__ import annotations

import pytest
from django.urls import reverse
from weasyprint.formatting_structure import boxes

from dangqun.core.errors import DomainError
from dangqun.orglife import pdf, services

pytestmark = pytest.mark.django_db


def _texts(box) -> list[str]:
    found = []
    for child in box.descendants():
        if isinstance(child, boxes.TextBox):
            found.append(child.text)
    return found


def _layout(html: str):
    return pdf.layout(html)


@pytest.fixture
def report(world):
    return world.signed_report(world.own_meeting(), summary="一、带头学习。\n" * 40)


def test_report_pdf_is_a4_chinese_with_page_footer_and_qr(report):
    html = pdf.report_html(report)
    assert "<svg" in html and 'class="segno"' in html
    assert f"http://127.0.0.1:8000/orglife/reports/{report.pk}/" in html
    document = _layout(html)
    assert len(document.pages) == 2
    page = document.pages[0]
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (210, 297)
    footers = [_texts(p._page_box) for p in document.pages]
    assert "第 1 页 / 共 2 页" in "".join(footers[0])
    assert "第 2 页 / 共 2 页" in "".join(footers[1])
    assert "党员领导干部参加党的组织生活报告单" in "".join(footers[0])
    assert pdf.report_pdf(report).startswith(b"%PDF-1.7")


def _embedded(report) -> set[bytes]:
    import re

    plain = _layout(pdf.report_html(report)).write_pdf(uncompressed_pdf=True)
    return set(re.findall(rb"/FontName /[A-Z]{6}\+([^\s/>]+)", plain))


def test_one_font_face_from_the_derived_noto_copy(report, settings):
    assert _embedded(report) == {b"Noto-Sans-CJK-SC-GB"}
    settings.ORGLIFE_PDF_FONT_SUBSET = False
    assert _embedded(report) == {b"Noto-Sans-CJK-SC"}


def test_a_character_outside_the_copy_comes_from_the_system_font(world):
    from dangqun.orglife.models import OrgLifeReport

    report = world.signed_report(world.own_meeting())
    OrgLifeReport.objects.filter(pk=report.pk).update(cadre_name="王堃")
    report.refresh_from_db()
    assert _embedded(report) == {b"Noto-Sans-CJK-SC-GB", b"Noto-Sans-CJK-SC"}


def test_missing_font_is_a_clear_error(report, settings):
    settings.ORGLIFE_PDF_FONT_FAMILY = "No Such CJK Font"
    with pytest.raises(DomainError) as exc:
        pdf.report_pdf(report)
    assert (exc.value.code, exc.value.status) == ("pdf_font_missing", 503)
    assert "fonts-noto-cjk" in exc.value.message


def test_filing_pdf_holds_the_jishi_and_every_report(world):
    world.contact_point()
    world.signed_report(world.own_meeting())
    world.signed_report(world.contact_meeting())
    filing = services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter)
    document = _layout(pdf.filing_html(filing))
    text = ["".join(_texts(p._page_box)) for p in document.pages]
    assert len(text) == 3
    assert "组织生活纪实" in text[0] and "大观社区第一党支部" in text[0]
    assert text[1].count("党员领导干部参加党的组织生活报告单") == 1
    assert "指导联系点情况" in text[2]
    assert text[2].endswith("第 3 页 / 共 3 页") or "第 3 页 / 共 3 页" in text[2]


def test_pdf_views_go_through_the_scope(client, report, world):
    url = reverse("orglife:report-pdf", args=[report.pk])
    client.force_login(world.cadre_user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(world.far_user)
    assert client.get(url).status_code == 404


def test_accepted_filing_is_archived_once(world, django_capture_on_commit_callbacks):
    world.signed_report(world.own_meeting())
    filing = services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_filing(actor=world.committee_user, filing=filing, accept=True)
    filing.refresh_from_db()
    assert filing.archive_pdf.name.endswith(".pdf") and len(filing.archive_sha256) == 64
    from dangqun.orglife import tasks

    assert tasks.archive_filing_pdf(filing.pk) is False  # idempotent
