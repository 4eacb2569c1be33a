from django.db import migrations


def forwards(apps, schema_editor):
    from dangqun.orgs.kinds import load_default_kinds

    load_default_kinds(apps.get_model("orgs", "OrganizationKind"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
