from django.urls import path

from dangqun.activities import ical_feeds
from dangqun.activities.views import compliance, public, records, staff

app_name = "activities"

urlpatterns = [
    # staff
    path("", staff.activity_list, name="list"),
    path("new/", staff.activity_new, name="new"),
    path("<int:pk>/", staff.activity_detail, name="detail"),
    path("<int:pk>/edit/", staff.activity_edit, name="edit"),
    path("<int:pk>/publish/", staff.activity_publish, name="publish"),
    path("<int:pk>/cancel/", staff.activity_cancel, name="cancel"),
    path("<int:pk>/finish/", staff.activity_finish, name="finish"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/check-in/",
        staff.manual_check_in,
        name="manual-check-in",
    ),
    path(
        "<int:pk>/registrations/<int:registration_pk>/cancel/",
        staff.staff_cancel_registration,
        name="staff-cancel",
    ),
    path("<int:pk>/paper-sheet/", staff.paper_sheet, name="paper-sheet"),
    path("<int:pk>/screen/", staff.room_screen, name="screen"),
    path("scanners/", staff.scanners, name="scanners"),
    # meeting records
    path("<int:pk>/record/", records.record_page, name="record"),
    path("<int:pk>/record/start/", records.record_start, name="record-start"),
    path("<int:pk>/record/attachments/", records.record_attachment, name="record-attachment"),
    path(
        "<int:pk>/record/attachments/<int:attachment_pk>/", records.record_attachment_file, name="record-file"
    ),
    path(
        "<int:pk>/record/attachments/<int:attachment_pk>/delete/",
        records.record_attachment_delete,
        name="record-attachment-delete",
    ),
    path("<int:pk>/record/absences/", records.record_absence, name="record-absence"),
    path(
        "<int:pk>/record/absences/<int:absence_pk>/delete/",
        records.record_absence_delete,
        name="record-absence-delete",
    ),
    path("<int:pk>/record/votes/", records.record_vote, name="record-vote"),
    path("<int:pk>/record/submit/", records.record_submit, name="record-submit"),
    path("<int:pk>/record/review/", records.record_review, name="record-review"),
    path("<int:pk>/record/sign-in-sheet/", records.sign_in_sheet_page, name="sign-in-sheet"),
    path("reviews/", records.review_queue, name="reviews"),
    # compliance and counts
    path("compliance/", compliance.compliance, name="compliance"),
    path("compliance/<int:pk>/", compliance.compliance_node, name="compliance-node"),
    path("compliance/<int:pk>/remind/", compliance.compliance_remind, name="compliance-remind"),
    path("stats/", compliance.stats, name="stats"),
    # public and members
    path("p/<int:pk>/", public.public_page, name="public"),
    path("p/<int:pk>/register/", public.guest_register, name="guest-register"),
    path("p/<int:pk>/join/", public.member_register, name="member-register"),
    path("pass/<str:code>/", public.pass_page, name="pass"),
    path("pass/<str:code>/cancel/", public.pass_cancel, name="pass-cancel"),
    path("mine/", public.my_activities, name="mine"),
    path("s/<str:code>/", public.sign_in, name="sign-in"),
    path("center/<slug:slug>/", public.center_list, name="center"),
    path("org/<int:pk>/", public.organization_list, name="organization"),
    path("series/<int:pk>/", public.series_page, name="series"),
    path("ical/org/<int:pk>.ics", ical_feeds.organization_feed, name="ical-org"),
    path("ical/me/<str:token>.ics", ical_feeds.user_feed, name="ical-user"),
]
