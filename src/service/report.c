/* report — XLSX (libxlsxwriter) and printable HTML analytics reports; see report.h. */
#include "service/report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "metrics/coupling.h"
#include "service/report_svg.h"

/* The row of the indicator table for the report year, or -1. */
static long year_row(const report_input *in)
{
	char y[16];
	size_t i;
	if (!in->ind)
		return -1;
	snprintf(y, sizeof y, "%d", in->year);
	for (i = 0; i < in->ind->rows; i++)
		if (!strcmp(in->ind->ids[i], y))
			return (long)i;
	return -1;
}

static const char *t1_keys[] = {"enterprises", "above_scale", "value_added", "micro_share", "avg_value_added"};
static const char *t1_heads[] = {"地区", "工业企业数/家", "规上工业企业数/家", "工业增加值/亿元", "小微企业占比/%",
				 "平均增加值(论文)/万元每家", "平均增加值(重算)/万元每家", "是否一致"};

int report_write_xlsx(const report_input *in, const char *path, cf_err *e)
{
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *hd, *n0, *n1, *n2, *n3, *pct, *title;
	metrics_derived *d = NULL;
	size_t nd = 0, i, j, n;
	const metrics_point *pts;
	lxw_error le;
	long yr = year_row(in);
	int rc;
	char buf_[128];
	FILE *probe = fopen(path, "wb");

	/* libxlsxwriter reports an unwritable path on stderr itself; find out first, quietly */
	if (!probe)
		return cf_err_set(e, CF_EIO, path, "cannot create the workbook: %s", strerror(errno));
	fclose(probe);
	wb = workbook_new(path);
	if (!wb)
		return cf_err_set(e, CF_EIO, path, "cannot create the workbook (is the folder writable?)");
	if ((rc = metrics_figures_derive(in->fig, &d, &nd, e)) < 0) {
		workbook_close(wb);
		return rc;
	}
	hd = workbook_add_format(wb);
	format_set_bold(hd);
	format_set_bg_color(hd, 0xDDEBF7);
	format_set_border(hd, LXW_BORDER_THIN);
	format_set_text_wrap(hd);
	title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 14);
	n0 = workbook_add_format(wb);
	format_set_num_format(n0, "#,##0");
	n1 = workbook_add_format(wb);
	format_set_num_format(n1, "#,##0.0");
	n2 = workbook_add_format(wb);
	format_set_num_format(n2, "0.00");
	n3 = workbook_add_format(wb);
	format_set_num_format(n3, "0.000");
	pct = workbook_add_format(wb);
	format_set_num_format(pct, "0.0%");

	/* 概览 */
	ws = workbook_add_worksheet(wb, "概览");
	worksheet_set_column(ws, 0, 0, 28, NULL);
	worksheet_set_column(ws, 1, 1, 60, NULL);
	snprintf(buf_, sizeof buf_, "两链融合分析报告 %d 年", in->year);
	worksheet_write_string(ws, 0, 0, buf_, title);
	worksheet_write_string(ws, 2, 0, "报告年度", hd);
	worksheet_write_number(ws, 2, 1, in->year, NULL);
	worksheet_write_string(ws, 3, 0, "论文来源", hd);
	worksheet_write_string(ws, 3, 1, metrics_figures_source(in->fig), NULL);
	worksheet_write_string(ws, 4, 0, "数据说明", hd);
	worksheet_write_string(ws, 4, 1, in->synthetic ? "演示数据(合成), 非真实统计" : "论文数据与所给指标", NULL);
	worksheet_write_string(ws, 5, 0, "本年耦合协调度 D", hd);
	if (yr >= 0) {
		const metrics_coupling *c = &in->sys->c[yr];
		worksheet_write_number(ws, 5, 1, c->D, n3);
		worksheet_write_string(ws, 6, 0, "协调等级", hd);
		worksheet_write_string(ws, 6, 1, metrics_coupling_grade_zh(c->grade), NULL);
	} else {
		worksheet_write_string(ws, 5, 1, in->ind ? "指标表中无本年度数据" : "未提供指标数据", NULL);
	}

	/* 表1 */
	ws = workbook_add_worksheet(wb, "表1 三地对比");
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, 7, 16, NULL);
	worksheet_set_row(ws, 0, 32, NULL);
	for (j = 0; j < 8; j++)
		worksheet_write_string(ws, 0, (lxw_col_t)j, t1_heads[j], hd);
	n = metrics_figures_table1_rows(in->fig);
	for (i = 0; i < n; i++) {
		const char *region = metrics_figures_table1_region(in->fig, i);
		worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, region, NULL);
		for (j = 0; j < 5; j++) {
			double v;
			if (metrics_figures_table1_cell(in->fig, i, t1_keys[j], &v) == 0)
				worksheet_write_number(ws, (lxw_row_t)(i + 1), (lxw_col_t)(j + 1), v, j == 3 || j == 4 ? n1 : n0);
		}
		for (j = 0; j < nd; j++) {
			char id[96];
			snprintf(id, sizeof id, "table1.avg_value_added.%s", region);
			if (!strcmp(d[j].id, id)) {
				worksheet_write_number(ws, (lxw_row_t)(i + 1), 6, d[j].value, n1);
				worksheet_write_string(ws, (lxw_row_t)(i + 1), 7, d[j].consistent ? "一致(在输入舍入范围内)" : "不一致", NULL);
			}
		}
	}
	worksheet_write_string(ws, (lxw_row_t)(n + 2), 0, "注: 重算值 = 工业增加值 × 10000 / 工业企业数; 论文值由未舍入的增加值算得, 差异在输入舍入范围内.", NULL);
	{
		lxw_chart *ch = workbook_add_chart(wb, LXW_CHART_COLUMN);
		lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(s, "表1 三地对比", 1, 0, (lxw_row_t)n, 0);
		chart_series_set_values(s, "表1 三地对比", 1, 6, (lxw_row_t)n, 6);
		chart_series_set_name(s, "工业企业平均增加值(万元/家)");
		chart_title_set_name(ch, "工业企业平均增加值(万元/家)");
		worksheet_insert_chart(ws, (lxw_row_t)(n + 4), 0, ch);
	}

	/* 图1-3 序列 */
	ws = workbook_add_worksheet(wb, "图表序列");
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, 0, 18, NULL);
	worksheet_set_column(ws, 1, 1, 30, NULL);
	worksheet_set_column(ws, 2, 5, 12, NULL);
	{
		static const char *h[] = {"编号", "指标", "章节", "时期", "数值", "单位"};
		for (j = 0; j < 6; j++)
			worksheet_write_string(ws, 0, (lxw_col_t)j, h[j], hd);
	}
	pts = metrics_figures_points(in->fig, &n);
	for (i = 0; i < n; i++) {
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, r, 0, pts[i].id, NULL);
		worksheet_write_string(ws, r, 1, pts[i].zh, NULL);
		worksheet_write_string(ws, r, 2, pts[i].section, NULL);
		worksheet_write_string(ws, r, 3, pts[i].period, NULL);
		worksheet_write_number(ws, r, 4, pts[i].value, strcmp(pts[i].unit, "%") ? n0 : n2);
		worksheet_write_string(ws, r, 5, pts[i].unit, NULL);
	}

	/* 论文数据 */
	ws = workbook_add_worksheet(wb, "论文数据");
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 10, NULL);
	worksheet_set_column(ws, 2, 2, 44, NULL);
	worksheet_set_column(ws, 3, 6, 12, NULL);
	{
		static const char *h[] = {"编号", "章节", "指标", "地区", "时期", "数值", "单位"};
		for (j = 0; j < 7; j++)
			worksheet_write_string(ws, 0, (lxw_col_t)j, h[j], hd);
	}
	pts = metrics_figures_facts(in->fig, &n);
	for (i = 0; i < n; i++) {
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, r, 0, pts[i].id, NULL);
		worksheet_write_string(ws, r, 1, pts[i].section, NULL);
		worksheet_write_string(ws, r, 2, pts[i].zh, NULL);
		worksheet_write_string(ws, r, 3, pts[i].region, NULL);
		worksheet_write_string(ws, r, 4, pts[i].period, NULL);
		worksheet_write_number(ws, r, 5, pts[i].value, floor(pts[i].value) == pts[i].value ? n0 : n2);
		worksheet_write_string(ws, r, 6, pts[i].unit, NULL);
	}

	/* 派生指标 */
	ws = workbook_add_worksheet(wb, "派生指标");
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 1, 1, 40, NULL);
	worksheet_set_column(ws, 2, 4, 14, NULL);
	{
		static const char *h[] = {"编号", "指标", "重算值", "单位", "论文值"};
		for (j = 0; j < 5; j++)
			worksheet_write_string(ws, 0, (lxw_col_t)j, h[j], hd);
	}
	for (i = 0; i < nd; i++) {
		lxw_row_t r = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, r, 0, d[i].id, NULL);
		worksheet_write_string(ws, r, 1, d[i].zh, NULL);
		worksheet_write_number(ws, r, 2, d[i].value, d[i].decimals >= 2 ? n2 : n1);
		worksheet_write_string(ws, r, 3, d[i].unit, NULL);
		if (d[i].has_published)
			worksheet_write_number(ws, r, 4, d[i].published, n1);
	}

	/* 耦合协调 and 指标权重 */
	if (in->ind && in->sys) {
		const metrics_table *t = in->ind;
		const metrics_system *s = in->sys;
		ws = workbook_add_worksheet(wb, "耦合协调");
	worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(ws, 0, 7, 13, NULL);
		{
			static const char *h[] = {"年度", "产业链 U1", "创新链 U2", "耦合度 C", "协调度 T", "耦合协调度 D", "等级", "协调类型"};
			for (j = 0; j < 8; j++)
				worksheet_write_string(ws, 0, (lxw_col_t)j, h[j], hd);
		}
		for (i = 0; i < t->rows; i++) {
			lxw_row_t r = (lxw_row_t)(i + 1);
			char *end;
			long yv = strtol(t->ids[i], &end, 10);
			if (*t->ids[i] && !*end)
				worksheet_write_number(ws, r, 0, (double)yv, NULL);
			else
				worksheet_write_string(ws, r, 0, t->ids[i], NULL);
			worksheet_write_number(ws, r, 1, s->u[i * 2], n3);
			worksheet_write_number(ws, r, 2, s->u[i * 2 + 1], n3);
			worksheet_write_number(ws, r, 3, s->c[i].C, n3);
			worksheet_write_number(ws, r, 4, s->c[i].T, n3);
			worksheet_write_number(ws, r, 5, s->c[i].D, n3);
			worksheet_write_number(ws, r, 6, s->c[i].grade + 1, NULL);
			worksheet_write_string(ws, r, 7, metrics_coupling_grade_zh(s->c[i].grade), NULL);
		}
		ws = workbook_add_worksheet(wb, "指标权重");
	worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(ws, 0, 0, 30, NULL);
		worksheet_set_column(ws, 1, 4, 14, NULL);
		{
			static const char *h[] = {"指标", "子系统", "方向", "熵权", "本年障碍度"};
			for (j = 0; j < 5; j++)
				worksheet_write_string(ws, 0, (lxw_col_t)j, h[j], hd);
		}
		for (j = 0; j < t->cols; j++) {
			lxw_row_t r = (lxw_row_t)(j + 1);
			worksheet_write_string(ws, r, 0, t->names[j], NULL);
			worksheet_write_string(ws, r, 1, s->subsystem[j] == 1 ? "产业链" : "创新链", NULL);
			worksheet_write_string(ws, r, 2, s->negative[j] ? "负向" : "正向", NULL);
			worksheet_write_number(ws, r, 3, s->weight[j], n3);
			if (yr >= 0)
				worksheet_write_number(ws, r, 4, s->obstacle[yr * (long)t->cols + (long)j], pct);
		}
	}

	/* 平台评估 */
	if (in->nplatforms) {
		static const char *h[] = {"平台", "功能定位", "发展阶段", "扶持力度", "考核通道", "类内得分", "类内排名", "组内平台数"};
		ws = workbook_add_worksheet(wb, "平台评估");
	worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(ws, 0, 0, 30, NULL);
		worksheet_set_column(ws, 1, 7, 12, NULL);
		for (j = 0; j < 8; j++)
			worksheet_write_string(ws, 0, (lxw_col_t)j, h[j], hd);
		for (i = 0; i < in->nplatforms; i++) {
			const analytics_platform *p = &in->platforms[i];
			lxw_row_t r = (lxw_row_t)(i + 1);
			worksheet_write_string(ws, r, 0, p->name, NULL);
			worksheet_write_string(ws, r, 1, metrics_platform_function_zh(p->in.function), NULL);
			worksheet_write_string(ws, r, 2, metrics_platform_stage_zh(p->in.stage), NULL);
			worksheet_write_string(ws, r, 3, metrics_platform_support_zh(p->in.support), NULL);
			worksheet_write_string(ws, r, 4, p->r.market ? "市场化通道" : "分类考核", NULL);
			worksheet_write_number(ws, r, 5, p->r.score, n3);
			worksheet_write_number(ws, r, 6, p->r.rank, NULL);
			worksheet_write_number(ws, r, 7, p->r.group_size, NULL);
		}
	}
	/* 布局缺口 */
	if (in->ngaps) {
		static const char *h[] = {"产业", "工业增加值/元", "服务平台数", "基础占比", "支撑占比", "缺口", "基础强支撑弱"};
		ws = workbook_add_worksheet(wb, "布局缺口");
	worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(ws, 0, 6, 14, NULL);
		for (j = 0; j < 7; j++)
			worksheet_write_string(ws, 0, (lxw_col_t)j, h[j], hd);
		for (i = 0; i < in->ngaps; i++) {
			const analytics_gap *g = &in->gaps[i];
			lxw_row_t r = (lxw_row_t)(i + 1);
			worksheet_write_string(ws, r, 0, g->name, NULL);
			worksheet_write_number(ws, r, 1, g->value_added, n0);
			worksheet_write_number(ws, r, 2, (double)g->platforms, n0);
			worksheet_write_number(ws, r, 3, g->g.base_share, pct);
			worksheet_write_number(ws, r, 4, g->g.support_share, pct);
			worksheet_write_number(ws, r, 5, g->g.gap, pct);
			worksheet_write_string(ws, r, 6, g->g.flagged ? "是" : "否", NULL);
		}
	}

	/* 企业梯度 */
	if (in->ladder) {
		const metrics_ladder_flows *f = in->ladder;
		int a, b2;
		lxw_row_t r = 1;
		ws = workbook_add_worksheet(wb, "企业梯度");
	worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(ws, 0, 2, 18, NULL);
		worksheet_write_string(ws, 0, 0, "上年梯度", hd);
		worksheet_write_string(ws, 0, 1, "本年梯度", hd);
		worksheet_write_string(ws, 0, 2, "企业数/家", hd);
		for (a = 0; a < METRICS_RUNG_N; a++)
			for (b2 = 0; b2 < METRICS_RUNG_N; b2++)
				if (f->n[a][b2]) {
					worksheet_write_string(ws, r, 0, metrics_ladder_rung_zh(a), NULL);
					worksheet_write_string(ws, r, 1, metrics_ladder_rung_zh(b2), NULL);
					worksheet_write_number(ws, r, 2, (double)f->n[a][b2], n0);
					r++;
				}
	}
	free(d);
	le = workbook_close(wb);
	if (le != LXW_NO_ERROR)
		return cf_err_set(e, CF_EIO, path, "cannot write the workbook: %s", lxw_strerror(le));
	return 0;
}

