"""Third-party browser assets (YASGUI, Swagger UI, ReDoc), served from npm's `node_modules`.

`./dev.sh` runs `npm ci` in web/ (package.json and package-lock.json are committed, the
installed files never are), so nothing is fetched from a CDN at run time. A pip-only install
has no such folder: `available()` says so and the pages fall back to what works without them.
Only the files named in `ASSETS` are served: no path from a request reaches the disk.
"""

from __future__ import annotations

from pathlib import Path

import ccmkg
from ccmkg.settings import Settings

# Public name (under /static/vendor/) → path inside node_modules.
ASSETS: dict[str, str] = {
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "redoc.standalone.js": "redoc/bundles/redoc.standalone.js",
}
EDITOR = ("yasgui.min.js", "yasgui.min.css")
SWAGGER = ("swagger-ui-bundle.js", "swagger-ui.css")
REDOC = ("redoc.standalone.js",)


def assets_root(settings: Settings) -> Path:
    """The configured node_modules folder, or web/node_modules beside the source tree."""
    if settings.web_assets is not None:
        return settings.web_assets
    return Path(ccmkg.__file__).resolve().parent.parent / "web" / "node_modules"


def asset_path(settings: Settings, name: str) -> Path | None:
    """The file behind /static/vendor/{name}, or None when unknown or not installed."""
    relative = ASSETS.get(name)
    if relative is None:
        return None
    path = assets_root(settings) / relative
    return path if path.is_file() else None


def available(settings: Settings, names: tuple[str, ...]) -> bool:
    """True when every named asset is installed."""
    return all(asset_path(settings, n) is not None for n in names)
