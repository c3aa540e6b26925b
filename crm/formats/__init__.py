"""Date formats for every language the site speaks (FORMAT_MODULE_PATH): one style, day first.

Django's own `vi` module defines no input formats, so the US default (month first) applied and
"02/03/2026" typed in the admin was saved as 3 February; its `en` module reads month first too.
Staff write dates day first in both languages: `shared.py` holds the one definition, and each
language's module re-exports it (Django looks formats up per language)."""
