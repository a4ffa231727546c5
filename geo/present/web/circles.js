/* rangezone page: range circles drawn round at every zoom.

   A range ring is sent with the vertices it was traced with (chords within 100 m of the
   circle: invisible at the zoom that shows the whole ring, but facets at street zoom).
   Each vertex lies exactly on the geodesic circle, so between two neighbours on it the
   page adds exact points of the circle (same distance from the centre, azimuths in
   between) until every chord is within a fifth of a pixel of it and at most 24 pixels long
   at the current zoom; only for the chords near the view (geodesy.js). */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};

  var EARTH_R = 6371008.8, EQUATOR_M = 40075016.686;
  var ON_CIRCLE_M = 2;       // vertices sent to 1e-5° are within about a metre of the circle
  var MAX_STEP_DEG = 5;      // neighbours farther apart in azimuth are joined by a cut
  var SAGITTA_PX = 0.2;
  var PIECE_PX = 24;
  var MAX_PIECES = 256;
  var geodesy = typeof module === 'object' && module.exports ? require('./geodesy.js')
    : RZ.geodesy;
  var inverse = geodesy.inverse, direct = geodesy.direct;

  function rad(d) { return d * Math.PI / 180; }

  // For each vertex of `seq` ([lat, lng], ...): [azimuth from the centre, index of the
  // radius it lies on or -1].
  function measure(seq, circle) {
    var c = { lat: circle.lat, lng: circle.lon };
    return seq.map(function (p) {
      var r = inverse(c, { lat: p[0], lng: p[1] });
      if (!r) { return [0, -1]; }
      for (var k = 0; k < circle.radii.length; k++) {
        if (Math.abs(r[0] - circle.radii[k]) <= ON_CIRCLE_M) { return [r[1], k]; }
      }
      return [r[1], -1];
    });
  }

  // `seq` with points of the circle added where a chord between two of its vertices strays
  // more than SAGITTA_PX from it: `mpp(lat)` gives metres per pixel, `near(a, b)` whether
  // the chord a-b needs drawing finely (near the view).
  function round(seq, info, circle, mpp, near) {
    var c = { lat: circle.lat, lng: circle.lon }, out = [seq[0]];
    for (var i = 1; i < seq.length; i++) {
      var a = seq[i - 1], b = seq[i], k = info[i][1];
      if (k >= 0 && k === info[i - 1][1] && near(a, b)) {
        var step = ((info[i][0] - info[i - 1][0] + 540) % 360) - 180;
        var r = circle.radii[k], rc = EARTH_R * Math.abs(Math.sin(r / EARTH_R));
        var px = mpp(a[0]), sag = rc * (1 - Math.cos(rad(Math.abs(step)) / 2)) / px;
        // short pieces too: a turn at a vertex shows even where the chord is close
        var n = Math.min(MAX_PIECES, Math.ceil(Math.max(Math.sqrt(sag / SAGITTA_PX),
          rc * rad(Math.abs(step)) / px / PIECE_PX)));
        if (n > 1 && Math.abs(step) <= MAX_STEP_DEG) {
          var last = a[1];
          for (var j = 1; j < n; j++) {
            var p = direct(c, info[i - 1][0] + step * j / n, r);
            p[1] += 360 * Math.round((last - p[1]) / 360);  // continuous with the chord
            last = p[1];
            out.push(p);
          }
        }
      }
      out.push(b);
    }
    return out;
  }

  // Leaflet 1.9.4 rounds every vertex to a whole pixel (Polyline._projectLatlngs): on a
  // finely drawn arc that makes steps. The circle's paths keep fractional pixels instead.
  function unrounded(layer) {
    var L = root.L;
    layer._projectLatlngs = function project(latlngs, result, bounds) {
      if (latlngs[0] instanceof L.LatLng) {
        var map = this._map, origin = map.getPixelOrigin(), ring = [];
        for (var i = 0; i < latlngs.length; i++) {
          ring[i] = map.project(latlngs[i])._subtract(origin);
          bounds.extend(ring[i]);
        }
        result.push(ring);
      } else {
        for (var j = 0; j < latlngs.length; j++) { project.call(this, latlngs[j], result, bounds); }
      }
    };
  }

  // Keeps the Leaflet paths of one item round: `parts` is a list of {layer, latlngs, depth}
  // (depth 1: a list of sequences, 2: polygons of rings); refreshed on every zoom.
  function keepRound(map, circle, parts) {
    parts.forEach(function (part) {
      unrounded(part.layer);
      part.info = part.latlngs.map(function (x) {
        return part.depth === 2 ? x.map(function (s) { return measure(s, circle); })
          : measure(x, circle);
      });
    });
    function refresh() {
      var z = map.getZoom(), view = map.getBounds().pad(0.5);
      function mpp(lat) { return EQUATOR_M * Math.cos(rad(lat)) / (256 * Math.pow(2, z)); }
      function near(a, b) {
        return view.intersects(root.L.latLngBounds([a, b]));
      }
      parts.forEach(function (part) {
        part.layer.setLatLngs(part.latlngs.map(function (x, i) {
          return part.depth === 2
            ? x.map(function (s, j) { return round(s, part.info[i][j], circle, mpp, near); })
            : round(x, part.info[i], circle, mpp, near);
        }));
      });
    }
    map.on('zoomend moveend', refresh);
    return refresh;
  }

  RZ.circles = { measure: measure, round: round, keepRound: keepRound };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.circles; }
})(typeof window !== 'undefined' ? window : globalThis);
