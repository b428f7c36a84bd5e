/*
 * extract.c — field extraction: label/value pairs from the OCR layout,
 * zone OCR and marks of faxintake's own forms.  See extract.h for the
 * confidence contract.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <leptonica/allheaders.h>

#include "faxintake/extract.h"
#include "faxintake/form.h"
#include "faxintake/normalize.h"
#include "faxintake/ocr.h"
#include "faxintake/places.h"
#include "faxintake/vote.h"

#define LINE_MAX_BYTES	2048
#define MAX_WORDS_LINE	256

/* Confidence caps (extract.h). */
#define CAP_TEXT	0.95
#define CAP_INVALID	0.30

/*
 * Common Japanese surnames (the most frequent ones, with the usual
 * variant characters).  OCR loses the space between 姓 and 名 or puts it
 * in the wrong place; a name whose letters begin with one of these gets
 * the space after it.  Longest match wins (佐々木 before 佐々).
 */
static const char *const surnames[] = {
	"佐藤", "鈴木", "高橋", "髙橋", "田中", "伊藤", "渡辺", "渡邊",
	"渡邉", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木",
	"山口", "松本", "井上", "木村", "林", "斎藤", "齋藤", "齊藤", "斉藤",
	"清水", "山崎", "森", "池田", "橋本", "阿部", "石川", "山下",
	"中島", "石井", "小川", "前田", "岡田", "長谷川", "藤田", "後藤",
	"近藤", "村上", "遠藤", "青木", "坂本", "福田", "太田", "西村",
	"藤井", "金子", "岡本", "藤原", "中野", "三浦", "原田", "中川",
	"松田", "竹内", "小野", "田村", "中山", "和田", "石田", "森田",
	"上田", "原", "柴田", "酒井", "工藤", "横山", "宮崎", "宮本",
	"内田", "高木", "髙木", "安藤", "島田", "谷口", "大野", "高田",
	"髙田", "丸山", "今井", "河野", "藤本", "村田", "武田", "上野",
	"杉山", "増田", "小山", "大塚", "平野", "菅原", "久保", "松井",
	"千葉", "岩崎", "桜井", "木下", "野口", "松尾", "菊地", "野村",
	"新井", "渡部", "佐野", "杉本", "古川", "大西", "浅野", "市川",
	"北村", "五十嵐", "菅野", "東", "吉川", "山内", "大橋", "西田",
	"荒木", "関", "水野", "桑原", "永井", "飯田", "岩田", "小池",
	"望月", "本田", "秋山", "田口", "中田", "服部", "土屋", "安田",
	"川口", "中西", "辻", "堀", "田辺", "樋口", "松岡", "北川", "星野",
	"内藤", "大久保", "平田", "熊谷", "吉村", "小島", "須藤", "片山",
	"佐久間", "東海林", "百目鬼", "勅使河原", "小田切", "長谷部",
	"宇佐美", "大和田", "小野寺", "阿久津", "二階堂", "小笠原",
	/* more of the 500 most frequent, and rare ones every reader
	 * knows */
	"宮田", "大島", "野田", "小松", "上原", "片岡", "高野", "菊池",
	"川上", "吉岡", "岩本", "荒井", "山中", "西川", "久保田",
	"松下", "中尾", "小西", "黒田", "川村", "今村", "大谷", "平井",
	"川崎", "西山", "松村", "関口", "大川", "岡崎", "松浦", "小沢",
	"小澤", "早川", "田島", "川田", "岩井", "尾崎", "松永", "本間",
	"神田", "井口", "内山", "中井", "宮下", "植田", "石原", "石橋",
	"大石", "杉浦", "堀内", "岡村", "西尾", "野中", "萩原", "篠原",
	"松原", "竹田", "平山", "浜田", "濱田", "中谷", "西岡", "大森",
	"松崎", "村井", "金井", "武藤", "北野", "矢野", "安部", "新田",
	"宮内", "沢田", "澤田", "富田", "森本", "広瀬", "廣瀬", "小倉",
	"成田", "宮川", "荒川", "福島", "田代", "石塚", "三宅", "奥村",
	"山岸", "松山", "平川", "森川", "大平", "大城", "比嘉", "金城",
	"宮城", "新垣", "前川", "栗原", "岡部", "吉野", "須田", "塚本",
	"西野", "稲葉", "松島", "中本", "山根", "森下", "吉原", "村松",
	"入江", "亀井", "藤岡", "飯塚", "宮原", "根本", "坂口", "坂井",
	"坂田", "堀田", "堀江", "今野", "紺野", "及川", "千田", "高山",
	"大山", "奥田", "小田", "田原", "大村", "松野", "森山", "上村",
	"植村", "藤川", "藤村", "平松", "吉本", "三好", "大木", "中原",
	"市村", "小出", "稲垣", "手塚", "細川", "細田", "長田", "永田",
	"角田", "白石", "黒川", "内海", "西本", "中澤", "中沢", "小泉",
	"大沢", "大澤", "滝沢", "瀧澤", "福本", "岡野", "河合", "川合",
	"落合", "宮坂", "荻野", "三上", "石山", "二宮", "日高", "前原",
	"浅井", "浅田", "杉田", "森谷", "児玉", "木原", "小森", "中林",
	"高島", "髙島", "宇野", "横田", "矢島", "相馬", "相沢", "相澤",
	"青山", "赤松", "秋田", "浅見", "有田", "安西", "飯島", "生田",
	"池上", "池内", "石黒", "石崎", "磯部", "市原", "伊東", "稲田",
	"今泉", "岩下", "上杉", "上山", "臼井", "梅田", "梅原", "江口",
	"海老原", "大井", "大内", "大槻", "大場", "大原", "奥野",
	"尾上", "小野田", "加賀", "笠原", "梶原", "柏木", "片桐",
	"金田", "金沢", "鎌田", "神谷", "亀田", "川島", "河村", "岸本",
	"北原", "北島", "草野", "倉田", "栗田", "黒木", "坂元", "佐伯",
	"桜田", "櫻井", "佐竹", "里見", "塩田", "塩谷", "篠田", "柴崎",
	"島村", "下田", "白井", "新谷", "杉原", "鈴村", "関根", "瀬戸",
	"高井", "高岡", "高畑", "高瀬", "竹中", "竹下", "竹本", "武井",
	"立花", "田畑", "津田", "土井", "寺田", "寺島", "徳永", "戸田",
	"富永", "豊田", "長尾", "長島", "長嶋", "中嶋", "並木", "成瀬",
	"西沢", "西澤", "西原", "野崎", "野本", "橋口", "畑中", "花田",
	"浜口", "早坂", "林田", "平岡", "平沢", "広田", "福永", "福原",
	"藤木", "藤崎", "藤沢", "藤野", "船橋", "古田", "古谷", "古屋",
	"北條", "北条", "保坂", "細谷", "堀口", "本多", "前島", "牧野",
	"真鍋", "三木", "水谷", "溝口", "三田", "宮地", "宮沢", "宮澤",
	"三輪", "向井", "村山", "茂木", "森岡", "八木", "安井", "柳田",
	"柳沢", "矢部", "山岡", "山川", "山村", "山脇", "湯浅", "横井",
	"吉井", "吉沢", "米田", "小鳥遊", "月見里", "五百旗頭",
	"薬師寺", "西園寺", "綾小路", "長宗我部", "武者小路",
	"勘解由小路",
};
#define NSURNAMES	(sizeof(surnames) / sizeof(surnames[0]))

size_t
extract_surname_len(const char *s)
{
	size_t best = 0;

	for (size_t i = 0; i < NSURNAMES; i++) {
		size_t sl = strlen(surnames[i]);
		if (sl > best && strncmp(s, surnames[i], sl) == 0)
			best = sl;
	}
	return best;
}

/*
 * Put the space of a name (NUL-terminated, CJK/kana, at most one space)
 * after a known surname when the letters begin with one and 1..4 letters
 * are left for 名.  1 rewritten, 0 left alone.
 */
static int
name_split(char *v, size_t vsz)
{
	char j[EXTRACT_VALUE_MAX], *q;
	size_t best, jl, k;

	k = 0;
	for (q = v; *q && k + 1 < sizeof(j); q++)
		if (*q != ' ')
			j[k++] = *q;
	j[k] = '\0';
	jl = k;
	best = extract_surname_len(j);
	/* 名 of one to four letters (all 3-byte UTF-8 here) */
	if (best == 0 || jl <= best || (jl - best) % 3 != 0 ||
	    (jl - best) / 3 > 4)
		return 0;
	for (k = 0; k < jl; k++)
		if ((unsigned char)j[k] < 0x80)
			return 0;
	if (jl + 2 > vsz)
		return 0;
	snprintf(v, vsz, "%.*s %s", (int)best, j, j + best);
	return 1;
}

/*
 * Letters common in given names, of every generation (郎, 子, 翔, 陽):
 * a name OCR misread usually has a letter no parent would choose
 * (健一雪, 花了, 大精).
 */
static const char given_letters[] =
    "一二三四五六七八九十百千万郎朗太大介輔助亮良涼健浩博弘宏広洋"
    "隆孝高誠修正雅昌明秀英和清茂実豊勇勝武剛進勉稔保守悟聡智哲徹"
    "達賢俊信伸義善幸康靖泰晴春秋夏冬翔翼拓海陸蓮颯湊悠陽樹輝光斗"
    "也哉人仁平吾吉治次司史文彦男夫雄生久之昭典則憲敏敦篤厚寛裕豪"
    "航瑛蒼律朝奏旭晃巧匠慎真将章彰崇純潤順淳道直尚規紀貴友佑祐優"
    "岳学譲毅克功栄喜嘉恒晋卓琢逸圭佳啓恵敬景慶京恭鉄研謙兼元玄源"
    "弦悦永映子美代江枝香花奈菜那里理莉梨愛結衣依唯咲紗沙彩絵桜葵"
    "凛芽杏知麻由有加可希季瑞穂帆歩未舞萌夢芳玲怜麗礼綾亜朱茜薫栞"
    "詩静雪澄晶早小乃野音琴心瞳節貞民冨富房登志津鶴亀松竹梅菊蘭合"
    "葉紅桃華容稚聖";

/* How much a name (姓 名) looks like one: a known surname counts 2
 * (the letters before the space, or without one the longest the name
 * begins with), each letter of the given name common in names or kana
 * counts 1, and any other letter -1. */
int
extract_name_score(const char *v)
{
	char j[EXTRACT_VALUE_MAX];
	int32_t cps[EXTRACT_VALUE_MAX];
	const char *sp = strchr(v, ' ');
	size_t k = 0, best = 0, n;
	int score = 0;

	for (const char *q = v; *q && k + 1 < sizeof(j); q++)
		if (*q != ' ')
			j[k++] = *q;
	j[k] = '\0';
	/* 姓 as spaced (known when the longest known surname v begins
	 * with ends at the space), or the longest the letters begin with */
	best = extract_surname_len(sp ? v : j);
	if (sp && best != (size_t)(sp - v))
		best = 0;
	if (best)
		score += 2;
	else if (sp)
		best = (size_t)(sp - v);
	if (norm_utf8_cps(j + best, cps, sizeof(cps) / sizeof(cps[0]),
	    &n) != 0)
		return score;
	for (size_t i = 0; i < n; i++) {
		char one[8];
		if ((cps[i] >= 0x3041 && cps[i] <= 0x30ff) ||
		    (norm_cps_utf8(&cps[i], 1, one, sizeof(one)) > 0 &&
		    cps[i] >= 0x4e00 && strstr(given_letters, one) != NULL))
			score++;
		else
			score--;
	}
	return score;
}

/* Copy s without white space and without leading ':' into out. */
static void
squash_into(const char *s, char *out, size_t outsz)
{
	size_t k = 0;

	for (; *s && k + 1 < outsz; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ' || c == '\t' || c == '\n')
			continue;
		if (c == 0xe3 && (unsigned char)s[1] == 0x80 &&
		    (unsigned char)s[2] == 0x80) {
			s += 2;
			continue;
		}
		out[k++] = (char)c;
	}
	/* do not end inside a UTF-8 sequence */
	while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80) {
		size_t j = k - 1;
		while (j > 0 && ((unsigned char)out[j] & 0xc0) == 0x80)
			j--;
		size_t need = (unsigned char)out[j] >= 0xf0 ? 4 :
		    (unsigned char)out[j] >= 0xe0 ? 3 : 2;
		if (k - j == need)
			break;
		k = j;
	}
	out[k] = '\0';
}

/* Trim separators a label leaves before its value. */
static const char *
skip_seps(const char *s)
{
	for (;;) {
		if (*s == ':' || *s == ' ' || *s == '.')
			s++;
		else if (strncmp(s, "：", 3) == 0 || strncmp(s, "　", 3) == 0)
			s += 3;
		else
			return s;
	}
}

/* The eras in norm_era_year's order. */
static const char *const era_name[5] = { "明治", "大正", "昭和", "平成",
    "令和" };

/*
 * The 歳 of an age after a date ("(68歳)"), or what a fax made of it
 * (蔵, 茂, 義, 疫 ...): a letter right after a digit.  NULL if none.
 */
static const char *
age_mark(const char *in)
{
	static const char *const sai[] = { "歳", "歲", "才", "蔵", "茂",
	    "義", "疫", "基", "威", "裁", "載", NULL };

	for (const char *p = in; *p; p++) {
		if (p == in || p[-1] < '0' || p[-1] > '9')
			continue;
		for (int i = 0; sai[i]; i++)
			if (strncmp(p, sai[i], strlen(sai[i])) == 0)
				return p;
	}
	return NULL;
}

