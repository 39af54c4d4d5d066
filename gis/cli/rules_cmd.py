"""``parkgis rules``: the rules, whether they are active, and their basis."""

from __future__ import annotations

import click

from gis.rules import load_rules


def short_param(value) -> str:
    """A parameter value short enough for a listing (full values: the rule config)."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        items = []
        for d in value:
            what = d.get("label_en") or d.get("facility") or ",".join(map(str, d.get("industries", [])))
            dist = f" ≤ {d['distance_m']:g} m" if "distance_m" in d else ""
            items.append(f"{what}{dist} → {d.get('level', '')}".strip())
        return "; ".join(items)
    if isinstance(value, list) and len(value) > 8:
        return f"{value[0]}…{value[-1]} ({len(value)})"
    return str(value)


def rules_markdown(kind: str = "classify", config=None) -> str:
    """The rule table of the README, generated from the rule objects."""
    rs = load_rules(config, kind=kind)
    lines = ["| id | 默认 default | 优先级 priority | 规则 rule | 依据 basis | 参数 parameters |",
             "|---|---|---|---|---|---|"]
    for r in rs.describe().itertuples():
        params = ", ".join(f"`{k}={short_param(v)}`" for k, v in r.params.items() if k not in ("zone", "action")) or "—"
        lines.append(f"| `{r.id}` | {'on' if r.enabled else 'off'} | {r.priority} | {r.title_zh}<br>{r.title_en} "
                     f"| {r.basis_zh}<br>{r.basis_en} | {params} |")
    return "\n".join(lines)


@click.command("rules")
@click.option("--rules", "rules_cfg", metavar="CONFIG", default=None,
              help="规则配置 TOML（覆盖默认）。 Rule configuration TOML applied over the defaults.")
@click.option("--kind", type=click.Choice(["classify", "site"]), default=None,
              help="只列出分类规则或选址规则（默认两者都列出）。 "
              "Only the classification or the siting rules (default: both).")
@click.option("--all", "show_all", is_flag=True, help="也列出未启用的规则。 Also list rules that are off.")
@click.option("--markdown", is_flag=True, help="输出 Markdown 表格。 Print a Markdown table.")
def command(rules_cfg, kind, show_all, markdown):
    """列出分类规则与选址规则及其法规/规划依据（按优先级）。

    List the classification and the siting rules with their legal or plan
    basis, in precedence order (--all: also the rules that are off).
    """
    kinds = (kind,) if kind else ("classify", "site")
    for i, k in enumerate(kinds):
        zh, en = _KIND_TITLES[k]
        if len(kinds) > 1:
            click.echo(("\n" if i else "") + (f"## {zh} {en}" if markdown else f"== {zh} / {en} =="))
        if markdown:
            click.echo(rules_markdown(k, rules_cfg))
        else:
            _echo_rules(k, rules_cfg, show_all)


#: Section titles of the listing, per kind of rule.
_KIND_TITLES = {
    "classify": ("分类规则（地块：升级 / 转型 / 减量化）",
                 "Classification rules (parcels: upgrade / transform / reduce)"),
    "site": ("选址规则（parkgis site-check：可准入 / 需审查 / 禁止）",
             "Siting rules (parkgis site-check: allowed / review / prohibited)"),
}


def _echo_rules(kind: str, rules_cfg, show_all: bool) -> None:
    """Print one kind of rules, each with its state, title, basis and parameters."""
    rs = load_rules(rules_cfg, kind=kind)
    for r in rs.describe().itertuples():
        if not r.enabled and not show_all:
            continue
        state = "启用 on " if r.enabled else "未启用 off"
        click.echo(f"[{state}] {r.id}  (优先级 priority {r.priority})")
        click.echo(f"    {r.title_zh} / {r.title_en}")
        click.echo(f"    依据：{r.basis_zh}")
        click.echo(f"    Basis: {r.basis_en}")
        shown = {k: v for k, v in r.params.items() if k not in ("zone", "action")}
        if shown:
            click.echo("    参数 params: " + ", ".join(f"{k}={short_param(v)}" for k, v in shown.items()))
