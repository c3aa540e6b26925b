"""Users and tokens for the load run: N editors (one per simulated client), one
administrator and a calendar feed of theirs; prints the keys (and the editors' ids) as JSON.
Run with the load run's DATABASE_URL:

    python load/setup_data.py 50 > keys.json
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

from api.models import ApiToken  # noqa: E402
from events.services import create_feed  # noqa: E402


def user(username: str, role: str):
    account, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True}
    )
    account.groups.add(Group.objects.get(name=role))
    return account


def main(count: int) -> None:
    editors = [user(f"load-{n:02d}", "editor") for n in range(count)]
    keys = [ApiToken.issue(editor, name="load run")[1] for editor in editors]
    administrator = user("load-admin", "administrator")
    admin = ApiToken.issue(administrator, name="load run")[1]
    # A private calendar feed, polled as a staff member's subscribed calendar would be.
    _feed, feed_key = create_feed(owner=administrator, values={"name": "load run"})
    print(
        json.dumps(
            {
                "editors": keys,
                "editor_ids": [e.pk for e in editors],
                "admin": admin,
                "feed": feed_key,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
