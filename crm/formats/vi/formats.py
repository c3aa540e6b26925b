"""Vietnamese: the one date style (`crm.formats.shared`)."""

from crm.formats.shared import *  # noqa: F403
