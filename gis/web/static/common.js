/* parkgis web app: shared helpers (API calls with the token, DOM building, errors, the base map).
   Every value from the server is written with textContent or as an attribute, never as HTML. */
"use strict";

const PG = (() => {
  const TOKEN_KEY = "parkgis-token";

  /** Build an element: el("td", {class: "x"}, "text", childNode, ...). Text is always text. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "style") Object.assign(node.style, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function $(id) { return document.getElementById(id); }
  function fmt(v, digits = 1) {
    if (v === null || v === undefined || Number.isNaN(v)) return "—";
    return Number(v).toLocaleString("zh-CN", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  }

  function token() { return localStorage.getItem(TOKEN_KEY) || ""; }

  /** Ask for the access token (once; kept in this browser until "forget"). */
  function askToken() {
    return new Promise((resolve) => {
      const box = $("token-box");
      box.hidden = false;
      const input = $("token-input");
      input.value = "";
      input.focus();
      $("token-form").onsubmit = (ev) => {
        ev.preventDefault();
        localStorage.setItem(TOKEN_KEY, input.value.trim());
        box.hidden = true;
        resolve();
      };
    });
  }

  /** fetch() with the token; on 401 asks for it and tries again. Returns the Response. */
  async function call(path, options = {}, retry = true) {
    const headers = Object.assign({}, options.headers || {});
    if (token()) headers["Authorization"] = "Bearer " + token();
    const resp = await fetch(path, Object.assign({}, options, {headers}));
    if (resp.status === 401 && retry) {
      await askToken();
      return call(path, options, false);
    }
    return resp;
  }

  /** The error object of a failed response (the bilingual error JSON, or one made up for a bare status). */
  async function errorOf(resp) {
    try {
      const body = await resp.json();
      if (body && body.error) return body.error;
    } catch (e) { /* not JSON */ }
    return {code: "http_" + resp.status, message_zh: "请求失败（HTTP " + resp.status + "）。",
            message_en: "The request failed (HTTP " + resp.status + ").", hint_zh: "", hint_en: ""};
  }

  /** Show an error JSON in a box: Chinese and English message, then the hint. */
  function showError(box, err) {
    clear(box);
    box.hidden = false;
    box.appendChild(el("div", {class: "error"},
      el("strong", {}, "错误 Error"),
      el("p", {}, err.message_zh || ""), el("p", {class: "en"}, err.message_en || ""),
      err.hint_zh ? el("p", {class: "hint"}, "提示：" + err.hint_zh) : null,
      err.hint_en ? el("p", {class: "hint en"}, "Hint: " + err.hint_en) : null,
      el("p", {class: "code"}, "code: " + (err.code || ""))));
  }

  /** Save a Blob as a file (an <a download> click). */
  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", {href: url, download: name, hidden: true});
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 10000);
  }

  /** Download a URL through call() (so the token goes along) and save it. */
  async function download(path, name, options) {
    const resp = await call(path, options || {});
    if (!resp.ok) throw await errorOf(resp);
    saveBlob(await resp.blob(), name);
  }

  let layerData = null;
  async function layers() {
    if (!layerData) {
      const resp = await call("/api/layers");
      if (!resp.ok) throw await errorOf(resp);
      layerData = await resp.json();
    }
    return layerData;
  }

  /** m² → 亩, with the server's factor (gis.units; NaN until the layers have loaded). */
  function mu(m2) {
    return layerData ? m2 / layerData.m2_per_mu : NaN;
  }

  function tooltipOf(role, props) {
    const lines = [role.name_zh + " " + role.name_en];
    for (const [k, v] of Object.entries(props || {})) if (v !== null && v !== "") lines.push(k + ": " + v);
    const div = el("div", {class: "tip"});
    lines.forEach((line, i) => div.appendChild(el(i ? "div" : "strong", {}, line)));
    return div;
  }

  /** A Leaflet map of the layers (no base tiles: nothing is loaded from the internet). */
  async function baseMap(divId) {
    const data = await layers();
    const map = L.map(divId, {preferCanvas: true, minZoom: 7, maxZoom: 19, zoomSnap: 0.5});
    const overlays = {};
    for (const role of data.roles) {
      const layer = L.geoJSON({type: "FeatureCollection", features: role.features}, {
        style: () => role.style,
        onEachFeature: (f, lyr) => lyr.bindTooltip(() => tooltipOf(role, f.properties), {sticky: true}),
      }).addTo(map);
      overlays[role.name_zh + " " + role.name_en] = layer;
    }
    L.control.layers(null, overlays, {collapsed: true}).addTo(map);
    L.control.scale({metric: true, imperial: false}).addTo(map);
    map.fitBounds(data.bounds, {animate: false});
    return map;
  }

  /** WKT (Point, LineString, Polygon and their Multi forms) → GeoJSON geometry. */
  function wktToGeoJSON(wkt) {
    const m = /^\s*(MULTI)?(POINT|LINESTRING|POLYGON)\s*(Z\s*)?\((.*)\)\s*$/i.exec(wkt || "");
    if (!m) return null;
    const pairs = (s) => s.split(",").map((p) => p.trim().replace(/[()]/g, "").split(/\s+/).slice(0, 2).map(Number));
    const groups = (s, depth) => {
      if (depth === 0) return pairs(s);
      const out = [];
      let level = 0, start = -1;
      for (let i = 0; i < s.length; i++) {
        if (s[i] === "(") { if (level === 0) start = i + 1; level++; }
        else if (s[i] === ")") { level--; if (level === 0) out.push(groups(s.slice(start, i), depth - 1)); }
      }
      return out;
    };
    const multi = !!m[1], kind = m[2].toUpperCase(), body = m[4];
    const base = {POINT: 0, LINESTRING: 0, POLYGON: 1}[kind];
    let coords = groups(body, base + (multi ? 1 : 0));
    if (kind === "POINT" && !multi) coords = coords[0];
    if (kind === "POINT" && multi) coords = coords.map((c) => (Array.isArray(c[0]) ? c[0] : c));
    const name = (multi ? "Multi" : "") + {POINT: "Point", LINESTRING: "LineString", POLYGON: "Polygon"}[kind];
    return {type: name, coordinates: coords};
  }

  async function showVersion() {
    try {
      const resp = await fetch("/api/health");
      const body = await resp.json();
      $("version").textContent = "parkgis " + body.version;
    } catch (e) { /* offline page without server: nothing to show */ }
    $("forget-token").addEventListener("click", (ev) => {
      ev.preventDefault();
      localStorage.removeItem(TOKEN_KEY);
      $("forget-token").textContent = "已清除 cleared";
    });
    try {
      const data = await layers();
      if (data.illustrative.length) {
        const box = $("illustrative");
        box.hidden = false;
        box.textContent = data.illustrative_note.join(" ");  // worded by the server (gis.wording)
      }
    } catch (e) { /* shown by the page's own call */ }
  }

  document.addEventListener("DOMContentLoaded", showVersion);

  return {el, clear, $, fmt, call, errorOf, showError, saveBlob, download, layers, mu, baseMap, wktToGeoJSON};
})();
