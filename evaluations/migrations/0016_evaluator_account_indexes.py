"""Indexes on Django's own table of user accounts, for the back office's list of evaluator
accounts: sorted by name, filtered by whether an account can sign in. Django's migrations give
auth_user neither, and its model cannot be given them, so they are made here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("evaluations", "0015_evaluator_accounts_and_help_texts"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX evaluator_account_in_order ON auth_user (first_name, last_name, email)",
            "DROP INDEX evaluator_account_in_order",
        ),
        migrations.RunSQL(
            "CREATE INDEX evaluator_account_can_sign_in ON auth_user (is_active)",
            "DROP INDEX evaluator_account_can_sign_in",
        ),
    ]
