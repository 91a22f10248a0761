/* report_svg — inline SVG charts for the HTML report; see report_svg.h. */
#include "service/report_svg.h"

#include <math.h>
#include <string.h>

int report_html_escape(buf *b, const char *s)
{
	int rc = 0;
	for (; *s && rc == 0; s++) {
		switch (*s) {
		case '&': rc = buf_puts(b, "&amp;"); break;
		case '<': rc = buf_puts(b, "&lt;"); break;
		case '>': rc = buf_puts(b, "&gt;"); break;
		case '"': rc = buf_puts(b, "&quot;"); break;
		default: rc = buf_putc(b, *s);
		}
	}
	return rc;
}

static const char *palette[] = {"#3b6fb6", "#e07b39", "#5aa469", "#c94c4c", "#8a6bbe", "#888888"};

int report_svg_bars(buf *b, const char *title, const char *const *labels, const double *v, size_t n, const char *unit)
{
	const double W = 640, H = 300, L = 60, B = 40, T = 30;
	double mx = 0, bw;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++)
		mx = fmax(mx, v[i]);
	if (mx <= 0)
		mx = 1;
	bw = n ? (W - L - 20) / (double)n : 0;
	rc |= buf_printf(b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\">", W, H, W, H);
	rc |= buf_puts(b, "<title>");
	rc |= report_html_escape(b, title);
	rc |= buf_puts(b, "</title>");
	rc |= buf_printf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#444\"/>", L, H - B, W - 10, H - B);
	for (i = 0; i < n; i++) {
		double h = (H - B - T) * v[i] / mx, x = L + bw * (double)i + bw * 0.15;
		rc |= buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x, H - B - h, bw * 0.7, h,
				 palette[i % 6]);
		rc |= buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">%.10g</text>", x + bw * 0.35, H - B - h - 4, v[i]);
		rc |= buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">", x + bw * 0.35, H - B + 16);
		rc |= report_html_escape(b, labels[i]);
		rc |= buf_puts(b, "</text>");
	}
	rc |= buf_printf(b, "<text x=\"8\" y=\"18\" font-size=\"12\">");
	rc |= report_html_escape(b, unit);
	rc |= buf_puts(b, "</text></svg><figcaption>");
	rc |= report_html_escape(b, title);
	rc |= buf_puts(b, "</figcaption></figure>\n");
	return rc ? CF_ENOMEM : 0;
}

int report_svg_pairs(buf *b, const char *title, const char *const *cats, const double *v, size_t n,
		     const char *const legend[2], const char *unit)
{
	const double W = 640, H = 300, L = 40, B = 40, T = 40;
	double mx = 0, gw;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < 2 * n; i++)
		mx = fmax(mx, v[i]);
	if (mx <= 0)
		mx = 1;
	gw = n ? (W - L - 20) / (double)n : 0;
	rc |= buf_printf(b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\"><title>", W, H, W, H);
	rc |= report_html_escape(b, title);
	rc |= buf_puts(b, "</title>");
	rc |= buf_printf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#444\"/>", L, H - B, W - 10, H - B);
	for (k = 0; k < 2; k++) {
		rc |= buf_printf(b, "<rect x=\"%.0f\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%.0f\" y=\"18\" font-size=\"12\">",
				 W - 260 + 130 * (double)k, palette[k], W - 244 + 130 * (double)k);
		rc |= report_html_escape(b, legend[k]);
		rc |= buf_puts(b, "</text>");
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < 2; k++) {
			double h = (H - B - T) * v[2 * i + k] / mx, x = L + gw * (double)i + gw * (0.1 + 0.4 * (double)k);
			rc |= buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>"
					    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%.10g</text>",
					 x, H - B - h, gw * 0.38, h, palette[k], x + gw * 0.19, H - B - h - 4, v[2 * i + k]);
		}
		rc |= buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\">", L + gw * ((double)i + 0.5), H - B + 16);
		rc |= report_html_escape(b, cats[i]);
		rc |= buf_puts(b, "</text>");
	}
	rc |= buf_puts(b, "<text x=\"8\" y=\"18\" font-size=\"12\">");
	rc |= report_html_escape(b, unit);
	rc |= buf_puts(b, "</text></svg><figcaption>");
	rc |= report_html_escape(b, title);
	rc |= buf_puts(b, "</figcaption></figure>\n");
	return rc ? CF_ENOMEM : 0;
}

