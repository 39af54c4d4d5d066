/* parkgis parcel layer: many parcels drawn on one canvas from a compact encoding.
 *
 * A Leaflet layer per parcel (what folium's GeoJson makes) costs ~1 KB of page
 * and one JS object each; at 100,000 parcels the page is tens of MB and takes
 * many seconds to load. Here the parcels arrive as varint-encoded integer
 * coordinates (1e-5 degree steps, delta-coded) and columnar, dictionary-encoded
 * properties that gis/maps/parcels.py has already HTML-escaped, and are drawn
 * by a Leaflet renderer onto one canvas: one path per action class, parcels
 * smaller than a few pixels drawn as small rectangles. Hover and click are answered from a
 * uniform grid index. Licence: same as parkgis (MIT).
 */
(function () {
  "use strict";
  if (window.ParkgisParcelLayer) { return; }

  function bytesOf(b64) {
    var s = atob(b64), n = s.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) { out[i] = s.charCodeAt(i); }
    return out;
  }

  // LEB128 varints (zigzag-coded when signed) into a Float64Array.
  function varints(b64, count, signed) {
    var b = bytesOf(b64), out = new Float64Array(count), p = 0;
    for (var i = 0; i < count; i++) {
      var v = 0, mul = 1, c;
      do { c = b[p++]; v += (c & 127) * mul; mul *= 128; } while (c & 128);
      out[i] = signed ? ((v % 2) ? -(v + 1) / 2 : v / 2) : v;
    }
    return out;
  }

  var D2R = Math.PI / 180;

  // Web Mercator pixel coordinates at zoom 0 (the 256 px world of L.CRS.EPSG3857).
  function projX(lon) { return (lon + 180) / 360 * 256; }
  function projY(lat) {
    var s = Math.sin(Math.max(Math.min(lat, 85.0511287798), -85.0511287798) * D2R);
    return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256;
  }
  function unprojX(x) { return x / 256 * 360 - 180; }
  function unprojY(y) { return (2 * Math.atan(Math.exp(Math.PI * (1 - 2 * y / 256))) - Math.PI / 2) / D2R; }

  function decode(d) {
    var n = d.n, nr = d.nRings, nv = d.nVerts, i, r, v;
    var ringsPer = varints(d.rings, n, false), vertsPer = varints(d.verts, nr, false);
    var xy = varints(d.xy, 2 * nv, true);
    var featRing = new Int32Array(n + 1), ringVert = new Int32Array(nr + 1);
    for (i = 0; i < n; i++) { featRing[i + 1] = featRing[i] + ringsPer[i]; }
    for (r = 0; r < nr; r++) { ringVert[r + 1] = ringVert[r] + vertsPer[r]; }
    var px = new Float64Array(nv), py = new Float64Array(nv), x = 0, y = 0, inv = 1 / d.scale;
    for (v = 0; v < nv; v++) {
      x += xy[2 * v]; y += xy[2 * v + 1];
      px[v] = projX(x * inv); py[v] = projY(y * inv);
    }
    var minx = new Float64Array(n), miny = new Float64Array(n), maxx = new Float64Array(n), maxy = new Float64Array(n);
    for (i = 0; i < n; i++) {
      var a = Infinity, b = Infinity, c = -Infinity, e = -Infinity;
      for (v = ringVert[featRing[i]]; v < ringVert[featRing[i + 1]]; v++) {
        if (px[v] < a) { a = px[v]; } if (px[v] > c) { c = px[v]; }
        if (py[v] < b) { b = py[v]; } if (py[v] > e) { e = py[v]; }
      }
      minx[i] = a; miny[i] = b; maxx[i] = c; maxy[i] = e;
    }
    var cls = bytesOf(d.cls), byClass = [];
    for (var k = 0; k < d.classes.length; k++) { byClass.push([]); }
    for (i = 0; i < n; i++) { byClass[cls[i]].push(i); }
    var cols = d.cols.map(function (col) {
      return {key: col.key, label: col.label, values: col.values, codes: varints(col.codes, n, false)};
    });
    var out = {n: n, featRing: featRing, ringVert: ringVert, px: px, py: py, minx: minx, miny: miny,
               maxx: maxx, maxy: maxy, cls: cls, byClass: byClass, cols: cols};
    out.grid = buildGrid(out);
    return out;
  }

  // Uniform grid over the parcels' extent (zoom-0 pixels), CSR layout.
  function buildGrid(D) {
    var n = D.n, i, gx, gy;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (i = 0; i < n; i++) {
      if (D.minx[i] < x0) { x0 = D.minx[i]; } if (D.maxx[i] > x1) { x1 = D.maxx[i]; }
      if (D.miny[i] < y0) { y0 = D.miny[i]; } if (D.maxy[i] > y1) { y1 = D.maxy[i]; }
    }
    var side = Math.max(1, Math.min(1024, Math.ceil(Math.sqrt(n / 2))));
    var w = Math.max(x1 - x0, 1e-12), h = Math.max(y1 - y0, 1e-12);
    var G = {x0: x0, y0: y0, nx: side, ny: side, cw: w / side, ch: h / side};
    var count = new Int32Array(side * side + 1);
    function cell(v, o, s, m) { var c = Math.floor((v - o) / s); return c < 0 ? 0 : (c >= m ? m - 1 : c); }
    var pass;
    for (pass = 0; pass < 2; pass++) {
      var fill = pass === 1 ? new Int32Array(side * side) : null;
      for (i = 0; i < n; i++) {
        var ax = cell(D.minx[i], x0, G.cw, side), bx = cell(D.maxx[i], x0, G.cw, side);
        var ay = cell(D.miny[i], y0, G.ch, side), by = cell(D.maxy[i], y0, G.ch, side);
        for (gy = ay; gy <= by; gy++) {
          for (gx = ax; gx <= bx; gx++) {
            var c = gy * side + gx;
            if (pass === 0) { count[c + 1]++; } else { G.items[G.start[c] + fill[c]++] = i; }
          }
        }
      }
      if (pass === 0) {
        for (i = 0; i < side * side; i++) { count[i + 1] += count[i]; }
        G.start = count; G.items = new Int32Array(count[side * side]);
      }
    }
    G.cell = cell;
    return G;
  }

  function ringContains(D, r, x, y) {
    var inside = false, a = D.ringVert[r], b = D.ringVert[r + 1], px = D.px, py = D.py;
    for (var i = a, j = b - 1; i < b; j = i++) {
      if (((py[i] > y) !== (py[j] > y)) && (x < (px[j] - px[i]) * (y - py[i]) / (py[j] - py[i]) + px[i])) {
        inside = !inside;
      }
    }
    return inside;
  }

  var ParcelLayer = L.Renderer.extend({
    options: {padding: 0.25, fillOpacity: 0.75, strokeMinPx: 10, smallPx: 6, tolerancePx: 3, pane: "overlayPane"},

    initialize: function (data, options) {
      L.Renderer.prototype.initialize.call(this, options);
      this._data = data;
      this._D = null;
    },

    // Decoded lazily on first add, so a layer switched off costs nothing.
    _decoded: function () {
      if (!this._D) { this._D = decode(this._data); }
      return this._D;
    },

    featureCount: function () { return this._data.n; },

    onAdd: function (map) {
      this._decoded();
      L.Renderer.prototype.onAdd.call(this, map);
      var c = map.getContainer(), self = this;
      this._listeners = {
        mousemove: function (e) { self._onMouseMove(e); },
        mousedown: function (e) { self._down = [e.clientX, e.clientY]; },
        click: function (e) { self._onClick(e); },
        mouseout: function () { self._hideTip(); }
      };
      for (var t in this._listeners) { c.addEventListener(t, this._listeners[t], true); }
      this._draw();
    },

    onRemove: function (map) {
      var c = map.getContainer();
      for (var t in this._listeners) { c.removeEventListener(t, this._listeners[t], true); }
      this._hideTip();
      L.Renderer.prototype.onRemove.call(this, map);
    },

    _initContainer: function () {
      var c = this._container = document.createElement("canvas");
      c.className = "parkgis-parcels";
      c.style.pointerEvents = "none"; // events are taken on the map container (capture phase)
      this._ctx = c.getContext("2d");
    },

    _destroyContainer: function () {
      L.DomUtil.remove(this._container);
      delete this._ctx;
      delete this._container;
    },

    _updatePaths: function () {},
    _onZoomEnd: function () {},

    _update: function () {
      if (this._map._animatingZoom && this._bounds) { return; }
      L.Renderer.prototype._update.call(this);
      var b = this._bounds, c = this._container, size = b.getSize(), m = L.Browser.retina ? 2 : 1;
      L.DomUtil.setPosition(c, b.min);
      c.width = m * size.x; c.height = m * size.y;
      c.style.width = size.x + "px"; c.style.height = size.y + "px";
      if (m === 2) { this._ctx.scale(2, 2); }
      this._ctx.translate(-b.min.x, -b.min.y);
      this._draw();
    },

    _draw: function () {
      if (!this._ctx || !this._map || !this._bounds) { return; }
      var t0 = performance.now();
      var D = this._D, ctx = this._ctx, map = this._map, b = this._bounds, o = map.getPixelOrigin();
      var k = Math.pow(2, map.getZoom()), ox = o.x, oy = o.y, opt = this.options;
      var x0 = (b.min.x + ox) / k, x1 = (b.max.x + ox) / k, y0 = (b.min.y + oy) / k, y1 = (b.max.y + oy) / k;
      var small = opt.smallPx / k, classes = this._data.classes, drawn = 0;
      var px = D.px, py = D.py, ringVert = D.ringVert, featRing = D.featRing;
      var stroke = this._typicalPx(k) >= opt.strokeMinPx;
      ctx.lineWidth = 0.8;
      for (var ci = 0; ci < classes.length; ci++) {
        var list = D.byClass[ci], inPath = 0;
        if (!list.length) { continue; }
        ctx.fillStyle = classes[ci].color;
        ctx.strokeStyle = classes[ci].stroke;
        ctx.globalAlpha = opt.fillOpacity;
        ctx.beginPath();
        for (var j = 0; j < list.length; j++) {
          var f = list[j];
          if (D.maxx[f] < x0 || D.minx[f] > x1 || D.maxy[f] < y0 || D.miny[f] > y1) { continue; }
          drawn++;
          if (D.maxx[f] - D.minx[f] < small && D.maxy[f] - D.miny[f] < small) {
            // A few pixels across: its bounding box (at least 2 px) shows it as well as its
            // outline would, and fillRect is far cheaper than a path.
            var ax = D.minx[f] * k - ox, ay = D.miny[f] * k - oy;
            var w = (D.maxx[f] - D.minx[f]) * k, h = (D.maxy[f] - D.miny[f]) * k;
            if (w < 2) { ax -= (2 - w) / 2; w = 2; }
            if (h < 2) { ay -= (2 - h) / 2; h = 2; }
            ctx.fillRect(ax, ay, w, h);
            continue;
          }
          for (var r = featRing[f]; r < featRing[f + 1]; r++) {
            var v = ringVert[r], e = ringVert[r + 1];
            ctx.moveTo(px[v] * k - ox, py[v] * k - oy);
            for (v++; v < e; v++) { ctx.lineTo(px[v] * k - ox, py[v] * k - oy); }
            ctx.closePath();
          }
          // Huge paths rasterise slowly in Chromium: fill in batches.
          if (++inPath === 256) { this._flush(ctx, stroke); ctx.beginPath(); inPath = 0; }
        }
        if (inPath) { this._flush(ctx, stroke); }
      }
      ctx.globalAlpha = 1;
      this._lastDraw = {ms: performance.now() - t0, features: drawn};
    },

    _flush: function (ctx, stroke) {
      ctx.globalAlpha = this.options.fillOpacity;
      ctx.fill("evenodd");
      if (stroke) { ctx.globalAlpha = 1; ctx.stroke(); }
    },

    _typicalPx: function (k) {
      if (this._typical === undefined) {
        var D = this._D, n = Math.min(D.n, 200), s = [];
        for (var i = 0; i < n; i++) {
          var f = Math.floor(i * D.n / n);
          s.push(Math.max(D.maxx[f] - D.minx[f], D.maxy[f] - D.miny[f]));
        }
        s.sort(function (a, b) { return a - b; });
        this._typical = s.length ? s[Math.floor(s.length / 2)] : 0;
      }
      return this._typical * k;
    },

    // Index of the parcel under a container point, or -1.
    hitTest: function (latlng) {
      var D = this._D, G = D.grid, map = this._map;
      var x = projX(latlng.lng), y = projY(latlng.lat), k = Math.pow(2, map.getZoom());
      var tol = this.options.tolerancePx / k, dot = this.options.smallPx / k;
      var ax = G.cell(x - tol, G.x0, G.cw, G.nx), bx = G.cell(x + tol, G.x0, G.cw, G.nx);
      var ay = G.cell(y - tol, G.y0, G.ch, G.ny), by = G.cell(y + tol, G.y0, G.ch, G.ny);
      var best = -1;
      for (var gy = ay; gy <= by; gy++) {
        for (var gx = ax; gx <= bx; gx++) {
          var c = gy * G.nx + gx;
          for (var i = G.start[c]; i < G.start[c + 1]; i++) {
            var f = G.items[i];
            if (x < D.minx[f] - tol || x > D.maxx[f] + tol || y < D.miny[f] - tol || y > D.maxy[f] + tol) { continue; }
            if (D.maxx[f] - D.minx[f] < dot && D.maxy[f] - D.miny[f] < dot) { best = f; continue; }
            var inside = false;
            for (var r = D.featRing[f]; r < D.featRing[f + 1]; r++) {
              if (ringContains(D, r, x, y)) { inside = !inside; }
            }
            if (inside) { return f; }
          }
        }
      }
      return best;
    },

    _outsideMap: function (e) {
      var t = e.target;
      return !t || !t.closest || !!t.closest(
        ".leaflet-control-container, .leaflet-popup-pane, .leaflet-tooltip-pane, .leaflet-marker-pane");
    },

    _onMouseMove: function (e) {
      if (this._outsideMap(e)) { this._hideTip(); return; }
      this._lastMove = e;
      if (this._moveFrame) { return; }
      var self = this;
      this._moveFrame = L.Util.requestAnimFrame(function () {
        self._moveFrame = null;
        if (!self._map) { return; }
        var ev = self._lastMove, ll = self._map.mouseEventToLatLng(ev), f = self.hitTest(ll);
        if (f < 0) { self._hideTip(); return; }
        self._map.getContainer().style.cursor = "pointer";
        if (!self._tip) {
          self._tip = L.tooltip({direction: "top", offset: [0, -6], opacity: 0.95, className: "parkgis-tip"});
        }
        if (self._tipFeature !== f) { self._tip.setContent(self.tooltipHtml(f)); self._tipFeature = f; }
        self._tip.setLatLng(ll);
        if (!self._map.hasLayer(self._tip)) { self._map.openTooltip(self._tip); }
      });
    },

    _hideTip: function () {
      if (this._map) { this._map.getContainer().style.cursor = ""; }
      if (this._tip && this._map && this._map.hasLayer(this._tip)) { this._map.closeTooltip(this._tip); }
      this._tipFeature = -1;
    },

    _onClick: function (e) {
      if (this._outsideMap(e) || !this._map) { return; }
      if (this._down && Math.abs(e.clientX - this._down[0]) + Math.abs(e.clientY - this._down[1]) > 4) { return; }
      var ll = this._map.mouseEventToLatLng(e), f = this.hitTest(ll);
      if (f < 0) { return; }
      e.stopPropagation(); // the parcel's popup wins over the zone polygons beneath it
      this.openPopupFor(f, ll);
    },

    value: function (key, f) {
      var cols = this._D.cols;
      for (var i = 0; i < cols.length; i++) {
        if (cols[i].key === key) { var c = cols[i].codes[f]; return c ? cols[i].values[c - 1] : ""; }
      }
      return "";
    },

    // Property values of parcel f (HTML-escaped strings, as shipped).
    properties: function (f) {
      var out = {}, cols = this._decoded().cols;
      for (var i = 0; i < cols.length; i++) { var c = cols[i].codes[f]; out[cols[i].key] = c ? cols[i].values[c - 1] : ""; }
      return out;
    },

    findIndex: function (key, escapedValue) {
      var cols = this._decoded().cols;
      for (var i = 0; i < cols.length; i++) {
        if (cols[i].key !== key) { continue; }
        var code = cols[i].values.indexOf(escapedValue) + 1;
        if (!code) { return -1; }
        for (var f = 0; f < this._D.n; f++) { if (cols[i].codes[f] === code) { return f; } }
      }
      return -1;
    },

    centerOf: function (f) {
      var D = this._decoded();
      return L.latLng(unprojY((D.miny[f] + D.maxy[f]) / 2), unprojX((D.minx[f] + D.maxx[f]) / 2));
    },

    tooltipHtml: function (f) {
      var parts = [], keys = this._data.tip;
      for (var i = 0; i < keys.length; i++) { var v = this.value(keys[i], f); if (v) { parts.push(v); } }
      return '<div class="parkgis-tip-body">' + parts.join(" · ") + "</div>";
    },

    popupHtml: function (f) {
      var rows = [], cols = this._D.cols;
      for (var i = 0; i < cols.length; i++) {
        var c = cols[i].codes[f];
        if (!c) { continue; }
        rows.push("<tr><th>" + cols[i].label + "</th><td>" + cols[i].values[c - 1] + "</td></tr>");
      }
      return '<div class="parkgis-popup"><table>' + rows.join("") + "</table></div>";
    },

    openPopupFor: function (f, latlng) {
      this._hideTip(); // the popup says more, and would sit under the tooltip
      this._popup = this._popup || L.popup({minWidth: 320, maxWidth: 400, className: "parkgis-parcel-popup"});
      this._popup.setLatLng(latlng || this.centerOf(f)).setContent(this.popupHtml(f)).openOn(this._map);
      this._popupFeature = f;
      return this._popup;
    }
  });

  window.ParkgisParcelLayer = ParcelLayer;
})();