/*
 * 別紙様式11 prints the eras as a list "明・大・昭・平・令" and the writer
 * circles one; OCR mangles the circled one ("明・大急)平・令56年3月11日").
 * When exactly one era of the list is missing it is the circled one:
 * rewrite in into "昭和56年3月11日" (out).  0 done, -1 not such a list.
 */
static int
era_list_fix(const char *in, char *out, size_t outsz)
{
	static const char *const mark[5] = { "明", "大", "昭", "平", "令" };
	const char *p, *last = NULL, *q;
	int present = 0, missing = -1, nmiss = 0;

	for (int i = 0; i < 5; i++) {
		p = strstr(in, mark[i]);
		if (p && p - in < 48) {
			present++;
			if (last == NULL || p > last)
				last = p;
			/* 明治/大正 written out: not a list */
			if (strncmp(p, era_name[i], strlen(era_name[i])) == 0)
				return -1;
		} else {
			missing = i;
			nmiss++;
		}
	}
	if (present < 3 || nmiss != 1 || strstr(in, "・") == NULL)
		return -1;
	/* the year follows the list */
	for (q = last + 3; *q && !(*q >= '0' && *q <= '9') &&
	    strncmp(q, "元", 3) != 0; q++)
		;
	if (*q == '\0')
		return -1;
	snprintf(out, outsz, "%s%s", era_name[missing], q);
	/* keep up to 日 (and an age in brackets): the rest is the next
	 * item of the letter (職業 ...) */
	if ((p = strstr(out, "日")) != NULL) {
		char *e = out + (p - out) + 3;
		if (*e == '(' && (q = strstr(e, "歳)")) != NULL)
			e = out + (q - out) + 4;
		*e = '\0';
	}
	return 0;
}

/*
 * The circled era of a 明・大・昭・平・令 list lost (or two marks
 * mangled) but the age written after the date ("(37歳)"): the era is the
 * one whose date gives that age today.  Writes the ISO date into out;
 * 0 when exactly one era fits, -1 otherwise.
 */
static int
era_by_age(const char *in, char *out, size_t outsz)
{
	const char *nen, *ys, *hi, *sai, *p;
	char buf[128], iso[32], got[32];
	int age = 0, nd = 0, nfit = 0;
	time_t now = time(NULL);
	struct tm tm;

	if ((nen = strstr(in, "年")) == NULL || (hi = strstr(nen, "日")) ==
	    NULL || (sai = age_mark(hi)) == NULL || hi - nen > 24)
		return -1;
	/* the year: digits or 元 just before 年 */
	ys = nen;
	if (ys - in >= 3 && strncmp(ys - 3, "元", 3) == 0)
		ys -= 3;
	else
		while (ys > in && ys[-1] >= '0' && ys[-1] <= '9' && nen - ys < 2)
			ys--;
	if (ys == nen)
		return -1;
	/* the age: the digits before 歳 */
	for (p = sai; p > hi && p[-1] >= '0' && p[-1] <= '9' && nd < 3; p--)
		nd++;
	if (nd == 0)
		return -1;
	for (int i = 0; i < nd; i++)
		age = age * 10 + (p[i] - '0');
	gmtime_r(&now, &tm);
	for (int e = 0; e < 5; e++) {
		double pen = 0;
		int y, m, d, a;
		snprintf(buf, sizeof(buf), "%s%.*s", era_name[e],
		    (int)(hi + 3 - ys), ys);
		if (norm_date(buf, iso, sizeof(iso), &pen) != 0 ||
		    facts_date_parse(iso, &y, &m, &d) != 0)
			continue;
		a = tm.tm_year + 1900 - y;
		if (tm.tm_mon + 1 < m || (tm.tm_mon + 1 == m && tm.tm_mday < d))
			a--;
		if (a == age) {
			nfit++;
			snprintf(got, sizeof(got), "%s", iso);
		}
	}
	if (nfit != 1)
		return -1;
	snprintf(out, outsz, "%s", got);
	return 0;
}

/* Digits a and b (nd digits each, right-aligned) differ in at most one. */
static int
one_digit_off(int a, int b, int nd)
{
	int diff = 0;

	for (int i = 0; i < nd; i++, a /= 10, b /= 10)
		diff += a % 10 != b % 10;
	return diff <= 1;
}

/* The age today of someone born on y-m-d. */
static int
age_today(int y, int m, int d)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return tm.tm_year + 1900 - y - (m > tm.tm_mon + 1 ||
	    (m == tm.tm_mon + 1 && d > tm.tm_mday));
}

/*
 * An age written after the date ("(69歳)") fits the date read, give or
 * take the year the document may be older by.  No age: 1.
 */
static int
age_agrees(const char *iso, const char *in)
{
	const char *sai = age_mark(in), *p;
	int y, m, d, age = 0, k = 1;

	if (sai == NULL || facts_date_parse(iso, &y, &m, &d) != 0)
		return 1;
	for (p = sai; p > in && p[-1] >= '0' && p[-1] <= '9' && sai - p < 3;
	    p--) {
		age += (p[-1] - '0') * k;
		k *= 10;
	}
	if (p == sai)
		return 1;
	d = age_today(y, m, d) - age;
	return d >= 0 && d <= 1;
}

/*
 * The last resort for a birth date whose year did not read (昭和82年,
 * 992/11/24, the circled era lost and the year mangled) but whose month,
 * day and the age written after it did ("(69歳)"): the year is the one
 * that gives that age today, if the year digits read are that year (in
 * 西暦 or in its era) with at most one digit wrong, or one lost.  The
 * document may be older than a birthday: the caller keeps the result well
 * below the review threshold.  0 and the ISO date in out, or -1.
 */
