"""Create (or reset) the local demo staff login that `make run` prints."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from contacts.models import Unit


class Command(BaseCommand):
    help = "Create or update a staff login for the local demo, member of every unit."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)

    @transaction.atomic
    def handle(self, *args, username: str, password: str, **options):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": "Demo", "last_name": "Staff"},
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        # Written from the Unit side: django-simple-history records m2m changes only there.
        for unit in Unit.objects.all():
            unit.members.add(user)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} demo login {username!r}.")
