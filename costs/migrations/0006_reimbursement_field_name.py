"""A reimbursement note's ``status`` (reimbursed, not reimbursed…) becomes ``reimbursement``: as
governed content its ``status`` is the workflow's (draft, in review, published, retired)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("costs", "0005_governed_price_triggers")]

    operations = [
        migrations.RenameField("reimbursementnote", "status", "reimbursement"),
        migrations.RenameField("historicalreimbursementnote", "status", "reimbursement"),
    ]