static int
date_by_age(const char *in, char *out, size_t outsz)
{
	const char *sai, *p;
	int run[4] = { 0 }, len[4] = { 0 }, nr = 0;
	int m, d, age, ry, nd, y, ok = 0;

	if ((sai = age_mark(in)) == NULL)
		return -1;
	/* the last four runs of digits before 歳: year, month, day, age */
	for (p = in; p < sai; ) {
		int v = 0, n = 0;
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		for (; p < sai && *p >= '0' && *p <= '9'; p++, n++)
			v = v * 10 + (*p - '0');
		if (n > 4)
			return -1;
		if (nr == 4) {		/* keep the last four */
			for (int k = 0; k < 3; k++) {
				run[k] = run[k + 1];
				len[k] = len[k + 1];
			}
			nr--;
		}
		run[nr] = v;
		len[nr++] = n;
	}
	if (nr < 4 || len[1] > 2 || len[2] > 2 || len[3] > 3)
		return -1;
	ry = run[0], nd = len[0], m = run[1], d = run[2], age = run[3];
	if (age > 120 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	/* age_today(0, m, d): this year, less one if the birthday is
	 * still to come */
	y = age_today(0, m, d) - age;
	if (!norm_date_valid(y, m, d))
		return -1;
	if (nd >= 3)			/* 西暦, or one of its digits lost */
		ok = one_digit_off(ry, y % (nd == 4 ? 10000 : 1000), nd);
	else
		for (int e = 0; e < 5 && !ok; e++) {
			int ey = y - norm_era_year(e, 1) + 1;
			char iso[NORM_DATE_LEN], buf[64];
			double pen;
			if (ey < 1 || ey > 99)
				continue;
			/* the era must hold the date */
			snprintf(buf, sizeof(buf), "%s%d年%d月%d日",
			    era_name[e], ey, m, d);
			if (norm_date(buf, iso, sizeof(iso), &pen) != 0)
				continue;
			if (nd == 1)
				ok = ry == ey % 10;
			else if (ey >= 10)
				ok = one_digit_off(ry, ey, 2);
			else
				ok = ry % 10 == ey;	/* a speck before it */
		}
	if (!ok)
		return -1;
	snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
	return 0;
}

static unsigned	utf8_next(const char **);
static int	is_kanji(unsigned);
static int	name_field(enum field_id);
static int	phone_field(enum field_id);

/*
 * Where in cp[0..n) the kind kc[0..kn) ends the name with one letter
 * misread or one letter too many (タリニック, クタリニック, 診寮所):
 * the number of letters at the end that are the kind; 0 if it is not
 * there, or is there exactly.
 */
static size_t
kind_tail(const unsigned *cp, size_t n, const unsigned *kc, size_t kn)
{
	size_t i, diff = 0, skip;

	if (n < kn + 2)			/* a name before the kind */
		return 0;
	for (i = 0; i < kn; i++)
		diff += cp[n - kn + i] != kc[i];
	if (diff == 0)
		return 0;
	/* one letter too many first: ク|タリニック is not ク + クリニック */
	for (skip = 1; skip < kn; skip++) {	/* cp[n-kn-1+skip] extra */
		size_t a, b = n - kn - 1;
		for (a = 0; a < kn; a++, b++) {
			if (b == n - kn - 1 + skip)
				b++;
			if (cp[b] != kc[a])
				break;
		}
		if (a == kn)
			return kn + 1;
	}
	/* only the first kanji other: a kind of its own (治療センター) */
	return diff == 1 && (cp[n - kn] == kc[0] || !is_kanji(kc[0])) ? kn :
	    0;
}

/*
 * The kind of an institution that ends its name, one letter misread
 * (市民病遇, 中央病附, 摘院, タリニック, 診寮所): put right in v, a
 * NUL-terminated string of vsz bytes.  1 when rewritten.  病院 only where
 * its other letter is right and the wrong one is a kanji that makes no
 * kind of its own (医院, 分院, 本院 stay).
 */
static int
hospital_kind_fix(char *v, size_t vsz)
{
	static const char *const kinds[] = { "医療センター", "クリニック",
	    "診療所", NULL };
	static const unsigned keep[] = { 0x533b /* 医 */, 0x5206 /* 分 */,
	    0x672c /* 本 */, 0x5bfa /* 寺 */, 0x5b66 /* 学 */,
	    0x6cd5 /* 法 */, 0x75c5 /* 病 */, 0x9662 /* 院 */,
	    0x68df /* 棟 */, 0x79d1 /* 科 */, 0x8b70 /* 議 */, 0 };
	unsigned cp[80], kc[8];
	const char *q = v, *at[81];
	size_t n = 0, kn, t = 0;
	int k;

	while (*q && n < 80) {
		at[n] = q;
		cp[n++] = utf8_next(&q);
	}
	if (*q)
		return 0;
	at[n] = q;
	for (k = 0; kinds[k] && t == 0; k++) {
		const char *kp = kinds[k];
		for (kn = 0; *kp && kn < 8; )
			kc[kn++] = utf8_next(&kp);
		t = kind_tail(cp, n, kc, kn);
	}
	if (t == 0 && n >= 4) {		/* 病院 */
		unsigned bad = cp[n - 1] == 0x9662 ? cp[n - 2] :
		    cp[n - 2] == 0x75c5 ? cp[n - 1] : 0;
		int legit = bad == 0 || !is_kanji(bad);
		for (int j = 0; keep[j] && !legit; j++)
			legit = bad == keep[j];
		if (!legit) {
			t = 2;
			k = -1;
		}
	}
	if (t == 0)
		return 0;
	{
		const char *kind = k < 0 ? "病院" : kinds[k - 1];
		size_t keepb = (size_t)(at[n - t] - v);
		if (keepb + strlen(kind) + 1 > vsz)
			return 0;
		snprintf(v + keepb, vsz - keepb, "%s", kind);
	}
	return 1;
}

/*
 * The words that say what kind of practice a name is, misread (中民病院,
 * 赤十宇病院, 耳移咽喉科, 消化句内科): a tail of the name one letter off
 * one of them, and no nearer to another, becomes it.  Two letters off
 * (浜十学病院) in a word of five or more.  The four-letter 病院 words
 * are one letter from names of their own (中村病院, 中山病院) and are
 * put right only after the town the practice is named after (旭川市遇
 * 央病院), as are words two letters off.  Kinds named exactly end the
 * search: 市立病院 is not a misread 市民病院, nor 呼吸器内科 a
 * 消化器内科.  1 when v (NUL-terminated, vsz bytes) was rewritten.
 */
static int
hospital_type_fix(char *v, size_t vsz)
{
	static const char *const types[] = { "市民病院", "総合病院",
	    "中央病院", "記念病院", "赤十字病院", "市立病院", "県立病院",
	    "町立病院", "国立病院", "労災病院", "大学病院", "厚生病院",
	    "医療センター", "消化器内科", "呼吸器内科", "循環器内科",
	    "腎臓内科", "糖尿病内科", "脳神経内科", "心療内科", "脳神経外科",
	    "心臓血管外科", "整形外科", "形成外科", "耳鼻咽喉科", "泌尿器科",
	    "産婦人科", "放射線科", "在宅クリニック", NULL };
	static const char *const town = "市区町村郡県道都府";
	const char *q = v, *at[81], *fix = NULL;
	size_t n = 0, ft = 0;
	int best = 3, ties = 0;

	while (*q && n < 80) {
		at[n++] = q;
		(void)utf8_next(&q);
	}
	if (*q)
		return 0;
	at[n] = q;
	for (int k = 0; types[k]; k++) {
		int32_t kc[16];
		size_t kn;
		if (norm_utf8_cps(types[k], kc, 16, &kn) != 0)
			continue;
		/* the kind misread before a letter lost or added */
		for (size_t o = 0; o < 3; o++) {
			size_t t = o == 0 ? kn : o == 1 ? kn - 1 : kn + 1;
			int d, after_town, first;
			if (t + 2 > n)		/* a name before the kind */
				continue;
			d = vote_distance(at[n - t], types[k]);
			if (d == 0 && t == kn)
				return 0;
			/* the letter before: one of town's (3 bytes each;
			 * UTF-8 matches only on a letter's boundary) */
			after_town = at[n - t] - at[n - t - 1] == 3 &&
			    memmem(town, strlen(town), at[n - t - 1], 3);
			/* the kind's first letter other or lost reads as a
			 * kind of its own (治療センター, 胃腸科クリニック);
			 * each begins with a kanji, 3 bytes */
			first = (t == kn && strcmp(at[n - t + 1],
			    types[k] + 3) == 0) || (t < kn &&
			    strcmp(at[n - t], types[k] + 3) == 0);
			if (d == 0 || d > (kn >= 5 ? 2 : 1) ||
			    ((kn == 4 || d == 2 || first) && !after_town))
				continue;
			if (d < best) {
				best = d;
				fix = types[k];
				ft = t;
				ties = 0;
			} else if (d == best && fix != types[k])
				ties++;
		}
	}
	if (fix == NULL || ties)
		return 0;
	{
		size_t keepb = (size_t)(at[n - ft] - v);
		if (keepb + strlen(fix) + 1 > vsz)
			return 0;
		snprintf(v + keepb, vsz - keepb, "%s", fix);
	}
	return 1;
}

/*
 * A hospital's name as a fax line reads it: rules and dots around it
 * (|, ], ・), the long vowel mark doubled (ファミリーークリニック), one
 * stray katakana after the kind of the institution (クリニックタ).  Cleans
 * v in place; 1 if anything was taken away.
 */
static int
hospital_clean(char *v)
{
	static const char *const lead[] = { "ー", "-", "]", "[", "|", ">",
	    "<", "・", ".", ":", "。", "'", NULL };
	static const char *const trail[] = { "|", "]", "[", "・", ".", "。",
	    "-", ",", "'", ":", NULL };
	static const char *const kind[] = { "クリニック", "病院", "医院",
	    "診療所", "センター", NULL };
	size_t len = strlen(v), k;
	char *p;
	int changed = 0, again = 1;

	while ((p = strstr(v, "ーー")) != NULL) {
		memmove(p, p + 3, strlen(p + 3) + 1);
		changed = 1;
	}
	while (again) {
		again = 0;
		for (int i = 0; lead[i]; i++)
			if (strncmp(v, lead[i], strlen(lead[i])) == 0) {
				k = strlen(lead[i]);
				memmove(v, v + k, strlen(v + k) + 1);
				changed = again = 1;
			}
		len = strlen(v);
		for (int i = 0; trail[i]; i++) {
			k = strlen(trail[i]);
			if (len >= k && strcmp(v + len - k, trail[i]) == 0) {
				v[len - k] = '\0';
				len -= k;
				changed = again = 1;
			}
		}
	}
	/* a rule after the kind read as ー (苫小牧市総合病院ー); センター
	 * keeps its own */
	len = strlen(v);
	if (len > 6 && strcmp(v + len - 3, "ー") == 0 &&
	    strcmp(v + len - 6, "ター") != 0) {
		v[len - 3] = '\0';
		changed = 1;
	}
	/* one katakana letter between a kanji and クリニック (内科タクリ
	 * ニック): a speck or the edge of ク read twice */
	len = strlen(v);
	if (len >= 21 && strcmp(v + len - 15, "クリニック") == 0) {
		const char *q = v + len - 21;
		unsigned a = utf8_next(&q), b = utf8_next(&q);
		if (is_kanji(a) && b >= 0x30a1 && b <= 0x30f6) {
			memmove(v + len - 18, v + len - 15, 16);
			changed = 1;
		}
	}
	/* one katakana letter after クリニック, 病院 ... */
	len = strlen(v);
	for (int i = 0; kind[i] && len >= 3; i++) {
		size_t kl = strlen(kind[i]);
		const unsigned char *c = (const unsigned char *)v + len - 3;
		if (len >= kl + 3 && strncmp(v + len - 3 - kl, kind[i], kl) ==
		    0 && c[0] == 0xe3 && ((c[1] == 0x82 && c[2] >= 0xa1) ||
		    (c[1] == 0x83 && c[2] <= 0xb6)) && strcmp((const char *)c,
		    "ー") != 0) {
			v[len - 3] = '\0';
			changed = 1;
			break;
		}
	}
	return changed;
}

/*
 * A reading of a name in one script: forms ask for ふりがな, letters print
 * フリガナ; katakana becomes hiragana in place (both three bytes in
 * UTF-8; ー stays).
 */
static void
kata_to_hira(char *s)
{
	unsigned char *p = (unsigned char *)s;

	for (; p[0]; p++) {
		unsigned c;
		if (p[0] != 0xe3 || p[1] == 0 || p[2] == 0)
			continue;
		c = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) |
		    (p[2] & 0x3fu);
		if (c >= 0x30a1 && c <= 0x30f6) {
			c -= 0x60;
			p[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
			p[2] = (unsigned char)(0x80 | (c & 0x3f));
		}
		p += 2;
	}
}

int
extract_value(enum field_id id, const char *raw, double ocr_conf,
    struct extract_field *out)
{
	char *n = NULL, sq[EXTRACT_VALUE_MAX], ext[NORM_EXT_LEN];
	double pen = 0, c;
	int rc = 0;

	if (raw == NULL || out == NULL || (unsigned)id >= FIELD__COUNT)
		return -EINVAL;
	out->id = id;
	snprintf(out->raw, sizeof(out->raw), "%s", raw);
	if (ocr_conf < 0)
		ocr_conf = 0;
	if (ocr_conf > 1)
		ocr_conf = 1;
	if ((rc = norm_nfkc(raw, NORM_MAX_INPUT, &n)) != 0) {
		if (rc != -E2BIG)
			return rc;
		n = strndup(raw, NORM_MAX_INPUT);
		if (n == NULL)
			return -ENOMEM;
	}
	squash_into(skip_seps(n), sq, sizeof(sq));
	switch (id) {
	case FIELD_PATIENT_BIRTH_DATE: {
		char fx[EXTRACT_VALUE_MAX];
		rc = norm_date(n, out->value, sizeof(out->value), &pen);
		if (rc == NORM_INVALID && era_list_fix(sq, fx, sizeof(fx)) ==
		    0 && (rc = norm_date(fx, out->value, sizeof(out->value),
		    &pen)) == 0)
			pen += 0.1;	/* the era inferred */
		if (rc == NORM_INVALID && era_by_age(sq, out->value,
		    sizeof(out->value)) == 0) {
			rc = 0;
			pen += 0.15;	/* the era inferred from the age */
		}
		if (rc == NORM_INVALID && date_by_age(sq, out->value,
		    sizeof(out->value)) == 0) {
			rc = 0;
			pen += 0.4;	/* the year inferred from the age */
		} else if (rc == 0 && !age_agrees(out->value, sq))
			pen += 0.5;	/* the age written beside disagrees */
		break;
	}
	case FIELD_PATIENT_PHONE:
	case FIELD_APPLICANT_PHONE:
	case FIELD_APPLICANT_FAX:
	case FIELD_REFERRING_PHONE:
	case FIELD_REFERRING_FAX:
		rc = norm_phone(n, out->value, sizeof(out->value), ext,
		    sizeof(ext), &pen);
		break;
	case FIELD_PATIENT_NAME:
	case FIELD_APPLICANT_NAME:
	case FIELD_REFERRING_DOCTOR:
	case FIELD_DESIRED_DOCTOR:
	case FIELD_PATIENT_NAME_KANA: {
		char nm[NORM_NAME_LEN];
		/* OCR separates every CJK character: keep the widest gap
		 * only when the writer clearly left one (two+ spaces or
		 * U+3000), else join */
		rc = norm_name(n, nm, sizeof(nm), &pen);
		if (rc == 0) {
			char was[EXTRACT_VALUE_MAX];
			snprintf(out->value, sizeof(out->value), "%s", nm);
			snprintf(was, sizeof(was), "%s", nm);
			/* the space inferred from a surname list, not read:
			 * weaker than a written one */
			if (id != FIELD_PATIENT_NAME_KANA &&
			    name_split(out->value, sizeof(out->value)) &&
			    strcmp(was, out->value) != 0)
				pen += 0.2;
			if (id == FIELD_PATIENT_NAME_KANA)
				kata_to_hira(out->value);
		}
		break;
	}
	case FIELD_PATIENT_SEX: {
		char s[2];
		if ((rc = norm_sex(n, s, &pen)) == 0)
			snprintf(out->value, sizeof(out->value), "%s", s);
		break;
	}
	case FIELD_APPLICANT_RELATIONSHIP: {
		enum norm_rel r;
		if ((rc = norm_relationship(n, &r, &pen)) == 0)
			snprintf(out->value, sizeof(out->value), "%s",
			    norm_rel_name(r));
		break;
	}
	case FIELD_PATIENT_AGE: {
		const char *p = sq;
		int v = 0, nd = 0;
		while (*p && !(*p >= '0' && *p <= '9'))
			p++;
		while (*p >= '0' && *p <= '9' && nd < 4) {
			v = v * 10 + (*p++ - '0');
			nd++;
		}
		if (nd == 0 || nd > 3 || v > 130 || (*p >= '0' && *p <= '9'))
			rc = NORM_INVALID;
		else
			snprintf(out->value, sizeof(out->value), "%d", v);
		break;
	}
	case FIELD_REFERRING_HOSPITAL:
		if (hospital_clean(sq))
			pen += 0.1;
		if (hospital_kind_fix(sq, sizeof(sq)))
			pen += 0.1;
		if (hospital_type_fix(sq, sizeof(sq)))
			pen += 0.1;
		/* the town it is named after (苦小牧市総合病院) */
		if (places_fix(sq, sizeof(sq)) > 0)
			pen += 0.1;
		if (sq[0] == '\0')
			rc = NORM_INVALID;
		else
			snprintf(out->value, sizeof(out->value), "%s", sq);
		break;
	case FIELD_PATIENT_ADDRESS:
	case FIELD_APPLICANT_ADDRESS:
		if (places_fix(sq, sizeof(sq)) > 0)
			pen += 0.1;
		/* FALLTHROUGH */
	default:
		if (sq[0] == '\0')
			rc = NORM_INVALID;
		else
			snprintf(out->value, sizeof(out->value), "%s", sq);
		break;
	}
	free(n);
	if (rc < 0)
		return rc;
	c = ocr_conf * (1 - pen);
	if (c > CAP_TEXT)
		c = CAP_TEXT;
	if (rc == NORM_INVALID) {
		snprintf(out->value, sizeof(out->value), "%s", sq);
		if (c > CAP_INVALID)
			c = CAP_INVALID;
	}
	out->confidence = c;
	return rc;
}

/* --- label / value ------------------------------------------------------ */

enum ctx { CTX_NONE, CTX_PATIENT, CTX_REFERRER, CTX_APPLICANT,
    CTX_RECIPIENT };

#define F_CTX	-1	/* the field depends on the context */
#define F_REFNAME -2	/* 所在地及び名称: value lines below */
#define F_SENDER -3	/* a cover sheet's 発信元: hospital or applicant
			   on the lines below */
#define F_TO	-4	/* 御中: the recipient's (our) numbers follow */
#define F_COVERPAT -5	/* a cover sheet's 患者 X 様 in its message */

static const struct label {
	const char	*text;
	int		 field;		/* enum field_id, F_CTX, F_REFNAME */
	int		 kind;		/* for F_CTX: 0 name 1 phone 2 fax
					   3 address */
	enum ctx	 sets;
	double		 factor;	/* how specific the label is */
} labels[] = {
	{ "紹介元医療機関の所在地及び名称", F_REFNAME, 0, CTX_REFERRER, 0.9 },
	{ "所在地及び名称", F_REFNAME, 0, CTX_REFERRER, 0.85 },
	{ "紹介元医療機関名", FIELD_REFERRING_HOSPITAL, 0, CTX_REFERRER, 1 },
	{ "紹介元医療機関", FIELD_REFERRING_HOSPITAL, 0, CTX_REFERRER, 0.95 },
	{ "医療機関名", FIELD_REFERRING_HOSPITAL, 0, CTX_REFERRER, 0.9 },
	{ "発信元", F_SENDER, 0, CTX_REFERRER, 0.85 },
	{ "差出人", F_SENDER, 0, CTX_REFERRER, 0.85 },
	{ "発信", F_SENDER, 0, CTX_REFERRER, 0.8 },	/* 発信元 misread */
	{ "御中", F_TO, 0, CTX_RECIPIENT, 1 },
	{ "送信先", F_TO, 0, CTX_RECIPIENT, 1 },
	{ "宛先", F_TO, 0, CTX_RECIPIENT, 1 },
	{ "患者", F_COVERPAT, 0, CTX_NONE, 0.8 },
	{ "主治医氏名", FIELD_REFERRING_DOCTOR, 0, CTX_REFERRER, 1 },
	{ "医師氏名", FIELD_REFERRING_DOCTOR, 0, CTX_REFERRER, 1 },
	{ "医師名", FIELD_REFERRING_DOCTOR, 0, CTX_REFERRER, 0.95 },
	{ "主治医", FIELD_REFERRING_DOCTOR, 0, CTX_REFERRER, 0.8 },
	/* a family member's insurance card: 氏名 is the patient's, the
	 * insured is the family member whose relationship it proves */
	{ "被保険者氏名", FIELD_APPLICANT_NAME, 0, CTX_APPLICANT, 0.9 },
	{ "申込者氏名", FIELD_APPLICANT_NAME, 0, CTX_APPLICANT, 1 },
	{ "相談者氏名", FIELD_APPLICANT_NAME, 0, CTX_APPLICANT, 1 },
	{ "患者氏名", FIELD_PATIENT_NAME, 0, CTX_PATIENT, 1 },
	{ "患者名", FIELD_PATIENT_NAME, 0, CTX_PATIENT, 1 },
	/* 患者氏名 with its first letter misread (加者氏名, 悪者氏名) */
	{ "者氏名", FIELD_PATIENT_NAME, 0, CTX_PATIENT, 0.8 },
	/* 医師氏名 likewise (以師氏名): not the patient's 氏名 */
	{ "師氏名", FIELD_REFERRING_DOCTOR, 0, CTX_REFERRER, 0.8 },
	{ "氏名", F_CTX, 0, CTX_NONE, 0.85 },
	{ "ふりがな", FIELD_PATIENT_NAME_KANA, 0, CTX_NONE, 0.9 },
	{ "フリガナ", FIELD_PATIENT_NAME_KANA, 0, CTX_NONE, 0.9 },
	{ "性別", FIELD_PATIENT_SEX, 0, CTX_PATIENT, 1 },
	{ "生年月日", FIELD_PATIENT_BIRTH_DATE, 0, CTX_PATIENT, 1 },
	{ "生年月", FIELD_PATIENT_BIRTH_DATE, 0, CTX_PATIENT, 0.9 },	/* 日 lost */
	/* 生年月日 with its first letter or two misread (邊年月日, 下征月日,
	 * 人月日): only as the first word of a line (not 申込年月日) */
	{ "年月日", FIELD_PATIENT_BIRTH_DATE, 0, CTX_PATIENT, 0.8 },
	{ "月日", FIELD_PATIENT_BIRTH_DATE, 0, CTX_PATIENT, 0.7 },
	{ "年齢", FIELD_PATIENT_AGE, 0, CTX_PATIENT, 1 },
	/* a letter in English */
	{ "Re:", FIELD_PATIENT_NAME, 0, CTX_PATIENT, 0.8 },
	{ "Patientname", FIELD_PATIENT_NAME, 0, CTX_PATIENT, 1 },
	{ "Dateofbirth", FIELD_PATIENT_BIRTH_DATE, 0, CTX_PATIENT, 1 },
	{ "DOB", FIELD_PATIENT_BIRTH_DATE, 0, CTX_PATIENT, 0.9 },
	{ "患者住所", FIELD_PATIENT_ADDRESS, 0, CTX_PATIENT, 1 },
	{ "住所", F_CTX, 3, CTX_NONE, 0.85 },
	{ "電話番号", F_CTX, 1, CTX_NONE, 0.9 },
	{ "電話", F_CTX, 1, CTX_NONE, 0.85 },
	{ "TEL", F_CTX, 1, CTX_NONE, 0.85 },
	{ "FAX番号", F_CTX, 2, CTX_NONE, 0.9 },
	{ "FAX", F_CTX, 2, CTX_NONE, 0.85 },
	{ "傷病名", FIELD_DIAGNOSIS, 0, CTX_NONE, 1 },
	{ "診断名", FIELD_DIAGNOSIS, 0, CTX_NONE, 1 },
	{ "病名", FIELD_DIAGNOSIS, 0, CTX_NONE, 0.95 },
	{ "ご相談内容", FIELD_CONSULTATION_TOPIC, 0, CTX_NONE, 1 },
	{ "相談内容", FIELD_CONSULTATION_TOPIC, 0, CTX_NONE, 1 },
	{ "患者との続柄", FIELD_APPLICANT_RELATIONSHIP, 0, CTX_APPLICANT, 1 },
	{ "続柄", FIELD_APPLICANT_RELATIONSHIP, 0, CTX_APPLICANT, 0.95 },
	{ "希望医師", FIELD_DESIRED_DOCTOR, 0, CTX_NONE, 1 },
	{ "希望診療科", FIELD_DEPARTMENT, 0, CTX_NONE, 1 },
};
#define NLABELS	(sizeof(labels) / sizeof(labels[0]))

static int
ctx_field(const struct label *l, enum ctx c, double *factor)
{
	if (l->field >= 0)
		return l->field;
	if (l->field == F_REFNAME || l->field == F_SENDER)
		return FIELD_REFERRING_HOSPITAL;
	if (l->field == F_COVERPAT)
		return FIELD_PATIENT_NAME;
	if (l->field == F_TO)
		return -1;
	/* the recipient's numbers and address are ours, not the sender's;
	 * a 氏名 is no longer the recipient's block (a dedicated form's
	 * patient right under its 御中) */
	if (c == CTX_RECIPIENT && l->kind != 0)
		return -1;
	switch (l->kind) {
	case 0:		/* 氏名 */
		if (c == CTX_REFERRER)
			return FIELD_REFERRING_DOCTOR;
		if (c == CTX_APPLICANT)
			return FIELD_APPLICANT_NAME;
		if (c == CTX_NONE || c == CTX_RECIPIENT)
			*factor *= 0.9;
		return FIELD_PATIENT_NAME;
	case 1:		/* phone */
		if (c == CTX_REFERRER)
			return FIELD_REFERRING_PHONE;
		if (c == CTX_APPLICANT)
			return FIELD_APPLICANT_PHONE;
		if (c == CTX_NONE)
			*factor *= 0.75;
		return FIELD_PATIENT_PHONE;
	case 2:		/* fax */
		if (c == CTX_APPLICANT || c == CTX_PATIENT)
			return FIELD_APPLICANT_FAX;
		if (c == CTX_NONE)
			*factor *= 0.75;
		return FIELD_REFERRING_FAX;
	default:	/* address */
		if (c == CTX_REFERRER)
			return -1;
		if (c == CTX_APPLICANT)
			return FIELD_APPLICANT_ADDRESS;
		return FIELD_PATIENT_ADDRESS;
	}
}

/* One line of words, squashed, with each byte's word. */
struct line {
	char	 s[LINE_MAX_BYTES];
	short	 word[LINE_MAX_BYTES];	/* index into the page's words */
	size_t	 len;
	int	 first, nwords;
};

static int
wide_gap(const struct extract_word *a, const struct extract_word *b)
{
	int gap = b->x - (a->x + a->w), h = a->h > b->h ? a->h : b->h;

	return h > 0 && gap * 10 >= h * 6;
}

/* A gap of three characters or more: a new item of the line. */
static int
huge_gap(const struct extract_word *a, const struct extract_word *b)
{
	int gap = b->x - (a->x + a->w), h = a->h > b->h ? a->h : b->h;

	return h > 0 && gap >= h * 3;
}

static void
line_build(const struct extract_word *w, size_t first, size_t end,
    struct line *l)
{
	size_t i;
	char tmp[LINE_MAX_BYTES];

	l->len = 0;
	l->first = (int)first;
	l->nwords = (int)(end - first);
	for (i = first; i < end; i++) {
		size_t k;
		squash_into(w[i].text, tmp, sizeof(tmp));
		k = strlen(tmp);
		if (l->len + k + 1 >= sizeof(l->s))
			break;
		memcpy(l->s + l->len, tmp, k);
		for (size_t j = 0; j < k; j++)
			l->word[l->len + j] = (short)(i - first);
		l->len += k;
	}
	l->s[l->len] = '\0';
}

/* Confidence and box of bytes [a, b) of a line. */
static double
span_conf(const struct extract_word *w, const struct line *l, size_t a,
    size_t b, int *x, int *y, int *bw, int *bh)
{
	double sum = 0, mn = 100;
	int n = 0, last = -1, x0 = 1 << 30, y0 = 1 << 30, x1 = 0, y1 = 0;

	for (size_t i = a; i < b && i < l->len; i++) {
		int wi = l->first + l->word[i];
		const struct extract_word *ww;
		if (wi == last)
			continue;
		last = wi;
		ww = &w[wi];
		sum += ww->conf;
		if (ww->conf < mn)
			mn = ww->conf;
		n++;
		x0 = ww->x < x0 ? ww->x : x0;
		y0 = ww->y < y0 ? ww->y : y0;
		x1 = ww->x + ww->w > x1 ? ww->x + ww->w : x1;
		y1 = ww->y + ww->h > y1 ? ww->y + ww->h : y1;
	}
	if (n == 0)
		return 0;
	*x = x0;
	*y = y0;
	*bw = x1 - x0;
	*bh = y1 - y0;
	return (sum / n + mn) / 2 / 100;
}

/* s (after blanks) begins with a relationship word of one to three
 * letters (母, 妻, 配偶者); lines are matched without their spaces. */
static int
relationship_follows(const char *s)
{
	char w[16];
	size_t n = 0;
	enum norm_rel r;
	double pen;

	s += strspn(s, " \t");
	for (int k = 0; k < 3 && (unsigned char)s[n] >= 0xe0; k++) {
		n += 3;
		if (strlen(s) < n)
			return 0;
		memcpy(w, s, n);
		w[n] = '\0';
		pen = 0;
		if (norm_relationship(w, &r, &pen) == 0 && pen == 0)
			return 1;
	}
	return 0;
}

/* The label of the table with this text. */
static const struct label *
label_named(const char *text)
{
	for (size_t i = 0; i < NLABELS; i++)
		if (strcmp(labels[i].text, text) == 0)
			return &labels[i];
	return NULL;
}

/* Find the label at position p of s (longest); NULL if none. */
static const struct label *
label_at(const char *s, size_t *len)
{
	const struct label *best = NULL;
	size_t bl = 0;

	for (size_t i = 0; i < NLABELS; i++) {
		size_t k = strlen(labels[i].text);
		/* English labels of a word or more in any case (OCR's
		 * DateoFbirth); TEL not inside Hotel */
		if (k > bl && (strncmp(s, labels[i].text, k) == 0 ||
		    (k >= 6 && (unsigned char)labels[i].text[0] < 0x80 &&
		    strncasecmp(s, labels[i].text, k) == 0))) {
			best = &labels[i];
			bl = k;
		}
	}
	/* 生年月日 with its 月 misread (生年用日, 生年円日) */
	if (bl < 12 && strncmp(s, "生年", 6) == 0 &&
	    (unsigned char)s[6] >= 0xe0 && strncmp(s + 9, "日", 3) == 0) {
		best = label_named("生年月日");
		bl = 12;
	}
	/* 患者氏名 with two letters misread (加者臣名): a letter, 者, a
	 * letter, 名, unless the 者 is an applicant's or the insured's
	 * (申込者, 相談者, 申請者, 被保険者) */
	if (bl < 12 && (unsigned char)s[0] >= 0xe4 &&
	    strncmp(s + 3, "者", 3) == 0 && (unsigned char)s[6] >= 0xe4 &&
	    strncmp(s + 9, "名", 3) == 0 && strncmp(s, "込", 3) != 0 &&
	    strncmp(s, "談", 3) != 0 && strncmp(s, "請", 3) != 0 &&
	    strncmp(s, "険", 3) != 0) {
		best = label_named("患者氏名");
		bl = 12;
	}
	/* 申込者の続柄 with its 続 misread (締柄, 欠柄) */
	if (bl == 0 && strncmp(s, "の", 3) == 0 &&
	    (unsigned char)s[3] >= 0xe4 && strncmp(s + 6, "柄", 3) == 0) {
		best = label_named("続柄");
		bl = 9;
	}
	/* or both its letters read as one (申込者の貫 母), when a
	 * relationship follows */
	if (bl < 15 && strncmp(s, "申込者の", 12) == 0 &&
	    (unsigned char)s[12] >= 0xe4 && relationship_follows(s + 15)) {
		best = label_named("続柄");
		bl = 15;
	}
	*len = bl;
	return best;
}

/*
 * A misread 生年月日 (label text at pos of line s, the j'th label of the
 * line): the first word of its line, one letter before 年月日 or one or
 * two before 月日, none of them the start of another date's label
 * (申込年月日, 記入年月日, 受付月日).
 */
static int
misread_birth_label(const char *s, size_t pos, const char *text, size_t j)
{
	static const char *const other[] = { "申", "記", "作", "受", "検",
	    "採", "診", "紹", "依", "発", "送", "入", "込", "付", NULL };
	size_t maxpos = strcmp(text, "年月日") == 0 ? 3 : 6;

	if (j != 0 || pos == 0 || pos > maxpos || pos % 3 != 0)
		return 0;
	for (size_t k = 0; k < pos; k += 3) {
		if ((unsigned char)s[k] < 0xe0)
			return 0;	/* a digit, a Latin letter */
		for (int o = 0; other[o]; o++)
			if (strncmp(s + k, other[o], 3) == 0)
				return 0;
	}
	return 1;
}

static int	kana_only(const char *, size_t);

static int
hospital_like(const char *s)
{
	static const char *w[] = { "病院", "医院", "クリニック", "診療所",
	    "センター", "医療センター", "Hospital", "Clinic", NULL };
	size_t n = strlen(s);
	char fx[256];

	for (int i = 0; w[i]; i++)
		if (strstr(s, w[i]))
			return 1;
	if (n < sizeof(fx) && snprintf(fx, sizeof(fx), "%s", s) > 0 &&
	    hospital_kind_fix(fx, sizeof(fx)))
		return 1;
	/* a practice named after its speciality (山の手消化器内科,
	 * あおば耳鼻咽喉科): a line of four or more letters ending in 科
	 * with no digits */
	if (n >= 12 && strcmp(s + n - 3, "科") == 0 &&
	    strpbrk(s, "0123456789") == NULL)
		return 1;
	return 0;
}

/* A report's title line (検査結果報告書, 読影レポート), not its issuer. */
static int
report_title(const char *s)
{
	static const char *const w[] = { "報告", "結果", "検査", "診断",
	    "レポート", "所見", NULL };

	for (int i = 0; w[i]; i++)
		if (strstr(s, w[i]))
			return 1;
	return 0;
}

int
extract_is_number(enum field_id id)
{
	return phone_field(id);
}

int
extract_is_hospital(const char *s)
{
	return s != NULL && hospital_like(s);
}

/* Where the item of line l that begins at byte a ends (before b): at the
 * first gap of three characters between two words. */
static size_t
item_end(const struct extract_word *w, const struct line *l, size_t a,
    size_t b)
{
	for (size_t i = a + 1; i < b; i++)
		if (l->word[i] != l->word[i - 1] &&
		    huge_gap(&w[l->first + l->word[i - 1]],
		    &w[l->first + l->word[i]]))
			return i;
	return b;
}

static void
add_field(const struct extract_word *w, const struct line *l, size_t a,
    size_t b, int field, double factor, int page, struct extract_field *out,
    size_t max, size_t *n, size_t first)
{
	char raw[EXTRACT_VALUE_MAX];
	struct extract_field f, *replace = NULL;
	double oc;
	size_t len = b - a;
	int rc;

	if (len == 0)
		return;
	/* an earlier value of the field that did not validate (the title
	 * "FAX送信のご案内" read as a FAX number) gives way to a later one */
	for (size_t i = first; i < *n; i++)
		if ((int)out[i].id == field) {
			if (out[i].confidence > CAP_INVALID &&
			    out[i].source != EXTRACT_SRC_GUESS)
				return;
			replace = &out[i];
		}
	if (replace == NULL && *n >= max)
		return;
	if (len >= sizeof(raw))
		len = sizeof(raw) - 1;
	memcpy(raw, l->s + a, len);
	raw[len] = '\0';
	if (field == FIELD_PATIENT_NAME || field == FIELD_APPLICANT_NAME ||
	    field == FIELD_REFERRING_DOCTOR || field == FIELD_DESIRED_DOCTOR ||
	    field == FIELD_PATIENT_NAME_KANA) {
		/* a gap of more than half a character between two words is
		 * a written space (姓 名): keep it as U+3000 */
		size_t k = 0, e = item_end(w, l, a, a + len);
		for (size_t i = a; i < e && k + 4 < sizeof(raw); i++) {
			if (i > a && l->word[i] != l->word[i - 1] &&
			    wide_gap(&w[l->first + l->word[i - 1]],
			    &w[l->first + l->word[i]])) {
				memcpy(raw + k, "\u3000", 3);
				k += 3;
			} else if (i > a && l->word[i] != l->word[i - 1] &&
			    isalpha((unsigned char)l->s[i]) &&
			    isalpha((unsigned char)l->s[i - 1]))
				raw[k++] = ' ';	/* Misaki DOMEKI */
			raw[k++] = l->s[i];
		}
		raw[k] = '\0';
	}
	if (field == FIELD_PATIENT_NAME || field == FIELD_APPLICANT_NAME ||
	    field == FIELD_REFERRING_DOCTOR) {
		/* a name ends where the next item of the line begins, even
		 * when OCR garbled that item's label (性列 for 性別) */
		static const char *const stop[] = { "性", "生年", "年齢", "(",
		    "住所", "電話", "TEL", "職業", "様", "殿", "印", "欄",
		    "|", "]", NULL };
		char *q;
		/* a rule or box edge read before the name */
		q = raw;
		while (*q == '|' || *q == '[' || *q == '!' || *q == ' ')
			q++;
		if (q > raw)
			memmove(raw, q, strlen(q) + 1);
		for (int k = 0; stop[k]; k++) {
			q = strstr(raw, stop[k]);
			if (q && q > raw)
				*q = '\0';
		}
		/* the sex and age of the line (男 46歳) after the name */
		for (q = raw; *q; q++)
			if ((strncmp(q, "男", 3) == 0 || strncmp(q, "女", 3) ==
			    0) && q > raw && q[3] >= '0' && q[3] <= '9') {
				*q = '\0';
				break;
			}
		/* 様 apart after the name, as a fax misreads it (株, 桜):
		 * a lone last letter after a gap */
		{
			static const char *const sama[] = { "株", "桜", "楼",
			    "横", NULL };
			size_t rl = strlen(raw);
			for (int k = 0; sama[k] && rl > 9; k++)
				if (strcmp(raw + rl - 3, sama[k]) == 0 &&
				    (raw[rl - 4] == ' ' || strncmp(raw + rl - 6,
				    "\u3000", 3) == 0)) {
					raw[rl - 3] = '\0';
					break;
				}
		}
	}
	if (field == FIELD_APPLICANT_RELATIONSHIP) {
		/* the next item of a cover sheet's line: 本人の来院 あり */
		char *q = strstr(raw, "本人の");
		if (q == NULL)
			q = strstr(raw, "来院");
		if (q && q > raw)
			*q = '\0';
	}
	if (field == FIELD_DEPARTMENT) {
		/* the next item of a cover sheet: 相談方法 */
		char *q = strstr(raw, "相談");
		if (q && q > raw)
			*q = '\0';
	}
	memset(&f, 0, sizeof(f));
	oc = span_conf(w, l, a, b, &f.x, &f.y, &f.w, &f.h);
	if ((rc = extract_value((enum field_id)field, skip_seps(raw), oc,
	    &f)) < 0)
		return;
	f.confidence *= factor;
	f.page = page;
	f.source = EXTRACT_SRC_LABEL;
	if (replace) {
		if (rc == 0)
			*replace = f;
		return;
	}
	out[(*n)++] = f;
}

/* Whether line i is a hospital's name heading the sender's block. */
static int
referrer_block(const struct line *lines, size_t nl, size_t i)
{
	static const char *const to[] = { "御中", "先生", "御侍史", "侍史",
	    "御机下", "机下", "殿", "様", NULL };
	size_t kk;

	if (lines[i].len > 60 || !hospital_like(lines[i].s) ||
	    label_at(lines[i].s, &kk) != NULL ||
	    strpbrk(lines[i].s, "0123456789") != NULL)
		return 0;
	for (size_t k = i; k < nl && k <= i + 1; k++)
		for (int t = 0; to[t]; t++)
			if (strstr(lines[k].s, to[t]))
				return 0;
	for (size_t k = i + 1; k < nl && k <= i + 2; k++)
		if (strncmp(lines[k].s, "〒", 3) == 0 ||
		    strncasecmp(lines[k].s, "TEL", 3) == 0 ||
		    strncmp(lines[k].s, "電話", 6) == 0)
			return 1;
	return 0;
}

/*
 * The name under its reading in a stacked フリガナ/氏名 cell: the line
 * below line i, after the cell's rule (|) when OCR read one, unless that
 * line holds a label of its own.
 */
static void
stacked_name(const struct extract_word *words, const struct line *lines,
    size_t nl, size_t i, double factor, int page, struct extract_field *out,
    size_t max, size_t *n, size_t first)
{
	const struct line *nx;
	const char *bar;
	size_t a = 0, kk;

	if (i + 1 >= nl)
		return;
	nx = &lines[i + 1];
	if (label_at(nx->s, &kk) != NULL)
		return;
	if ((bar = strrchr(nx->s, '|')) != NULL)
		a = (size_t)(bar - nx->s) + 1;
	add_field(words, nx, a, nx->len, FIELD_PATIENT_NAME, factor * 0.9,
	    page, out, max, n, first);
}

int
extract_labels(const struct extract_word *words, size_t nwords,
    enum doc_type type, int page, struct extract_field *out, size_t max,
    size_t *n)
{
	struct line *lines = NULL;
	size_t nl = 0, i, nseen, first;
	enum ctx ctx = CTX_NONE;

	if ((words == NULL && nwords) || out == NULL || n == NULL)
		return -EINVAL;
	first = *n;
	/* lines */
	{
		size_t cap = 0;
		for (i = 0; i < nwords; ) {
			size_t j = i;
			while (j < nwords && words[j].line == words[i].line &&
			    j - i < MAX_WORDS_LINE)
				j++;
			if (nl == cap) {
				size_t nc = cap ? cap * 2 : 32;
				struct line *t;
				if (nc > 2048)
					break;
				if ((t = realloc(lines, nc * sizeof(*t))) ==
				    NULL) {
					free(lines);
					return -ENOMEM;
				}
				lines = t;
				cap = nc;
			}
			line_build(words, i, j, &lines[nl++]);
			i = j;
		}
	}
	/* a report names its hospital in a line of its own at the top,
	 * under the fax header line */
	if (type == DOC_LAB_RESULTS || type == DOC_IMAGING_REPORT ||
	    type == DOC_PATHOLOGY_REPORT) {
		size_t guess = 0;
		for (i = 1, nseen = 0; i < nl && nseen < 3; i++) {
			size_t kk;
			if (lines[i].len == 0)
				continue;	/* lines of rules or specks */
			nseen++;
			if (lines[i].len > 60 || label_at(lines[i].s, &kk) ||
			    strpbrk(lines[i].s, "0123456789/:") != NULL)
				continue;
			if (hospital_like(lines[i].s)) {
				add_field(words, &lines[i], 0, lines[i].len,
				    FIELD_REFERRING_HOSPITAL, 0.75, page, out,
				    max, n, first);
				guess = 0;
				break;
			}
			/* the first line above the title, garbled past
			 * recognition as a hospital (みみだり向料タリーッツ) */
			if (guess == 0 && nseen == 1 && lines[i].len >= 12 &&
			    !report_title(lines[i].s))
				guess = i;
		}
		if (guess) {
			size_t k0 = *n;
			add_field(words, &lines[guess], 0, lines[guess].len,
			    FIELD_REFERRING_HOSPITAL, 0.5, page, out, max, n,
			    first);
			if (*n > k0)
				out[k0].source = EXTRACT_SRC_GUESS;
		}
	}
	for (i = 0; i < nl; i++) {
		struct line *l = &lines[i];
		size_t pos[16], plen[16], np = 0, p = 0;

		/* a letter of free layout (紹介状) or a cover sheet heads
		 * the sender's block with the hospital's name on a line of
		 * its own, its 〒 / address / TEL below; the addressee's
		 * name is followed by 御中 / 先生 / 御侍史 instead */
		if ((type == DOC_REFERRAL_LETTER || type ==
		    DOC_COVER_SHEET) && referrer_block(lines, nl, i)) {
			size_t k0 = *n;
			add_field(words, l, 0, l->len,
			    FIELD_REFERRING_HOSPITAL, 0.8, page, out, max, n,
			    first);
			if (*n > k0)
				ctx = CTX_REFERRER;
			continue;
		}
		const struct label *lab[16];

		/* the labels of this line, left to right */
		while (p < l->len && np < 16) {
			size_t k;
			const struct label *lb = label_at(l->s + p, &k);
			if (lb) {
				lab[np] = lb;
				pos[np] = p;
				plen[np++] = k;
				p += k;
			} else
				p++;
		}
		for (size_t j = 0; j < np; j++) {
			size_t a = pos[j] + plen[j];
			size_t b = j + 1 < np ? pos[j + 1] : l->len;
			double factor = lab[j]->factor;
			int field;

			/* 患者 as a label: only a cover sheet's message
			 * (患者 山田太郎 様の...); elsewhere running text */
			if (lab[j]->field == F_COVERPAT &&
			    (type != DOC_COVER_SHEET ||
			    strstr(l->s + pos[j], "様") == NULL))
				continue;
			if ((strcmp(lab[j]->text, "年月日") == 0 ||
			    strcmp(lab[j]->text, "月日") == 0) &&
			    !misread_birth_label(l->s, pos[j], lab[j]->text,
			    j))
				continue;
			/* 発信元 is a heading of its own line */
			if (lab[j]->field == F_SENDER && (pos[j] != 0 ||
			    l->len > plen[j] + 6))
				continue;
			if (lab[j]->sets != CTX_NONE)
				ctx = lab[j]->sets;
			/* a label not at the start of its line and not
			 * after another value is likely running text */
			if (j == 0 && pos[0] > 9)
				factor *= 0.7;
			field = ctx_field(lab[j], ctx, &factor);
			if (field < 0)
				continue;
			/* フリガナ/氏名 stacked in one cell: what is between
			 * the two labels is the slash (read ン or /), not a
			 * reading */
			if (field == FIELD_PATIENT_NAME_KANA && j + 1 < np &&
			    b - a <= 3 && ctx_field(lab[j + 1], ctx,
			    &(double){ 1 }) == FIELD_PATIENT_NAME)
				continue;
			/* ... the kana that follows is the reading, and the
			 * name is on the line below (五十嵐千代 under
			 * イガラシチヨ, after the cell's rule) */
			if (field == FIELD_PATIENT_NAME && j > 0 &&
			    lab[j - 1]->field == FIELD_PATIENT_NAME_KANA) {
				size_t s0 = a, e0;
				while (s0 < b && strchr("|[]!: ", l->s[s0]))
					s0++;
				e0 = item_end(words, l, s0, b);
				if (e0 > s0 && kana_only(l->s + s0, e0 - s0)) {
					field = FIELD_PATIENT_NAME_KANA;
					stacked_name(words, lines, nl, i, factor,
					    page, out, max, n, first);
				}
			}
			if (lab[j]->field == F_SENDER) {
				/* 発信元 on a cover sheet: a hospital's name
				 * on a line below, else (a patient or family
				 * sending) the applicant's name */
				size_t k, kk, m = first;
				int hosp = 0;
				/* numbers before it were the recipient's
				 * (御中 misread: 何中) */
				for (k = first; k < *n; k++)
					if (out[k].id != FIELD_REFERRING_FAX &&
					    out[k].id != FIELD_REFERRING_PHONE)
						out[m++] = out[k];
				*n = m;
				for (k = i + 1; k < nl && k <= i + 3; k++) {
					if (label_at(lines[k].s, &kk))
						break;
					if (hospital_like(lines[k].s)) {
						add_field(words, &lines[k], 0,
						    lines[k].len, field,
						    factor, page, out, max, n,
						    first);
						hosp = 1;
						break;
					}
				}
				if (!hosp && i + 1 < nl &&
				    label_at(lines[i + 1].s, &kk) == NULL) {
					ctx = CTX_APPLICANT;
					add_field(words, &lines[i + 1], 0,
					    lines[i + 1].len,
					    FIELD_APPLICANT_NAME, factor * 0.9,
					    page, out, max, n, first);
				}
				continue;
			}
			if (lab[j]->field == F_REFNAME) {
				/* value lines below: the hospital's name */
				for (size_t k = i + 1; k < nl && k <= i + 3;
				    k++) {
					size_t kk;
					if (label_at(lines[k].s, &kk))
						break;
					if (hospital_like(lines[k].s)) {
						add_field(words, &lines[k], 0,
						    lines[k].len, field,
						    factor, page, out, max, n,
						    first);
						break;
					}
				}
				continue;
			}
			while (a < b && (l->s[a] == ':' || l->s[a] == '.'))
				a++;
			if (b > a) {
				add_field(words, l, a, b, field, factor, page,
				    out, max, n, first);
				/* age in brackets after a birth date */
				if (field == FIELD_PATIENT_BIRTH_DATE) {
					char *q = strstr(l->s + a, "(");
					if (q && (size_t)(q - l->s) < b)
						add_field(words, l,
						    (size_t)(q - l->s), b,
						    FIELD_PATIENT_AGE, factor,
						    page, out, max, n, first);
				}
			} else if (j + 1 == np && i + 1 < nl &&
			    lab[j]->field != F_COVERPAT) {
				/* value below the label */
				size_t kk;
				struct line *nx = &lines[i + 1];
				if (label_at(nx->s, &kk) == NULL)
					add_field(words, nx, 0, nx->len, field,
					    factor * 0.9, page, out, max, n,
					    first);
			}
		}
		/* a patient's or family's cover sheet: "山田 太郎のセカンド
		 * オピニオン外来を申し込みます" */
		if (type == DOC_COVER_SHEET) {
			char *q = strstr(l->s, "のセカ");	/* セカガン */
			size_t a0 = 0;
			if (q && q - l->s >= 6 && q - l->s <= 48) {
				if (strncmp(l->s + 3, "者", 3) == 0)
					a0 = 6;		/* 患者 misread */
				add_field(words, l, a0, (size_t)(q - l->s),
				    FIELD_PATIENT_NAME, 0.75, page, out, max, n,
				    first);
			}
		}
		/* a consent form's "私(山田 太郎)は、妻の…": the patient
		 * who consents, where the 氏名 below did not read */
		if (type == DOC_CONSENT_FORM && strncmp(l->s, "私(", 4) == 0) {
			const char *e = strchr(l->s + 4, ')'), *r, *no;
			if (e && e - l->s <= 40)
				add_field(words, l, 4, (size_t)(e - l->s),
				    FIELD_PATIENT_NAME, 0.6, page, out, max, n,
				    first);
			/* ...)は、妻の山田 花子が: who applies for them */
			r = e ? e + 1 + (strncmp(e + 1, "は", 3) == 0 ? 3 : 0) :
			    NULL;
			if (r && (strncmp(r, "、", 3) == 0 || *r == ','))
				r += *r == ',' ? 1 : 3;
			no = r ? strstr(r, "の") : NULL;
			if (no && no > r && no - r <= 9)
				add_field(words, l, (size_t)(r - l->s),
				    (size_t)(no - l->s),
				    FIELD_APPLICANT_RELATIONSHIP, 0.6, page, out,
				    max, n, first);
		}
	}
	free(lines);
	return 0;
}

/* --- marks ----------------------------------------------------------------- */

static int
px(PIX *p, l_int32 w, l_int32 h, int x, int y)
{
	l_uint32 v;

	if (x < 0 || y < 0 || x >= w || y >= h)
		return 0;
	pixGetPixel(p, x, y, &v);
	return v != 0;
}

int
extract_checkbox(struct Pix *pix, int x, int y, int w, int h, int search,
    double *density, enum extract_mark *mark)
{
	l_int32 pw, ph;
	int best = -1, bx = x, by = y, dx, dy, i, ink = 0, tot = 0;
	double d;

	if (pix == NULL || density == NULL || mark == NULL || w < 4 ||
	    h < 4 || w > 400 || h > 400 || search < 0 || search > 40 ||
	    pixGetDepth(pix) != 1)
		return -EINVAL;
	pixGetDimensions(pix, &pw, &ph, NULL);
	/* outline search: where the perimeter holds the most ink */
	for (dy = -search; dy <= search; dy++)
		for (dx = -search; dx <= search; dx++) {
			int c = 0, x0 = x + dx, y0 = y + dy;
			for (i = 0; i < w; i++)
				c += px(pix, pw, ph, x0 + i, y0) +
				    px(pix, pw, ph, x0 + i, y0 + h - 1);
			for (i = 1; i < h - 1; i++)
				c += px(pix, pw, ph, x0, y0 + i) +
				    px(pix, pw, ph, x0 + w - 1, y0 + i);
			/* prefer the nominal place on ties */
			c = c * 64 - (abs(dx) + abs(dy));
			if (c > best) {
				best = c;
				bx = x0;
				by = y0;
			}
		}
	for (int yy = by + h / 4; yy < by + h - h / 4; yy++)
		for (int xx = bx + w / 4; xx < bx + w - w / 4; xx++) {
			ink += px(pix, pw, ph, xx, yy);
			tot++;
		}
	d = tot ? (double)ink / tot : 0;
	*density = d;
	if (d < 0.05)
		*mark = EXTRACT_MARK_EMPTY;
	else if (d < 0.10)
		*mark = EXTRACT_MARK_UNSURE;
	else if (d <= 0.6)
		*mark = EXTRACT_MARK_TICKED;
	else
		*mark = EXTRACT_MARK_FILLED;
	return 0;
}

int
extract_circle(struct Pix *pix, int x, int y, int w, int h, double *score)
{
	l_int32 pw, ph;
	PIX *clip, *hl, *vl, *clean;
	BOX *box;
	int mx, my, cx0, cy0, cw, ch, sectors[12] = { 0 }, nsec = 12, lit = 0;
	double ox, oy, rx_in, ry_in, rx_out, ry_out;

	if (pix == NULL || score == NULL || w < 2 || h < 2 ||
	    pixGetDepth(pix) != 1)
		return -EINVAL;
	pixGetDimensions(pix, &pw, &ph, NULL);
	mx = h;			/* margin around the label */
	my = h * 3 / 4;
	cx0 = x - mx < 0 ? 0 : x - mx;
	cy0 = y - my < 0 ? 0 : y - my;
	cw = (x + w + mx > pw ? pw : x + w + mx) - cx0;
	ch = (y + h + my > ph ? ph : y + h + my) - cy0;
	if (cw < 8 || ch < 8)
		return -EINVAL;
	box = boxCreate(cx0, cy0, cw, ch);
	clip = pixClipRectangle(pix, box, NULL);
	boxDestroy(&box);
	if (clip == NULL)
		return -ENOMEM;
	/* remove rules that cross the whole region (table lines) */
	hl = pixOpenCompBrick(NULL, clip, cw - 2, 1);
	vl = pixOpenCompBrick(NULL, clip, 1, ch - 2);
	clean = pixCopy(NULL, clip);
	if (hl)
		pixSubtract(clean, clean, hl);
	if (vl)
		pixSubtract(clean, clean, vl);
	/* ring: outside the label's ellipse, inside the margin's */
	ox = x - cx0 + w / 2.0;
	oy = y - cy0 + h / 2.0;
	rx_in = w / 2.0 + 1;
	ry_in = h / 2.0 + 1;
	rx_out = w / 2.0 + mx;
	ry_out = h / 2.0 + my;
	for (int yy = 0; yy < ch; yy++)
		for (int xx = 0; xx < cw; xx++) {
			double ex = (xx - ox), ey = (yy - oy);
			double din, dout;
			l_uint32 v;
			if (xx >= x - cx0 && xx < x - cx0 + w &&
			    yy >= y - cy0 && yy < y - cy0 + h)
				continue;	/* the label itself */
			din = (ex * ex) / (rx_in * rx_in) +
			    (ey * ey) / (ry_in * ry_in);
			dout = (ex * ex) / (rx_out * rx_out) +
			    (ey * ey) / (ry_out * ry_out);
			if (din < 1 || dout > 1.15)
				continue;
			pixGetPixel(clean, xx, yy, &v);
			if (v) {
				double a = atan2(ey / ry_out, ex / rx_out);
				int s = (int)((a + M_PI) / (2 * M_PI) * nsec);
				sectors[s < 0 ? 0 : s >= nsec ? nsec - 1 : s]++;
			}
		}
	for (int s = 0; s < nsec; s++)
		if (sectors[s] >= 2)
			lit++;
	*score = (double)lit / nsec;
	pixDestroy(&clip);
	pixDestroy(&hl);
	pixDestroy(&vl);
	pixDestroy(&clean);
	return 0;
}

/* --- forms ----------------------------------------------------------------- */

/* A filled square of about 5 mm near (cx, cy) page px; 0 if found. */
static int
find_mark(PIX *pix, int cx, int cy, int win, int sidex, int sidey,
    double *fx, double *fy)
{
	BOX *b;
	PIX *clip;
	BOXA *ba;
	l_int32 i, n, bx, by, bw, bh, x0, y0, pw, ph;
	int found = 0;
	double bestd = 1e18;

	pixGetDimensions(pix, &pw, &ph, NULL);
	x0 = cx - win < 0 ? 0 : cx - win;
	y0 = cy - win < 0 ? 0 : cy - win;
	b = boxCreate(x0, y0, 2 * win, 2 * win);
	clip = pixClipRectangle(pix, b, NULL);
	boxDestroy(&b);
	if (clip == NULL)
		return -1;
	ba = pixConnComp(clip, NULL, 8);
	n = ba ? boxaGetCount(ba) : 0;
	for (i = 0; i < n; i++) {
		boxaGetBoxGeometry(ba, i, &bx, &by, &bw, &bh);
		if (bw < sidex * 0.7 || bw > sidex * 1.3 || bh < sidey * 0.7 ||
		    bh > sidey * 1.3)
			continue;
		{
			l_int32 cnt = 0;
			BOX *bb = boxCreate(bx, by, bw, bh);
			PIX *c2 = pixClipRectangle(clip, bb, NULL);
			boxDestroy(&bb);
			if (c2) {
				pixCountPixels(c2, &cnt, NULL);
				pixDestroy(&c2);
			}
			if (cnt < 0.8 * bw * bh)
				continue;
		}
		double mx = x0 + bx + bw / 2.0, my = y0 + by + bh / 2.0;
		double d = (mx - cx) * (mx - cx) + (my - cy) * (my - cy);
		if (d < bestd) {
			bestd = d;
			*fx = mx;
			*fy = my;
			found = 1;
		}
	}
	boxaDestroy(&ba);
	pixDestroy(&clip);
	return found ? 0 : -1;
}

int
extract_align_marks(struct Pix *pix, int xres, int yres,
    struct extract_align *ret)
{
	/* form.c: 5 mm marks centred 8 mm from each corner */
	static const double mmx[4] = { 8, 202, 8, 202 };
	static const double mmy[4] = { 8, 8, 289, 289 };
	double fx[4], fy[4], sx, sy;
	int ok[4], nok = 0, i;
	l_int32 pw, ph;

	if (pix == NULL || ret == NULL || xres <= 0 || yres <= 0)
		return -EINVAL;
	pixGetDimensions(pix, &pw, &ph, NULL);
	sx = xres / 25.4;
	sy = yres / 25.4;
	/* nominal: A4 centred in the page width, top aligned */
	ret->ax = sx;
	ret->bx = (pw - 210 * sx) / 2;
	ret->ay = sy;
	ret->by = 0;
	ret->marks = 0;
	for (i = 0; i < 4; i++) {
		int cx = (int)(ret->ax * mmx[i] + ret->bx);
		int cy = (int)(ret->ay * mmy[i] + ret->by);
		ok[i] = find_mark(pix, cx, cy, (int)(12 * sx), (int)(5 * sx),
		    (int)(5 * sy), &fx[i], &fy[i]) == 0;
		nok += ok[i];
	}
	ret->marks = nok;
	ret->angle = 0;
	{
		double as = 0;
		int na = 0;
		/* in mm, so that non-square pixels do not bend it */
		if (ok[0] && ok[1]) {
			as += atan2((fy[1] - fy[0]) / sy, (fx[1] - fx[0]) / sx);
			na++;
		}
		if (ok[2] && ok[3]) {
			as += atan2((fy[3] - fy[2]) / sy, (fx[3] - fx[2]) / sx);
			na++;
		}
		if (ok[0] && ok[2]) {
			as += atan2(-(fx[2] - fx[0]) / sx, (fy[2] - fy[0]) / sy);
			na++;
		}
		if (ok[1] && ok[3]) {
			as += atan2(-(fx[3] - fx[1]) / sx, (fy[3] - fy[1]) / sy);
			na++;
		}
		if (na)
			ret->angle = as / na;
	}
	/* fit x from left/right pairs and y from top/bottom pairs */
	{
		double sxa = 0, sya = 0;
		int nx = 0, ny = 0;
		if (ok[0] && ok[1]) {
			sxa += (fx[1] - fx[0]) / 194.0;
			nx++;
		}
		if (ok[2] && ok[3]) {
			sxa += (fx[3] - fx[2]) / 194.0;
			nx++;
		}
		if (ok[0] && ok[2]) {
			sya += (fy[2] - fy[0]) / 281.0;
			ny++;
		}
		if (ok[1] && ok[3]) {
			sya += (fy[3] - fy[1]) / 281.0;
			ny++;
		}
		if (nx)
			ret->ax = sxa / nx;
		if (ny)
			ret->ay = sya / ny;
		if (nok) {
			double bx = 0, by = 0;
			for (i = 0; i < 4; i++)
				if (ok[i]) {
					bx += fx[i] - ret->ax * mmx[i];
					by += fy[i] - ret->ay * mmy[i];
				}
			ret->bx = bx / nok;
			ret->by = by / nok;
		}
	}
	return 0;
}

static void
to_px(const struct extract_align *al, const struct render_box *b, int *x,
    int *y, int *w, int *h)
{
	*x = (int)lround(al->ax * b->x + al->bx);
	*y = (int)lround(al->ay * b->y + al->by);
	*w = (int)lround(al->ax * b->w);
	*h = (int)lround(al->ay * b->h);
}

/*
 * OCR one zone; raw text into out; returns confidence 0..1.  The zone is
 * cut inside its box by inset pixels and the box's rules (lines longer
 * than minrule pixels, across or down) are erased first: read with them,
 * Tesseract turns them into |, ー and ... around the value.
 */
static double
zone_ocr(struct ocr *ocr, PIX *pix, int x, int y, int w, int h, int inset,
    int minrule, enum ocr_psm psm, char *out, size_t outsz, long long *usec)
{
	struct ocr_result r;
	struct ocr_rect rc;
	double conf = 0, mn = 100, sum = 0;
	PIX *clip = NULL, *hl, *vl;
	BOX *box;
	size_t i;
	int n = 0;

	out[0] = '\0';
	if (ocr == NULL)
		return 0;
	/* across only a little: values are written right up to the left
	 * edge of their box (the rules are erased below anyway) */
	if (w - 4 >= 12 && h - 2 * inset >= 12) {
		x += 2;
		y += inset;
		w -= 4;
		h -= 2 * inset;
	}
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if ((box = boxCreate(x, y, w, h)) == NULL)
		return 0;
	clip = pixClipRectangle(pix, box, NULL);
	boxDestroy(&box);
	if (clip == NULL)
		return 0;
	if (minrule > 4) {
		/* A rule crosses the zone; a written stroke does not: a
		 * handwritten 木 or 一 is longer than minrule, and erasing
		 * it made 木 read 大.  Across: half the zone's width; down:
		 * three quarters of its height. */
		int hmin = w / 2 > minrule ? w / 2 : minrule;
		int vmin = h * 3 / 4 > minrule * 2 / 3 ? h * 3 / 4 :
		    minrule * 2 / 3;
		if (vmin > h - 2)
			vmin = h - 2;
		hl = pixOpenBrick(NULL, clip, hmin, 1);
		/* a fax streak down the page has gaps: bridge them */
		if ((vl = pixCloseBrick(NULL, clip, 1, 7)) != NULL) {
			pixOpenBrick(vl, vl, 1, vmin);
			pixAnd(vl, vl, clip);
		}
		if (hl) {
			hl = pixDilateBrick(hl, hl, 3, 3);
			pixSubtract(clip, clip, hl);
		}
		if (vl) {
			vl = pixDilateBrick(vl, vl, 3, 1);
			pixSubtract(clip, clip, vl);
		}
		pixDestroy(&hl);
		pixDestroy(&vl);
	}
	pixCountPixels(clip, &n, NULL);
	if (n < 12) {		/* blank: not worth a recognition */
		pixDestroy(&clip);
		return 0;
	}
	rc.x = 0;
	rc.y = 0;
	rc.w = pixGetWidth(clip);
	rc.h = pixGetHeight(clip);
	if (ocr_recognize(ocr, clip, &rc, psm, pixGetYRes(pix), &r) != 0) {
		*usec += r.usec;
		ocr_result_clear(&r);
		pixDestroy(&clip);
		return 0;
	}
	pixDestroy(&clip);
	*usec += r.usec;
	for (i = 0; i < r.nwords; i++) {
		sum += r.words[i].conf;
		if (r.words[i].conf < mn)
			mn = r.words[i].conf;
	}
	if (r.nwords)
		conf = (sum / r.nwords + mn) / 2 / 100;
	/* the words, with U+3000 where the writer left a gap (姓 名) and a
	 * space between lines */
	{
		size_t k = 0;
		for (i = 0; i < r.nwords; i++) {
			const struct ocr_word *a = &r.words[i];
			const char *sep = "";
			if (i > 0 && r.words[i - 1].line != a->line)
				sep = " ";
			else if (i > 0) {
				struct extract_word wa = { NULL,
				    r.words[i - 1].box.x, 0,
				    r.words[i - 1].box.w, r.words[i - 1].box.h,
				    0, 0 }, wb = { NULL, a->box.x, 0, a->box.w,
				    a->box.h, 0, 0 };
				if (wide_gap(&wa, &wb))
					sep = "\u3000";
			}
			if (k + strlen(sep) + strlen(a->text) + 1 > outsz)
				break;
			k += (size_t)snprintf(out + k, outsz - k, "%s%s", sep,
			    a->text);
		}
	}
	ocr_result_clear(&r);
	return conf;
}

/* Strip what the form prints inside a writing area (TEL, FAX, 〒,
 * （満 … 歳）, (自署), (ご希望がある場合) …). */
static void
strip_printed(char *s)
{
	static const char *pre[] = { "TEL", "FAX", "〒", "(満", "（満", NULL };
	static const char *post[] = { "歳)", "歳）", "(自署)", "（自署）",
	    "(ご希望がある場合)", "（ご希望がある場合）",
	    "(患者さん本人の場合は記入不要)",
	    "（患者さん本人の場合は記入不要）", NULL };
	char *p;
	int i;

	for (i = 0; pre[i]; i++) {
		char *q = s;
		while (*q == ' ')
			q++;
		if (strncmp(q, pre[i], strlen(pre[i])) == 0)
			memmove(s, q + strlen(pre[i]),
			    strlen(q + strlen(pre[i])) + 1);
	}
	for (i = 0; post[i]; i++)
		if ((p = strstr(s, post[i])) != NULL)
			*p = '\0';
}

/* Zones holding only digits (phone numbers, the age). */
static int
digit_field(int fid)
{
	return fid == FIELD_PATIENT_PHONE || fid == FIELD_APPLICANT_PHONE ||
	    fid == FIELD_APPLICANT_FAX || fid == FIELD_REFERRING_PHONE ||
	    fid == FIELD_REFERRING_FAX || fid == FIELD_PATIENT_AGE;
}

/* Dev split: patient names 82.2 -> 82.8 %, applicants' 64.8 -> 68.5 %
 * on fine pages, none worse. */
int
extract_better_name(enum field_id id, const char *a, double ca,
    const char *b, double cb)
{
	struct extract_field fa, fb;
	char ta[EXTRACT_VALUE_MAX], tb[EXTRACT_VALUE_MAX];
	int sa, sb;

	if (id != FIELD_PATIENT_NAME && id != FIELD_APPLICANT_NAME)
		return cb > ca;
	snprintf(ta, sizeof(ta), "%s", a);
	snprintf(tb, sizeof(tb), "%s", b);
	strip_printed(ta);
	strip_printed(tb);
	memset(&fa, 0, sizeof(fa));
	memset(&fb, 0, sizeof(fb));
	if (extract_value(id, ta, ca, &fa) != 0 ||
	    extract_value(id, tb, cb, &fb) != 0 ||
	    (sa = extract_name_score(fa.value)) ==
	    (sb = extract_name_score(fb.value)))
		return cb > ca;
	return sb > sa;
}

/* Marks of a CHOICE/MULTI/DATE field: which options are chosen. */
static int
read_options(PIX *pix, const struct extract_align *al,
    const struct form_field *ff, int *chosen, double *conf)
{
	double dens[32], circ[32], best = 0, second = 0;
	enum extract_mark mk[32];
	size_t i, no = ff->noptions < 32 ? ff->noptions : 32;
	int nt = 0, ncirc = 0, search;

	search = (int)(al->ax * 1.0) + (al->marks ? 0 : 8);
	for (i = 0; i < no; i++) {
		int x, y, w, h;
		to_px(al, &ff->options[i].box, &x, &y, &w, &h);
		if (extract_checkbox(pix, x, y, w, h, search, &dens[i],
		    &mk[i]) != 0) {
			dens[i] = 0;
			mk[i] = EXTRACT_MARK_UNSURE;
		}
		to_px(al, &ff->options[i].label_box, &x, &y, &w, &h);
		if (extract_circle(pix, x, y, w, h, &circ[i]) != 0)
			circ[i] = 0;
		chosen[i] = mk[i] == EXTRACT_MARK_TICKED ||
		    mk[i] == EXTRACT_MARK_FILLED;
		nt += chosen[i];
		if (circ[i] > best) {
			second = best;
			best = circ[i];
		} else if (circ[i] > second)
			second = circ[i];
	}
	*conf = 0.95;
	for (i = 0; i < no; i++)
		if (mk[i] == EXTRACT_MARK_UNSURE)
			*conf = 0.5;
	/* circled option(s); a list of one (tohoku's てんかん科 box, with
	 * the department written beside it) has nothing to compare the
	 * ring with: writing near the label reads as a circle */
	/* a full ring clearly ahead of the rest is a circle too, but not
	 * a sure one: the ring test scores unmarked labels in a row of
	 * boxes 0.75-0.85 (dev split: relationship 89 -> 96 % on fine
	 * faxes, 52 -> 62 % on normal ones) */
	if (nt == 0 && no >= 2 && best >= 0.75 && (best - second >= 0.3 ||
	    (best >= 0.95 && best - second >= 0.15))) {
		/* circled option(s) */
		for (i = 0; i < no; i++)
			if (circ[i] == best) {
				chosen[i] = 1;
				ncirc++;
			}
		/* the ring test tells a circle from none, but on a dense
		 * list (departments) the ring of one label touches its
		 * neighbours': certain only among few options (男/女) */
		*conf = ncirc != 1 ? 0.4 : no <= 3 ? 0.85 : 0.7;
		if (best - second < 0.3 && *conf > 0.6)
			*conf = 0.6;
		nt = ncirc;
	}
	return nt;
}

int
extract_form(struct ocr *ocr, struct ocr *docr, struct Pix *pix, int xres,
    int yres, const struct form_layout *layout, int formpage, int page,
    struct extract_field *out, size_t max, size_t *n, long long *ocr_usec)
{
	struct extract_align al;
	PIX *rot = NULL;
	long long us = 0;
	struct ocr *zo;
	size_t i, o;
	int rc, inset, minrule;

	if (pix == NULL || layout == NULL || out == NULL || n == NULL ||
	    pixGetDepth(pix) != 1)
		return -EINVAL;
	if ((rc = extract_align_marks(pix, xres, yres, &al)) != 0)
		return rc;
	/* A skewed page moves the zones off their boxes (1.5 degrees is
	 * 25 px over a name box): straighten it by the marks first. */
	if (al.marks >= 2 && fabs(al.angle) > 0.0015 &&
	    fabs(al.angle) < 0.1 &&
	    (rot = pixRotateShearCenter(pix, -al.angle, L_BRING_IN_WHITE))
	    != NULL) {
		pix = rot;
		if ((rc = extract_align_marks(pix, xres, yres, &al)) != 0) {
			pixDestroy(&rot);
			return rc;
		}
	}
	inset = (int)lround(al.ax * 0.8);
	minrule = (int)lround(al.ax * 5);
	for (i = 0; i < layout->nfields && *n < max; i++) {
		const struct form_field *ff = &layout->fields[i];
		struct extract_field f;
		char raw[EXTRACT_VALUE_MAX];
		int fid, x, y, w, h, chosen[32];
		double conf, align_f = al.marks >= 3 ? 1.0 :
		    al.marks ? 0.85 : 0.6;

		if (ff->page != formpage)
			continue;
		if ((fid = field_id_parse(ff->id)) < 0)
			continue;	/* date, materials, signature */
		memset(&f, 0, sizeof(f));
		to_px(&al, &ff->box, &x, &y, &w, &h);
		switch (ff->kind) {
		case FORM_TEXT:
		case FORM_LINES:
			zo = digit_field(fid) && docr ? docr : ocr;
			if (zo && digit_field(fid))
				ocr_set_whitelist(zo, "0123456789-()TELFAX");
			conf = zone_ocr(zo, pix, x, y, w, h, inset, minrule,
			    ff->kind == FORM_LINES ? OCR_PSM_BLOCK :
			    OCR_PSM_LINE, raw, sizeof(raw), &us);
			if (zo && digit_field(fid))
				ocr_set_whitelist(zo, NULL);
			/* a written name: read by both models, the surer
			 * reading kept (dev split: patient names 69 -> 72 %,
			 * applicants' 44 -> 54 %; the script model alone
			 * reads fewer names right than jpn alone) */
			if (docr && (name_field((enum field_id)fid) ||
			    fid == FIELD_PATIENT_NAME_KANA)) {
				char r2[EXTRACT_VALUE_MAX];
				double c2 = zone_ocr(docr, pix, x, y, w, h,
				    inset, minrule, OCR_PSM_LINE, r2,
				    sizeof(r2), &us);
				if (extract_better_name((enum field_id)fid,
				    raw, conf, r2, c2)) {
					memcpy(raw, r2, sizeof(raw));
					conf = c2;
				}
			}
			strip_printed(raw);
			if (raw[strspn(raw, " ")] == '\0')
				continue;	/* left blank */
			if (extract_value((enum field_id)fid, raw, conf,
			    &f) < 0)
				continue;
			f.confidence *= align_f;
			break;
		case FORM_CHOICE:
		case FORM_MULTI: {
			int nt = read_options(pix, &al, ff, chosen, &conf);
			size_t k = 0;
			if (nt == 0)
				continue;
			if (ff->kind == FORM_CHOICE && nt > 1)
				conf = 0.3;	/* two ticked: cannot tell */
			else if (nt > 1 && conf > 0.6)
				conf = 0.6;	/* several: check (two depts) */
			f.id = (enum field_id)fid;
			raw[0] = '\0';
			for (o = 0; o < ff->noptions && o < 32; o++)
				if (chosen[o]) {
					k += (size_t)snprintf(f.value + k,
					    k < sizeof(f.value) ?
					    sizeof(f.value) - k : 0, "%s%s",
					    k ? "," : "", ff->options[o].value);
					snprintf(f.raw, sizeof(f.raw), "%s",
					    ff->options[o].label);
				}
			if (k >= sizeof(f.value))
				continue;
			f.confidence = conf * align_f;
			f.source = EXTRACT_SRC_MARK;
			break;
		}
		case FORM_DATE: {
			char part[3][64], txt[256];
			const char *era = "";
			int nt, px0, py0, pw0, ph0;
			double pc = 1, c;
			nt = ff->noptions ? read_options(pix, &al, ff, chosen,
			    &conf) : 0;
			if (ff->noptions == 1)
				era = ff->options[0].label;
			else if (nt == 1) {
				for (o = 0; o < ff->noptions; o++)
					if (chosen[o])
						era = ff->options[o].label;
			}
			zo = docr ? docr : ocr;
			if (zo)
				ocr_set_whitelist(zo, "0123456789元");
			for (int k = 0; k < 3; k++) {
				to_px(&al, &ff->parts[k], &px0, &py0, &pw0,
				    &ph0);
				c = zone_ocr(zo, pix, px0, py0, pw0, ph0,
				    inset / 2, minrule, OCR_PSM_LINE, part[k],
				    sizeof(part[k]), &us);
				/* one or two handwritten digits the line
				 * mode gave nothing for: once more as one
				 * word, then (a lone 元) as one character,
				 * to the box's edges (a small zone, cheap);
				 * weaker */
				for (int m = 0; m < 2 && zo &&
				    part[k][0] == '\0'; m++)
					c = zone_ocr(zo, pix, px0, py0, pw0,
					    ph0, 0, minrule, m ? OCR_PSM_CHAR :
					    OCR_PSM_WORD, part[k],
					    sizeof(part[k]), &us) * 0.8;
				pc = c < pc ? c : pc;
			}
			if (zo)
				ocr_set_whitelist(zo, NULL);
			if (!part[0][0] && !part[1][0] && !part[2][0])
				continue;
			snprintf(txt, sizeof(txt), "%s%s年%s月%s日", era,
			    part[0], part[1], part[2]);
			if (extract_value((enum field_id)fid, txt, pc, &f) < 0)
				continue;
			if (ff->noptions > 1 && nt != 1 && f.confidence > 0.3)
				f.confidence = 0.3;	/* era unknown */
			f.confidence *= align_f;
			break;
		}
		default:
			continue;
		}
		if (f.source != EXTRACT_SRC_MARK)
			f.source = EXTRACT_SRC_ZONE;
		f.page = page;
		f.x = x;
		f.y = y;
		f.w = w;
		f.h = h;
		out[(*n)++] = f;
	}
	pixDestroy(&rot);
	if (ocr_usec)
		*ocr_usec += us;
	return 0;
}

/* --- validation and calibration ----------------------------------------- */

/* Next code point of s (advancing *s); 0 at the end, 0xFFFD if invalid. */
static unsigned
utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	unsigned c;
	int n;

	if (*p == 0)
		return 0;
	if (*p < 0x80) {
		(*s)++;
		return *p;
	}
	n = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc0 ? 1 : 0;
	c = *p & (0x3f >> n);
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s += i;
			return 0xfffd;
		}
		c = c << 6 | (p[i] & 0x3f);
	}
	*s += n + 1;
	return n ? c : 0xfffd;
}

