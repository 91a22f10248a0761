/* date — civil dates as day numbers (Howard Hinnant's algorithms); see date.h. */
#include "base/date.h"

#include <stdio.h>
#include <time.h>

int32_t date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int date_parse(const char *s, size_t n, int32_t *days, cf_err *e)
{
	int part[3] = {0, 0, 0}, len[3] = {0, 0, 0}, k = 0;
	size_t i;
	char sep = 0;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	while (n && s[0] == ' ') {
		s++;
		n--;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (len[k] >= (k == 0 ? 4 : 2))
				goto bad;
			part[k] = part[k] * 10 + (c - '0');
			len[k]++;
		} else if ((c == '-' || c == '/' || c == '.') && k < 2 && len[k] > 0 &&
			   (sep == 0 || sep == c)) {
			sep = c;
			k++;
		} else {
			goto bad;
		}
	}
	if (k != 2 || len[0] != 4 || len[2] == 0)
		goto bad;
	if (part[1] < 1 || part[1] > 12 || part[2] < 1 || part[2] > days_in_month(part[0], part[1]))
		return cf_err_set(e, CF_EINVAL, NULL, "date \"%.*s\" does not exist", (int)n, s);
	*days = date_from_ymd(part[0], part[1], part[2]);
	return 0;
bad:
	return cf_err_set(e, CF_EINVAL, NULL, "date \"%.*s\" is not of the form YYYY-MM-DD", (int)n, s);
}

char *date_format(int32_t days, char out[11])
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	return out;
}

int32_t date_today(void)
{
	time_t t = time(NULL) + 8 * 3600;
	return (int32_t)(t / 86400);
}

int32_t date_add_years(int32_t days, int years)
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && days_in_month(y, 2) == 28)
		d = 28;
	return date_from_ymd(y, m, d);
}
