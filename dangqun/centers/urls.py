from django.urls import path

from dangqun.centers import views, views_bookings, views_requester

app_name = "centers"

urlpatterns = [
    # staff (manage_centers)
    path("", views.center_list, name="list"),
    path("new/", views.center_new, name="center-new"),
    path("<int:pk>/", views.center_detail, name="center"),
    path("<int:pk>/edit/", views.center_edit, name="center-edit"),
    path("<int:pk>/spaces/new/", views.space_new, name="space-new"),
    path("<int:pk>/blackouts/", views.blackouts, name="blackouts"),
    path("blackouts/<int:pk>/delete/", views.blackout_delete, name="blackout-delete"),
    path("spaces/<int:pk>/", views_bookings.space_detail, name="space"),
    path("spaces/<int:pk>/edit/", views.space_edit, name="space-edit"),
    path("spaces/<int:pk>/photos/", views.photo_add, name="photo-add"),
    path("photos/<int:pk>/delete/", views.photo_remove, name="photo-remove"),
    path("queue/", views_bookings.queue, name="queue"),
    path("bookings/<int:pk>/", views_bookings.booking_detail, name="booking"),
    path("bookings/<int:pk>/decide/", views_bookings.booking_decide, name="booking-decide"),
    path("visits/", views_bookings.visit_queue, name="visits"),
    path("visits/<int:pk>/decide/", views_bookings.visit_decide, name="visit-decide"),
    # public
    path("photos/<int:pk>/", views.photo, name="photo"),
    # anyone logged in
    path("book/", views_requester.browse, name="browse"),
    path("book/<int:pk>/", views_requester.book, name="book"),
    path("mine/", views_requester.mine, name="mine"),
    path("mine/<int:pk>/cancel/", views_requester.cancel, name="cancel"),
    path("mine/series/<int:pk>/cancel/", views_requester.cancel_series, name="cancel-series"),
    path("<int:pk>/visit/", views_requester.visit, name="visit"),
]
