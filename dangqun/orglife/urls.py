from django.urls import path

from dangqun.orglife import views_cadre, views_filings, views_public, views_staff

app_name = "orglife"

urlpatterns = [
    path("", views_cadre.home, name="home"),
    path("me/", views_cadre.my_quarter, name="me"),
    path("meetings/<int:activity_pk>/jishi/", views_cadre.attendance_start, name="attendance-start"),
    path("jishi/<int:pk>/", views_cadre.attendance_detail, name="attendance"),
    path("jishi/<int:pk>/upload/", views_cadre.attendance_upload, name="attendance-upload"),
    path("jishi/<int:pk>/outline/", views_cadre.attendance_file, name="attendance-file"),
    path("jishi/<int:attendance_pk>/report/", views_cadre.report_new, name="report-new"),
    path("reports/<int:pk>/", views_cadre.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views_cadre.report_edit, name="report-edit"),
    path("reports/<int:pk>/pdf/", views_cadre.report_pdf, name="report-pdf"),
    path("reports/<int:pk>/<slug:action>/", views_cadre.report_action, name="report-action"),
    path("signoff/", views_staff.signoff_queue, name="signoff"),
    path("filings/", views_filings.filing_list, name="filings"),
    path("filings/new/", views_filings.filing_new, name="filing-new"),
    path("filings/<int:pk>/", views_filings.filing_detail, name="filing"),
    path("filings/<int:pk>/pdf/", views_filings.filing_pdf, name="filing-pdf"),
    path("filings/<int:pk>/<slug:action>/", views_filings.filing_action, name="filing-action"),
    path("overview/", views_filings.overview_page, name="overview"),
    path("overview/export.xlsx", views_filings.overview_export, name="overview-export"),
    path("contact-points/", views_staff.contact_points, name="contact-points"),
    path("contact-points/<int:pk>/revoke/", views_staff.contact_point_revoke, name="contact-point-revoke"),
    path("notices/", views_staff.notice_archive, name="notices"),
    path("notices/<int:pk>/", views_staff.notice_detail, name="notice"),
    path("notices/<int:pk>/take-down/", views_staff.notice_take_down, name="notice-take-down"),
    path("objections/", views_staff.objection_queue, name="objections"),
    path("objections/<int:pk>/", views_staff.objection_detail, name="objection"),
    # Public (no login): the notice reached by QR, and the objection receipt.
    path("p/r/<str:receipt>/", views_public.receipt, name="receipt"),
    path("p/<str:token>/", views_public.notice, name="public"),
]
