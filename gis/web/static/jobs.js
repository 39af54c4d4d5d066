/* parkgis web app: start a job, poll it with a progress bar, and draw its results (classify and parks pages). */
"use strict";

const PGJobs = (() => {
  const {el, clear, $, fmt, call, errorOf, showError} = PG;
  const FLAGS = {
    straddles_zone: ["跨越区域边界", "straddles a zone boundary"],
    partly_outside_district: ["部分在区界外", "partly outside the district"],
    outside_district: ["完全在区界外（未分类）", "wholly outside the district (not classified)"],
    geometry_repaired: ["几何已修复", "geometry repaired"],
    no_geometry: ["没有几何（未分类）", "no geometry (not classified)"],
    duplicate_id: ["编号重复", "duplicate id"],
    not_polygon: ["不是面要素", "not a polygon"],
    in_water: ["部分在岸线以外（水域或滩涂）", "partly seaward of the shoreline"],
    invalid_coordinates: ["坐标无效", "invalid coordinates"],
    id_generated: ["编号为自动生成", "id generated"],
  };

  /** Poll a job until it ends, updating the progress bar; resolves with the final job view. */
  async function follow(job, progressBox) {
    const bar = el("progress", {max: "1", value: "0", id: "job-progress"});
    const text = el("span", {id: "job-stage"});
    clear(progressBox).appendChild(el("div", {class: "progress"}, bar, text));
    progressBox.hidden = false;
    for (;;) {
      bar.value = job.fraction;
      text.textContent = `${job.stage_zh} ${job.stage_en} · ${fmt(job.elapsed_s, 1)} s`;
      if (job.status === "done" || job.status === "failed") return job;
      await new Promise((r) => setTimeout(r, 400));
      const resp = await call(`/api/jobs/${encodeURIComponent(job.id)}`);
      if (!resp.ok) throw await errorOf(resp);
      job = await resp.json();
    }
  }

  async function start(path, formData, progressBox) {
    const resp = await call(path, {method: "POST", body: formData});
    if (!resp.ok) throw await errorOf(resp);
    const job = await follow(await resp.json(), progressBox);
    if (job.status === "failed") throw job.error;
    return job;
  }

  function mapFrame(url, title) {
    return el("iframe", {class: "map-frame", src: url, title, sandbox: "allow-scripts", loading: "lazy"});
  }

  function fileButton(job, name, label) {
    if (!job.files[name]) return null;
    return el("button", {type: "button", class: "secondary", "data-file": name, onclick: async () => {
      try { await PG.download(job.files[name], name === "result.zip" ? "parkgis-classified.zip" : name); }
      catch (err) { showError($("job-error"), err); }
    }}, label);
  }

  function densityTable(rows) {
    const head = ["园区 Park", "地块 Parcels", "用地 Land km²", "产出 Output 亿元", "产出密度 Density 亿元/km²",
                  "目标 Target", "差距 Gap", "达标 Meets", "产出目标 Output target 亿元", "预计达标年份 Year reached"];
    const yes = (v) => (v === null || v === undefined ? "—" : v ? "是 yes" : "否 no");
    return el("table", {class: "density"},
      el("thead", {}, el("tr", {}, head.map((h) => el("th", {}, h)))),
      el("tbody", {}, rows.map((r) => el("tr", {class: r.meets_target ? "meets" : "misses"},
        el("td", {}, r.name_zh || r.unit_id, el("div", {class: "en"}, r.name_en || "")),
        el("td", {class: "num"}, fmt(r.parcels, 0)), el("td", {class: "num"}, fmt(r.land_km2, 3)),
        el("td", {class: "num"}, fmt(r.output_yi, 2)), el("td", {class: "num"}, fmt(r.density_yi_per_km2, 2)),
        el("td", {class: "num"}, fmt(r.target_yi_per_km2, 1)), el("td", {class: "num"}, fmt(r.gap_yi_per_km2, 2)),
        el("td", {}, yes(r.meets_target)), el("td", {class: "num"}, fmt(r.output_target_yi, 1)),
        el("td", {class: "num"}, r.target_reached_year ? String(r.target_reached_year) : "—")))));
  }

  return {FLAGS, start, mapFrame, fileButton, densityTable};
})();
