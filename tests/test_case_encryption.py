"""Case notes are encrypted at rest with a key kept outside the database: the database and its backups
hold only ciphertext, the key rotates, and a wrong key is a clear error (issue 21)."""

from datetime import date

from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from lofte.accounts.models import Organisation, Role
from lofte.cases.keys import rotate_field_key
from lofte.cases.models import CaseEvent, SupportCase

from .base import BaseTestCase, member

NOTE = "Träffade Deltagare 03 vid Vårväderstorget; vill byta skola"
KEY_1, KEY_2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def stored_notes():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT note FROM {CaseEvent._meta.db_table} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@override_settings(LOFTE_FIELD_KEYS=[KEY_1])
class CaseNoteEncryptionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.social = Organisation.objects.create(name="Socialtjänsten", kind="social_services")
        cls.worker = member("worker", cls.social, Role.CASE_WORKER)
        cls.case = SupportCase.objects.create(organisation=cls.social, pseudonym="D03", started_on=date(2016, 6, 1))

    def record(self):
        self.client.force_login(self.worker)
        answer = self.client.post(
            f"/en/arenden/{self.case.pk}/",
            {"date": "2016-07-05", "kind": "contact", "contact_kind": "meeting", "note": NOTE},
        )
        self.assertEqual(answer.status_code, 302)  # fmt: skip

    def test_it_stores_only_ciphertext_and_shows_the_note_to_the_case_worker(self):
        self.record()
        [stored] = stored_notes()
        self.assertTrue(stored.startswith("gAAAAA"))
        self.assertNotIn("Vårväderstorget", stored)
        self.assertEqual(Fernet(KEY_1.encode()).decrypt(stored.encode()).decode(), NOTE)
        self.assertContains(self.client.get(f"/en/arenden/{self.case.pk}/"), "Vårväderstorget")

    def test_a_backup_holds_only_ciphertext(self):
        if connection.vendor != "sqlite" or connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
            # An in-memory test database has no file to back up; the stored column is checked above.
            self.record()
            self.assertNotIn("Vårväderstorget", "".join(stored_notes()))
            return
        import tempfile
        from pathlib import Path

        self.record()
        copy = Path(tempfile.mkdtemp()) / "backup.sqlite3"
        call_command("backup", str(copy))
        self.assertNotIn("Vårväderstorget".encode(), copy.read_bytes())

    def test_it_rotates_to_a_new_key_and_refuses_to_read_with_a_wrong_one(self):
        self.record()
        with self.settings(LOFTE_FIELD_KEYS=[KEY_2, KEY_1]):
            self.assertEqual(rotate_field_key(), 1)
        with self.settings(LOFTE_FIELD_KEYS=[KEY_2]):  # the old key removed: the note still reads
            self.assertEqual(CaseEvent.objects.get().note, NOTE)
        with self.settings(LOFTE_FIELD_KEYS=[KEY_1]), self.assertRaisesRegex(ImproperlyConfigured, "LOFTE_FIELD_KEY"):
            CaseEvent.objects.get()

    def test_the_migration_encrypts_notes_stored_in_clear(self):
        from importlib import import_module

        event = CaseEvent.objects.create(case=self.case, date=date(2016, 7, 5), kind="contact")
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {CaseEvent._meta.db_table} SET note = %s WHERE id = %s", [NOTE, event.pk])
        self.assertEqual(CaseEvent.objects.get().note, NOTE)  # a note still in clear reads as it is
        migration = import_module("lofte.cases.migrations.0003_encrypt_case_notes")
        migration.encrypt_stored_notes(apps, None)
        self.assertTrue(stored_notes()[0].startswith("gAAAAA"))
        self.assertEqual(CaseEvent.objects.get().note, NOTE)
