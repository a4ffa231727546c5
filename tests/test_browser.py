"""The self-contained map in a real browser: headless Chromium with no name resolution.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), so
the test needs no extra Python package and opens no port. Every host name resolves to
nothing (``--host-resolver-rules``): a page that tried to load anything from the network
would log a failed request. Screenshots are kept in ``test-artifacts/`` for people to look
at.
"""

from __future__ import annotations

import base64
import fcntl
import html
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from geo.present.html_map import render_html, write_html

CHROMIUM = os.environ.get("RANGEZONE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = pytest.mark.browser


class Chromium:
    """A headless Chromium and one page, spoken to in CDP messages over a pipe."""

    def __init__(self, width: int = 1400, height: int = 900) -> None:
        if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
            pytest.fail(
                f"Chromium not found at {CHROMIUM}: install the Debian package "
                "(apt-get install -y chromium); .ci/run installs it for CI",
                pytrace=False,
            )
        self.profile = tempfile.mkdtemp(prefix="rz-chromium-")
        # Our end writes commands into fd 3 of the child and reads replies from its fd 4.
        to_child_r, self._w = os.pipe()
        self._r, from_child_w = os.pipe()
        args = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--mute-audio",
            f"--user-data-dir={self.profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--remote-debugging-pipe",
            f"--window-size={width},{height}",
            "about:blank",
        ]

        def fds() -> None:
            # Park both ends above any low descriptor first so the dup2s cannot clobber
            # each other, then put them where Chromium expects its pipe: fds 3 and 4.
            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 100)
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 100)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),  # subprocess closes the others after preexec_fn runs
            preexec_fn=fds,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call(
            "Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )

    def _send(self, msg: dict[str, Any]) -> None:
        os.write(self._w, json.dumps(msg).encode() + b"\0")

    def _read(self, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._r], [], [], left)
            if not ready:
                return None
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        out: dict[str, Any] = json.loads(raw)
        return out

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, session: bool = False
    ) -> dict[str, Any]:
        self._next_id += 1
        mid = self._next_id
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        self._send(msg)
        deadline = time.monotonic() + 60.0
        while time.monotonic() < deadline:
            reply = self._read(deadline - time.monotonic())
            if reply is None:
                break
            if reply.get("id") == mid:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)
        raise TimeoutError(f"no reply to {method}")

    def pump(self, seconds: float) -> None:
        """Collect events for a while."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            msg = self._read(left)
            if msg is not None and "method" in msg:
                self.events.append(msg)

    def evaluate(self, expression: str) -> Any:
        res = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=True,
        )
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def open(
        self, url: str, ready: str = "window.rangezoneMap && window.rangezoneMap.ready"
    ) -> None:
        self.call("Page.navigate", {"url": url}, session=True)
        deadline = time.monotonic() + 30.0
        while time.monotonic() < deadline:
            self.pump(0.2)
            try:
                if self.evaluate(f"!!({ready})"):
                    break
            except RuntimeError:
                pass
        else:
            raise TimeoutError(f"{url} did not get ready")
        # let Leaflet finish its frame and any late request show up
        self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")
        self.pump(0.3)

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def failures(self) -> list[str]:
        out = [
            f"{e['params'].get('errorText')} ({e['params'].get('requestId')})"
            for e in self.events
            if e.get("method") == "Network.loadingFailed"
        ]
        for e in self.events:
            m = e.get("method")
            if m == "Runtime.exceptionThrown":
                out.append(f"exception: {e['params']['exceptionDetails']}")
            elif m == "Runtime.consoleAPICalled" and e["params"].get("type") == "error":
                out.append(f"console.error: {e['params'].get('args')}")
            elif m == "Log.entryAdded" and e["params"]["entry"].get("level") == "error":
                out.append(f"log: {e['params']['entry'].get('text')}")
            elif m == "Page.javascriptDialogOpening":
                out.append(f"dialog: {e['params'].get('message')}")
        return out

    def close(self) -> None:
        try:
            self._send({"id": 10**6, "method": "Browser.close"})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait(timeout=10)
        finally:
            os.close(self._w)
            os.close(self._r)
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def chromium() -> Any:
    browser = Chromium()
    try:
        yield browser
    finally:
        browser.close()


def _only_local(urls: list[str], page: str) -> list[str]:
    return [u for u in urls if u != page and not u.startswith("data:")]


def test_seed_map_draws_offline(map_zones: Path | None, chromium: Chromium, tmp_path: Path) -> None:
    from test_html_map import payload, seed_content

    page = tmp_path / "seed.html"
    write_html(seed_content(eez=map_zones), page)
    url = page.as_uri()
    data = payload(page.read_text(encoding="utf-8"))
    # one interactive path per area or line, one per point marker
    expected = sum(
        len(it["geometry"]["coords"]) // 2 if it["geometry"]["kind"] == "points" else 1
        for lay in data["layers"]
        for it in lay["items"]
    )
    chromium.open(url)
    stats = chromium.evaluate(
        "({paths: document.querySelectorAll('path.leaflet-interactive').length,"
        " all: document.querySelectorAll('.leaflet-pane path').length,"
        " labels: document.querySelectorAll('.rz-lbl').length,"
        " counts: window.rangezoneMap.counts,"
        " zoom: window.rangezoneMap.map.getZoom(),"
        " legend: !!document.querySelector('.leaflet-control-container #rz-legend'),"
        " scale: !!document.querySelector('.leaflet-control-scale'),"
        " layers: !!document.querySelector('.leaflet-control-layers'),"
        " mapH: document.getElementById('rz-map').clientHeight})"
    )
    chromium.screenshot(ARTIFACTS / "browser-seed.png")
    assert _only_local(chromium.requests(), url) == []
    assert chromium.failures() == []
    # at least: 3 zones, the range area, ring, impact area, impact and site
    assert stats["paths"] == expected >= 8, stats
    assert stats["all"] > stats["paths"], "basemap and outlines drew no paths"
    assert stats["labels"] >= 3, stats
    assert stats["legend"] and stats["scale"] and stats["layers"]
    assert stats["zoom"] >= 5, "the view does not fit the 400 km ring"
    assert stats["mapH"] > 600


def test_antimeridian_and_polar_rings_draw_whole(
    map_zones: Path | None, chromium: Chromium, tmp_path: Path
) -> None:
    from test_html_map import wide_content

    page = tmp_path / "wide.html"
    write_html(wide_content(map_zones), page)
    url = page.as_uri()
    chromium.open(url)
    stats = chromium.evaluate(
        "(() => { const m = window.rangezoneMap.map; const b = m.getBounds();"
        " const r = window.rangezoneMap.layers.ring.getBounds();"
        " return {paths: document.querySelectorAll('path.leaflet-interactive').length,"
        " west: b.getWest(), east: b.getEast(), zoom: m.getZoom(),"
        " inView: b.contains(r), ringWest: r.getWest(), ringEast: r.getEast()}; })()"
    )
    chromium.screenshot(ARTIFACTS / "browser-antimeridian.png")
    assert _only_local(chromium.requests(), url) == []
    assert chromium.failures() == []
    assert stats["paths"] >= 3
    # the ring across 180° is fitted as one piece, not the whole world
    assert stats["inView"], stats
    assert stats["ringWest"] < 180.0 < stats["ringEast"], stats
    assert stats["east"] - stats["west"] < 200.0, stats
    assert stats["zoom"] >= 3, stats


def test_hostile_title_is_text_and_measure_tool_works(chromium: Chromium, tmp_path: Path) -> None:
    """The measure tool's distance is the WGS84 geodesic: pyproj's within 0.05 km on a
    7° line (a sphere would be off by about 5 km here)."""
    from pyproj import Geod
    from test_html_map import XSS, seed_content

    page = tmp_path / "xss.html"
    page.write_text(render_html(seed_content(title=XSS)), encoding="utf-8")
    url = page.as_uri()
    chromium.open(url)
    a, b = (38.5, 125.7), (33.1, 130.9)  # Sariwon to Kyushu
    res = chromium.evaluate(
        "(() => { const m = window.rangezoneMap.map;"
        " const tools = document.querySelectorAll('.rz-tools a');"
        " tools[1].click();"
        f" for (const p of [L.latLng({a[0]}, {a[1]}), L.latLng({b[0]}, {b[1]})]) {{"
        "   m.fire('click', {latlng: p, containerPoint: m.latLngToContainerPoint(p)}); }"
        " return {img: document.querySelectorAll('img').length,"
        " title: document.querySelector('.rz-title').textContent,"
        " doc: document.title,"
        " measured: document.querySelector('.rz-measure-out').textContent}; })()"
    )
    chromium.screenshot(ARTIFACTS / "browser-xss-measure.png")
    assert chromium.failures() == []
    assert res["img"] == 0
    assert res["title"] == XSS
    assert res["doc"] == XSS
    assert "km" in res["measured"] and "NM" in res["measured"]
    km = float(res["measured"].split("Distance: ")[1].split(" km")[0])
    expected_km = Geod(ellps="WGS84").inv(a[1], a[0], b[1], b[0])[2] / 1000.0
    # the read-out has 0 decimals from 100 km: compare the tool's own figure instead
    exact = chromium.evaluate(
        f"RZ.measure.geodesic({{lat: {a[0]}, lng: {a[1]}}}, {{lat: {b[0]}, lng: {b[1]}}})"
    )
    assert abs(exact / 1000.0 - expected_km) < 0.05, (exact, expected_km)
    assert abs(km - expected_km) <= 0.5, res  # shown rounded to the kilometre


def test_small_iframe_is_filled(tmp_path: Path) -> None:
    from test_html_map import seed_content

    browser = Chromium(width=480, height=320)
    try:
        # srcdoc keeps the frame same-origin with the host page, so the test can look
        # inside it (file:// pages are opaque origins to each other).
        doc = html.escape(render_html(seed_content()), quote=True)
        host = tmp_path / "host.html"
        host.write_text(
            '<!DOCTYPE html><html><body style="margin:0">'
            f'<iframe id="f" srcdoc="{doc}" style="width:460px;height:300px;border:0">'
            "</iframe></body></html>",
            encoding="utf-8",
        )
        browser.open(
            host.as_uri(),
            ready="document.getElementById('f').contentWindow.rangezoneMap"
            " && document.getElementById('f').contentWindow.rangezoneMap.ready",
        )
        size = browser.evaluate(
            "(() => { const d = document.getElementById('f').contentDocument;"
            " const r = d.getElementById('rz-root').getBoundingClientRect();"
            " const m = d.getElementById('rz-map').getBoundingClientRect();"
            " return {w: r.width, h: r.height, mh: m.height,"
            " open: d.getElementById('rz-legend').open}; })()"
        )
        browser.screenshot(ARTIFACTS / "browser-iframe-460x300.png")
        assert browser.failures() == []
        assert _only_local(browser.requests(), host.as_uri()) == []
        assert size["w"] == 460 and size["h"] == 300, size
        assert size["mh"] > 120, size
        assert size["open"] is False
    finally:
        browser.close()


def test_zone_and_country_names_show_without_overlap(
    official_eez_path: Path, chromium: Chromium, tmp_path: Path
) -> None:
    from test_html_map import nearest_content

    page = tmp_path / "names.html"
    write_html(nearest_content(modelled=True, eez=official_eez_path), page)
    url = page.as_uri()
    chromium.open(url)
    js = (
        "(() => { const frame = document.getElementById('rz-map').getBoundingClientRect();"
        " const shown = [...document.querySelectorAll('.rz-lbl')]"
        "   .filter(e => getComputedStyle(e).visibility !== 'hidden');"
        " const boxes = shown.map(e => { const r = e.getBoundingClientRect();"
        "   return {t: e.textContent, c: e.className, l: r.left, r: r.right, top: r.top,"
        "   b: r.bottom}; });"
        " return {frame: {l: frame.left, r: frame.right, t: frame.top, b: frame.bottom},"
        "   boxes: boxes, counts: window.rangezoneMap.counts}; })()"
    )
    res = chromium.evaluate(js)
    chromium.screenshot(ARTIFACTS / "browser-names.png")
    assert chromium.failures() == []
    assert _only_local(chromium.requests(), url) == []
    boxes = res["boxes"]
    zones = [b["t"] for b in boxes if "rz-lbl-zone" in b["c"]]
    countries = [b["t"] for b in boxes if "rz-lbl-country" in b["c"]]
    assert "Japan EEZ\n(modelled)" in zones, zones
    assert "Japan" in countries and "North Korea" in countries, countries
    f = res["frame"]
    movable = [b for b in boxes if "rz-lbl-zone" in b["c"] or "rz-lbl-country" in b["c"]]
    for b in movable:
        assert f["l"] <= b["l"] and b["r"] <= f["r"] and f["t"] <= b["top"] and b["b"] <= f["b"]
        for o in boxes:
            if o is b:
                continue
            apart = o["r"] < b["l"] or o["l"] > b["r"] or o["b"] < b["top"] or o["top"] > b["b"]
            assert apart, (b["t"], o["t"])
    # switching the zones off takes their names with them
    left = chromium.evaluate(
        "(() => { const m = window.rangezoneMap; m.map.removeLayer(m.layers.eez);"
        " return [...document.querySelectorAll('.rz-lbl-zone')].length; })()"
    )
    assert left == 0


def test_rings_stay_round_when_zoomed_in(chromium: Chromium, tmp_path: Path) -> None:
    """Zoomed in on a 400 km ring, the page adds points between the sent vertices, each on
    the geodesic circle (pyproj, within 1 m), close enough that no chord strays a pixel."""
    from pyproj import Geod
    from test_html_map import SARIWON, ring_content

    content = ring_content(SARIWON, 400.0, "400 km")
    for f in content.features:  # briefings name the centre of their ranges
        f.properties.update(centre_lon=SARIWON.lon_deg, centre_lat=SARIWON.lat_deg)
    page = tmp_path / "ring.html"
    write_html(content, page)
    chromium.open(page.as_uri())
    pts = "l => l.getLatLngs().flat(2).map(p => [p.lat, p.lng])"
    res = chromium.evaluate(
        "(() => { const r = window.rangezoneMap, m = r.map;"
        f" const lines = () => r.layers.ring.getLayers().filter(l => l.getLatLngs).map({pts});"
        " const before = lines();"
        " m.setView([42.11, 125.75], 13, {animate: false});"
        " const b = m.getBounds();"
        " const after = lines()[0].filter(p => b.contains(p));"
        " return {before: before[0].length, after: lines()[0].length, seen: after,"
        " mpp: 40075016.686 * Math.cos(42.11 * Math.PI / 180) / (256 * 2 ** 13)}; })()"
    )
    chromium.screenshot(ARTIFACTS / "browser-ring-zoom13.png")
    assert chromium.failures() == []
    assert res["after"] > res["before"], res
    # the ring starts and ends at its north point, in view: order the points along the arc
    seen = np.unique(np.asarray(res["seen"]), axis=0)
    seen = seen[np.argsort(seen[:, 1])]
    assert len(seen) >= 6, len(seen)  # the sent vertices are about 10 km apart: 2 in view
    geod = Geod(ellps="WGS84")
    n = len(seen)
    lon0, lat0 = np.full(n, SARIWON.lon_deg), np.full(n, SARIWON.lat_deg)
    _, _, d = geod.inv(lon0, lat0, seen[:, 1], seen[:, 0])
    assert abs(np.asarray(d) - 400_000.0).max() < 1.0
    # chord midpoints: within a pixel of the circle at this zoom
    mid = 0.5 * (seen[:-1] + seen[1:])
    _, _, dm = geod.inv(lon0[:-1], lat0[:-1], mid[:, 1], mid[:, 0])
    assert (400_000.0 - np.asarray(dm)).max() < res["mpp"], res["mpp"]
