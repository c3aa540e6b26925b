from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from simple_history.signals import post_create_historical_record

        from crm.changes import record_change
        from crm.collation import register

        # SQLite's own `vi_icu` collation (PostgreSQL's comes from a migration).
        connection_created.connect(register, dispatch_uid="crm.collation")

        post_create_historical_record.connect(record_change, dispatch_uid="crm.record_change")
