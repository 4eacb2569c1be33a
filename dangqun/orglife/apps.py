from django.apps import AppConfig


class OrglifeConfig(AppConfig):
    name = "dangqun.orglife"
    label = "orglife"
    verbose_name = "领导干部组织生活"

    def ready(self) -> None:
        from dangqun.orglife import jobs, receivers, rules  # noqa: F401

        rules.register_all()
