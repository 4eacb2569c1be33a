"""/accounts/ (namespace "accounts") and the audit log, mounted at /audit/ (namespace "audit")."""

from django.urls import path

from dangqun.accounts import views, views_devices

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("locked/", views.locked_accounts, name="locked"),
    path("locked/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("orgs/<int:org_pk>/devices/", views_devices.devices, name="devices"),
    path("devices/<int:pk>/deactivate/", views_devices.deactivate, name="device-deactivate"),
]

audit_urlpatterns = [
    path("", views.audit_log, name="log"),
]
