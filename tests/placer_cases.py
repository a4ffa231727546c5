"""Cases that the page's label placer (geo/present/web/labels.js) must place exactly as
:class:`geo.present.layout.Placer` does: written to tests/js/fixtures/placer_cases.json,
which ``tests/js/labels.test.js`` replays under Node and ``test_label_layout`` keeps up to
date. Regenerate with ``.venv/bin/python tests/placer_cases.py``."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from geo.present.layout import PLACER_CONSTANTS, Placer, Request

FIXTURE = Path(__file__).resolve().parent / "js" / "fixtures" / "placer_cases.json"


def _circle(cx: float, cy: float, r: float, n: int = 72) -> list[tuple[float, float]]:
    return [
        (cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n))
        for i in range(n + 1)
    ]


def _scene() -> dict[str, Any]:
    """One crowded map: a frame with a legend, two rings, a line, sites in a cluster, an
    impact beside its area, names that must go far (leaders) or to free room."""
    ring_a = _circle(400.0, 300.0, 150.0)
    ring_b = _circle(400.0, 300.0, 260.0)
    line = [(400.0, 300.0), (700.0, 120.0)]
    ring_req: list[dict[str, Any]] = []
    for ring, text, short in ((ring_a, "KN-23: 600 km", "600 km"), (ring_b, "5,500 km", "")):
        pts = ring[:-1:6]
        cx, cy = 400.0, 300.0
        normals = [
            ((x - cx) / math.hypot(x - cx, y - cy), (y - cy) / math.hypot(x - cx, y - cy))
            for x, y in pts
        ]
        order = sorted(range(len(pts)), key=lambda i: -(pts[i][1] - 0.6 * abs(pts[i][0] - cx)))
        texts = [text, short] if short else [text]
        ring_req.append(
            {
                "kind": "ring",
                "sizes": [[6.5 * len(t), 14.0] for t in texts],
                "anchors": [list(pts[i]) for i in order],
                "normals": [list(normals[i]) for i in order],
                "key": f"range:{text}",
                "margin": [2.5, 3.6],
            }
        )
    requests: list[dict[str, Any]] = [
        {
            "kind": "site",
            "sizes": [[50.0, 14.0]],
            "anchors": [[400.0, 300.0]],
            "side": [0.8, 0.0],
            "margin": [2.5, 3.6],
        },
        {
            "kind": "site",
            "sizes": [[52.0, 14.0]],
            "anchors": [[385.0, 300.0]],
            "side": [-1.0, 0.0],
            "margin": [2.5, 3.6],
        },
        {
            "kind": "site",
            "sizes": [[48.0, 14.0]],
            "anchors": [[392.0, 312.0]],
            "side": [0.0, 0.5],
            "margin": [2.5, 3.6],
        },
        {
            "kind": "reported_impact",
            "sizes": [[90.0, 13.0]],
            "anchors": [[560.0, 300.0]],
            "around": [545.0, 290.0, 575.0, 312.0],
            "margin": [2.5, 3.4],
        },
        {
            "kind": "line",
            "sizes": [[200.0, 13.0], [60.0, 13.0]],
            "anchors": [[550.0, 210.0], [580.0, 192.0], [520.0, 228.0]],
            "key": "nearest:2,490 km",
            "margin": [2.5, 3.4],
        },
        *ring_req,
        # a long name near the crowded centre: far places, then a leader
        {
            "kind": "site",
            "sizes": [[260.0, 14.0]],
            "anchors": [[400.0, 300.0]],
            "margin": [2.5, 3.6],
        },
        # a reported leg's name with no room beside its leg: left out, not sent far off
        {
            "kind": "line",
            "sizes": [[60.0, 13.0]],
            "anchors": [[400.0, 300.0], [396.0, 306.0]],
            "key": "leg:80 km NNW",
            "margin": [2.5, 3.4],
            "attached": True,
        },
        # the same beside a free stretch of its leg: placed there
        {
            "kind": "line",
            "sizes": [[60.0, 13.0]],
            "anchors": [[200.0, 450.0], [205.0, 460.0]],
            "key": "leg:200 km W",
            "margin": [2.5, 3.4],
            "attached": True,
        },
        # a track's name: off its own line where a place near it allows
        {
            "kind": "line",
            "sizes": [[120.0, 13.0]],
            "anchors": [[150.0, 150.0], [160.0, 160.0]],
            "key": "track:t",
            "margin": [2.5, 3.4],
        },
        # a short track: no place beside it keeps its full name off it, its length can
        {
            "kind": "line",
            "sizes": [[200.0, 13.0], [20.0, 13.0]],
            "anchors": [[800.0, 450.0]],
            "key": "track:u",
            "margin": [2.5, 3.4],
        },
        # a name too big for any place near: the nearest free room
        {
            "kind": "line",
            "sizes": [[700.0, 40.0]],
            "anchors": [[400.0, 300.0]],
            "key": "x",
            "margin": [2.5, 3.6],
        },
    ]
    return {
        "frame": [0.0, 0.0, 900.0, 600.0],
        "pad": 3.0,
        "taken": [[700.0, 10.0, 890.0, 150.0], [392.0, 292.0, 408.0, 308.0]],
        "lines": [
            ["range:KN-23: 600 km", ring_a],
            ["range:5,500 km", ring_b],
            ["nearest:2,490 km", line],
            ["track:t", [(60.0, 60.0), (240.0, 240.0)]],
            ["track:u", [(650.0, 300.0), (890.0, 540.0)]],
            ["nearest:x", [(650.0, 600.0), (890.0, 360.0)]],
            ["nearest:h", [(600.0, 450.0), (900.0, 450.0)]],
        ],
        "requests": requests,
        "fixed": [
            {"size": [80.0, 12.0], "points": [[400.0, 300.0], [120.0, 500.0], [800.0, 560.0]]},
            {"size": [80.0, 12.0], "points": [[120.0, 500.0], [130.0, 80.0]]},
        ],
    }


def run(scene: dict[str, Any]) -> dict[str, Any]:
    """Place the scene with the Python placer; the expected results, added to the scene."""
    x0, y0, x1, y1 = scene["frame"]
    placer = Placer((x0, y0, x1, y1), pad=scene["pad"])
    for b in scene["taken"]:
        placer.take(tuple(b))
    for key, coords in scene["lines"]:
        placer.add_line(key, [[tuple(c) for c in coords]])
    placed: list[Any] = []
    for r in scene["requests"]:
        req = Request(
            r["kind"],
            [tuple(s) for s in r["sizes"]],
            [tuple(a) for a in r["anchors"]],
            normals=[tuple(n) for n in r.get("normals", [])],
            around=tuple(r["around"]) if r.get("around") else None,
            side=tuple(r["side"]) if r.get("side") else None,
            key=r.get("key", ""),
            margin=tuple(r["margin"]),
            attached=r.get("attached", False),
        )
        p = placer.place(req)
        placed.append(
            None
            if p is None
            else {
                "text": p.text,
                "box": list(p.box),
                "leader": None if p.leader is None else [list(p.leader[0]), list(p.leader[1])],
            }
        )
    fixed = [
        placer.place_fixed(tuple(f["size"]), [tuple(p) for p in f["points"]])
        for f in scene["fixed"]
    ]
    return {
        **scene,
        "constants": PLACER_CONSTANTS,
        "expected": placed,
        "expected_fixed": [None if b is None else list(b) for b in fixed],
    }


def cases() -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(run(_scene())))
    return out


if __name__ == "__main__":
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(cases(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE}")
