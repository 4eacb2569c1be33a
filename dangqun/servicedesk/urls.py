"""Staff pages of the service desk and the wish wall (mounted at /servicedesk/); the public wall too.
Open311 lives in open311_urls.py (mounted at /open311/v2/)."""

from django.urls import path

from dangqun.servicedesk import views, views_catalog, views_wishes

app_name = "servicedesk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/act/<slug:action>/", views.request_action, name="request-action"),
    path("requests/<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("follow-ups/<int:pk>/", views.follow_up, name="follow-up"),
    path("catalog/", views_catalog.catalog, name="catalog"),
    path("catalog/new/", views_catalog.item_new, name="item-new"),
    path("catalog/<int:pk>/edit/", views_catalog.item_edit, name="item-edit"),
    path("wishes/", views_wishes.wish_queue, name="wishes"),
    path("wishes/<int:pk>/", views_wishes.wish_detail, name="wish"),
    path("wishes/<int:pk>/act/<slug:action>/", views_wishes.wish_action, name="wish-action"),
    path("wall/<slug:slug>/", views_wishes.wall, name="wall"),
]
