/* parkgis web app: the siting check page. */
"use strict";

(() => {
  const {el, clear, $, fmt, call, errorOf, showError, download} = PG;
  const VERDICT = {allowed: ["可准入", "ALLOWED"], review: ["需审查", "REVIEW"], prohibited: ["禁止", "PROHIBITED"]};
  const LEVEL = {ok: ["符合", "ok"], review: ["需审查", "review"], prohibited: ["禁止", "prohibited"],
                 not_evaluated: ["未评估", "not evaluated"]};
  const ZONE = {"104": "104 产业区块 industrial block", "195": "195 区域 area (transform)",
                "198": "198 区域 area (reduce)"};
  let map = null, siteLayer = null, clickMarker = null, lastForm = null, divisions = [], codes = [];

  /* ---------------------------------------------------------------- input */

  function mode() { return document.querySelector("input[name=mode]:checked").value; }

  function setMode(m) {
    document.querySelector(`input[name=mode][value=${m}]`).checked = true;
    $("by-file").hidden = m !== "file";
    $("by-point").hidden = m !== "point";
  }

  function formData(feature) {
    const fd = new FormData();
    if (mode() === "file") {
      const f = $("site-file").files[0];
      if (f) fd.append("site", f, f.name);
      if ($("per-feature").value === "each") fd.append("per_feature", "1");
    } else {
      fd.append("lonlat", $("lonlat").value);
      if ($("radius").value) fd.append("radius_m", $("radius").value);
    }
    for (const name of ["industry", "land_m2", "output_wan", "value_added_wan", "energy_tce", "name"]) {
      const v = $(name).value.trim();
      if (v) fd.append(name, v);
    }
    fd.append("datum", $("datum").value);
    if (feature) fd.append("feature", String(feature));
    return fd;
  }

  /* ---------------------------------------------------------------- industry picker */

  /* The code's own level: a class by its name, else its group, else its division (said so). */
  function ownLevel(code) {
    const short = code.length === 4 && code.endsWith("0") ? code.slice(0, 3) : code;
    return codes.find((x) => x.code === code) || codes.find((x) => x.code === short.slice(0, 3)) ||
      codes.find((x) => x.code === short.slice(0, 3) + "0") || null;
  }

  function industryHint() {
    const code = $("industry").value.trim().replace(/^[A-Za-z]\s*/, "");
    const d = divisions.find((x) => x.code === code.slice(0, 2));
    const own = code.length > 2 && d ? ownLevel(code) : null;
    const name = own ? `${own.name_zh}${own.code !== code ? `（${own.code}）` : ""}` : (d ? d.name_zh : "");
    $("industry-hint").textContent = !code ? "未选择：部分检查将为“未评估”。 Not given: some checks are not evaluated." :
      d ? `${code} ${name} / ${d.name_en}${d.manufacturing ? "（制造业 manufacturing）" : ""}` :
      "代码应为 2–4 位数字（GB/T 4754-2017）。 A code is 2–4 digits (GB/T 4754-2017).";
  }

  function industryList(query) {
    const list = clear($("industry-list"));
    const q = query.trim().toLowerCase();
    const hits = codes.filter((d) => !q || d.code.startsWith(q) || d.name_zh.includes(query.trim()) ||
                                    d.name_en.toLowerCase().includes(q)).slice(0, 40);
    for (const d of hits) {
      list.appendChild(el("li", {role: "option", "data-code": d.code,
        onmousedown: (ev) => { ev.preventDefault(); $("industry").value = d.code; list.hidden = true; industryHint(); }},
        el("b", {}, d.code), " ", d.name_zh, el("span", {class: "en"}, " " + d.name_en)));
    }
    list.hidden = hits.length === 0;
  }

  async function loadIndustries() {
    const resp = await call("/api/industries");
    if (!resp.ok) return;
    const data = await resp.json();
    divisions = data.divisions;
    const en = Object.fromEntries(divisions.map((d) => [d.code, d.name_en]));
    // divisions first, then groups and classes in code order, each with its division's English name
    // (an undivided group appears once, as its class <group>0, the code registers use)
    const classCodes = new Set(data.classes.map((c) => c.code));
    codes = divisions.concat(
      data.groups.filter((g) => !classCodes.has(g.code + "0")).concat(data.classes)
        .map((c) => ({code: c.code, name_zh: c.name_zh, name_en: en[c.code.slice(0, 2)] || ""}))
        .sort((a, b) => a.code.localeCompare(b.code)));
    const input = $("industry");
    input.addEventListener("input", () => { industryList(input.value); industryHint(); });
    input.addEventListener("focus", () => industryList(input.value));
    input.addEventListener("blur", () => { $("industry-list").hidden = true; });
    industryHint();
  }

  /* ---------------------------------------------------------------- results */

  function facts(r) {
    const rows = [
      ["区域 Zone", ZONE[r.zone] || r.zone || "—"],
      ["园区 Park", r.park_id ? `${r.park_name_zh || r.park_id} / ${r.park_name_en || ""}` : "—"],
      ["乡镇 Town", r.town || "—"],
      ["距长江岸线 Riverbank distance", `${fmt(r.riverbank_m, 1)} m` +
        (r.yangtze_1km ? "（岸线 1 公里范围内 within the 1 km zone）" : "（1 公里范围外 beyond the 1 km zone）")],
      ["战略预留区 Strategic reserve", r.in_reserve ? "是 yes" : "否 no"],
      ["行业 Industry", r.industry ? `${r.industry_zh} / ${r.industry_en}` : "未给出 not given"],
    ];
    if (r.land_m2) rows.push(["用地 Land", `${fmt(r.land_m2, 0)} m²（${fmt(PG.mu(r.land_m2), 1)} 亩）` +
                                           (r.land_source === "site" ? " 取自场地面积 the site's own area" : "")]);
    const f = r.figures || {};
    if (f.output_wan !== undefined) rows.push(["计划产值 Planned output", `${fmt(f.output_wan, 0)} 万元`]);
    if (f.density_yi_per_km2 !== undefined) rows.push(["单位土地产出 Output density", `${fmt(f.density_yi_per_km2, 1)} 亿元/km²`]);
    if (f.energy_tce_per_wan !== undefined) rows.push(["万元增加值能耗 Energy intensity", `${fmt(f.energy_tce_per_wan, 3)} tce/万元`]);
    if (r.nearest_park) rows.push(["最近的定位相符园区 Nearest matching park",
      `${r.nearest_park.name_zh || r.nearest_park.park_id}，${fmt(r.nearest_park.distance_m / 1000, 1)} km`]);
    if (r.flags && r.flags.length) rows.push(["标记 Flags", r.flags.join(", ")]);
    return el("table", {class: "facts"}, el("tbody", {}, rows.map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v)))));
  }

  function checksTable(r) {
    return el("table", {class: "checks"},
      el("thead", {}, el("tr", {}, ["级别 Level", "规则 Rule", "结果 Finding", "依据 Basis"].map((h) => el("th", {}, h)))),
      el("tbody", {}, r.checks.map((c) => el("tr", {"data-rule": c.rule},
        el("td", {}, el("span", {class: "level " + c.level}, LEVEL[c.level].join(" "))),
        el("td", {}, c.title_zh, el("div", {class: "en"}, c.title_en), el("code", {}, c.rule)),
        el("td", {}, c.message_zh, el("div", {class: "en"}, c.message_en)),
        el("td", {class: "basis"}, c.basis, el("div", {class: "en"}, c.basis_en || ""))))));
  }

  function downloads(feature) {
    const box = el("div", {class: "downloads"}, el("span", {}, "下载 Download："));
    for (const [fmtName, label] of [["json", "JSON"], ["html", "HTML 报告 page"], ["pdf", "PDF 报告 report"]]) {
      box.appendChild(el("button", {type: "button", class: "secondary", "data-format": fmtName, onclick: async (ev) => {
        const btn = ev.currentTarget;
        btn.disabled = true;
        try {
          await download(`/api/site-report?format=${fmtName}`, `site-check.${fmtName}`,
                         {method: "POST", body: lastForm(feature)});
        } catch (err) { showError($("site-error"), err); }
        btn.disabled = false;
      }}, label));
    }
    return box;
  }

  function drawSite(r) {
    if (siteLayer) siteLayer.remove();
    const geom = PG.wktToGeoJSON(r.site_wkt);
    if (!geom) return;
    siteLayer = L.geoJSON(geom, {style: {color: "#67000d", weight: 2, fillColor: "#e31a1c", fillOpacity: 0.5},
      pointToLayer: (f, ll) => L.circleMarker(ll, {radius: 8, color: "#67000d", fillColor: "#e31a1c", fillOpacity: 0.9})
    }).addTo(map);
    const b = siteLayer.getBounds();
    if (b.isValid()) map.fitBounds(b.pad(geom.type === "Point" ? 0.0 : 4), {maxZoom: 15, animate: false});
    if (geom.type === "Point") map.setView(b.getCenter(), 14, {animate: false});
  }

  function showResult(r, feature, target) {
    const box = clear(target || $("result"));
    const v = VERDICT[r.verdict];
    box.appendChild(el("div", {class: "verdict-line"},
      el("h2", {}, r.name || "选址检查结果 Site check"),
      el("span", {id: "verdict", class: "verdict " + r.verdict, "data-verdict": r.verdict}, v[0] + " " + v[1])));
    box.appendChild(facts(r));
    box.appendChild(checksTable(r));
    box.appendChild(el("p", {class: "small"}, "结论取各项检查中最严的级别（符合 < 需审查 < 禁止），“未评估”不影响结论。 " +
      "The verdict is the worst level among the checks; \"not evaluated\" does not change it."));
    if (r.datum !== "wgs84") box.appendChild(el("p", {class: "small"}, `输入坐标为 ${r.datum.toUpperCase()}，已转换为 WGS84。 ` +
      `Input coordinates in ${r.datum.toUpperCase()} were converted to WGS84.`));
    box.appendChild(downloads(feature));
    drawSite(r);
  }

  function showRows(sites) {
    if (sites.length === 1 && sites[0].result) { showResult(sites[0].result, 1); return; }
    const box = clear($("result"));
    box.appendChild(el("h2", {}, `文件中的 ${sites.length} 个场地 ${sites.length} sites in the file`));
    const detail = el("div", {id: "row-detail"});
    const body = el("tbody", {});
    for (const s of sites) {
      const r = s.result;
      const tr = el("tr", {class: r ? "clickable" : "failed", "data-index": s.index},
        el("td", {}, String(s.index)), el("td", {}, s.label),
        el("td", {}, r ? el("span", {class: "verdict small " + r.verdict}, VERDICT[r.verdict].join(" ")) : "—"),
        el("td", {}, r ? (ZONE[r.zone] || "—") : ""), el("td", {}, r ? `${fmt(r.riverbank_m, 0)} m` : ""),
        el("td", {}, r ? (r.park_name_zh || "—") : `${s.error.message_zh} ${s.error.message_en}`));
      if (r) tr.addEventListener("click", () => {
        body.querySelectorAll("tr").forEach((x) => x.classList.remove("selected"));
        tr.classList.add("selected");
        showResult(r, s.index, detail);
      });
      body.appendChild(tr);
    }
    box.appendChild(el("table", {class: "rows"},
      el("thead", {}, el("tr", {}, ["#", "名称 Name", "结论 Verdict", "区域 Zone", "距岸线 Riverbank", "园区 Park / 错误 Error"]
        .map((h) => el("th", {}, h)))), body));
    box.appendChild(detail);
    const first = body.querySelector("tr.clickable");
    if (first) first.click();
  }

  async function submit(ev) {
    ev.preventDefault();
    clear($("site-error")).hidden = true;
    const button = $("check");
    button.disabled = true;
    button.textContent = "检查中… Checking…";
    const fd = formData();
    try {
      const resp = await call("/api/site-check", {method: "POST", body: fd});
      if (!resp.ok) throw await errorOf(resp);
      const body = await resp.json();
      lastForm = (feature) => formData(feature);
      if (body.sites) showRows(body.sites); else showResult(body);
    } catch (err) {
      showError($("site-error"), err.message_zh ? err : {code: "network", message_zh: "无法连接服务器。",
        message_en: "Cannot reach the server.", hint_zh: "", hint_en: String(err)});
    } finally {
      button.disabled = false;
      button.textContent = "检查 Check";
    }
  }

  function setupDrop() {
    const zone = $("drop-zone"), input = $("site-file");
    const show = () => { $("file-name").textContent = input.files[0] ? input.files[0].name : ""; };
    input.addEventListener("change", show);
    zone.addEventListener("dragover", (ev) => { ev.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (ev) => {
      ev.preventDefault();
      zone.classList.remove("over");
      if (ev.dataTransfer.files.length) { input.files = ev.dataTransfer.files; show(); setMode("file"); }
    });
  }

  document.addEventListener("DOMContentLoaded", async () => {
    document.querySelectorAll("input[name=mode]").forEach((r) => r.addEventListener("change", () => setMode(mode())));
    setMode("file");
    setupDrop();
    $("land_m2").addEventListener("input", () => {
      const v = parseFloat($("land_m2").value);
      $("land-mu").textContent = Number.isFinite(v) ? `≈ ${fmt(PG.mu(v), 1)} 亩` : "";
    });
    $("site-form").addEventListener("submit", submit);
    try {
      await loadIndustries();
      map = await PG.baseMap("map");
      map.on("click", (e) => {
        setMode("point");
        $("lonlat").value = `${e.latlng.lng.toFixed(6)},${e.latlng.lat.toFixed(6)}`;
        if (clickMarker) clickMarker.remove();
        clickMarker = L.circleMarker(e.latlng, {radius: 6, color: "#000", fillColor: "#fff", fillOpacity: 1}).addTo(map);
      });
      window.parkgisPage = {map, ready: true};
    } catch (err) { showError($("site-error"), err); }
  });
})();
