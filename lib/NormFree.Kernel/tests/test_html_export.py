#!/usr/bin/env python3
"""The HTML export draws every chart offline, checked in a real browser.

Headless Chromium (Debian's `chromium`) loads each exported page with the network shut (every host name resolves to
nothing, every request goes to a dead proxy; file: URLs still load), runs its scripts for a few seconds of virtual
time and dumps the DOM. Each chart output of the notebook (an output with `application/vnd.plotly.v1+json`) must have
become a plotly graph with its SVG (`.main-svg`), and the page must carry plotly.js exactly once.

    python3 test_html_export.py [-v] [PAGE.html ...]

Without pages: every out/test/*.html that `./workbook test` exported (its .ipynb beside it gives the expected chart
count), plus sample notebooks made by the kernel's ChartFormatter (tests/chart_sample.cs, run with `dotnet run`) and
exported with the workbook's nbconvert template: ten charts with plotly.js in the first chart's HTML, and three with
plotly.js as an output of its own and the first chart redrawn in place. With require.js on the page too (classic
Jupyter and nbconvert pages load it), since plotly.js must then still define window.Plotly.
"""
import glob
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TEMPLATE = os.path.join(ROOT, "lib", "NormFree.Kernel", "nbconvert", "normfree.html.j2")
SAMPLE = os.path.join(HERE, "chart_sample.cs")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_MARKER = "data-normfree-plotlyjs="
SYSTEM_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
PAGES = [a for a in sys.argv[1:] if not a.startswith("-")]
sys.argv[1:] = [a for a in sys.argv[1:] if a.startswith("-")]


def chromium():
    for path in (os.environ.get("NORMFREE_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium",
                 "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if path and os.path.exists(path):
            return path
    return None


def dump_dom(page, budget_ms=15000):
    """The page's DOM after its scripts ran (virtual time: timers fire without waiting), network off."""
    with tempfile.TemporaryDirectory(prefix="normfree-chromium-") as profile:
        run = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", f"--user-data-dir={profile}",
             "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
             f"--virtual-time-budget={budget_ms}", "--dump-dom", "file://" + os.path.abspath(page)],
            capture_output=True, text=True, timeout=180)
    if run.returncode != 0 or "<html" not in run.stdout:
        raise AssertionError(f"chromium failed on {page} (exit {run.returncode}): {run.stderr[-2000:]}")
    return run.stdout


