from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "dangqun.centers"
    label = "centers"
    verbose_name = "党群服务中心与场地"

    def ready(self) -> None:
        from dangqun.centers import receivers, rules  # noqa: F401

        rules.register_defaults()
