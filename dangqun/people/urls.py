from django.urls import include, path

from dangqun.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_new, name="new"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("by-org/<int:pk>/", views.org_people, name="org-people"),
    # Import wizard and XLSX/CSV export: people:roster-import, people:roster-export.
    path("roster/", include("dangqun.people.roster_urls")),
]
