"""Seeds the database of a real-server test run: one user per role group, each with an API
token (read, write, personal data), and the countries the requests name.

Run in a subprocess with DATABASE_URL pointing at the run's database (never the test
database of the pytest process): `python -m tests.servers.seed`. Prints the keys as JSON.
"""

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from api.models import ApiToken
    from contacts.models import Country

    for code, name_vi, name_en in (("KH", "Campuchia", "Cambodia"), ("VN", "Việt Nam", "Viet Nam")):
        Country.objects.get_or_create(code=code, defaults={"name_vi": name_vi, "name_en": name_en})
    keys = {}
    for role in ("viewer", "editor", "manager", "administrator"):
        user = get_user_model().objects.create_user(username=f"wsgi-{role}", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        _token, keys[role] = ApiToken.issue(user, scopes=["read", "write", "personal-data"])
    print(json.dumps({"tokens": keys}))


if __name__ == "__main__":
    main()