static int
is_kanji(unsigned c)
{
	return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0xf900 && c <= 0xfaff) || c == 0x3005 /* 々 */ ||
	    c == 0x30f6 /* ヶ */;
}

static int
is_hira(unsigned c)
{
	return c >= 0x3041 && c <= 0x3096;
}

static int
is_kata(unsigned c)
{
	return (c >= 0x30a1 && c <= 0x30fa) || c == 0x30fc;
}

/* The first len bytes of s hold kana (and spaces, |, :) only, and some. */
static int
kana_only(const char *s, size_t len)
{
	char buf[LINE_MAX_BYTES];
	const char *p = buf;
	unsigned c;
	int n = 0;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	while ((c = utf8_next(&p)) != 0) {
		if (c == ' ' || c == '|' || c == ':' || c == 0x3000)
			continue;
		if (!is_kata(c) && !is_hira(c))
			return 0;
		n++;
	}
	return n > 0;
}

/* Printed words that are never a value. */
static const char *const label_words[] = {
	"送付状", "送信", "ご案内", "FAX送付状", "診療情報提供書", "紹介状",
	"申込書", "同意書", "氏名", "患者氏名", "ふりがな", "フリガナ",
	"住所", "電話", "電話番号", "生年月日", "性別", "年齢", "続柄",
	"傷病名", "病名", "診断名", "医療機関", "医療機関名", "紹介元",
	"主治医", "医師", "医師名", "御中", "様", "殿", "宛", "担当",
	"FAX", "TEL", "所在地", "名称", "記入日", "枚数", "送信枚数",
	"受付", "患者", "申込者", "相談者", "検査", "報告書", NULL,
};

