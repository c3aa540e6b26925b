from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and anniversaries")

    def ready(self) -> None:
        from contacts import demo, reference, synthetic
        from events.demo import load_demo_events
        from events.reference import ANNIVERSARIES
        from events.synthetic import step_events

        reference.register(ANNIVERSARIES)
        demo.register_step(load_demo_events)
        synthetic.register_step(synthetic.Step("events", step_events, size="events"))
