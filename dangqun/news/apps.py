from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "dangqun.news"
    label = "news"
    verbose_name = "通知与公告"
