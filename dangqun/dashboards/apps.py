from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dangqun.dashboards"
    label = "dashboards"
    verbose_name = "工作台与数据大屏"
