"""``parkgis serve``: the planners' web app in a browser (DESIGN §9)."""

from __future__ import annotations

import click

from gis.cli.common import layers_option
from gis.errors import InputError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；默认只允许本机访问。给出其他地址（如 0.0.0.0）时必须同时给出 --token。 "
              "Address to listen on; by default this machine only. Any other address needs --token.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="端口。 Port.")
@layers_option
@click.option("--token", default=None, envvar="PARKGIS_TOKEN", metavar="SECRET",
              help="访问口令（或环境变量 PARKGIS_TOKEN）：API 请求须携带，页面中输入一次。 "
              "Access token (or $PARKGIS_TOKEN): every API request carries it; the page asks for it once.")
def command(host, port, layers_src, token):
    """启动规划人员使用的网页：选址检查、地块分类、园区产出密度（离线可用）。

    Start the planners' web app — check a site, classify a parcel file, see the
    parks' output density — in a browser, with no internet needed. Prints the
    address to open; stop it with Ctrl+C.
    """
    from gis.web.settings import WebSettings, is_loopback

    if not is_loopback(host) and not token:
        raise InputError(
            f"监听非本机地址 {host} 时必须设置访问口令（--token）。",
            f"Listening on {host}, a non-loopback address, needs an access token (--token).",
            "例如：parkgis serve --host 0.0.0.0 --token \"$(openssl rand -hex 16)\"；或去掉 --host 只在本机使用。",
            "E.g. parkgis serve --host 0.0.0.0 --token \"$(openssl rand -hex 16)\"; or drop --host to use it on this "
            "machine only.",
        )
    if token is not None and len(token) < 8:
        raise InputError("访问口令至少 8 个字符。", "The access token needs at least 8 characters.")
    from gis.web.app import serve

    serve(WebSettings(host=host, port=port, layers_src=layers_src, token=token), echo=click.echo)
