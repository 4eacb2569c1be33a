from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "dangqun.servicedesk"
    label = "servicedesk"
    verbose_name = "服务台与心愿墙"
