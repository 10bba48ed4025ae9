#!/usr/bin/env python3
"""The HTML report in a real browser: Debian's Chromium, headless, driven over the Chrome DevTools
Protocol (a minimal WebSocket client below; standard library only). Run by ctest (label `browser`):

    report_browser_test.py --peacesim build/peacesim --chromium /usr/bin/chromium --artefacts DIR

It writes a report for the bundled Carana scenario (run --brief, so every panel has data), opens it,
and checks that every chart rendered (each SVG has a non-empty box and drawn marks), that every
panel is present, that the page logged no console errors or exceptions and fetched nothing, and
that it prints on A4. It saves DIR/report.png (full page), DIR/panel-ID.png (each panel), DIR/report.pdf and
DIR/report.html.
"""
import argparse
import base64
import json
import os
import pathlib
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: masked text frames out; text,
    continuation, ping and close frames in."""

    def __init__(self, url, timeout=60):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"DevTools refused the WebSocket: {head[:200]!r}")
        self.buffer = head.split(b"\r\n\r\n", 1)[1]

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def _send_frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the WebSocket")
            message += payload
            if b0 & 0x80:
                return message.decode()


class DevTools:
    def __init__(self, url):
        self.ws = WebSocket(url)
        self.next_id = 0
        self.events = []

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for e in self.events:
                if e.get("method") == method:
                    return e
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(f"no {method} within {timeout} s")


# Measures every chart once the page has loaded and laid out.
MEASURE = r"""
JSON.stringify({
  charts: Array.from(document.querySelectorAll('svg.chart')).map(svg => {
    const box = svg.getBoundingClientRect();
    const content = svg.getBBox();
    const marks = svg.querySelectorAll('polyline, polygon, circle, path, rect:not(.frame), line:not(.grid)');
    const title = svg.querySelector('title');
    const desc = svg.querySelector('desc');
    return {id: svg.id, width: box.width, height: box.height, contentWidth: content.width,
            contentHeight: content.height, marks: marks.length,
            title: title ? title.textContent : '', desc: desc ? desc.textContent : '',
            labelled: svg.getAttribute('role') === 'img' && !!svg.getAttribute('aria-labelledby')};
  }),
  sections: Array.from(document.querySelectorAll('main section')).map(s => s.id),
  framework: Array.from(document.querySelectorAll('table.framework')).map(t => ({
    rows: t.tBodies[0].rows.length, width: t.getBoundingClientRect().width,
    cells: Array.from(t.tBodies[0].rows).map(r => r.cells.length)})),
  boxes: Array.from(document.querySelectorAll('main section')).map(s => {
    const b = s.getBoundingClientRect();
    return {id: s.id, x: b.left + window.scrollX, y: b.top + window.scrollY, width: b.width, height: b.height};
  }),
  height: Math.ceil(document.documentElement.scrollHeight),
  resources: performance.getEntriesByType('resource').map(r => r.name),
  scripts: document.scripts.length
})
"""

PANELS = ["brief", "ranking", "value-judgements", "distributions", "survival", "fan-charts", "gender",
          "planning-scenarios", "results-framework", "sensitivity", "discovery", "synchronisation"]
CHART_PREFIXES = ["chart-ranking", "chart-score-breakdown", "chart-cost-relapse", "chart-cost-deaths",
                  "chart-weight-stability", "chart-acceptability", "chart-distributions", "chart-differences",
                  "chart-survival", "chart-fan-battle-", "chart-fan-civilian-", "chart-fan-displaced-",
                  "chart-regimes-", "chart-gender-deaths", "chart-gender-displaced", "chart-gender-participation",
                  "chart-gender-gbv", "chart-tornado", "chart-prim", "chart-synchronisation"]


def stop_group(process, sig):
    """Sends sig to the process's group; False once the group has no process left."""
    try:
        os.killpg(process.pid, sig)
        return True
    except ProcessLookupError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peacesim", required=True)
    ap.add_argument("--chromium", required=True)
    ap.add_argument("--artefacts", required=True)
    args = ap.parse_args()
    artefacts = pathlib.Path(args.artefacts)
    artefacts.mkdir(parents=True, exist_ok=True)

    # A helper of Chromium's that is slow to go can leave its profile directory behind; that is not
    # what this test checks.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        tmp = pathlib.Path(tmp)
        report = tmp / "report.html"
        r = subprocess.run([args.peacesim, "run", "--runs", "2000", "--seed", "5", "--brief", "--quiet",
                            "--out", str(tmp / "r.pb"), "--report", str(report)], capture_output=True, text=True,
                           timeout=300)
        check(r.returncode == 0, f"peacesim run --brief --report: exit {r.returncode}: {r.stderr}")
        if r.returncode != 0:
            return 1
        again = tmp / "again.html"
        r = subprocess.run([args.peacesim, "report", str(tmp / "r.pb"), "-o", str(again)], capture_output=True,
                           text=True)
        check(r.returncode == 0 and again.read_bytes() == report.read_bytes(),
              "peacesim report on the results file gives the same page as run --report")
        # The CPAS dashboards: an assessment with the option implemented, and a Level One screen.
        src = pathlib.Path(__file__).resolve().parent.parent.parent
        observed = src / "scenarios/carana-observations.textproto"
        level_one = tmp / "level-one.textproto"
        level_one.write_text(observed.read_text().replace('implemented_option: "small_pko_drawdown"',
                                                          'implemented_option: ""'))
        assessments = {"assessment": tmp / "assessment.html", "level-one": tmp / "level-one.html"}
        for name, obs in (("assessment", observed), ("level-one", level_one)):
            r = subprocess.run([args.peacesim, "assess", str(src / "scenarios/carana.textproto"), str(obs), "--runs",
                                "500", "--report", str(assessments[name])], capture_output=True, text=True, timeout=300)
            check(r.returncode == 0, f"peacesim assess --report ({name}): exit {r.returncode}: {r.stderr}")
            if r.returncode != 0:
                return 1
        html = report.read_text()
        (artefacts / "report.html").write_text(html)
        check("<script" not in html.lower(), "the report has no scripts")
        check(re.search(r"(src|href)=\"(https?:)?//", html) is None, "the report links nothing outside itself")

        chrome = subprocess.Popen(
            [args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--disable-background-networking", "--disable-extensions", "--disable-sync", "--no-first-run",
             "--no-default-browser-check", "--mute-audio", "--hide-scrollbars", f"--user-data-dir={tmp / 'profile'}",
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            url = None
            deadline = time.time() + 60
            while url is None and time.time() < deadline:
                line = chrome.stderr.readline()
                if not line and chrome.poll() is not None:
                    break
                m = re.search(r"DevTools listening on (ws://\S+)", line)
                if m:
                    url = m.group(1)
            check(url is not None, "Chromium started with its DevTools endpoint")
            if url is None:
                return 1
            dt = DevTools(url)
            target = dt.call("Target.createTarget", url="about:blank")["targetId"]
            session = dt.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
                dt.call(domain, session)
            dt.call("Emulation.setDeviceMetricsOverride", session, width=1200, height=900, deviceScaleFactor=1,
                    mobile=False)
            dt.call("Page.navigate", session, url=report.as_uri())
            dt.wait_for("Page.loadEventFired")
            result = dt.call("Runtime.evaluate", session, expression=MEASURE, returnByValue=True)
            page = json.loads(result["result"]["value"])

            # Every panel and every kind of chart, each rendered and described.
            check(page["sections"] == PANELS, f"panels {page['sections']}, want {PANELS}")
            ids = [c["id"] for c in page["charts"]]
            for prefix in CHART_PREFIXES:
                check(any(i.startswith(prefix) for i in ids), f"no chart {prefix}* among {ids}")
            for c in page["charts"]:
                check(c["width"] > 100 and c["height"] > 80, f"{c['id']}: laid out at {c['width']}x{c['height']}")
                check(c["contentWidth"] > 50 and c["contentHeight"] > 50,
                      f"{c['id']}: drawn content {c['contentWidth']}x{c['contentHeight']}")
                check(c["marks"] >= 2, f"{c['id']}: {c['marks']} marks drawn")
                check(c["labelled"] and c["title"] and len(c["desc"]) > 20, f"{c['id']}: no title or text alternative")
            # The results framework: a table per option, a row per benchmark, every cell laid out.
            tables = page["framework"]
            check(len(tables) == 8, f"{len(tables)} results-framework tables, want one per option (8)")
            for t in tables:
                check(t["rows"] == 6 and all(n == 6 for n in t["cells"]) and t["width"] > 300,
                      f"results-framework table: {t}")
            check(page["scripts"] == 0, "no scripts in the page")
            check(page["resources"] == [], f"the page fetched {page['resources']}")

            # No console errors, exceptions or failed loads.
            problems = []
            for e in dt.events:
                m, p = e.get("method"), e.get("params", {})
                if m == "Runtime.exceptionThrown":
                    problems.append(p["exceptionDetails"].get("text", "exception"))
                elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                    problems.append(str(p.get("args")))
                elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                    problems.append(p["entry"].get("text"))
            check(problems == [], f"console errors: {problems}")

            # A full-page screenshot, and the printed A4 version.
            dt.call("Emulation.setDeviceMetricsOverride", session, width=1200, height=page["height"],
                    deviceScaleFactor=1, mobile=False)
            shot = base64.b64decode(dt.call("Page.captureScreenshot", session, format="png")["data"])
            (artefacts / "report.png").write_bytes(shot)
            width, height = struct.unpack(">II", shot[16:24])
            check(shot[:8] == b"\x89PNG\r\n\x1a\n" and width == 1200 and height >= 3000,
                  f"screenshot {width}x{height}")
            # Each panel on its own (the user guide's pictures come from these).
            for b in page["boxes"]:
                clip = {"x": max(0, b["x"] - 12), "y": max(0, b["y"] - 6), "width": b["width"] + 24,
                        "height": b["height"] + 12, "scale": 1}
                png = base64.b64decode(dt.call("Page.captureScreenshot", session, format="png", clip=clip)["data"])
                (artefacts / f"panel-{b['id']}.png").write_bytes(png)
                check(len(png) > 5000, f"panel {b['id']}: screenshot of {len(png)} bytes")
            pdf = base64.b64decode(dt.call("Page.printToPDF", session, paperWidth=8.27, paperHeight=11.69,
                                           preferCSSPageSize=True, printBackground=True)["data"])
            (artefacts / "report.pdf").write_bytes(pdf)
            pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
            check(pdf[:5] == b"%PDF-" and 3 <= pages <= 40, f"printed on {pages} A4 pages")
            print(f"{len(page['charts'])} charts rendered; screenshot {width}x{height}; {pages} A4 pages; "
                  f"artefacts in {artefacts}")

            # The CPAS dashboards: every panel, every chart laid out and described, no errors.
            for name, panels, prefixes in (
                    ("assessment", ["assessment", "adjustment", "observed", "posterior", "benchmarks"],
                     ["chart-observed-", "chart-posterior"]),
                    ("level-one", ["assessment", "level-one", "observed", "posterior"],
                     ["chart-level-one", "chart-observed-", "chart-posterior"])):
                dt.events.clear()
                dt.call("Emulation.setDeviceMetricsOverride", session, width=1200, height=900, deviceScaleFactor=1,
                        mobile=False)
                dt.call("Page.navigate", session, url=assessments[name].as_uri())
                dt.wait_for("Page.loadEventFired")
                cpas = json.loads(dt.call("Runtime.evaluate", session, expression=MEASURE,
                                          returnByValue=True)["result"]["value"])
                check(cpas["sections"] == panels, f"{name}: panels {cpas['sections']}, want {panels}")
                ids = [c["id"] for c in cpas["charts"]]
                for prefix in prefixes:
                    check(any(i.startswith(prefix) for i in ids), f"{name}: no chart {prefix}* among {ids}")
                for c in cpas["charts"]:
                    check(c["width"] > 100 and c["height"] > 80 and c["marks"] >= 2 and c["labelled"] and
                          len(c["desc"]) > 20, f"{name}: {c['id']} not laid out, drawn or described: {c}")
                check(cpas["scripts"] == 0 and cpas["resources"] == [], f"{name}: scripts or fetches")
                errors = [e for e in dt.events if e.get("method") == "Runtime.exceptionThrown" or
                          (e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error")]
                check(errors == [], f"{name}: console errors {errors}")
                dt.call("Emulation.setDeviceMetricsOverride", session, width=1200, height=cpas["height"],
                        deviceScaleFactor=1, mobile=False)
                for b in cpas["boxes"]:
                    clip = {"x": max(0, b["x"] - 12), "y": max(0, b["y"] - 6), "width": b["width"] + 24,
                            "height": b["height"] + 12, "scale": 1}
                    png = base64.b64decode(dt.call("Page.captureScreenshot", session, format="png",
                                                   clip=clip)["data"])
                    (artefacts / f"{name}-panel-{b['id']}.png").write_bytes(png)
                    check(len(png) > 5000, f"{name} panel {b['id']}: screenshot of {len(png)} bytes")
                print(f"{name}: {len(cpas['charts'])} charts rendered")
        finally:
            # The whole process group: Chromium's helpers outlive the browser process for a moment and
            # would still be writing into the profile directory while it is removed.
            stop_group(chrome, signal.SIGTERM)
            try:
                chrome.wait(10)
            except subprocess.TimeoutExpired:
                pass
            stop_group(chrome, signal.SIGKILL)
            deadline = time.time() + 5
            while time.time() < deadline and stop_group(chrome, 0):
                time.sleep(0.05)
    print("all checks passed" if not FAILURES else f"{len(FAILURES)} checks failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