int report_svg_line(buf *b, const char *title, const char *const *labels, const double *v, size_t n, double ymin, double ymax)
{
	const double W = 640, H = 300, L = 50, R = 20, B = 40, T = 20;
	double dx = n > 1 ? (W - L - R) / (double)(n - 1) : 0, span = ymax > ymin ? ymax - ymin : 1;
	size_t i;
	int rc = 0, g;

	rc |= buf_printf(b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\"><title>", W, H, W, H);
	rc |= report_html_escape(b, title);
	rc |= buf_puts(b, "</title>");
	for (g = 0; g <= 5; g++) {
		double yv = ymin + span * g / 5.0, y = H - B - (H - B - T) * g / 5.0;
		rc |= buf_printf(b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
				    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.2f</text>",
				 L, y, W - R, y, L - 4, y + 4, yv);
	}
	rc |= buf_puts(b, "<polyline fill=\"none\" stroke=\"#3b6fb6\" stroke-width=\"2\" points=\"");
	for (i = 0; i < n; i++)
		rc |= buf_printf(b, "%.1f,%.1f ", L + dx * (double)i, H - B - (H - B - T) * (v[i] - ymin) / span);
	rc |= buf_puts(b, "\"/>");
	for (i = 0; i < n; i++) {
		double x = L + dx * (double)i, y = H - B - (H - B - T) * (v[i] - ymin) / span;
		rc |= buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#3b6fb6\"/>"
				    "<text x=\"%.1f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"middle\">", x, y, x, H - B + 16);
		rc |= report_html_escape(b, labels[i]);
		rc |= buf_puts(b, "</text>");
	}
	rc |= buf_puts(b, "</svg><figcaption>");
	rc |= report_html_escape(b, title);
	rc |= buf_puts(b, "</figcaption></figure>\n");
	return rc ? CF_ENOMEM : 0;
}

int report_svg_sankey(buf *b, const metrics_ladder_flows *f)
{
	const double W = 640, H = 360, NW = 14, GAP = 10, T = 20, X0 = 150, X1 = 480;
	double left[METRICS_RUNG_N], right[METRICS_RUNG_N], ly[METRICS_RUNG_N], ry[METRICS_RUNG_N];
	double lo[METRICS_RUNG_N], ro[METRICS_RUNG_N], tot = 0, scale;
	int i, j, rc = 0;

	for (i = 0; i < METRICS_RUNG_N; i++) {
		left[i] = right[i] = 0;
		for (j = 0; j < METRICS_RUNG_N; j++) {
			left[i] += (double)f->n[i][j];
			right[i] += (double)f->n[j][i];
		}
		tot += left[i];
	}
	/* only rungs with firms get a node, so empty rungs take no room and no label */
	scale = tot > 0 ? (H - T - 20 - GAP * (METRICS_RUNG_N - 1)) / tot : 0;
	ly[0] = ry[0] = T;
	for (i = 1; i < METRICS_RUNG_N; i++) {
		ly[i] = ly[i - 1] + left[i - 1] * scale + (left[i - 1] > 0 ? GAP : 0);
		ry[i] = ry[i - 1] + right[i - 1] * scale + (right[i - 1] > 0 ? GAP : 0);
	}
	for (i = 0; i < METRICS_RUNG_N; i++)
		lo[i] = ro[i] = 0;
	rc |= buf_printf(b, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\">"
			    "<title>企业梯度流向 %d→%d</title>", W, H, W, H, (int)f->year - 1, (int)f->year);
	for (i = 0; i < METRICS_RUNG_N; i++)
		for (j = 0; j < METRICS_RUNG_N; j++) {
			double w = (double)f->n[i][j] * scale, y0, y1;
			if (f->n[i][j] == 0)
				continue;
			y0 = ly[i] + lo[i] + w / 2;
			y1 = ry[j] + ro[j] + w / 2;
			lo[i] += w;
			ro[j] += w;
			rc |= buf_printf(b, "<path d=\"M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f\" stroke=\"%s\" stroke-opacity=\"0.45\" "
					    "stroke-width=\"%.1f\" fill=\"none\"><title>%s → %s: %lld</title></path>",
					 X0 + NW, y0, (X0 + X1) / 2, y0, (X0 + X1) / 2, y1, X1, y1, palette[i % 6], fmax(w, 1),
					 metrics_ladder_rung_zh(i), metrics_ladder_rung_zh(j), (long long)f->n[i][j]);
		}
	for (i = 0; i < METRICS_RUNG_N; i++) {
		double hl = fmax(left[i] * scale, 1), hr = fmax(right[i] * scale, 1);
		if (left[i] > 0)
			rc |= buf_printf(b, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\" fill=\"%s\"/>"
					    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%s %.0f</text>",
					 X0, ly[i], NW, hl, palette[i % 6], X0 - 6, ly[i] + hl / 2 + 4, metrics_ladder_rung_zh(i), left[i]);
		if (right[i] > 0)
			rc |= buf_printf(b, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\" fill=\"%s\"/>"
					    "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\">%s %.0f</text>",
					 X1, ry[i], NW, hr, palette[i % 6], X1 + NW + 6, ry[i] + hr / 2 + 4, metrics_ladder_rung_zh(i), right[i]);
	}
	rc |= buf_printf(b, "</svg><figcaption>企业梯度流向 (%d → %d): 上升 %lld, 持平 %lld, 下降 %lld</figcaption></figure>\n",
			 (int)f->year - 1, (int)f->year, (long long)f->up, (long long)f->stay, (long long)f->down);
	return rc ? CF_ENOMEM : 0;
}
