package report

import "image/color"

// The eight colours of the Okabe-Ito palette, which stay distinguishable
// under the common forms of colour-vision deficiency.
//
// Reference: M. Okabe and K. Ito, "Color Universal Design (CUD): How to
// make figures and presentations that are friendly to colorblind people"
// (2008), https://jfly.uni-koeln.de/color/.
var (
	okabeBlack         = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	okabeOrange        = color.NRGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}
	okabeSkyBlue       = color.NRGBA{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}
	okabeBluishGreen   = color.NRGBA{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}
	okabeYellow        = color.NRGBA{R: 0xf0, G: 0xe4, B: 0x42, A: 0xff}
	okabeBlue          = color.NRGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}
	okabeVermillion    = color.NRGBA{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}
	okabeReddishPurple = color.NRGBA{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}
)

// Colours used for reference marks (overall lines, targets, diagonals) and
// for shading gaps. They are not series colours.
var (
	referenceColor = okabeBlack
	gapFillColor   = color.NRGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
	gridColor      = color.NRGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	gapTextColor   = color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
)

// OkabeIto returns the eight colours of the Okabe-Ito palette in their
// published order: black, orange, sky blue, bluish green, yellow, blue,
// vermillion and reddish purple. The returned slice is new on every call.
//
// Reference: M. Okabe and K. Ito, "Color Universal Design (CUD): How to
// make figures and presentations that are friendly to colorblind people"
// (2008), https://jfly.uni-koeln.de/color/.
func OkabeIto() []color.NRGBA {
	return []color.NRGBA{
		okabeBlack, okabeOrange, okabeSkyBlue, okabeBluishGreen,
		okabeYellow, okabeBlue, okabeVermillion, okabeReddishPurple,
	}
}

// seriesColors is the order in which series (systems, provider groups)
// take their colours. Black is kept for reference marks, and yellow, the
// colour with the least contrast on white, comes last.
var seriesColors = [...]color.NRGBA{
	okabeBlue, okabeVermillion, okabeBluishGreen, okabeReddishPurple,
	okabeOrange, okabeSkyBlue, okabeYellow,
}

// SeriesColor returns the colour of the i-th series (0-based) of every
// chart in this package: blue, vermillion, bluish green, reddish purple,
// orange, sky blue, yellow, from the Okabe-Ito palette (see OkabeIto).
// After seven series the colours repeat; the charts then tell series
// apart by marker shape and line dashes as well.
//
// Systems keep their colour from chart to chart when they are passed in
// the same order.
//
// SeriesColor panics if i < 0.
func SeriesColor(i int) color.NRGBA {
	if i < 0 {
		panic(errNegativeSeries)
	}
	return seriesColors[i%len(seriesColors)]
}
