/* rangezone page: the distance tool.

   Distances are geodesics on the WGS84 ellipsoid (geodesy.js), drawn as great-circle
   arcs. geodesic, arc and fmtDist are pure and tested under Node. */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};

  var MEAN_RADIUS = 6371008.8;
  var geodesy = typeof module === 'object' && module.exports ? require('./geodesy.js')
    : RZ.geodesy;

  function rad(d) { return d * Math.PI / 180; }

  // Great-circle distance on the sphere of the ellipsoid's mean radius (haversine).
  function sphere(a, b) {
    var dLat = rad(b.lat - a.lat), dLon = rad(b.lng - a.lng);
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * MEAN_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  // Metres between a and b ({lat, lng} in degrees) on the WGS84 ellipsoid: Vincenty's
  // inverse formula; for nearly antipodal points, where it does not converge, the shortest
  // a-m-b over midpoints m (each half is far from antipodal, so Vincenty converges), found
  // by a pattern search from the poles and the equator: the sum is flat near its minimum,
  // so the distance comes out exact to millimetres.
  function geodesic(a, b) {
    var r = geodesy.inverse(a, b);
    return r ? r[0] : viaMidpoint(a, b);
  }

  function viaMidpoint(a, b) {
    function f(lat, lng) {
      var m = { lat: Math.max(-90, Math.min(90, lat)), lng: lng };
      var p = geodesy.inverse(a, m), q = geodesy.inverse(m, b);
      return p && q ? p[0] + q[0] : Infinity;
    }
    var best = Infinity;
    [[89.999, a.lng + 90], [-89.999, a.lng + 90], [0, a.lng + 90], [0, a.lng - 90]]
      .forEach(function (start) {
        var lat = start[0], lng = start[1], val = f(lat, lng), step = 10;
        while (step > 1e-8) {
          var moved = false;
          [[step, 0], [-step, 0], [0, step], [0, -step]].forEach(function (d) {
            var v = f(lat + d[0], lng + d[1]);
            if (v < val) { val = v; lat += d[0]; lng += d[1]; moved = true; }
          });
          if (!moved) { step /= 2; }
        }
        best = Math.min(best, val);
      });
    return isFinite(best) ? best : sphere(a, b);
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
    // Colours from style.py, through the page's CSS variables.
    var css = root.getComputedStyle(root.document.documentElement);
    var ink = css.getPropertyValue('--rz-measure').trim() || 'black';
    var paper = css.getPropertyValue('--rz-paper').trim() || 'white';
    var state = { active: false, pts: [], total: 0, btn: null };
    var mLine = L.polyline([], { pane: 'rz-measure', color: ink, weight: 2.2,
      dashArray: '6 4', interactive: false });
    var mRubber = L.polyline([], { pane: 'rz-measure', color: ink, weight: 1.5,
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
      mDots.addLayer(L.circleMarker(e.latlng, { pane: 'rz-measure', radius: 3, color: ink,
        weight: 1, fillColor: paper, fillOpacity: 1, interactive: false }));
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
