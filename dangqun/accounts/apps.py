from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangqun.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dangqun.accounts import devices, signals  # noqa: F401
        from dangqun.accounts.models import Device

        post_save.connect(devices.clear_cache, sender=Device, dispatch_uid="device-cache-save")
        post_delete.connect(devices.clear_cache, sender=Device, dispatch_uid="device-cache-delete")
