from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "dangqun.activities"
    label = "activities"
    verbose_name = "活动与会议"

    def ready(self) -> None:
        from dangqun.activities import receivers, rules, tasks  # noqa: F401

        rules.register_all()
