"""Settings of the web app (``parkgis serve``): address, token, and the limits that keep it safe.

Every limit has a documented default here and nowhere else; ``parkgis serve``
sets the address, the layers and the token, and the rest stay as they are
unless a caller (a test, a deployment script) passes its own.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

__all__ = ["WebSettings", "is_loopback"]


@dataclass(frozen=True)
class WebSettings:
    """What ``parkgis serve`` runs with.

    Attributes
    ----------
    host, port : str, int
        Where to listen. Default ``127.0.0.1:8765``: this machine only.
    layers_src : str, optional
        Layer source (GeoPackage, folder or TOML manifest); default: the embedded Chongming layers.
    token : str, optional
        Shared secret every API request must carry (``Authorization: Bearer …`` or
        ``X-Parkgis-Token``). Required when ``host`` is not a loopback address.
    site_upload_mb, classify_upload_mb : float
        Largest request body of a siting check (a site file) and of a classification (a parcel file), MB.
    upload_timeout_s : float
        Time allowed to receive one request body, seconds (a slow or stalled upload is cut off).
    site_timeout_s, report_timeout_s, job_timeout_s : float
        Time allowed for one siting check, one site report (map, HTML, PDF) and one
        classification or density job, seconds; past it the worker is stopped and the request fails.
    site_workers, job_workers : int
        Worker processes for siting checks and for the longer jobs (classify, reports, density).
    max_jobs : int
        Jobs queued or running at once; more are refused (HTTP 429) until one ends.
    job_keep_s : float
        How long a finished job's downloads are kept, seconds.
    """

    host: str = "127.0.0.1"
    port: int = 8765
    layers_src: str | None = None
    token: str | None = None
    site_upload_mb: float = 20.0
    classify_upload_mb: float = 300.0
    upload_timeout_s: float = 300.0
    site_timeout_s: float = 30.0
    report_timeout_s: float = 120.0
    job_timeout_s: float = 600.0
    site_workers: int = 2
    job_workers: int = 2
    max_jobs: int = 4
    job_keep_s: float = 3600.0

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host = self.host
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
