import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from contacts.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_demo_login_is_created_once_and_reset_on_rerun():
    UnitFactory(code="so-ngoai-vu")
    UnitFactory(code="lhhn")
    call_command("ensure_demo_login", "demo", password="first-Password-1", verbosity=0)
    call_command("ensure_demo_login", "demo", password="second-Password-2", verbosity=0)
    user = get_user_model().objects.get(username="demo")
    assert user.is_staff
    assert user.check_password("second-Password-2")
    assert set(user.units.all()) == set(Unit.objects.all())
    assert Unit.history.filter(history_type="~").exists()  # membership recorded in history