static int html_table1(buf *b, const report_input *in, const metrics_derived *d, size_t nd)
{
	size_t n = metrics_figures_table1_rows(in->fig), i, j;
	const char *labels[8];
	double vals[8];
	int rc = 0;

	rc |= buf_puts(b, "<h2>表1 2018年末温州、杭州、宁波三地工业企业规模对比</h2><table><tr>");
	for (j = 0; j < 8; j++) {
		rc |= buf_puts(b, "<th>");
		rc |= report_html_escape(b, t1_heads[j]);
		rc |= buf_puts(b, "</th>");
	}
	rc |= buf_puts(b, "</tr>\n");
	for (i = 0; i < n && i < 8; i++) {
		const char *region = metrics_figures_table1_region(in->fig, i);
		char id[96];
		rc |= buf_puts(b, "<tr><td>");
		rc |= report_html_escape(b, region);
		rc |= buf_puts(b, "</td>");
		for (j = 0; j < 5; j++) {
			double v = 0;
			metrics_figures_table1_cell(in->fig, i, t1_keys[j], &v);
			rc |= buf_printf(b, j >= 3 ? "<td class=n>%.1f</td>" : "<td class=n>%.0f</td>", v);
		}
		snprintf(id, sizeof id, "table1.avg_value_added.%s", region);
		labels[i] = region;
		vals[i] = 0;
		for (j = 0; j < nd; j++)
			if (!strcmp(d[j].id, id)) {
				vals[i] = d[j].value;
				rc |= buf_printf(b, "<td class=n>%.1f</td><td>%s</td>", d[j].value, d[j].consistent ? "一致" : "不一致");
			}
		rc |= buf_puts(b, "</tr>\n");
	}
	rc |= buf_puts(b, "</table><p class=note>重算值 = 工业增加值 × 10000 / 工业企业数; 与论文值的差异在输入舍入范围内.</p>\n");
	if (rc)
		return CF_ENOMEM;
	return report_svg_bars(b, "工业企业平均增加值(重算, 万元/家)", labels, vals, n < 8 ? n : 8, "万元/家");
}

