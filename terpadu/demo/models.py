"""Bookkeeping for the synthetic demo region (see ``terpadu.demo.build``)."""

from __future__ import annotations

from django.db import models


class DemoBuild(models.Model):
    """One completed demo build: what was asked for, when, and what it produced.

    ``build_demo()`` reuses the newest marker when the seed, the people count and
    the generator ``version`` are unchanged and the population is still there.
    """

    region_code = models.CharField(max_length=13)
    seed = models.BigIntegerField()
    people = models.PositiveIntegerField()
    version = models.PositiveIntegerField()
    built_at = models.DateTimeField()
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-built_at", "-id"]

    def __str__(self) -> str:
        return f"demo {self.region_code} seed={self.seed} people={self.people} v{self.version}"
