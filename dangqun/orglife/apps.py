from django.apps import AppConfig


class OrglifeConfig(AppConfig):
    name = "dangqun.orglife"
    label = "orglife"
    verbose_name = "领导干部组织生活"
