from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangqun.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from dangqun.core import lookups  # noqa: F401 — registers CharField.__under
