from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate
        from simple_history.signals import post_create_historical_record

        from crm import admin_localise
        from crm.changes import record_change
        from crm.collation import register
        from crm.roles import on_post_migrate

        # SQLite's own `vi_icu` collation (PostgreSQL's comes from a migration).
        connection_created.connect(register, dispatch_uid="crm.collation")

        post_create_historical_record.connect(record_change, dispatch_uid="crm.record_change")
        # The role groups follow crm/roles.py after every migrate.
        post_migrate.connect(on_post_migrate, dispatch_uid="crm.sync_role_groups")
        admin_localise.localise()
