/* rangezone page: map controls (legend, scale bar, pointer position, tools). */
(function (root) {
  'use strict';
  var RZ = root.RZ = root.RZ || {};

  function wrapLon(lon) { return ((lon + 180) % 360 + 360) % 360 - 180; }

  // "38.5000°N  125.7500°E"
  function fmtLatLng(p) {
    var lat = p.lat, lon = wrapLon(p.lng);
    return Math.abs(lat).toFixed(4) + '\u00b0' + (lat >= 0 ? 'N' : 'S') + '  ' +
      Math.abs(lon).toFixed(4) + '\u00b0' + (lon >= 0 ? 'E' : 'W');
  }

  // The legend: static HTML from the page (#rz-legend), moved into a map control.
  function legend(map) {
    var L = root.L;
    var Legend = L.Control.extend({
      options: { position: 'bottomright' },
      onAdd: function () {
        var box = root.document.getElementById('rz-legend');
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    return new Legend().addTo(map);
  }

  // The legend stays within the map, below the layer control: it scrolls inside when it
  // is taller than the room. Returns the room in pixels.
  function fitLegend(map) {
    var doc = root.document, box = doc.getElementById('rz-legend');
    if (!box) { return 0; }
    var fr = map.getContainer().getBoundingClientRect(), top = fr.top + 10;
    var lc = doc.querySelector('.leaflet-control-layers');
    if (lc) { top = Math.max(top, lc.getBoundingClientRect().bottom + 10); }
    var room = Math.floor(fr.bottom - 10 - top - 20);
    box.style.maxHeight = Math.max(0, room) + 'px';
    return room;
  }

  // Scale bar in kilometres and nautical miles (EEZ limits are stated in NM).
  function scale(map) {
    var Scale = root.L.Control.Scale.extend({
      _updateImperial: function (maxMeters) {
        var maxNm = maxMeters / 1852, nm = this._getRoundNum(maxNm);
        this._updateScale(this._iScale, nm + ' NM', nm / maxNm);
      }
    });
    return new Scale({ position: 'bottomleft', maxWidth: 150 }).addTo(map);
  }

  function mouse(map) {
    var el = RZ.base.el;
    var Mouse = root.L.Control.extend({
      options: { position: 'bottomleft' },
      onAdd: function (m) {
        var box = el('div', 'rz-mouse', 'Move the pointer over the map');
        m.on('mousemove', function (e) { box.textContent = fmtLatLng(e.latlng); });
        return box;
      }
    });
    return new Mouse().addTo(map);
  }

  // The tool buttons (fit the content, measure) and the measurement's read-out below them.
  function tools(map, fitContent) {
    var L = root.L, el = RZ.base.el;
    var out = el('div', 'rz-measure-out');
    var measurer = RZ.measure.create(map, out);
    var Tools = L.Control.extend({
      options: { position: 'topleft' },
      onAdd: function () {
        var box = el('div', 'leaflet-bar rz-tools');
        var fit = el('a', '', '\u2302');
        fit.href = '#'; fit.title = 'Fit the map to its content';
        fit.setAttribute('role', 'button');
        var btn = el('a', '', '\u27f7');
        btn.href = '#'; btn.title = 'Measure distance (WGS84 geodesic)';
        btn.setAttribute('role', 'button');
        box.appendChild(fit); box.appendChild(btn);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.on(fit, 'click', function (e) { L.DomEvent.preventDefault(e); fitContent(); });
        L.DomEvent.on(btn, 'click', function (e) {
          L.DomEvent.preventDefault(e);
          measurer.toggle(btn);
        });
        return box;
      }
    });
    new Tools().addTo(map);
    var Out = L.Control.extend({ options: { position: 'topleft' },
      onAdd: function () { return out; } });
    new Out().addTo(map);
  }

  RZ.controls = { wrapLon: wrapLon, fmtLatLng: fmtLatLng, legend: legend,
    fitLegend: fitLegend, scale: scale, mouse: mouse, tools: tools };
  if (typeof module === 'object' && module.exports) { module.exports = RZ.controls; }
})(typeof window !== 'undefined' ? window : globalThis);
