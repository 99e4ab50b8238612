"""Signal handlers of the core app (calendar cache invalidation)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from terpadu.core.calendars import clear_cache
from terpadu.core.models import LocalDay, WorkCalendar


@receiver(post_save, sender=LocalDay, dispatch_uid="core.localday.saved")
@receiver(post_delete, sender=LocalDay, dispatch_uid="core.localday.deleted")
@receiver(post_save, sender=WorkCalendar, dispatch_uid="core.workcalendar.saved")
@receiver(post_delete, sender=WorkCalendar, dispatch_uid="core.workcalendar.deleted")
def forget_calendars(sender: type, **kwargs: Any) -> None:
    """A calendar row changed: drop cached calendars now and again once committed."""
    clear_cache()
    transaction.on_commit(clear_cache)
