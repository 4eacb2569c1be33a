from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "dangqun.people"
    label = "people"
    verbose_name = "人员"

    def ready(self) -> None:
        from dangqun.people import receivers  # noqa: F401