class Charts(html.parser.HTMLParser):
    """Plotly graphs in a DOM dump (`.js-plotly-plot` elements) and how many of them hold a `.main-svg`."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack = []        # open elements: (tag, index of the graph it opens or None)
        self.graphs = []       # per graph: has a .main-svg inside
        self.pictures = 0      # fallback PNGs still in the page

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "img" and (dict(attrs).get("src") or "").startswith("data:image/png"):
            self.pictures += 1
        if "main-svg" in classes:
            for _, graph in self.stack:
                if graph is not None:
                    self.graphs[graph] = True
        if tag in self.VOID:
            return
        graph = None
        if "js-plotly-plot" in classes:
            graph = len(self.graphs)
            self.graphs.append(False)
        self.stack.append((tag, graph))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


def chart_outputs(notebook):
    with open(notebook, encoding="utf-8") as f:
        nb = json.load(f)
    return sum(1 for c in nb.get("cells", []) if c.get("cell_type") == "code"
               for o in c.get("outputs", []) if PLOTLY_MIME in o.get("data", {}))


def check_page(test, page, expected):
    with open(page, encoding="utf-8") as f:
        text = f.read()
    test.assertNotRegex(text, r'<script[^>]+src="(https?:)?//', f"{page} loads a script from the network")
    if expected:
        test.assertEqual(text.count(PLOTLY_MARKER), 1, f"{page} should carry plotly.js exactly once")
    charts = Charts()
    charts.feed(dump_dom(page))
    drawn = sum(charts.graphs)
    test.assertEqual((len(charts.graphs), drawn), (expected, expected),
                     f"{page}: {expected} chart outputs, {len(charts.graphs)} plotly graphs, {drawn} drawn (with .main-svg)")
    test.assertEqual(charts.pictures, 0, f"{page}: {charts.pictures} static pictures left in place of charts")
    return drawn


def export(notebook, outdir):
    run = subprocess.run([SYSTEM_PYTHON, "-m", "nbconvert", "--to", "html", "--template-file", TEMPLATE,
                          "--output-dir", outdir, notebook], capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise AssertionError(f"nbconvert failed on {notebook}: {run.stderr[-2000:]}")
    return os.path.join(outdir, os.path.splitext(os.path.basename(notebook))[0] + ".html")


@unittest.skipUnless(chromium(), "no Chromium (Debian: apt-get install chromium)")
class HtmlExport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="normfree-html-export-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def sample(self, name, *args):
        notebook = os.path.join(self.tmp, name + ".ipynb")
        run = subprocess.run(["dotnet", "run", SAMPLE, "--", notebook, *args],
                             cwd=ROOT, capture_output=True, text=True, timeout=600)
        self.assertEqual(run.returncode, 0, f"chart_sample.cs failed: {run.stdout[-2000:]}{run.stderr[-2000:]}")
        print(f"\n    {run.stdout.strip()}", file=sys.stderr)
        # Same limit as the issue: ten charts stay under a few MB (plotly.js 3.6 MB once, a PNG each).
        self.assertLess(os.path.getsize(notebook), 6_000_000, f"{notebook} is too big")
        return notebook

    def test_exported_notebooks(self):
        pages = PAGES or sorted(glob.glob(os.path.join(ROOT, "out", "test", "*.html")))
        if not pages:
            self.skipTest("no exported notebooks in out/test (./workbook test makes them)")
        for page in pages:
            with self.subTest(page=os.path.relpath(page, ROOT)):
                notebook = os.path.splitext(page)[0] + ".ipynb"
                check_page(self, page, chart_outputs(notebook) if os.path.exists(notebook) else 0)

    def test_ten_charts_plotly_js_in_first_chart(self):
        notebook = self.sample("ten", "10")
        self.assertEqual(check_page(self, export(notebook, self.tmp), 10), 10)

        # Run in two kernel sessions, a notebook carries plotly.js twice: the page keeps the first only.
        with open(notebook, encoding="utf-8") as f:
            nb = json.load(f)
        outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
        first = outputs[0]["data"]["text/html"]
        carrier = first[:first.index("</script>") + len("</script>")]
        self.assertIn(PLOTLY_MARKER, carrier)
        outputs[5]["data"]["text/html"] = carrier + "\n" + outputs[5]["data"]["text/html"]
        twice = os.path.join(self.tmp, "twice.ipynb")
        with open(twice, "w", encoding="utf-8") as f:
            json.dump(nb, f)
        self.assertEqual(check_page(self, export(twice, self.tmp), 10), 10)

    def test_plotly_js_own_output_and_redrawn_first_chart(self):
        page = export(self.sample("separate", "3", "--separate-plotlyjs", "--update-first"), self.tmp)
        self.assertEqual(check_page(self, page, 3), 3)

    def test_with_require_js_on_the_page(self):
        """Where require.js is loaded, plotly.js's UMD wrapper would register an AMD module instead of window.Plotly."""
        page = export(self.sample("amd", "2"), self.tmp)
        with open(page, encoding="utf-8") as f:
            text = f.read()
        # A stand-in for require.js with its `define.amd` flag: what makes the UMD wrapper take the AMD branch.
        amd = "<script>window.define = function () { window.anonymousDefine = true; }; window.define.amd = {};</script>"
        with open(page, "w", encoding="utf-8") as f:
            f.write(text.replace("<head>", "<head>" + amd, 1))
        self.assertEqual(check_page(self, page, 2), 2)


if __name__ == "__main__":
    unittest.main()
