"""Maintained balances: one row per agreement that the database keeps equal to the
ledger's sums (issue #15).

A trigger on the ledger adds each new entry to its agreement's row in the statement that
inserts it (PostgreSQL: once per statement, from the inserted rows; SQLite, the embedded
mode: once per row), and on PostgreSQL a second trigger refuses every INSERT, UPDATE or
DELETE on the rows that does not come from the first one. The rows of the entries already
posted are filled from the ledger here, before the guard is installed."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "agreements_agreementbalance"
FIGURES = ("obligation", "reserved", "discharged", "bank_drawn", "retained", "defence")
USED = (
    "CASE {e}.applies_to WHEN 'reserve' THEN {e}.amount WHEN 'release' THEN -{e}.amount"
    " WHEN 'actual' THEN {e}.amount WHEN 'bank_draw' THEN {e}.amount"
    " WHEN 'retention' THEN -{e}.amount ELSE 0 END"
)
# What one entry adds to each figure (a reversal counts toward ``applies_to``, negated by
# its own amount). The same signs as agreements/selectors.py; balances_check compares.
DELTAS = {
    "obligation": "CASE WHEN {e}.applies_to = 'obligation' THEN {e}.amount ELSE 0 END",
    "reserved": "CASE {e}.applies_to WHEN 'reserve' THEN {e}.amount"
    " WHEN 'release' THEN -{e}.amount ELSE 0 END",
    "discharged": "CASE {e}.applies_to WHEN 'actual' THEN {e}.amount"
    " WHEN 'bank_draw' THEN {e}.amount WHEN 'retention' THEN -{e}.amount ELSE 0 END",
    "bank_drawn": "CASE WHEN {e}.applies_to = 'bank_draw' THEN {e}.amount ELSE 0 END",
    "retained": "CASE WHEN {e}.applies_to = 'retention' THEN {e}.amount ELSE 0 END",
    "defence": "CASE WHEN {e}.use IN ('direct_defence', 'indirect_defence') THEN "
    + USED
    + " ELSE 0 END",
}
COLUMNS = ", ".join(("agreement_id", *FIGURES, "latest_effective_on", "last_entry_id", "entries"))


def _aggregate(source: str) -> str:
    """The rows of the entries in ``source``, one per agreement (locked in id order)."""
    sums = ", ".join(f"SUM({DELTAS[name].format(e='e')})" for name in FIGURES)
    return (
        f"SELECT e.agreement_id, {sums}, MAX(e.effective_on), MAX(e.id), COUNT(*) "
        f"FROM {source} e GROUP BY e.agreement_id ORDER BY e.agreement_id"
    )


MESSAGE = "maintained balances are written by the ledger only: post an entry"
POSTGRES_FORWARD = [
    f"""
CREATE OR REPLACE FUNCTION icp_balance_post() RETURNS trigger AS $$
BEGIN
    INSERT INTO {TABLE} AS b ({COLUMNS})
    {_aggregate("posted")}
    ON CONFLICT (agreement_id) DO UPDATE SET
        {", ".join(f"{name} = b.{name} + EXCLUDED.{name}" for name in FIGURES)},
        latest_effective_on = GREATEST(b.latest_effective_on, EXCLUDED.latest_effective_on),
        last_entry_id = GREATEST(b.last_entry_id, EXCLUDED.last_entry_id),
        entries = b.entries + EXCLUDED.entries;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER creditentry_maintains_balance
    AFTER INSERT ON agreements_creditentry REFERENCING NEW TABLE AS posted
    FOR EACH STATEMENT EXECUTE FUNCTION icp_balance_post();
""",
    f"""
CREATE OR REPLACE FUNCTION icp_balance_guard() RETURNS trigger AS $$
BEGIN
    -- Depth 1 is a statement of its own; the ledger's trigger writes at depth 2.
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER agreementbalance_written_by_ledger
    BEFORE INSERT OR UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION icp_balance_guard();
""",
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS agreementbalance_written_by_ledger ON {TABLE};",
    "DROP FUNCTION IF EXISTS icp_balance_guard();",
    "DROP TRIGGER IF EXISTS creditentry_maintains_balance ON agreements_creditentry;",
    "DROP FUNCTION IF EXISTS icp_balance_post();",
]
# SQLite has no statement triggers nor trigger depth: the row is kept per entry and the
# guard is the model's (save, update and delete refuse); `make run` only.
SQLITE_FORWARD = [
    f"""
CREATE TRIGGER creditentry_maintains_balance AFTER INSERT ON agreements_creditentry
BEGIN
    INSERT OR IGNORE INTO {TABLE} ({COLUMNS})
        VALUES (NEW.agreement_id, {", ".join("0" for _ in FIGURES)}, NEW.effective_on, NEW.id, 0);
    UPDATE {TABLE} SET
        {", ".join(f"{name} = {name} + " + DELTAS[name].format(e="NEW") for name in FIGURES)},
        latest_effective_on = MAX(latest_effective_on, NEW.effective_on),
        last_entry_id = MAX(last_entry_id, NEW.id),
        entries = entries + 1
    WHERE agreement_id = NEW.agreement_id;
END;
"""
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS creditentry_maintains_balance;"]


def fill(apps, schema_editor):
    """The rows of the agreements that already have entries."""
    schema_editor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) {_aggregate('agreements_creditentry')}")


def install(statements: dict):
    def apply(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0009_procurement_pipeline"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgreementBalance",
            fields=[
                (
                    "agreement",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="maintained_balance",
                        serialize=False,
                        to="agreements.agreement",
                        verbose_name="agreement",
                    ),
                ),
                (
                    "obligation",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="obligation"
                    ),
                ),
                (
                    "reserved",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="reserved"
                    ),
                ),
                (
                    "discharged",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="discharged"
                    ),
                ),
                (
                    "bank_drawn",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=18,
                        verbose_name="drawn from the bank",
                    ),
                ),
                (
                    "retained",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=18,
                        verbose_name="retained in the bank",
                    ),
                ),
                (
                    "defence",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="defence use"
                    ),
                ),
                ("latest_effective_on", models.DateField(verbose_name="latest effective date")),
                ("last_entry_id", models.BigIntegerField(verbose_name="last entry")),
                ("entries", models.PositiveBigIntegerField(verbose_name="entries posted")),
            ],
            options={
                "verbose_name": "maintained balance",
                "verbose_name_plural": "maintained balances",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(
            install({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            install({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