int
extract_is_label(const char *s)
{
	char sq[EXTRACT_VALUE_MAX];

	if (s == NULL)
		return 0;
	squash_into(s, sq, sizeof(sq));
	for (int i = 0; label_words[i]; i++)
		if (strcmp(sq, label_words[i]) == 0)
			return 1;
	/* a label from the label table, or one with a trailing colon */
	for (size_t i = 0; i < NLABELS; i++) {
		size_t k = strlen(labels[i].text);
		if (strncmp(sq, labels[i].text, k) == 0 && (sq[k] == '\0' ||
		    strcmp(sq + k, ":") == 0))
			return 1;
	}
	return 0;
}

static void
cap(struct extract_field *f, double c)
{
	if (f->confidence > c)
		f->confidence = c;
}

static int
name_field(enum field_id id)
{
	return id == FIELD_PATIENT_NAME || id == FIELD_APPLICANT_NAME ||
	    id == FIELD_REFERRING_DOCTOR || id == FIELD_DESIRED_DOCTOR;
}

static int
phone_field(enum field_id id)
{
	return id == FIELD_PATIENT_PHONE || id == FIELD_APPLICANT_PHONE ||
	    id == FIELD_APPLICANT_FAX || id == FIELD_REFERRING_PHONE ||
	    id == FIELD_REFERRING_FAX;
}

