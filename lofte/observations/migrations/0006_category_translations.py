from django.db import migrations

from lofte.observations.categories import seed_translations


def add_translations(apps, schema_editor):
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="observations", model="category"
    )
    seed_translations(apps.get_model("observations", "Category"), apps.get_model("core", "Translation"), content_type)


class Migration(migrations.Migration):
    dependencies = [
        ("observations", "0005_resident_reports"),
        ("core", "0003_translation"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(add_translations, migrations.RunPython.noop)]
