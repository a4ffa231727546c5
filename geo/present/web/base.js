/* rangezone page: shared helpers (the RZ namespace, DOM elements, coordinates). */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};

  // [lon, lat] (GeoJSON order) to [lat, lon] (Leaflet order).
  function ll(c) { return [c[1], c[0]]; }

  // Leaflet latlngs of a MultiPolygon, MultiLineString or MultiPoint {type, coordinates}.
  function latlngs(g) {
    var c = g.coordinates;
    if (g.type === 'MultiPolygon') {
      return c.map(function (poly) { return poly.map(function (r) { return r.map(ll); }); });
    }
    if (g.type === 'MultiLineString') { return c.map(function (l) { return l.map(ll); }); }
    return c.map(ll);
  }

  // Every user string goes in with textContent: nothing from the data becomes markup.
  function el(tag, cls, text) {
    var e = root.document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  RZ.base = { ll: ll, latlngs: latlngs, el: el };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.base; }
})(typeof window !== 'undefined' ? window : globalThis);
