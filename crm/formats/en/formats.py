"""English: the same day-first date style as Vietnamese (never month first)."""

from crm.formats.shared import *  # noqa: F403
