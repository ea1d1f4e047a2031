"""The table the immutability triggers consult before refusing a DELETE (governance.triggers).

Not a Django model on purpose: the flush that empties the test database never touches it, and
no application code writes it.
"""

from __future__ import annotations

from django.db import migrations

from governance.triggers import PERMIT_TABLE


class Migration(migrations.Migration):
    initial = True

    operations = [
        migrations.RunSQL(
            f"CREATE TABLE {PERMIT_TABLE} (id integer PRIMARY KEY)",
            f"DROP TABLE {PERMIT_TABLE}",
        ),
    ]
