/* rangezone page: event maps (info box, altitude profile, arrowheads on ground tracks). */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};
  var SVG = 'http://www.w3.org/2000/svg';

  // A "nice" step for about n ticks over [0, max].
  function tickStep(max, n) {
    var raw = max / Math.max(1, n), mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  }

  // The profile's drawing in a w x h box (pixels, y down): the arc as an SVG path, the
  // spans as rectangles, the ticks, and the scales used.
  function profileShapes(p, w, h) {
    var right = Math.max(p.range_km, p.track_km || 0) * 1.02;
    var top = Math.max.apply(null, p.altitude_km) * 1.22;
    function x(km) { return (km / right) * w; }
    function y(km) { return h - (km / top) * h; }
    var d = p.downrange_km.map(function (s, i) {
      return (i ? 'L' : 'M') + x(s).toFixed(1) + ' ' + y(p.altitude_km[i]).toFixed(1);
    }).join('');
    var spans = p.spans.map(function (s) {
      var tall = s.kind === 'eez' ? h : 0.09 * h;
      return { kind: s.kind, country: s.country, x: x(s.start_km), w: x(s.end_km) - x(s.start_km),
        y: h - tall, h: tall };
    });
    var sx = tickStep(right, 5), sy = tickStep(top, 4), xt = [], yt = [], v;
    for (v = 0; v <= right; v += sx) { xt.push([x(v), v]); }
    for (v = 0; v <= top; v += sy) { yt.push([y(v), v]); }
    return { path: d, spans: spans, xTicks: xt, yTicks: yt,
      trackX: p.track_km === null || p.track_km === undefined ? null : x(p.track_km),
      apogee: [x(p.downrange_km[p.altitude_km.indexOf(Math.max.apply(null, p.altitude_km))]),
        y(p.apogee_km)] };
  }

  // The first of `corners` where a box of the control's size covers none of `pts`
  // (container pixels {x, y}); `rectAt(corner)` gives the box there {left, top, right, bottom}.
  function clearCorner(corners, rectAt, pts) {
    for (var i = 0; i < corners.length; i++) {
      var r = rectAt(corners[i]), hit = pts.some(function (p) {
        return p.x >= r.left - 30 && p.x <= r.right + 30 && p.y >= r.top - 30 &&
          p.y <= r.bottom + 30;
      });
      if (!hit) { return corners[i]; }
    }
    return corners[0];
  }

  // Screen angle (degrees, clockwise from east) of the segment a -> b, points {x, y}.
  function angle(a, b) { return Math.atan2(b.y - a.y, b.x - a.x) * 180 / Math.PI; }

  function fmt(v) { return Math.round(v).toLocaleString('en-US'); }

  function svg(tag, attrs) {
    var e = root.document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function svgText(x, y, text, cls, anchor) {
    var t = svg('text', { x: x, y: y, 'class': cls, 'text-anchor': anchor || 'start' });
    t.textContent = String(text);
    return t;
  }

  function profileSvg(p) {
    var W = 300, H = 120, left = 40, bottom = 22, top = 18, right = 8;
    var w = W - left - right, h = H - top - bottom;
    var s = profileShapes(p, w, h);
    var g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H,
      'class': 'rz-profile-svg', role: 'img', 'aria-label': 'Altitude profile' });
    var plot = svg('g', { transform: 'translate(' + left + ',' + top + ')' });
    s.spans.forEach(function (r) {
      plot.appendChild(svg('rect', { x: r.x, y: r.y, width: Math.max(r.w, 0.5), height: r.h,
        'class': 'rz-span-' + r.kind }));
    });
    plot.appendChild(svg('path', { d: s.path, 'class': 'rz-profile-arc' }));
    plot.appendChild(svg('line', { x1: 0, y1: h, x2: w, y2: h, 'class': 'rz-profile-axis' }));
    plot.appendChild(svg('line', { x1: 0, y1: 0, x2: 0, y2: h, 'class': 'rz-profile-axis' }));
    s.xTicks.forEach(function (t) {
      plot.appendChild(svgText(t[0], h + 11, fmt(t[1]), 'rz-profile-tick', 'middle'));
    });
    s.yTicks.forEach(function (t) {
      plot.appendChild(svgText(-4, t[1] === 0 ? t[0] : t[0] + 3, fmt(t[1]), 'rz-profile-tick',
        'end'));
    });
    if (s.trackX !== null) {
      plot.appendChild(svg('path', { d: 'M' + (s.trackX - 4) + ' ' + (h - 7) + 'L' +
        (s.trackX + 4) + ' ' + (h - 7) + 'L' + s.trackX + ' ' + h + 'Z',
        'class': 'rz-profile-impact' }));
    }
    plot.appendChild(svgText(s.apogee[0], s.apogee[1] - 3, 'apogee ' + fmt(p.apogee_km) +
      ' km', 'rz-profile-note', 'middle'));
    g.appendChild(plot);
    g.appendChild(svgText(left + w / 2, H - 2, 'downrange (km)', 'rz-profile-tick', 'middle'));
    g.appendChild(svgText(4, 11, 'altitude (km)', 'rz-profile-tick'));
    return g;
  }

  // The info box and the profile as Leaflet controls; an arrowhead marker before the end
  // of each ground track, turned with the track on screen.
  function add(map, data, el) {
    var L = root.L, ev = data.event || {}, panels = [];
    function keepClear(control, corners) { panels.push([control, corners]); }
    if (ev.info && (ev.info.lines.length || ev.info.verdicts.length)) {
      var Info = L.Control.extend({ options: { position: 'topleft' }, onAdd: function () {
        var box = el('div', 'rz-info leaflet-control');
        ev.info.lines.forEach(function (r) {
          var row = el('div', 'rz-info-row');
          row.appendChild(el('span', 'rz-info-label', r.label + ': '));
          row.appendChild(el('span', '', r.value));
          box.appendChild(row);
        });
        ev.info.verdicts.forEach(function (v) { box.appendChild(el('div', 'rz-info-verdict', v)); });
        L.DomEvent.disableClickPropagation(box);
        return box;
      } });
      keepClear(new Info().addTo(map), ['topleft', 'topright', 'bottomleft']);
    }
    if (ev.profiles && ev.profiles.length) {
      var p = ev.profiles[0];
      var Prof = L.Control.extend({ options: { position: 'bottomleft' }, onAdd: function () {
        var box = el('div', 'rz-profile leaflet-control');
        var names = [];
        p.spans.forEach(function (s) { if (names.indexOf(s.country) < 0) { names.push(s.country); } });
        box.appendChild(el('div', 'rz-profile-title', 'Altitude profile (ballistic model)' +
          (names.length ? '; shaded: ' + names.join(', ') + "'s EEZ (blue), land (brown)" : '')));
        box.appendChild(profileSvg(p));
        L.DomEvent.disableClickPropagation(box);
        return box;
      } });
      keepClear(new Prof().addTo(map), ['bottomleft', 'topright', 'topleft']);
    }
    var win = data.lonWindow || [-180, 180], arrows = [];
    // the page's longitudes run over [seam, seam + 360]
    function inWindow(c) { return c[0] < win[0] ? [c[0] + 360, c[1]] : c; }
    (ev.tracks || []).forEach(function (t0) {
      var t = { head: inWindow(t0.head), tail: inWindow(t0.tail), color: t0.color };
      var icon = L.divIcon({ className: 'rz-arrow', iconSize: [18, 18], iconAnchor: [9, 9],
        html: '<span></span>' });
      var m = L.marker([t.head[1], t.head[0]], { icon: icon, pane: 'rz-points',
        interactive: false, keyboard: false });
      m.addTo(map);
      arrows.push([m, t]);
    });
    function turn() {
      arrows.forEach(function (a) {
        var t = a[1], node = a[0].getElement();
        if (!node) { return; }
        var p0 = map.latLngToLayerPoint([t.tail[1], t.tail[0]]);
        var p1 = map.latLngToLayerPoint([t.head[1], t.head[0]]);
        node.style.setProperty('--rz-turn', angle(p0, p1).toFixed(1) + 'deg');
        if (node.firstChild) { node.firstChild.style.borderLeftColor = t.color; }
      });
    }
    map.on('zoomend viewreset', turn);
    turn();
    // Each panel goes to the first corner where it hides no site, impact or reference point.
    function place() {
      var box = map.getContainer().getBoundingClientRect();
      var pts = (ev.points || []).map(function (c) {
        return map.latLngToContainerPoint([c[1], inWindow(c)[0]]);
      });
      panels.forEach(function (pc) {
        var control = pc[0], node = control.getContainer();
        // each corner measured where the control really sits there (below other controls)
        var best = clearCorner(pc[1], function (c) {
          if (control.getPosition() !== c) { control.setPosition(c); }
          var r = node.getBoundingClientRect();
          return { left: r.left - box.left, top: r.top - box.top, right: r.right - box.left,
            bottom: r.bottom - box.top };
        }, pts);
        if (control.getPosition() !== best) { control.setPosition(best); }
      });
    }
    map.on('moveend zoomend resize', place);
    return { arrows: arrows.length, place: place };
  }

  RZ.events = { add: add, profileShapes: profileShapes, angle: angle, tickStep: tickStep,
    clearCorner: clearCorner };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.events; }
})(typeof window !== 'undefined' ? window : globalThis);
