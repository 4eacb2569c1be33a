from django.urls import path

from dangqun.people import roster_views

urlpatterns = [
    path("import/", roster_views.import_upload, name="roster-import"),
    path("import/template.xlsx", roster_views.import_template, name="roster-template"),
    path("import/<int:pk>/", roster_views.import_report, name="roster-report"),
    path("import/<int:pk>/commit/", roster_views.import_commit, name="roster-commit"),
    path("import/<int:pk>/discard/", roster_views.import_discard, name="roster-discard"),
    path("export/", roster_views.export, name="roster-export"),
]
