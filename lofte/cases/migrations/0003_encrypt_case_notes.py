# Case notes are encrypted at rest (lofte.core.encrypted): the notes stored in clear are encrypted here.

import lofte.core.encrypted
from django.db import migrations


def encrypt_stored_notes(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for event in CaseEvent.objects.exclude(note="").only("pk", "note").iterator():
        if not event.note.startswith(lofte.core.encrypted.TOKEN_PREFIX):  # read as it is: still in clear
            CaseEvent.objects.filter(pk=event.pk).update(note=event.note)  # saved through the field: encrypted


def decrypt_stored_notes(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    connection = schema_editor.connection
    table = CaseEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, note FROM {table} WHERE note <> ''")
        for pk, stored in cursor.fetchall():
            if stored.startswith(lofte.core.encrypted.TOKEN_PREFIX):
                cursor.execute(f"UPDATE {table} SET note = %s WHERE id = %s", [lofte.core.encrypted.decrypt(stored), pk])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_access_log_organisation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='caseevent',
            name='note',
            field=lofte.core.encrypted.EncryptedTextField(blank=True, help_text='No names or identity numbers.', verbose_name='note'),
        ),
        migrations.RunPython(encrypt_stored_notes, decrypt_stored_notes),
    ]
