"""GraphiQL without a CDN: its files fetched once from the npm registry, served locally.

Strawberry's GraphiQL page loads React and GraphiQL from unpkg, so the IDE needs internet
in the browser. `kg up` fetches the same files from registry.npmjs.org into the cache
(like the Neo4j jars from Maven Central) and checks each against the SRI hash pinned in
strawberry's page; the service then serves them itself. Without them, the CDN page is used.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import KgError

REGISTRY = "https://registry.npmjs.org"
URL_PREFIX = "/graphiql-assets/"


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    path: str
    """File inside the package tarball (under `package/`)."""
    integrity: str
    """The SRI hash strawberry's GraphiQL page pins for the unpkg copy."""

    @property
    def cdn_url(self) -> str:
        return f"https://unpkg.com/{self.package}@{self.version}/{self.path}"

    @property
    def name(self) -> str:
        """The local file name: package, version and file, flattened."""
        package = self.package.replace("/", "-").lstrip("@")
        return f"{package}-{self.version}-{self.path.rsplit('/', 1)[-1]}"

    @property
    def tarball(self) -> str:
        short = self.package.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.package}/-/{short}-{self.version}.tgz"


ASSETS = (
    Asset("react", "18.2.0", "umd/react.production.min.js",
          "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"),
    Asset("react-dom", "18.2.0", "umd/react-dom.production.min.js",
          "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"),
    Asset("js-cookie", "3.0.5", "dist/js.cookie.min.js",
          "sha384-/vxhYfM1LENRhdpZ8dwEsQn/X4VhpbEZSiU4m/FwR+PVpzar4fkEOw8FP9Y+OfQN"),
    Asset("graphiql", "3.8.3", "graphiql.min.css",
          "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM"),
    Asset("graphiql", "3.8.3", "graphiql.min.js",
          "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"),
    Asset("@graphiql/plugin-explorer", "1.0.2", "dist/style.css",
          "sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi"),
    Asset("@graphiql/plugin-explorer", "1.0.2", "dist/index.umd.js",
          "sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9"),
)  # fmt: skip


class AssetError(KgError):
    """The files could not be fetched or do not match their pinned hashes."""


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def present(folder: Path) -> bool:
    return all((folder / a.name).is_file() for a in ASSETS)


def fetch(folder: Path, timeout: float = 60.0) -> list[str]:
    """Download what is missing into `folder`; returns the names fetched (none if present)."""
    missing = [a for a in ASSETS if not (folder / a.name).is_file()]
    folder.mkdir(parents=True, exist_ok=True)
    for url in dict.fromkeys(a.tarball for a in missing):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                packed = response.read()
        except OSError as err:
            raise AssetError(f"cannot download {url} ({err})") from err
        with tarfile.open(fileobj=io.BytesIO(packed), mode="r:gz") as tar:
            for asset in (a for a in missing if a.tarball == url):
                member = tar.extractfile(f"package/{asset.path}")
                data = member.read() if member else b""
                if sri(data) != asset.integrity:
                    raise AssetError(
                        f"{asset.package}@{asset.version}/{asset.path} from {url} "
                        "does not match the hash strawberry pins; not using it"
                    )
                tmp = folder / f".{asset.name}.part"
                tmp.write_bytes(data)
                tmp.replace(folder / asset.name)  # whole files only, even if interrupted
    return [a.name for a in missing]


def local_page(cdn_page: str) -> str:
    """Strawberry's GraphiQL page with every unpkg URL pointing at the local copies."""
    page = cdn_page
    for asset in ASSETS:
        if asset.cdn_url not in page:
            raise AssetError(
                f"strawberry's GraphiQL page no longer loads {asset.cdn_url}; "
                "update kg/ide_assets.py to its new files"
            )
        page = page.replace(asset.cdn_url, URL_PREFIX + asset.name)
    return page