int report_write_html(const report_input *in, buf *b, cf_err *e)
{
	metrics_derived *d = NULL;
	size_t nd = 0, n, i, j;
	const metrics_point *pts;
	long yr = year_row(in);
	int rc;

	if ((rc = metrics_figures_derive(in->fig, &d, &nd, e)) < 0)
		return rc;
	rc = buf_printf(b, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>两链融合分析报告 %d</title>\n"
			   "<style>body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;max-width:960px;margin:2em auto;color:#222}"
			   "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px}th{background:#ddebf7}"
			   "td.n{text-align:right}.note{color:#666;font-size:90%%}figure{margin:1em 0;page-break-inside:avoid}"
			   "@media print{body{margin:0}h2{page-break-after:avoid}}</style></head><body>\n"
			   "<h1>两链融合分析报告 %d 年 <small>Two-chain integration report</small></h1>\n",
			   in->year, in->year);
	if (in->synthetic)
		rc |= buf_puts(b, "<p class=note><strong>演示数据(合成), 非真实统计.</strong> Synthetic demo data.</p>\n");
	rc |= buf_puts(b, "<p class=note>论文来源: ");
	rc |= report_html_escape(b, metrics_figures_source(in->fig));
	rc |= buf_puts(b, "</p>\n");
	if (rc)
		goto oom;
	if ((rc = html_table1(b, in, d, nd)) < 0)
		goto oom;

	/* series: first and last point of each, as bars per series */
	rc |= buf_puts(b, "<h2>图1—图3 及研发强度</h2><table><tr><th>指标</th><th>章节</th><th>时期</th><th>数值</th><th>单位</th></tr>\n");
	pts = metrics_figures_points(in->fig, &n);
	for (i = 0; i < n; i++) {
		rc |= buf_puts(b, "<tr><td>");
		rc |= report_html_escape(b, pts[i].zh);
		rc |= buf_puts(b, "</td><td>");
		rc |= report_html_escape(b, pts[i].section);
		rc |= buf_puts(b, "</td><td>");
		rc |= report_html_escape(b, pts[i].period);
		rc |= buf_printf(b, "</td><td class=n>%.10g</td><td>", pts[i].value);
		rc |= report_html_escape(b, pts[i].unit);
		rc |= buf_puts(b, "</td></tr>\n");
	}
	rc |= buf_puts(b, "</table>\n");
	{
		/* Figures 1 and 3: each series' end of 2015 against September 2021 */
		static const char *const ids[] = {"tech_sme", "high_tech", "rd_center_prov", "rd_center_city"};
		static const char *const cats[] = {"省科技型中小企业", "国家高新技术企业", "省级研发中心", "市级研发中心"};
		static const char *const legend[2] = {"2015年末", "2021年9月"};
		double v[8] = {0};
		for (i = 0; i < n; i++)
			for (j = 0; j < 4; j++)
				if (!strcmp(pts[i].id, ids[j]))
					v[2 * j + (strcmp(pts[i].period, "2015-12") ? 1 : 0)] = pts[i].value;
		if (rc || (rc = report_svg_pairs(b, "图1、图3: 创新主体数量 2015年末与2021年9月 (家)", cats, v, 4, legend, "家")) < 0)
			goto oom;
	}

	rc |= buf_puts(b, "<h2>论文数据</h2><table><tr><th>章节</th><th>指标</th><th>地区</th><th>时期</th><th>数值</th><th>单位</th></tr>\n");
	pts = metrics_figures_facts(in->fig, &n);
	for (i = 0; i < n; i++) {
		rc |= buf_puts(b, "<tr><td>");
		rc |= report_html_escape(b, pts[i].section);
		rc |= buf_puts(b, "</td><td>");
		rc |= report_html_escape(b, pts[i].zh);
		rc |= buf_puts(b, "</td><td>");
		rc |= report_html_escape(b, pts[i].region);
		rc |= buf_puts(b, "</td><td>");
		rc |= report_html_escape(b, pts[i].period);
		rc |= buf_printf(b, "</td><td class=n>%.10g</td><td>", pts[i].value);
		rc |= report_html_escape(b, pts[i].unit);
		rc |= buf_puts(b, "</td></tr>\n");
	}
	rc |= buf_puts(b, "</table>\n<h2>派生指标 (程序重算)</h2><table><tr><th>指标</th><th>重算值</th><th>单位</th></tr>\n");
	for (i = 0; i < nd; i++) {
		rc |= buf_puts(b, "<tr><td>");
		rc |= report_html_escape(b, d[i].zh);
		rc |= buf_printf(b, "</td><td class=n>%.*f</td><td>", d[i].decimals, d[i].value);
		rc |= report_html_escape(b, d[i].unit);
		rc |= buf_puts(b, "</td></tr>\n");
	}
	rc |= buf_puts(b, "</table>\n");
	if (rc)
		goto oom;

	if (in->ind && in->sys) {
		const metrics_table *t = in->ind;
		const metrics_system *s = in->sys;
		const char **lab = calloc(t->rows, sizeof *lab);
		double *dv = calloc(t->rows, sizeof *dv);
		if (!lab || !dv) {
			free(lab);
			free(dv);
			goto oom;
		}
		rc |= buf_puts(b, "<h2>产业链—创新链耦合协调度</h2><table><tr><th>年度</th><th>U1 产业链</th><th>U2 创新链</th>"
				  "<th>C</th><th>T</th><th>D</th><th>协调类型</th></tr>\n");
		for (i = 0; i < t->rows; i++) {
			rc |= buf_puts(b, "<tr><td>");
			rc |= report_html_escape(b, t->ids[i]);
			rc |= buf_printf(b, "</td><td class=n>%.3f</td><td class=n>%.3f</td><td class=n>%.3f</td><td class=n>%.3f</td>"
					    "<td class=n>%.3f</td><td>%s</td></tr>\n",
					 s->u[i * 2], s->u[i * 2 + 1], s->c[i].C, s->c[i].T, s->c[i].D, metrics_coupling_grade_zh(s->c[i].grade));
			lab[i] = t->ids[i];
			dv[i] = s->c[i].D;
		}
		rc |= buf_puts(b, "</table>\n");
		if (!rc)
			rc = report_svg_line(b, "耦合协调度 D 的变化", lab, dv, t->rows, 0, 1);
		free(lab);
		free(dv);
		if (rc)
			goto oom;
		if (yr >= 0) {
			rc |= buf_printf(b, "<h3>%d 年各指标障碍度</h3><table><tr><th>指标</th><th>熵权</th><th>障碍度</th></tr>\n", in->year);
			for (j = 0; j < t->cols; j++) {
				rc |= buf_puts(b, "<tr><td>");
				rc |= report_html_escape(b, t->names[j]);
				rc |= buf_printf(b, "</td><td class=n>%.3f</td><td class=n>%.1f%%</td></tr>\n", s->weight[j],
						 100 * s->obstacle[yr * (long)t->cols + (long)j]);
			}
			rc |= buf_puts(b, "</table>\n");
		} else {
			rc |= buf_printf(b, "<p class=note>指标表中无 %d 年数据.</p>\n", in->year);
		}
	}
	if (in->ladder) {
		rc |= buf_puts(b, "<h2>企业梯度培育 (微成长、小升高、高壮大)</h2>\n");
		if (rc || (rc = report_svg_sankey(b, in->ladder)) < 0)
			goto oom;
	}
	if (in->nplatforms) {
		rc |= buf_puts(b, "<h2>高能级创新平台分类评估</h2><table><tr><th>平台</th><th>功能定位</th><th>发展阶段</th>"
				  "<th>扶持力度</th><th>通道</th><th>得分</th><th>类内排名</th></tr>\n");
		for (i = 0; i < in->nplatforms; i++) {
			const analytics_platform *p = &in->platforms[i];
			rc |= buf_puts(b, "<tr><td>");
			rc |= report_html_escape(b, p->name);
			rc |= buf_printf(b, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=n>%.3f</td><td class=n>%d / %d</td></tr>\n",
					 metrics_platform_function_zh(p->in.function), metrics_platform_stage_zh(p->in.stage),
					 metrics_platform_support_zh(p->in.support), p->r.market ? "市场化" : "分类考核", p->r.score, p->r.rank,
					 p->r.group_size);
		}
		rc |= buf_puts(b, "</table>\n");
	}
	if (in->ngaps) {
		rc |= buf_puts(b, "<h2>平台布局缺口 (基础强、创新支撑弱)</h2><table><tr><th>产业</th><th>基础占比</th><th>支撑占比</th>"
				  "<th>缺口</th><th>标记</th></tr>\n");
		for (i = 0; i < in->ngaps; i++) {
			const analytics_gap *g = &in->gaps[i];
			rc |= buf_puts(b, "<tr><td>");
			rc |= report_html_escape(b, g->name);
			rc |= buf_printf(b, "</td><td class=n>%.1f%%</td><td class=n>%.1f%%</td><td class=n>%.1f%%</td><td>%s</td></tr>\n",
					 100 * g->g.base_share, 100 * g->g.support_share, 100 * g->g.gap, g->g.flagged ? "缺口" : "");
		}
		rc |= buf_puts(b, "</table>\n");
	}
	rc |= buf_puts(b, "</body></html>\n");
	if (rc)
		goto oom;
	free(d);
	return 0;
oom:
	free(d);
	return cf_err_set(e, rc == CF_ETOOBIG ? CF_ETOOBIG : CF_ENOMEM, NULL, "the report does not fit in memory");
}
