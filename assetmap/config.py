"""Settings: where the store, layers and web files live, and how the server runs.

Every setting can come from the environment with the ``ASSETMAP_`` prefix,
e.g. ``ASSETMAP_STORE=data/other.gpkg`` or ``ASSETMAP_PORT=9000``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assetmap.analysis import GapThresholds
from assetmap.errors import ConfigError

__all__ = ["ENV_PREFIX", "LOGO_TYPES", "PROJECT_ROOT", "FooterLink", "Settings", "load_settings"]

ENV_PREFIX = "ASSETMAP_"
_NESTED = "__"

# The repository root: layers/, data/ and web/ sit beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


# Image types the header's logo may be, by file suffix (served at /shell/logo).
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
              ".jpeg": "image/jpeg", ".webp": "image/webp"}


class FooterLink(BaseModel):
    """One extra link in every page's footer, e.g. the council's home page."""

    model_config = {"extra": "forbid"}

    text: str = Field(min_length=1, max_length=80)
    href: str = Field(min_length=1, max_length=500, pattern=r"^(https?://|/|mailto:)")


class Settings(BaseSettings):
    """Runtime settings; build one per app (tests pass their own)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter=_NESTED, extra="forbid"
    )

    store: str = Field(
        default=str(PROJECT_ROOT / "data" / "sample.gpkg"),
        description=(
            "Store location: a GeoPackage path (the default backend) or a "
            "postgresql://USER:PASSWORD@HOST:5432/DATABASE URL (PostGIS)."
        ),
    )
    layers_dir: Path = Field(default=PROJECT_ROOT / "layers")
    web_dir: Path = Field(default=PROJECT_ROOT / "web")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    basemap_url: str | None = Field(
        default=None,
        description=(
            "Optional XYZ tile URL template for a basemap (e.g. the council's own tile "
            "server). Unset by default so pages make no request beyond the service."
        ),
    )
    basemap_attribution: str = ""
    thresholds: GapThresholds = Field(
        default_factory=GapThresholds,
        description=(
            "Default gap-analysis thresholds, e.g. ASSETMAP_THRESHOLDS__URBAN_CATCHMENT_M=1000; "
            "requests and the CLI may override them."
        ),
    )
    report_sites: int = Field(default=5, ge=0, le=50, description="Candidate sites per report.")
    corrections_email: str = Field(
        default="hub-corrections@council.example",
        description=(
            "Where residents send corrections to a hub's details (shown on /hubs/{id}/correction). "
            "The default is a placeholder: set the council's real address."
        ),
    )
    stale_after_days: int = Field(
        default=365,
        ge=1,
        description="Assets not verified for this many days are listed as stale at /stale.",
    )
    corrections_per_hour: int = Field(
        default=5,
        ge=1,
        description="Suggested corrections one client (address) may send per hour.",
    )
    client_key_secret: str | None = Field(
        default=None,
        min_length=32,
        repr=False,
        description=(
            "Secret (32+ characters) that turns client addresses into opaque rate-limit keys; "
            "kept out of the store so a copied database cannot reverse the keys. Unset: a "
            "random secret per process (limits count per worker and restart), with a warning."
        ),
    )
    contact_retention_days: int = Field(
        default=90,
        ge=0,
        description=(
            "Days a correction's contact details are kept after the officer's decision; then "
            "they are removed (at start-up and by `assetmap purge-contacts`). 0: at once."
        ),
    )
    steward_edits: Literal["live", "review"] = Field(
        default="live",
        description=(
            "What happens to a steward's edit of their place, organisation or activity: live "
            "(applied at once, audited under their name) or review (it waits in the "
            "corrections queue for an officer's approval)."
        ),
    )
    secure_cookies: bool | None = Field(
        default=None,
        description=(
            "Mark the sign-in cookies Secure (sent over HTTPS only). Unset: Secure unless the "
            "page was asked for on loopback (127.0.0.1, ::1, localhost); true: always; false: "
            "never (plain-HTTP test installs only)."
        ),
    )
    session_hours: float = Field(
        default=8, gt=0, le=24 * 30,
        description="A sign-in lasts this many hours from signing in (absolute, not sliding).",
    )
    signin_attempts: int = Field(
        default=5, ge=1,
        description="Failed sign-ins or bearer tokens one client may send per window; the next "
        "is answered 429 with Retry-After.",
    )
    signin_window_minutes: int = Field(
        default=15, ge=1, description="The window failed sign-ins are counted in, in minutes.",
    )
    oidc_issuer: str | None = Field(
        default=None,
        description="The council's OpenID Connect issuer URL (e.g. "
        "https://login.microsoftonline.com/TENANT/v2.0); unset: token sign-in only.",
    )
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_name: str = Field(
        default="the council",
        description="Who the provider is, on the button: 'Sign in with <name>'.",
    )
    oidc_scopes: str = "openid email profile"
    oidc_role_claim: str = Field(
        default="groups", description="The ID-token claim whose values give roles, e.g. roles.",
    )
    oidc_roles: str = Field(
        default="",
        description="Claim values to roles, e.g. officer:grp-communities,admin:grp-admins; "
        "people without one sign in only if an admin linked their account.",
    )
    oidc_redirect_url: str | None = Field(
        default=None,
        description="The callback URL registered at the provider (default: this server's "
        "/signin/oidc/callback as the request reached it).",
    )
    max_features: int = Field(
        default=200_000, ge=1, description="Largest number of features one API response returns."
    )
    import_max_bytes: int = Field(
        default=20_000_000, ge=1, description="Largest file `assetmap import assets|osm|register` "
        "and the upload endpoint take, in bytes; larger files are refused before being read.",
    )
    import_max_rows: int = Field(
        default=100_000, ge=1, description="Most rows (features) one asset import takes.",
    )
    fetch_endpoints: Path | None = Field(
        default=None,
        description=(
            "Endpoints YAML for `assetmap fetch` (default: the one shipped in "
            "assetmap/sources/fetch/endpoints.yaml); replace it when a service is renamed."
        ),
    )

    oruk_schemas: Path | None = Field(
        default=None,
        description=(
            "Folder holding the Open Referral UK 3.0 profile's JSON schemas (a copy of "
            "https://github.com/OpenReferralUK/uk-profile: schema/openapi.json and "
            "schema/compiled/); `assetmap import oruk` checks a feed against them first."
        ),
    )

    # The service shell: who runs the service and the pages every footer links to.
    council_name: str = Field(
        default="Sample County Council",
        min_length=1,
        description="The council named in every page's header and title, and in the "
        "accessibility statement and privacy notice.",
    )
    council_url: str | None = Field(
        default=None,
        pattern=r"^https?://",
        description="The council's own website, linked from the header's logo (unset: the "
        "logo links to the service's start page).",
    )
    service_name: str | None = Field(
        default=None,
        description="The public service's name in the header (unset: the page language's own, "
        "'Find a community hub').",
    )
    officer_service_name: str = Field(
        default="Manage community assets", min_length=1,
        description="The officers' service name in their pages' header.",
    )
    logo: Path | None = Field(
        default=PROJECT_ROOT / "web" / "static" / "img" / "council-logo.svg",
        description="The council's logo (SVG, PNG, JPEG or WebP), served by this service at "
        "/shell/logo, never from elsewhere; empty: the council's name alone.",
    )
    contact_email: str = Field(
        default="communities@council.example",
        description="Where residents contact the team that runs the service (the contact page, "
        "the accessibility statement, the privacy notice). The default is a placeholder.",
    )
    contact_phone: str = Field(default="", description="A phone number for the contact page.")
    footer_links: list[FooterLink] = Field(
        default_factory=list,
        description='Extra footer links as JSON, e.g. [{"text": "Council home", '
        '"href": "https://www.example.gov.uk"}].',
    )
    policy_pages_dir: Path | None = Field(
        default=None,
        description="A folder of the council's own versions of the accessibility statement, "
        "privacy notice, cookies and contact pages (accessibility.html, privacy.html, "
        "cookies.html, contact.html; copies of web/templates/policy/ to edit). A page not "
        "there is the shipped one.",
    )

    @field_validator("logo", mode="before")
    @classmethod
    def _logo_file(cls, value: object) -> object:
        if value in (None, ""):
            return None
        path = Path(str(value))
        if path.suffix.lower() not in LOGO_TYPES:
            raise ValueError(f"logo must be one of {', '.join(sorted(LOGO_TYPES))}")
        if not path.is_file():
            raise ValueError(f"logo file {path} does not exist")
        return path

    @field_validator("basemap_url")
    @classmethod
    def _tile_template(cls, value: str | None) -> str | None:
        if value and not all(part in value for part in ("{z}", "{x}", "{y}")):
            raise ValueError("basemap_url must be a tile template containing {z}, {x} and {y}")
        return value or None


def load_settings() -> Settings:
    """Settings from the environment; a bad variable raises :class:`ConfigError` naming it.

    The message is one line, e.g. ``invalid setting ASSETMAP_PORT: Input should be a valid
    integer, … (fix or unset ASSETMAP_PORT)``. Values are left out: one may hold a secret.
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            variable = ENV_PREFIX + _NESTED.join(str(part) for part in error["loc"]).upper()
            problems.append(f"{variable}: {error['msg']} (fix or unset {variable})")
        label = "invalid setting" if len(problems) == 1 else "invalid settings:"
        raise ConfigError(f"{label} {'; '.join(problems)}") from None
