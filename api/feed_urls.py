"""Calendar feeds, under `/calendar/`: calendar clients cannot log in, so a feed is found by
the secret token in its address (the public feed needs none)."""

from django.urls import path

from api import feeds

urlpatterns = [
    path("public.ics", feeds.public_feed, name="calendar-public"),
    path("<str:token>.ics", feeds.token_feed, name="calendar-feed"),
]
