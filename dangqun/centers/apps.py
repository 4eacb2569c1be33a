from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "dangqun.centers"
    label = "centers"
    verbose_name = "党群服务中心与场地"
