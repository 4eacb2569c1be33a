from django.urls import path

from dangqun.news import views

app_name = "news"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("send/", views.send, name="send"),
    path("send/recipients/", views.send_recipients, name="send-recipients"),
    path("sent/", views.sent_list, name="sent"),
    path("sent/<int:pk>/", views.sent_detail, name="sent-detail"),
    path("sent/<int:pk>/remind/", views.remind, name="remind"),
]
