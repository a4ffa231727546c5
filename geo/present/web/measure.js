/* rangezone page: the distance tool.

   Distances are geodesics on the WGS84 ellipsoid (Vincenty's inverse formula), drawn as
   great-circle arcs. geodesic, arc and fmtDist are pure and tested under Node. */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};

  var WGS84_A = 6378137, WGS84_F = 1 / 298.257223563;
  var MEAN_RADIUS = 6371008.8;

  function rad(d) { return d * Math.PI / 180; }

  // Great-circle distance on the sphere of the ellipsoid's mean radius (haversine).
  function sphere(a, b) {
    var dLat = rad(b.lat - a.lat), dLon = rad(b.lng - a.lng);
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * MEAN_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  // Metres between a and b ({lat, lng} in degrees) on the WGS84 ellipsoid (Vincenty's
  // inverse formula); nearly antipodal points, where it does not converge, fall back to
  // the sphere.
  function geodesic(a, b) {
    var A = WGS84_A, F = WGS84_F, B = A * (1 - F);
    var U1 = Math.atan((1 - F) * Math.tan(rad(a.lat)));
    var U2 = Math.atan((1 - F) * Math.tan(rad(b.lat)));
    var Lon = rad(b.lng - a.lng), lam = Lon, sinU1 = Math.sin(U1), cosU1 = Math.cos(U1);
    var sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var sinS, cosS, sig, sinAl, cos2Al, cos2Sm, prev, i;
    for (i = 0; i < 200; i++) {
      var sinL = Math.sin(lam), cosL = Math.cos(lam);
      sinS = Math.sqrt(Math.pow(cosU2 * sinL, 2) +
        Math.pow(cosU1 * sinU2 - sinU1 * cosU2 * cosL, 2));
      if (sinS === 0) { return 0; }
      cosS = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
      sig = Math.atan2(sinS, cosS);
      sinAl = cosU1 * cosU2 * sinL / sinS;
      cos2Al = 1 - sinAl * sinAl;
      cos2Sm = cos2Al !== 0 ? cosS - 2 * sinU1 * sinU2 / cos2Al : 0;
      var C = F / 16 * cos2Al * (4 + F * (4 - 3 * cos2Al));
      prev = lam;
      lam = Lon + (1 - C) * F * sinAl * (sig + C * sinS * (cos2Sm + C * cosS *
        (-1 + 2 * cos2Sm * cos2Sm)));
      if (Math.abs(lam - prev) < 1e-12) { break; }
    }
    if (i >= 200) { return sphere(a, b); }
    var u2 = cos2Al * (A * A - B * B) / (B * B);
    var kA = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var kB = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var dSig = kB * sinS * (cos2Sm + kB / 4 * (cosS * (-1 + 2 * cos2Sm * cos2Sm) -
      kB / 6 * cos2Sm * (-3 + 4 * sinS * sinS) * (-3 + 4 * cos2Sm * cos2Sm)));
    return B * kA * (sig - dSig);
  }

  // Points ([lat, lng]) along the great circle a..b, one per degree of arc, so that the
  // drawn line follows the measured path; longitudes stay continuous with a's.
  function arc(a, b) {
    function vec(p) {
      var la = rad(p.lat), lo = rad(p.lng);
      return [Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)];
    }
    var p = vec(a), q = vec(b);
    var dot = Math.max(-1, Math.min(1, p[0] * q[0] + p[1] * q[1] + p[2] * q[2]));
    var om = Math.acos(dot), n = Math.max(1, Math.ceil(om / rad(1)));
    var out = [[a.lat, a.lng]], lastLng = a.lng;
    if (om < 1e-9 || Math.abs(om - Math.PI) < 1e-6) { return [[a.lat, a.lng], [b.lat, b.lng]]; }
    for (var k = 1; k < n; k++) {
      var t = k / n, so = Math.sin(om);
      var s0 = Math.sin((1 - t) * om) / so, s1 = Math.sin(t * om) / so;
      var x = s0 * p[0] + s1 * q[0], y = s0 * p[1] + s1 * q[1], z = s0 * p[2] + s1 * q[2];
      var lng = Math.atan2(y, x) * 180 / Math.PI;
      lng += 360 * Math.round((lastLng - lng) / 360);  // stay continuous with the display
      lastLng = lng;
      out.push([Math.atan2(z, Math.sqrt(x * x + y * y)) * 180 / Math.PI, lng]);
    }
    out.push([b.lat, b.lng]);
    return out;
  }

  function fmtDist(m) {
    var km = m / 1000, nm = m / 1852;
    var f = function (v) {
      return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
    };
    return f(km) + ' km \u00b7 ' + f(nm) + ' NM';
  }

  // The tool on `map`, reporting into the element `out`: toggle(btn) starts or ends a
  // measurement (btn is the control's button, shown pressed while measuring).
  function create(map, out) {
    var L = root.L;
    var state = { active: false, pts: [], total: 0, btn: null };
    var mLine = L.polyline([], { pane: 'rz-measure', color: '#111', weight: 2.2,
      dashArray: '6 4', interactive: false });
    var mRubber = L.polyline([], { pane: 'rz-measure', color: '#111', weight: 1.5,
      dashArray: '2 4', interactive: false });
    var mDots = L.layerGroup();
    function redraw() {
      var path = [];
      for (var i = 1; i < state.pts.length; i++) {
        path = path.concat(arc(state.pts[i - 1], state.pts[i]));
      }
      mLine.setLatLngs(path.length ? path : state.pts);
    }
    function start(btn) {
      state.active = true; state.pts = []; state.total = 0; state.btn = btn;
      btn.classList.add('rz-on');
      map.doubleClickZoom.disable();
      map.getContainer().style.cursor = 'crosshair';
      mLine.addTo(map); mRubber.addTo(map); mDots.addTo(map);
      out.textContent = 'Click points; double-click or Esc to finish';
    }
    function stop(clear) {
      state.active = false;
      if (state.btn) { state.btn.classList.remove('rz-on'); }
      map.doubleClickZoom.enable();
      map.getContainer().style.cursor = '';
      mRubber.setLatLngs([]);
      if (clear) {
        mLine.setLatLngs([]); mDots.clearLayers(); state.pts = []; out.textContent = '';
      }
    }
    function toggle(btn) {
      var wasOn = state.active;
      state.btn = btn;
      stop(true);
      if (!wasOn) { start(btn); }
    }
    map.on('click', function (e) {
      if (!state.active) { return; }
      var last = state.pts[state.pts.length - 1];
      if (last && map.latLngToContainerPoint(last).distanceTo(e.containerPoint) < 4) { return; }
      if (last) { state.total += geodesic(last, e.latlng); }
      state.pts.push(e.latlng);
      mDots.addLayer(L.circleMarker(e.latlng, { pane: 'rz-measure', radius: 3, color: '#111',
        weight: 1, fillColor: '#fff', fillOpacity: 1, interactive: false }));
      redraw();
      out.textContent = 'Distance: ' + fmtDist(state.total);
    });
    map.on('mousemove', function (e) {
      if (!state.active || !state.pts.length) { return; }
      var last = state.pts[state.pts.length - 1];
      mRubber.setLatLngs(arc(last, e.latlng));
      out.textContent = 'Distance: ' + fmtDist(state.total + geodesic(last, e.latlng));
    });
    map.on('dblclick', function () { if (state.active) { stop(false); } });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && state.active) { stop(false); }
    });
    return { toggle: toggle };
  }

  RZ.measure = { geodesic: geodesic, sphere: sphere, arc: arc, fmtDist: fmtDist,
    create: create };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.measure; }
})(typeof window !== 'undefined' ? window : globalThis);
