from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, object]:
    """Values every page needs: demo mode (for the banner)."""
    return {"DEMO_MODE": settings.DEMO_MODE}
