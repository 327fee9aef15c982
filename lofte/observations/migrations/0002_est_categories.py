from django.db import migrations

from lofte.observations.categories import seed


def add_categories(apps, schema_editor):
    seed(apps.get_model("observations", "Category"))


class Migration(migrations.Migration):
    dependencies = [("observations", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
