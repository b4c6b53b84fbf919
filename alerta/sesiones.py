"""Sessions that end after SESSION_COOKIE_AGE without a request.

SESSION_SAVE_EVERY_REQUEST would give the same idle timeout with one database
write on every request (the import page polls every second). Here a request
pushes the end back only when the session was last renewed more than a minute
ago: at most one write a minute per person, and the timeout is exact to that
minute.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.utils import timezone

RENOVAR_CADA = timedelta(seconds=60)


class SessionStore(DbSessionStore):
    def _get_session_from_db(self):
        s = super()._get_session_from_db()
        if s is not None:
            edad = timedelta(seconds=settings.SESSION_COOKIE_AGE)
            renovada = s.expire_date - edad
            if timezone.now() - renovada >= min(RENOVAR_CADA, edad / 2):
                # SessionMiddleware saves modified sessions, with a new
                # expiry date SESSION_COOKIE_AGE from now.
                self.modified = True
        return s
