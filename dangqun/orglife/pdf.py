"""A4 PDFs in Chinese with WeasyPrint: the 报告单 and the quarter's filing (reports + 纪实).

One font face (Noto Sans CJK SC from Debian's fonts-noto-cjk, regular weight only, through its
derived GB 2312 copy: see fonts.py) keeps every PDF to one small embedded subset, which is most of
the rendering time; a missing font is a clear error, never a page of empty boxes. The stylesheet
(templates/orglife/pdf/style.css) is parsed once per process and reused. Page footer
“第 N 页 / 共 M 页” from CSS @page counters; a QR code (segno, inline SVG) links to the record.
"""

from __future__ import annotations

import atexit
from functools import lru_cache

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from dangqun.core.errors import DomainError
from dangqun.orglife import documents, fonts
from dangqun.orglife.models import OrgLifeReport, QuarterlyFiling
from dangqun.orglife.quarters import Quarter

DEFAULT_FONT = "Noto Sans CJK SC"


def font_family() -> str:
    return getattr(settings, "ORGLIFE_PDF_FONT_FAMILY", DEFAULT_FONT)


def check_font() -> str:
    family = font_family()
    if fonts.installed(family) is None:
        raise DomainError(
            "pdf_font_missing",
            _("无法生成 PDF：服务器缺少中文字体“%(f)s”（Debian 软件包 fonts-noto-cjk）。请管理员安装后重试。")
            % {"f": family},
            status=503,
        )
    return family


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Freed before the interpreter tears modules down (its __del__ needs them).
    atexit.register(_release_fonts)
    return FontConfiguration()


def _release_fonts() -> None:
    _stylesheet.cache_clear()
    _font_config.cache_clear()


def footer_content() -> str:
    """CSS `content` for the page footer: 第 N 页 / 共 M 页 (translated around the counters)."""
    template = _("第 {page} 页 / 共 {pages} 页")
    head, rest = template.split("{page}", 1)
    middle, tail = rest.split("{pages}", 1)

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return f"{quoted(head)} counter(page) {quoted(middle)} counter(pages) {quoted(tail)}"


def qr_svg(url: str) -> str:
    """An inline SVG QR code (medium error correction for a printed board; a fixed mask pattern,
    which any reader accepts, spares the search for the best one)."""
    symbol = segno.make(url, error="m", micro=False, mask=0, boost_error=False)
    return symbol.svg_inline(scale=2, border=1, dark="#000", omitsize=True)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@lru_cache(maxsize=8)
def _stylesheet(family: str, subset_url: str, footer: str):
    from weasyprint import CSS

    context = {
        "font_family": family,
        "subset_family": fonts.SUBSET_FAMILY if subset_url else "",
        "subset_url": subset_url,
        "footer_content": footer,
    }
    return CSS(string=render_to_string("orglife/pdf/style.css", context), font_config=_font_config())


def stylesheet():
    family = check_font()
    subset = fonts.subset_font(family)
    return _stylesheet(family, subset.as_uri() if subset else "", footer_content())


def layout(html: str):
    """HTML → laid-out WeasyPrint document (pages), with the cached stylesheet; nothing is fetched."""
    from weasyprint import HTML

    sheet = stylesheet()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        font_config=_font_config(), stylesheets=[sheet]
    )


def render(html: str) -> bytes:
    return layout(html).write_pdf()


def _base_context() -> dict:
    return {"report_title": _("党员领导干部参加党的组织生活报告单")}


def report_html(report: OrgLifeReport) -> str:
    url = absolute(reverse("orglife:report", args=[report.pk]))
    context = _base_context() | {
        "reports": [{"report": report, "qr": qr_svg(url), "url": url}],
        "title": _("党员领导干部参加党的组织生活报告单"),
    }
    return render_to_string("orglife/pdf/report.html", context)


def report_pdf(report: OrgLifeReport) -> bytes:
    return render(report_html(report))


def filing_html(filing: QuarterlyFiling) -> str:
    doc = documents.filing_doc(filing)
    url = absolute(reverse("orglife:filing", args=[filing.pk]))
    reports = []
    for report in doc.reports:
        report_url = absolute(reverse("orglife:report", args=[report.pk]))
        reports.append({"report": report, "qr": qr_svg(report_url), "url": report_url})
    context = _base_context() | {
        "filing": filing,
        "quarter": Quarter(filing.year, filing.quarter),
        "doc": doc,
        "reports": reports,
        "qr": qr_svg(url),
        "url": url,
        "title": _("领导干部组织生活季度报备"),
    }
    return render_to_string("orglife/pdf/filing.html", context)


def filing_pdf(filing: QuarterlyFiling) -> bytes:
    return render(filing_html(filing))
