from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangqun.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dangqun.core import lookups, rules  # noqa: F401 — lookups registers CharField.__under
        from dangqun.core.models import RuleValue

        post_save.connect(rules.clear_cache, sender=RuleValue, dispatch_uid="rules-cache-save")
        post_delete.connect(rules.clear_cache, sender=RuleValue, dispatch_uid="rules-cache-delete")
