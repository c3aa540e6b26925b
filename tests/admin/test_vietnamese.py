"""Every word of the admin is Vietnamese for staff reading it in Vietnamese (issue 12).

Viewers, editors and administrators (group members, never superusers) fetch the index, every
changelist, a change page, a history page and a history version of each model they may see,
the add pages they may use, and django-axes' pages where their role allows; no page shows a
string known to have been left in English, nor "Bản ghi nhớ" (an MoU, in this domain) for
the change history. The admin's JavaScript catalogue translates the two-pane pickers.
"""

import json
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.admin.test_gate import CASES

pytestmark = pytest.mark.django_db

# Strings the admin showed in English (or wrongly) to Vietnamese readers.
KNOWN_ENGLISH = (
    "Show counts",
    "Hide counts",
    "Please correct the error",
    "Skip to main content",
    "Toggle theme",
    "Model name",
    "Add link",
    "Change or view list link",
    "Axes",
    "AXES",
    "Access attempt",
    "access attempt",
    "Access log",
    "access log",
    "Access failure",
    "Attempted Access",
    "Failed access",
    "Access Log for",
    "access failure",
    "Attempt Time",
    "User Agent",
    "IP Address",
    "Failed Logins",
    "Display value",
    "Digest",
    "Changed by",
    "Change reason",
    "Choose a date from the list",
    "Bản ghi nhớ",
    "mức độ mật",
    "năm chẵn mỗi",
    "personal-data",
    "public-only",
)
# Names shown alone (an option, a cell): languages, roles, token scopes, in English.
KNOWN_ENGLISH_NAMES = (
    "Malay",
    "Khmer",
    "Burmese",
    "Thai",
    "Lao",
    "English",
    "Indonesian",
    "Filipino",
    "Latvian",
    "viewer",
    "editor",
    "manager",
    "administrator",
    "read",
    "write",
    "None",
)
WORDS = [re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])") for text in KNOWN_ENGLISH] + [
    re.compile(rf"(?m)^\s*{re.escape(name)}\s*$") for name in KNOWN_ENGLISH_NAMES
]


def visible_text(html: str) -> str:
    """What a reader sees: text between tags, and the attributes browsers show (title,
    placeholder, value of buttons), not scripts, styles or other attributes."""
    html = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", html)
    shown = re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', html)
    shown += re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', html)
    return re.sub(r"(?s)<[^>]+>", "\n", html) + "\n".join(shown)


def english_in(html: str) -> list[str]:
    text = visible_text(html)
    return [word.pattern for word in WORDS if word.search(text)]


def url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def pages_of(client, world, user) -> list[str]:
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        row = CASES[model][0].make(world, "Rowmark", user)
        row.save()
        pages += [
            url(model, "changelist"),
            url(model, "changelist") + "?_facets=1",  # "Hide counts" shows
            url(model, "change", row.pk),
            url(model, "history", row.pk),
        ]
        if hasattr(row, "history"):
            pages.append(url(model, "simple_history", row.pk, row.history.first().pk))
        if user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
            pages.append(url(model, "add"))
    return pages


@pytest.mark.parametrize("role", ["viewer", "editor", "administrator"])
def test_no_english_on_any_admin_page(client, world, role):
    user = world.users[role]
    client.force_login(user)
    found = {}
    for page in pages_of(client, world, user):
        response = client.get(page, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 200, page
        if words := english_in(response.content.decode()):
            found[page] = words
    assert found == {}


def test_administrators_see_the_login_records_in_vietnamese(client, world):
    from axes.models import AccessAttempt

    client.force_login(world.users["administrator"])
    index = client.get(reverse("admin:index")).content.decode()
    assert "Chống dò mật khẩu" in index
    page = client.get(url(AccessAttempt, "changelist")).content.decode()
    assert "Lần đăng nhập thất bại" in page or "lần đăng nhập thất bại" in page

    attempt = AccessAttempt.objects.create(
        username="ai-do", ip_address="127.0.0.1", failures_since_start=1, get_data="", post_data=""
    )
    cleaned = client.post(
        url(AccessAttempt, "changelist"),
        {"action": "cleanup_expired_attempts", "_selected_action": [attempt.pk]},
        follow=True,
    )
    messages = [str(message) for message in cleaned.context["messages"]]
    assert any(message.startswith("Đã dọn ") for message in messages), messages


def test_the_history_button_and_pages_say_change_history(client, world):
    from contacts.models import Organization

    client.force_login(world.users["editor"])
    row = CASES[Organization][0].make(world, "Rowmark", world.users["editor"])
    for page in (url(Organization, "change", row.pk), url(Organization, "history", row.pk)):
        text = client.get(page).content.decode()
        assert "Lịch sử thay đổi" in text
        assert "Bản ghi nhớ" not in text


def test_an_invalid_form_asks_in_vietnamese(client, world):
    from contacts.models import Tag

    client.force_login(world.users["editor"])
    response = client.post(url(Tag, "add"), {"name": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vui lòng sửa các lỗi dưới đây." in text
    assert not english_in(text)


def js_catalog(client, lang: str) -> dict:
    body = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))


def test_the_pickers_help_is_vietnamese(client, world):
    client.force_login(world.users["editor"])
    catalog = js_catalog(client, "vi")
    for msgid in (
        "Choose all %s",
        "Remove all %s",
        "Choose selected %s",
        "Remove selected %s",
        "Type into this box to filter down the list of selected %s.",
        "(click to clear)",
        "%s selected option not visible",
    ):
        assert msgid in catalog, msgid
        assert catalog[msgid] != msgid


def test_languages_are_named_in_vietnamese_on_the_person_form(client, world):
    from contacts.models import Person

    client.force_login(world.users["editor"])
    text = client.get(url(Person, "add")).content.decode()
    assert "Tiếng Mã Lai" in text and "Tiếng Khmer" in text
    assert ">Malay<" not in text


def test_group_names_are_shown_as_role_labels():
    from django.contrib.auth.models import Group
    from django.utils import translation

    from crm.admin_localise import role_label

    with translation.override("vi"):
        assert role_label(Group(name="viewer")) == "người xem"
        assert role_label(Group(name="other")) == "other"
