/* rangezone page: event maps: info box, altitude profile (laid out by web_events.py) and
   an arrowhead on each ground track; the panels keep clear of sites and impacts. */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};
  var NS = 'http://www.w3.org/2000/svg';

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // The first corner whose box covers no point (30 px margin), else the one covering least.
  function clearCorner(corners, rectAt, pts, avoid) {
    var best = corners[0], fewest = Infinity;
    for (var i = 0; i < corners.length; i++) {
      var n = cost(rectAt(corners[i]), pts, avoid);
      if (n === 0) { return corners[i]; }
      if (n < fewest) { best = corners[i]; fewest = n; }
    }
    return best;
  }

  // Weights of the points box r covers; all of them where unmeasured or over the legend.
  function cost(r, pts, avoid) {
    var all = 1, n = 0;
    pts.forEach(function (p) { all += p.w || 1; });
    if (r.right <= r.left || r.bottom <= r.top ||
      (avoid || []).some(function (a) { return overlaps(r, a); })) { return all; }
    pts.forEach(function (p) {
      if (p.x >= r.left - 30 && p.x <= r.right + 30 && p.y >= r.top - 30 &&
        p.y <= r.bottom + 30) { n += p.w || 1; }
    });
    return n;
  }

  // Screen angle in degrees (y down) of the segment a -> b.
  function angle(a, b) { return Math.atan2(b.y - a.y, b.x - a.x) * 180 / Math.PI; }

  function svg(tag, attrs, text) {
    var e = root.document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }

  function profileSvg(p) {
    var b = p.box, g = svg('svg', { viewBox: '0 0 ' + b[0] + ' ' + b[1], width: b[0],
      height: b[1], 'class': 'rz-profile-svg', role: 'img', 'aria-label': p.title });
    var x0 = b[2], y1 = b[3] + b[5];
    p.spans.forEach(function (s) {
      g.appendChild(svg('rect', { x: s[1], y: s[2], width: s[3], height: s[4],
        'class': 'rz-span-' + s[0] }));
    });
    g.appendChild(svg('path', { d: p.path, 'class': 'rz-profile-arc' }));
    g.appendChild(svg('path', { d: 'M' + x0 + ' ' + b[3] + 'V' + y1 + 'H' + (x0 + b[4]),
      'class': 'rz-profile-axis' }));
    p.x_ticks.forEach(function (t) {
      g.appendChild(svg('text', { x: t[0], y: y1 + 11, 'text-anchor': 'middle' }, t[1]));
    });
    p.y_ticks.forEach(function (t) {
      g.appendChild(svg('text', { x: x0 - 4, y: t[0] + 3, 'text-anchor': 'end' }, t[1]));
    });
    if (p.impact_x !== null) {
      g.appendChild(svg('path', { d: 'M' + (p.impact_x - 4) + ' ' + (y1 - 7) + 'h8L' +
        p.impact_x + ' ' + y1 + 'Z' }));
    }
    g.appendChild(svg('text', { x: p.apogee[0], y: p.apogee[1] - 3, 'text-anchor': 'middle',
      'class': 'rz-profile-note' }, p.apogee[2]));
    g.appendChild(svg('text', { x: x0 + b[4] / 2, y: b[1] - 2, 'text-anchor': 'middle' },
      'downrange (km)'));
    g.appendChild(svg('text', { x: 4, y: 11 }, 'altitude (km)'));
    return g;
  }

  function add(map, data, el) {
    var L = root.L, ev = data.event, win = data.lonWindow || [-180, 180], panels = [];
    if (!ev) { return null; }
    function inWindow(c) { return c[0] < win[0] ? [c[0] + 360, c[1]] : c; }
    var folded = {}, chosen = {};
    function panel(cls, corners, fill) {
      var C = L.Control.extend({ onAdd: function () {
        var box = el('div', cls + ' leaflet-control' + (folded[cls] ? ' rz-folded' : ''));
        fill(box);
        L.DomEvent.disableClickPropagation(box);
        return box;
      } });
      panels.push([new C({ position: corners[0] }).addTo(map), corners, cls]);
    }
    if (ev.info) {
      panel('rz-info', ['topleft', 'topright', 'bottomleft'], function (box) {
        ev.info.lines.forEach(function (r) {
          var row = el('div');
          row.appendChild(el('b', '', r[0] + ': '));
          row.appendChild(el('span', '', r[1]));
          box.appendChild(row);
        });
        ev.info.verdicts.forEach(function (v) { box.appendChild(el('div', 'rz-verdict', v)); });
      });
    }
    if (ev.profile) {
      panel('rz-profile', ['bottomleft', 'topright', 'topleft'], function (box) {
        var title = el('div', 'rz-profile-title', ev.profile.title);
        title.title = 'Show or hide the profile';
        title.addEventListener('click', function () {
          folded['rz-profile'] = !folded['rz-profile'];
          chosen['rz-profile'] = true;
          box.classList.toggle('rz-folded', folded['rz-profile']);
          place();
        });
        box.appendChild(title);
        box.appendChild(profileSvg(ev.profile));
      });
    }
    var arrows = ev.tracks.map(function (t) {
      var m = L.marker(inWindow(t[1]).slice().reverse(), { pane: 'rz-points', interactive: false,
        keyboard: false, icon: L.divIcon({ className: 'rz-arrow', iconSize: [18, 18],
          iconAnchor: [9, 9], html: '<span></span>' }) }).addTo(map);
      return [m, inWindow(t[0]), inWindow(t[1]), t[2]];
    });
    function turn() {
      arrows.forEach(function (a) {
        var node = a[0].getElement();
        if (!node) { return; }
        var p0 = map.latLngToLayerPoint([a[1][1], a[1][0]]);
        var p1 = map.latLngToLayerPoint([a[2][1], a[2][0]]);
        node.style.setProperty('--rz-turn', angle(p0, p1).toFixed(1) + 'deg');
        node.firstChild.style.borderLeftColor = a[3];
      });
    }
    // each panel goes to the first corner where it hides no site, impact or reference
    function place() {
      var box = map.getContainer().getBoundingClientRect();
      // a site, impact or reference point weighs as much as a stretch of track
      var pts = ev.points.map(function (c) {
        var p = map.latLngToContainerPoint([c[1], inWindow(c)[0]]);
        return { x: p.x, y: p.y, w: 10 };
      }).concat((ev.trackPoints || []).map(function (c) {
        return map.latLngToContainerPoint([c[1], inWindow(c)[0]]);
      }));
      var rel = function (r) {
        return { left: r.left - box.left, top: r.top - box.top, right: r.right - box.left,
          bottom: r.bottom - box.top };
      };
      var legend = root.document.getElementById('rz-legend');
      var avoid = legend && legend.getClientRects().length
        ? [rel(legend.getBoundingClientRect())] : [];
      panels.forEach(function (pc) {
        var control = pc[0], cls = pc[2];
        function at(c) {
          if (control.getPosition() !== c) { control.setPosition(c); }
          // setPosition adds the control again: a new container, not the one measured before
          return rel(control.getContainer().getBoundingClientRect());
        }
        if (cls === 'rz-profile' && !chosen[cls]) {
          // folded to its title where it would hide a site or an impact
          folded[cls] = false;
          control.getContainer().classList.remove('rz-folded');
          var open = clearCorner(pc[1], at, pts, avoid);
          folded[cls] = cost(at(open), pts, avoid) >= 10;
          control.getContainer().classList.toggle('rz-folded', folded[cls]);
        }
        var best = clearCorner(pc[1], at, pts, avoid);
        if (control.getPosition() !== best) { control.setPosition(best); }
      });
    }
    map.on('zoomend viewreset', turn);
    map.on('moveend zoomend resize', place);
    var legendBox = root.document.getElementById('rz-legend');
    if (legendBox) { legendBox.addEventListener('toggle', place); }
    turn();
    return { arrows: arrows.length, place: place };
  }

  RZ.events = { add: add, angle: angle, clearCorner: clearCorner, cost: cost };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.events; }
})(typeof window !== 'undefined' ? window : globalThis);
