"""Public pages, mounted at the site root: phone pages under m/, the kiosk under kiosk/<center>/."""

from django.urls import path

from dangqun.portal import views_activities, views_kiosk, views_mobile, views_qr, views_wishes

app_name = "portal"

urlpatterns = [
    # Phone pages (QR landings).
    path("m/", views_mobile.center_index, name="index"),
    path("m/c/<slug:slug>/", views_mobile.center_home, name="center"),
    path("m/c/<slug:slug>/board/", views_mobile.board, name="board"),
    path("m/c/<slug:slug>/wishes/", views_wishes.wall, name="wall"),
    path("m/c/<slug:slug>/wishes/new/", views_wishes.wish_new, name="wish-new"),
    path("m/s/<int:pk>/", views_mobile.space_page, name="space"),
    path("m/b/<str:code>/", views_mobile.booking_page, name="booking"),
    path("m/b/<str:code>/cancel/", views_mobile.booking_cancel, name="booking-cancel"),
    path("m/i/<slug:code>/", views_mobile.item_page, name="item"),
    path("m/r/<str:token>/", views_mobile.track, name="track"),
    path("m/r/<str:token>/rate/", views_mobile.track_rate, name="track-rate"),
    path("m/r/<str:token>/supply/", views_mobile.track_supply, name="track-supply"),
    path("m/r/<str:token>/cancel/", views_mobile.track_cancel, name="track-cancel"),
    # Old activity links: the canonical page is the activities app's (/activities/p/<pk>/).
    path("m/a/<int:pk>/", views_activities.canonical, name="activity"),
    path("m/a/<int:pk>/register/", views_activities.canonical),
    path("m/a/<int:pk>/cancel/", views_activities.canonical),
    path("m/w/<int:pk>/", views_wishes.wish_page, name="wish"),
    path("m/w/<int:pk>/claim/", views_wishes.wish_claim, name="wish-claim"),
    path("m/w/<int:pk>/fulfil/", views_wishes.wish_fulfil, name="wish-fulfil"),
    path("m/mine/w/<str:token>/", views_wishes.my_wish, name="my-wish"),
    path("m/mine/w/<str:token>/confirm/", views_wishes.my_wish_confirm, name="my-wish-confirm"),
    path("m/mine/w/<str:token>/cancel/", views_wishes.my_wish_cancel, name="my-wish-cancel"),
    path("m/qr/<slug:kind>/<str:key>.svg", views_qr.qr_svg, name="qr"),
    # The 办事通 kiosk.
    path("kiosk/<slug:slug>/", views_kiosk.home, name="kiosk"),
    path("kiosk/<slug:slug>/i/<slug:code>/", views_kiosk.item_page, name="kiosk-item"),
    path("kiosk/<slug:slug>/filed/", views_kiosk.filed, name="kiosk-filed"),
    path("kiosk/<slug:slug>/s/<int:pk>/", views_kiosk.space_page, name="kiosk-space"),
    path("kiosk/<slug:slug>/a/<int:pk>/", views_kiosk.activity_page, name="kiosk-activity"),
    path("kiosk/<slug:slug>/wishes/", views_kiosk.wall, name="kiosk-wall"),
    path("kiosk/<slug:slug>/w/<int:pk>/", views_kiosk.wish_page, name="kiosk-wish"),
    path("kiosk/<slug:slug>/pair/", views_kiosk.pair, name="kiosk-pair"),
]
