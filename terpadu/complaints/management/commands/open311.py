"""``terpadu open311 issue-key NAME``: issue an Open311 API key (printed once); also ``list`` and ``revoke``.

terpadu open311 issue-key "Aplikasi Warga" [--region 35.10]
terpadu open311 list
terpadu open311 revoke "Aplikasi Warga"
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from terpadu.complaints.models import Open311Client
from terpadu.complaints.open311.keys import open311_client_issue, open311_client_revoke
from terpadu.core.errors import DomainError
from terpadu.core.management.commands._oneline import OneLineCommand, UsageError
from terpadu.core.models import Region


class Command(OneLineCommand):
    help = "Kelola API key klien Open311 GeoReport v2."
    command_name = "open311"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue-key", help="terbitkan API key baru untuk klien NAMA")
        issue.add_argument("name")
        issue.add_argument(
            "--region", default=None, help="kode kabupaten/kota (bawaan: daerah utama)"
        )
        sub.add_parser("list", help="daftar klien")
        revoke = sub.add_parser("revoke", help="cabut API key klien NAMA")
        revoke.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "issue-key":
                code = options.get("region") or settings.TERPADU_HOME_REGION
                region = Region.objects.filter(code=code, level=Region.Level.REGENCY).first()
                if region is None:
                    raise UsageError(f"kabupaten/kota {code} tidak ada")
                client, key = open311_client_issue(name=options["name"], region=region)
                self.stdout.write(f"klien: {client.name}\napi_key: {key}")
                self.stdout.write("Simpan key ini sekarang: hanya hash-nya yang disimpan.")
            elif action == "revoke":
                client = open311_client_revoke(name=options["name"])
                self.stdout.write(f"dicabut: {client.name}")
            else:
                for client in Open311Client.objects.all():
                    state = "dicabut" if client.revoked_at else "aktif"
                    self.stdout.write(f"{client.name}\t{client.key_prefix}…\t{state}")
        except DomainError as exc:
            raise UsageError(exc.message) from None
