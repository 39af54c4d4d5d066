/* parkgis web app: the parks' output density against the targets. */
"use strict";

(() => {
  const {el, clear, $, showError} = PG;

  document.addEventListener("DOMContentLoaded", async () => {
    const fd = new FormData();
    const job = new URLSearchParams(location.search).get("job");
    if (job) fd.append("job", job);
    try {
      const done = await PGJobs.start("/api/jobs/parks", fd, $("progress"));
      const s = done.summary, box = clear($("result"));
      for (const note of s.notes) box.appendChild(el("p", {class: "note"}, note));
      box.appendChild(el("div", {class: "downloads"}, el("span", {}, "下载 Download："),
        PGJobs.fileButton(done, "density.xlsx", "产出密度表 density table (xlsx)"),
        PGJobs.fileButton(done, "density-map.html", "网页地图 map (HTML)")));
      box.appendChild(PGJobs.densityTable(s.density));
      box.appendChild(el("p", {class: "small"}, "产出密度 = 产出 ÷ 地块用地；目标 25 亿元/km²（2025），按年增 4.5 % 推算达标年份。 " +
        "Density = output ÷ parcel land; target 25 亿元/km² by 2025; the year reached assumes 4.5 %/year growth."));
      box.appendChild(PGJobs.mapFrame(done.files["density-map.html"], "output density by park"));
      $("progress").hidden = true;
    } catch (err) { showError($("job-error"), err.message_zh ? err : {code: "network", message_zh: "无法连接服务器。", message_en: String(err)}); }
  });
})();
