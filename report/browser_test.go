package report_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/recaudit/recaudit/report"
)

// chromium returns the path of a Chromium browser, or skips the test when
// there is none, unless RECAUDIT_REQUIRE_BROWSER=1 asks for one (CI).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("RECAUDIT_REQUIRE_BROWSER") == "1" {
		t.Fatal("no chromium on PATH, and RECAUDIT_REQUIRE_BROWSER=1 requires one (apt-get install chromium)")
	}
	t.Skip("no chromium on PATH (set RECAUDIT_REQUIRE_BROWSER=1 to make this a failure)")
	return ""
}

// TestReportInBrowser opens report.html of the demo fixture in headless
// Chromium from a file:// URL and checks that it renders with no console
// message, no JavaScript exception, no browser log entry and no network
// request other than the page itself and data: URIs; that every chart is
// drawn; and that every link of the table of contents has its target. It
// saves a full-page screenshot in the test's temporary directory.
func TestReportInBrowser(t *testing.T) {
	path := chromium(t)
	dir := demoReport(t)
	page := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, report.HTMLFile))}).String()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // Chromium refuses to run as root with its sandbox.
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()

	var mu sync.Mutex
	var problems []string
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	tab, cancelTab := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		// Runs in the tab's message loop: record and return.
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value))
			}
			report("console.%s: %s", ev.Type, strings.Join(args, " "))
		case *runtime.EventExceptionThrown:
			report("exception: %s", ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			report("log %s %s: %s (%s)", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL)
		case *network.EventRequestWillBeSent:
			u := ev.Request.URL
			if u != page && !strings.HasPrefix(u, "data:") {
				report("network request: %s", u)
			}
		case *network.EventLoadingFailed:
			report("loading failed: %s", ev.ErrorText)
		}
	}))
	defer cancelTab()

	start := time.Now()
	if err := chromedp.Do(tab, chromedp.Navigate(page), chromedp.WaitReady("footer")); err != nil {
		t.Fatalf("open %s: %v", page, err)
	}
	// Every figure has its chart, and every contents link a target.
	figures, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("figure").length`))
	if err != nil {
		t.Fatal(err)
	}
	charts, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("figure .plot > svg[viewBox]").length`))
	if err != nil {
		t.Fatal(err)
	}
	if figures == 0 || charts != figures {
		t.Errorf("%d figures, %d inline SVG charts", figures, charts)
	}
	broken, err := chromedp.Run(tab, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("nav a")).map(a => a.getAttribute("href")).filter(h => !document.getElementById(h.slice(1)))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(broken) > 0 {
		t.Errorf("contents links without a target: %q", broken)
	}
	// The layout holds: the main column is wider than the contents.
	wide, err := chromedp.Run(tab, chromedp.Evaluate[bool](
		`document.querySelector("main").getBoundingClientRect().width > document.querySelector("nav").getBoundingClientRect().width`))
	if err != nil {
		t.Fatal(err)
	}
	if !wide {
		t.Error("main column narrower than the contents column")
	}

	t.Logf("loaded and checked in %v", time.Since(start))
	shot, err := chromedp.Run(tab, fullPagePNG(0.5))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() <= 900 {
		t.Errorf("screenshot %v: want the full page, taller than the window", b)
	}
	out := filepath.Join(t.TempDir(), "report.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Fatalf("screenshot not saved: %v", err)
	}
	t.Logf("%d charts rendered in %v; screenshot %s (%d bytes, %v)", charts, time.Since(start).Round(time.Millisecond), out, len(shot), img.Bounds().Size())

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}

// fullPagePNG captures the whole page, beyond the window, as a PNG at
// scale times its CSS pixel size (a long report at half size takes a
// quarter of the time to rasterise and encode).
func fullPagePNG(scale float64) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		size, err := chromedp.Evaluate[[]float64](`[document.documentElement.scrollWidth, document.documentElement.scrollHeight]`)(ctx, t)
		if err != nil {
			return nil, err
		}
		yes := true
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: &yes,
			FromSurface:           &yes,
			Clip:                  &page.Viewport{X: 0, Y: 0, Width: size[0], Height: size[1], Scale: scale},
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}
}
