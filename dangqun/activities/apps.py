from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "dangqun.activities"
    label = "activities"
    verbose_name = "活动与会议"
