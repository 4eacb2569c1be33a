from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "dangqun.portal"
    label = "portal"
    verbose_name = "手机与大屏入口"

    def ready(self) -> None:
        from dangqun.portal import rules

        rules.register_defaults()
