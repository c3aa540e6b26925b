import datetime

import pytest
from django.utils import timezone

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def today(monkeypatch) -> datetime.date:
    """Freeze the province's "today" (feeds' windows and next occurrences move with it)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY
