# Data migration: centers created before 0003 get their organization's tree path.

from django.db import migrations


def backfill(apps, schema_editor):
    ServiceCenter = apps.get_model("centers", "ServiceCenter")
    for center in ServiceCenter.objects.select_related("organization").filter(org_path=""):
        center.org_path = center.organization.path
        center.save(update_fields=["org_path"])


class Migration(migrations.Migration):

    dependencies = [
        ('centers', '0003_bookings'),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
