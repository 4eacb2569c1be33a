"""/accounts/ (namespace "accounts") and the audit log, mounted at /audit/ (namespace "audit")."""

from django.urls import path

from dangqun.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("locked/", views.locked_accounts, name="locked"),
    path("locked/<int:pk>/unlock/", views.unlock, name="unlock"),
]

audit_urlpatterns = [
    path("", views.audit_log, name="log"),
]
