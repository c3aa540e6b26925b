from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from simple_history.signals import post_create_historical_record

        from crm import admin_localise
        from crm.changes import record_change
        from crm.roles import on_post_migrate

        post_create_historical_record.connect(record_change, dispatch_uid="crm.record_change")
        # The role groups follow crm/roles.py after every migrate.
        post_migrate.connect(on_post_migrate, dispatch_uid="crm.sync_role_groups")
        admin_localise.localise()
