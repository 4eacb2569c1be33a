from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangqun.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from dangqun.accounts import signals  # noqa: F401
