from django.db import migrations


def forwards(apps, schema_editor):
    from dangqun.activities.catalog import load_catalog

    load_catalog(
        apps.get_model("activities", "NeedCategory"),
        apps.get_model("activities", "ActivityType"),
        apps.get_model("activities", "ComplianceRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
