"""The one NinjaAPI under /api/v1/; each app mounts its router here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from terpadu.core.errors import DomainError

api = NinjaAPI(
    title="Terpadu API",
    version="1",
    description="Layanan publik terpadu — API untuk aplikasi warga, petugas, dan sistem lain.",
    urls_namespace="api",
)

# Indonesian messages for the validation errors clients meet most.
PYDANTIC_ID = {
    "missing": "Wajib diisi.",
    "string_type": "Harus berupa teks.",
    "int_parsing": "Harus berupa bilangan bulat.",
    "int_type": "Harus berupa bilangan bulat.",
    "date_from_datetime_parsing": "Tanggal tidak valid (format YYYY-MM-DD).",
    "date_parsing": "Tanggal tidak valid (format YYYY-MM-DD).",
    "string_too_long": "Isian terlalu panjang.",
    "string_too_short": "Isian terlalu pendek.",
    "value_error": "Nilai tidak valid.",
    "json_invalid": "Badan permintaan bukan JSON yang valid.",
    "bool_parsing": "Harus bernilai true atau false.",
    "enum": "Pilihan tidak dikenal.",
    "literal_error": "Pilihan tidak dikenal.",
}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for item in exc.errors:
        loc = [
            str(p)
            for p in item.get("loc", [])
            if p not in ("body", "query", "path", "payload", "form")
        ]
        errors.append(
            {
                "field": ".".join(loc) or "__all__",
                "message": PYDANTIC_ID.get(str(item.get("type")), "Nilai tidak valid."),
                "message_en": str(item.get("msg", "Invalid value.")),
            }
        )
    body: dict[str, Any] = {
        "code": "invalid",
        "detail": "Periksa kembali isian yang ditandai.",
        "errors": errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "unauthenticated", "detail": "Silakan masuk terlebih dahulu.", "errors": []},
        status=401,
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request, {"code": "error", "detail": str(exc), "errors": []}, status=exc.status_code
    )


def _mount() -> None:
    """Mount every Terpadu app's ``api.router``; an app sets ``PREFIX`` (e.g. "/catalog") if it wants one."""
    from terpadu.core.discovery import app_modules

    for _label, module in app_modules("api"):
        api.add_router(getattr(module, "PREFIX", "/"), module.router)


_mount()
