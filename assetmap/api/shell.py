"""The service shell: whose service it is (council, logo, service name) and the footer's links.

Every page's header and footer come from one :class:`ServiceShell`, built from the
``ASSETMAP_COUNCIL_*``, ``ASSETMAP_SERVICE_NAME``, ``ASSETMAP_LOGO``, ``ASSETMAP_CONTACT_*``
and ``ASSETMAP_FOOTER_LINKS`` settings, so another council runs the same code under its own
name. The pages the footer links to are ``pages/policy.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from assetmap.api.state import app_state
from assetmap.config import Settings

__all__ = ["LOGO_URL", "POLICY_PAGES", "ServiceShell", "service_shell", "shell_of"]

LOGO_URL = "/shell/logo"
# The footer's own pages, in footer order: path -> the template under web/templates/policy/.
POLICY_PAGES = {
    "/accessibility": "accessibility.html",
    "/privacy": "privacy.html",
    "/cookies": "cookies.html",
    "/contact": "contact.html",
}


@dataclass(frozen=True)
class ServiceShell:
    """What the header and footer of every page show."""

    council_name: str
    council_url: str | None
    service_name: str | None  # None: the page's language names the public service
    officer_service_name: str
    logo_url: str | None
    contact_email: str
    contact_phone: str
    footer_links: tuple[tuple[str, str], ...]  # (text, href) after the shell's own pages


def service_shell(settings: Settings) -> ServiceShell:
    return ServiceShell(
        council_name=settings.council_name,
        council_url=settings.council_url,
        service_name=settings.service_name or None,
        officer_service_name=settings.officer_service_name,
        logo_url=LOGO_URL if settings.logo is not None else None,
        contact_email=settings.contact_email,
        contact_phone=settings.contact_phone,
        footer_links=tuple((link.text, link.href) for link in settings.footer_links),
    )


def shell_of(request: Request) -> ServiceShell:
    """The shell of the app serving ``request``."""
    return service_shell(app_state(request.app).settings)
