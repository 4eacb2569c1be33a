from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "dangqun.servicedesk"
    label = "servicedesk"
    verbose_name = "服务台与心愿墙"

    def ready(self) -> None:
        from dangqun.servicedesk import receivers, rules, tasks  # noqa: F401

        rules.register_defaults()
