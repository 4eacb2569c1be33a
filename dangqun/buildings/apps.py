from django.apps import AppConfig


class BuildingsConfig(AppConfig):
    name = "dangqun.buildings"
    label = "buildings"
    verbose_name = "楼宇与入驻单位"
