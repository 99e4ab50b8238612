"""Plain-text messages from templates ``messages/<name>.txt`` in any app (no HTML escaping).

The first line of a template is the subject (e-mail only); the rest is the body.
SMS and WhatsApp get the body alone, with blank lines squeezed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.template import Context, Engine
from django.utils import translation


@lru_cache(maxsize=1)
def _engine() -> Engine:
    return Engine(
        app_dirs=True,
        autoescape=False,
        builtins=["django.templatetags.i18n", "terpadu.core.templatetags.terpadu"],
    )


def render_message(
    name: str, context: dict[str, Any], *, channel: str = "email"
) -> tuple[str, str]:
    """``(subject, body)`` of template ``name`` in Bahasa Indonesia."""
    with translation.override("id"):
        text = _engine().get_template(f"messages/{name}.txt").render(Context(context))
    subject, _, body = text.strip().partition("\n")
    body = body.strip()
    if channel in ("sms", "whatsapp"):
        body = re.sub(r"\n{2,}", "\n", body)
    return subject.strip(), body
