/* parkgis web app: the classification page. */
"use strict";

(() => {
  const {el, clear, $, fmt, showError} = PG;
  const ACTION = {upgrade: ["升级", "upgrade"], transform: ["转型", "transform"], reduce: ["减量化", "reduce"]};

  function counts(s) {
    const total = s.actions.reduce((a, r) => a + r.area_km2, 0) || 1;
    return el("table", {class: "counts", id: "action-counts"},
      el("thead", {}, el("tr", {}, ["处置方向 Action", "地块 Parcels", "用地 km²", "用地 亩", "面积占比 Share"].map((h) => el("th", {}, h)))),
      el("tbody", {}, s.actions.map((r) => el("tr", {"data-action": r.action || "none"},
        el("td", {}, el("span", {class: "swatch " + (r.action || "none")}), r.action ? ACTION[r.action].join(" ") : "未分类 unclassified"),
        el("td", {class: "num"}, fmt(r.parcels, 0)), el("td", {class: "num"}, fmt(r.area_km2, 3)),
        el("td", {class: "num"}, fmt(PG.mu(r.area_km2 * 1e6), 0)), el("td", {class: "num"}, fmt(100 * r.area_km2 / total, 1) + " %")))));
  }

  function flagged(s) {
    const box = el("div", {id: "flagged"}, el("h3", {}, `有标记的地块 Flagged parcels：${fmt(s.flagged, 0)}`));
    const kinds = Object.entries(s.flag_counts);
    if (!kinds.length) { box.appendChild(el("p", {}, "没有地块需要注意。 No parcel is flagged.")); return box; }
    box.appendChild(el("ul", {}, kinds.map(([k, n]) => el("li", {},
      el("code", {}, k), ` ${(PGJobs.FLAGS[k] || [k, k]).join(" / ")}：${fmt(n, 0)}`))));
    box.appendChild(el("table", {class: "rows"},
      el("thead", {}, el("tr", {}, ["编号 parcel_id", "标记 Flags", "区域 Zone", "方向 Action", "原因 Reason"].map((h) => el("th", {}, h)))),
      el("tbody", {}, s.flagged_rows.map((r) => el("tr", {},
        el("td", {}, r.parcel_id === null ? "—" : String(r.parcel_id)), el("td", {}, r.flags), el("td", {}, r.zone || "—"),
        el("td", {}, r.action ? ACTION[r.action].join(" ") : "—"), el("td", {}, r.reason_zh || "", el("div", {class: "en"}, r.reason_en || "")))))));
    if (s.flagged > s.flagged_rows.length) box.appendChild(el("p", {class: "small"},
      `仅列出前 ${s.flagged_rows.length} 个；全部见 GeoPackage 的 flags 列。 First ${s.flagged_rows.length} shown; all in the GeoPackage's flags column.`));
    return box;
  }

  function show(job) {
    const s = job.summary, box = clear($("result"));
    box.appendChild(el("h2", {}, `已分类 ${fmt(s.parcels, 0)} 个地块 Classified ${fmt(s.parcels, 0)} parcels`,
      el("span", {class: "small"}, ` · ${fmt(s.seconds, 1)} s`)));
    box.appendChild(el("div", {class: "downloads"}, el("span", {}, "下载 Download："),
      PGJobs.fileButton(job, "result.zip", "GeoPackage + 汇总表 summary (zip)"),
      PGJobs.fileButton(job, "map.html", "网页地图 map (HTML)"),
      job.files["density.xlsx"] ? PGJobs.fileButton(job, "density.xlsx", "产出密度 density (xlsx)") : null,
      job.files["density.xlsx"] ? el("a", {href: "/parks?job=" + encodeURIComponent(job.id)}, "园区产出密度 → parks density") : null));
    box.appendChild(counts(s));
    box.appendChild(flagged(s));
    box.appendChild(el("h3", {}, "地图 Map"));
    box.appendChild(PGJobs.mapFrame(job.files["map.html"], "classified parcels"));
    if (s.datum !== "wgs84") box.appendChild(el("p", {class: "small"},
      `输入为 ${s.datum.toUpperCase()} 坐标，输出已转换为 WGS84。 ${s.datum.toUpperCase()} input written in WGS84.`));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const input = $("parcels-file");
    input.addEventListener("change", () => { $("file-name").textContent = input.files[0] ? input.files[0].name : ""; });
    $("classify-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clear($("job-error")).hidden = true;
      clear($("result"));
      const fd = new FormData();
      if (input.files[0]) fd.append("parcels", input.files[0], input.files[0].name);
      for (const name of ["id_field", "assume_crs", "layer"]) if ($(name).value.trim()) fd.append(name, $(name).value.trim());
      fd.append("datum", $("datum").value);
      const button = $("run");
      button.disabled = true;
      try { show(await PGJobs.start("/api/jobs/classify", fd, $("progress"))); }
      catch (err) { showError($("job-error"), err.message_zh ? err : {code: "network", message_zh: "无法连接服务器。", message_en: String(err)}); }
      finally { button.disabled = false; }
    });
  });
})();
