from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "dangqun.news"
    label = "news"
    verbose_name = "通知与公告"

    def ready(self) -> None:
        from dangqun.news import receivers, rules  # noqa: F401