/* Names: CJK or kana, one space between 姓 and 名, 2..12 characters. */
static void
check_name(struct extract_field *f, int kana_only)
{
	const char *p = f->value;
	unsigned c, prev = 0;
	int n = 0, spaces = 0, bad = 0, hira = 0, kata = 0, kanji = 0;
	int runs = 0;

	while ((c = utf8_next(&p)) != 0) {
		if (c == ' ') {
			spaces++;
			prev = c;
			continue;
		}
		n++;
		if (c == 0x30fc && prev == 0x30fc)
			runs++;
		if (is_hira(c))
			hira++;
		else if (is_kata(c))
			kata++;
		else if (is_kanji(c) && !kana_only)
			kanji++;
		else
			bad++;
		prev = c;
	}
	if (bad || runs || n < 2 || n > 12 || spaces > 1)
		cap(f, 0.3);
	else if (spaces == 0)
		cap(f, 0.6);	/* 姓 and 名 cannot be told apart */
	if (kana_only && hira && kata)
		cap(f, 0.5);	/* mixed scripts: a misread */
	/* a name of kana only where kanji are usual, or one character on
	 * each side: plausible but weak evidence */
	if (!kana_only && kanji == 0)
		cap(f, 0.6);
	/* the long vowel mark leading or trailing: a rule read as text */
	if (strncmp(f->value, "ー", 3) == 0 || (strlen(f->value) >= 3 &&
	    strcmp(f->value + strlen(f->value) - 3, "ー") == 0))
		cap(f, 0.3);
}

