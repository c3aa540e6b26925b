from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        from simple_history.signals import post_create_historical_record

        from crm.changes import record_change

        post_create_historical_record.connect(record_change, dispatch_uid="crm.record_change")
