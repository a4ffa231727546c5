/* rangezone page: shared helpers (the RZ namespace, the page's data, DOM elements). */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};

  // Leaflet latlngs ([lat, lon]) of a packed geometry {kind, decimals, coords}: each ring
  // or line is a flat list of integer steps [x0, y0, dx1, dy1, ...] in units of
  // 10^-decimals degrees, the first step taken from the end of the previous ring or line.
  // polygons -> [[ring, ...], ...]; lines -> [line, ...]; points -> [point, ...].
  function unpack(g) {
    var scale = Math.pow(10, -g.decimals), x = 0, y = 0;
    function seq(flat) {
      var out = new Array(flat.length / 2);
      for (var i = 0, j = 0; i < flat.length; i += 2, j++) {
        x += flat[i]; y += flat[i + 1];
        // rounded to the decimals sent: no float noise such as 38.50000000001
        out[j] = [+(y * scale).toFixed(g.decimals), +(x * scale).toFixed(g.decimals)];
      }
      return out;
    }
    if (g.kind === 'polygons') {
      return g.coords.map(function (poly) { return poly.map(seq); });
    }
    if (g.kind === 'lines') { return g.coords.map(seq); }
    return seq(g.coords);
  }

  // The parts of polygons' rings to stroke: `runs` holds, for each ring of `polys` in order,
  // flat [first, last, ...] vertex indices (cut edges are left out). -> lines
  function outlineRuns(polys, runs) {
    var out = [], k = 0;
    polys.forEach(function (poly) {
      poly.forEach(function (ring) {
        var r = runs[k++] || [];
        for (var i = 0; i + 1 < r.length; i += 2) { out.push(ring.slice(r[i], r[i + 1] + 1)); }
      });
    });
    return out;
  }

  // latlngs (nested to any depth) moved `dx` degrees east.
  function shift(a, dx) {
    if (!dx) { return a; }
    return Array.isArray(a[0]) ? a.map(function (b) { return shift(b, dx); })
      : [a[0], a[1] + dx];
  }

  // Base85 as Python's base64.b85encode (RFC 1924's alphabet) with '<', '>' and '&'
  // written as '.', ':' and ',' (page_data.py) -> bytes.
  var B85 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' +
    '!#$%,()*+-;.=:?@^_`{|}~';
  function b85(text) {
    var val = {}, n = text.length, full = Math.floor(n / 5), rest = n % 5;
    for (var c = 0; c < 85; c++) { val[B85.charAt(c)] = c; }
    var out = new Uint8Array(full * 4 + (rest ? rest - 1 : 0)), o = 0;
    for (var i = 0; i < n; i += 5) {
      var acc = 0, k;
      for (k = 0; k < 5; k++) {
        var ch = i + k < n ? val[text.charAt(i + k)] : 84;  // a short group: pad with '~'
        if (ch === undefined) { throw new Error('bad character in the map data'); }
        acc = acc * 85 + ch;
      }
      var bytes = [acc >>> 24 & 255, acc >>> 16 & 255, acc >>> 8 & 255, acc & 255];
      for (k = 0; k < 4 && o < out.length; k++) { out[o++] = bytes[k]; }
    }
    return out;
  }

  // The page's data: gzipped JSON in base85 in the element `node` (a promise of the object).
  function readData(node) {
    if (typeof root.DecompressionStream !== 'function') {
      return Promise.reject(new Error('this browser cannot unpack the map data ' +
        '(DecompressionStream: Chrome 80, Edge 80, Firefox 113, Safari 16.4 or later)'));
    }
    var stream = new root.Blob([b85(node.textContent.trim())]).stream()
      .pipeThrough(new root.DecompressionStream('gzip'));
    return new root.Response(stream).text().then(JSON.parse);
  }

  // Every user string goes in with textContent: nothing from the data becomes markup.
  function el(tag, cls, text) {
    var e = root.document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  RZ.base = { unpack: unpack, outlineRuns: outlineRuns, shift: shift, b85: b85,
    readData: readData, el: el };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.base; }
})(typeof window !== 'undefined' ? window : globalThis);