/* A birth date: YYYY-MM-DD, 1900 .. today. */
static void
check_birth(struct extract_field *f)
{
	int y, m, d;
	time_t now = time(NULL);
	struct tm tm;

	if (facts_date_parse(f->value, &y, &m, &d) != 0) {
		cap(f, 0.3);
		return;
	}
	gmtime_r(&now, &tm);
	if (y < 1900 || y > tm.tm_year + 1900 || (y == tm.tm_year + 1900 &&
	    m > tm.tm_mon + 1))
		cap(f, 0.3);
}

int
extract_validate(struct extract_field *f)
{
	const char *p;
	unsigned c;
	int n = 0;

	if (f == NULL || (unsigned)f->id >= FIELD__COUNT)
		return 1;
	if (f->value[0] == '\0')
		return 1;
	if (extract_is_label(f->value) ||
	    (f->source != EXTRACT_SRC_MARK && extract_is_label(f->raw)))
		return 1;
	if (f->confidence < 0)
		f->confidence = 0;
	if (f->confidence > 0.97)
		f->confidence = 0.97;
	if (f->source == EXTRACT_SRC_MARK)
		return 0;	/* an enum value from a box or a circle */
	/* box-drawing, replacement characters and rules read as text */
	for (p = f->value; (c = utf8_next(&p)) != 0; n++)
		if (c == 0xfffd || (c >= 0x2500 && c <= 0x257f) || c == '|' ||
		    c == '_' || c == '~')
			cap(f, 0.3);
	if (strstr(f->value, "ーー") || strstr(f->value, "--") ||
	    strstr(f->value, "..") || strstr(f->value, "。。"))
		cap(f, 0.3);
	if (name_field(f->id))
		check_name(f, 0);
	else if (f->id == FIELD_PATIENT_NAME_KANA)
		check_name(f, 1);
	else if (f->id == FIELD_PATIENT_BIRTH_DATE)
		check_birth(f);
	else if (f->id == FIELD_PATIENT_AGE) {
		char *e;
		long v = strtol(f->value, &e, 10);
		if (*e != '\0' || v < 0 || v > 120)
			cap(f, 0.3);
	} else if (phone_field(f->id)) {
		if (f->value[0] != '0' || strspn(f->value, "0123456789-") !=
		    strlen(f->value))
			cap(f, 0.3);
	} else if (f->id == FIELD_REFERRING_HOSPITAL) {
		/* a hospital's name: 3+ characters, no digits-only */
		if (n < 3 || strspn(f->value, "0123456789-") ==
		    strlen(f->value))
			cap(f, 0.3);
	}
	/* What OCR reads cannot be proved right by a validator: free text
	 * (addresses, diagnoses, topics, hospital names) stays below the
	 * review threshold; measured on the dev corpus, even validated
	 * names, dates and numbers were wrong one time in five or more on
	 * fax pages (handwriting, 0/9/6 and 一/ー confusions), so they
	 * too are capped below it unless two readings agree (reader.c
	 * raises agreeing values). */
	switch (f->id) {
	case FIELD_PATIENT_ADDRESS:
	case FIELD_APPLICANT_ADDRESS:
	case FIELD_CONSULTATION_TOPIC:
	case FIELD_DIAGNOSIS:
	case FIELD_REFERRING_HOSPITAL:
	case FIELD_DEPARTMENT:
	case FIELD_DESIRED_DOCTOR:
		cap(f, 0.7);
		break;
	default:
		cap(f, EXTRACT_CAP_SINGLE);
		break;
	}
	return 0;
}
