/*
 * people.c — made-up people, dates, phone numbers and places.  Names mix
 * common and rare family names and variant kanji (髙/高, 﨑/崎, 邊/辺);
 * dates are written in 西暦 and 和暦 (元年 for year one); phone numbers
 * follow the Japanese grouping (0 + area code + exchange + 4 digits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/rules.h"
#include "faxintake/xmalloc.h"

#include "faxsynth.h"

static const struct fs_name family_names[] = {
	{ "佐藤", "さとう", "Sato" },		{ "鈴木", "すずき", "Suzuki" },
	{ "高橋", "たかはし", "Takahashi" },	{ "髙橋", "たかはし", "Takahashi" },
	{ "田中", "たなか", "Tanaka" },		{ "伊藤", "いとう", "Ito" },
	{ "渡辺", "わたなべ", "Watanabe" },	{ "渡邊", "わたなべ", "Watanabe" },
	{ "山本", "やまもと", "Yamamoto" },	{ "中村", "なかむら", "Nakamura" },
	{ "小林", "こばやし", "Kobayashi" },	{ "加藤", "かとう", "Kato" },
	{ "吉田", "よしだ", "Yoshida" },	{ "山田", "やまだ", "Yamada" },
	{ "佐々木", "ささき", "Sasaki" },	{ "齋藤", "さいとう", "Saito" },
	{ "斎藤", "さいとう", "Saito" },	{ "松本", "まつもと", "Matsumoto" },
	{ "井上", "いのうえ", "Inoue" },	{ "木村", "きむら", "Kimura" },
	{ "林", "はやし", "Hayashi" },		{ "清水", "しみず", "Shimizu" },
	{ "山﨑", "やまざき", "Yamazaki" },	{ "山崎", "やまざき", "Yamazaki" },
	{ "森", "もり", "Mori" },		{ "池田", "いけだ", "Ikeda" },
	{ "橋本", "はしもと", "Hashimoto" },	{ "阿部", "あべ", "Abe" },
	{ "石川", "いしかわ", "Ishikawa" },	{ "長谷川", "はせがわ", "Hasegawa" },
	{ "五十嵐", "いがらし", "Igarashi" },	{ "東海林", "しょうじ", "Shoji" },
	{ "勅使河原", "てしがわら", "Teshigawara" },
	{ "小鳥遊", "たかなし", "Takanashi" },	{ "薬師寺", "やくしじ", "Yakushiji" },
	{ "百目鬼", "どうめき", "Domeki" },	{ "髙田", "たかだ", "Takada" },
	{ "菅原", "すがわら", "Sugawara" },	{ "千葉", "ちば", "Chiba" },
	{ "及川", "おいかわ", "Oikawa" },	{ "濱田", "はまだ", "Hamada" },
};

static const struct fs_name male_names[] = {
	{ "太郎", "たろう", "Taro" },		{ "健一", "けんいち", "Kenichi" },
	{ "翔太", "しょうた", "Shota" },	{ "大輔", "だいすけ", "Daisuke" },
	{ "誠", "まこと", "Makoto" },		{ "隆", "たかし", "Takashi" },
	{ "浩二", "こうじ", "Koji" },		{ "健一郎", "けんいちろう", "Kenichiro" },
	{ "蓮", "れん", "Ren" },		{ "湊", "みなと", "Minato" },
	{ "悠真", "ゆうま", "Yuma" },		{ "陽翔", "はると", "Haruto" },
	{ "茂", "しげる", "Shigeru" },		{ "勇", "いさむ", "Isamu" },
	{ "清", "きよし", "Kiyoshi" },		{ "和夫", "かずお", "Kazuo" },
	{ "修", "おさむ", "Osamu" },		{ "亮介", "りょうすけ", "Ryosuke" },
	{ "正樹", "まさき", "Masaki" },		{ "巌", "いわお", "Iwao" },
};

static const struct fs_name female_names[] = {
	{ "花子", "はなこ", "Hanako" },		{ "恵子", "けいこ", "Keiko" },
	{ "美咲", "みさき", "Misaki" },		{ "陽菜", "ひな", "Hina" },
	{ "結衣", "ゆい", "Yui" },		{ "由美子", "ゆみこ", "Yumiko" },
	{ "千代", "ちよ", "Chiyo" },		{ "幸子", "さちこ", "Sachiko" },
	{ "裕子", "ゆうこ", "Yuko" },		{ "凛", "りん", "Rin" },
	{ "芽依", "めい", "Mei" },		{ "和子", "かずこ", "Kazuko" },
	{ "久美子", "くみこ", "Kumiko" },	{ "明美", "あけみ", "Akemi" },
	{ "さくら", "さくら", "Sakura" },	{ "紗希", "さき", "Saki" },
	{ "ヨシ", "よし", "Yoshi" },		{ "真由美", "まゆみ", "Mayumi" },
};

/* A few birth dates on era boundaries (DOMAIN.md §4). */
static const int boundary_dates[][3] = {
	{ 1989, 1, 7 },		/* 昭和64年1月7日, the last day of Showa */
	{ 1989, 1, 8 },		/* 平成元年1月8日 */
	{ 1989, 6, 30 },	/* 平成元年 */
	{ 2019, 4, 30 },	/* 平成31年4月30日 */
	{ 2019, 5, 1 },		/* 令和元年5月1日 */
	{ 2019, 10, 2 },	/* 令和元年 */
	{ 1926, 12, 28 },	/* 昭和元年 */
	{ 1945, 8, 15 },
};

static int
days_in(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

void
person_make(struct rng *r, struct fs_person *p, char sex, int age_lo,
    int age_hi, int ry, int rm, int rd)
{
	int age, i, k;

	memset(p, 0, sizeof(*p));
	p->family = RNG_PICK(r, family_names);
	p->sex = sex ? sex : (rng_chance(r, 0.5) ? 'M' : 'F');
	p->given = p->sex == 'M' ? RNG_PICK(r, male_names) :
	    RNG_PICK(r, female_names);
	/* Now and then an era boundary date that fits the age range. */
	if (rng_chance(r, 0.18)) {
		k = rng_int(r, 0, (int)(sizeof(boundary_dates) /
		    sizeof(boundary_dates[0])) - 1);
		for (i = 0; i < 8; i++, k = (k + 1) % 8) {
			age = rules_age(boundary_dates[k][0],
			    boundary_dates[k][1], boundary_dates[k][2], ry, rm,
			    rd);
			if (age >= age_lo && age <= age_hi) {
				p->by = boundary_dates[k][0];
				p->bm = boundary_dates[k][1];
				p->bd = boundary_dates[k][2];
				return;
			}
		}
	}
	age = rng_int(r, age_lo, age_hi);
	p->bm = rng_int(r, 1, 12);
	p->bd = rng_int(r, 1, 28);
	p->by = ry - age;
	if (rules_age(p->by, p->bm, p->bd, ry, rm, rd) < age)
		p->by--;
	if (p->bd > days_in(p->by, p->bm))
		p->bd = days_in(p->by, p->bm);
}

void
person_relative(struct rng *r, const struct fs_person *p, const char *rel,
    int ry, struct fs_person *ret)
{
	int page = ry - p->by, lo, hi;
	char sex = 0;

	if (strcmp(rel, "parent") == 0) {
		lo = page + 22; hi = page + 40;
	} else if (strcmp(rel, "child") == 0) {
		lo = page - 40 > 18 ? page - 40 : 18;
		hi = page - 20 > lo ? page - 20 : lo + 1;
	} else if (strcmp(rel, "spouse") == 0) {
		lo = page - 6 > 18 ? page - 6 : 18; hi = page + 6;
		sex = p->sex == 'M' ? 'F' : 'M';
	} else {
		lo = page - 10 > 18 ? page - 10 : 18; hi = page + 10;
	}
	if (hi > 95)
		hi = 95;
	if (lo > hi)
		lo = hi;
	person_make(r, ret, sex, lo, hi, ry, 6, 1);
	if (strcmp(rel, "spouse") != 0 || rng_chance(r, 0.9))
		ret->family = p->family;
}

char *
person_name(const struct fs_person *p)
{
	char *s;

	xasprintf(&s, "%s %s", p->family.kanji, p->given.kanji);
	return s;
}

char *
person_name_raw(struct rng *r, const struct fs_person *p)
{
	char *s;

	switch (rng_int(r, 0, 2)) {
	case 0:
		xasprintf(&s, "%s　%s", p->family.kanji, p->given.kanji);
		break;
	case 1:
		xasprintf(&s, "%s%s", p->family.kanji, p->given.kanji);
		break;
	default:
		xasprintf(&s, "%s %s", p->family.kanji, p->given.kanji);
		break;
	}
	return s;
}

/* Hiragana to katakana: U+3041..U+3096 + 0x60. */
static char *
kata(const char *s)
{
	char *out = xstrdup(s), *q;
	unsigned cp;

	for (q = out; *q; ) {
		unsigned char c0 = (unsigned char)q[0];

		if (c0 == 0xe3 && q[1] && q[2]) {
			cp = ((c0 & 0x0fu) << 12) |
			    (((unsigned char)q[1] & 0x3fu) << 6) |
			    ((unsigned char)q[2] & 0x3fu);
			if (cp >= 0x3041 && cp <= 0x3096) {
				cp += 0x60;
				q[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
				q[2] = (char)(0x80 | (cp & 0x3f));
			}
			q += 3;
		} else
			q++;
	}
	return out;
}

char *
person_kana(const struct fs_person *p, int katakana)
{
	char *s, *k;

	xasprintf(&s, "%s %s", p->family.kana, p->given.kana);
	if (!katakana)
		return s;
	k = kata(s);
	free(s);
	return k;
}

char *
person_romaji(const struct fs_person *p, int upper)
{
	char *s, fam[64];
	size_t i;

	snprintf(fam, sizeof(fam), "%s", p->family.romaji);
	if (upper)
		for (i = 0; fam[i]; i++)
			if (fam[i] >= 'a' && fam[i] <= 'z')
				fam[i] = (char)(fam[i] - 'a' + 'A');
	xasprintf(&s, "%s %s", p->given.romaji, fam);
	return s;
}

/* --- dates --------------------------------------------------------------- */

static const struct {
	int		 y, m, d;
	const char	*value, *kanji, *shortj, *latin;
} eras[] = {
	{ 1868, 1, 1, "meiji", "明治", "明", "M" },
	{ 1912, 7, 30, "taisho", "大正", "大", "T" },
	{ 1926, 12, 25, "showa", "昭和", "昭", "S" },
	{ 1989, 1, 8, "heisei", "平成", "平", "H" },
	{ 2019, 5, 1, "reiwa", "令和", "令", "R" },
};

void
date_era(int y, int m, int d, int *era, int *eyear)
{
	int i;
	long key = (long)y * 10000 + m * 100 + d;

	for (i = 4; i > 0; i--)
		if (key >= (long)eras[i].y * 10000 + eras[i].m * 100 + eras[i].d)
			break;
	*era = i;
	*eyear = y - eras[i].y + 1;
}

const char *
era_value(int era)
{
	return eras[era].value;
}

const char *
era_kanji(int era)
{
	return eras[era].kanji;
}

const char *
era_short(int era)
{
	return eras[era].shortj;
}

char *
date_iso(int y, int m, int d)
{
	char *s;

	xasprintf(&s, "%04d-%02d-%02d", y, m, d);
	return s;
}

char *
str_fullwidth(const char *s)
{
	char *out = xcalloc(strlen(s) * 3 + 1, 1), *q = out;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			/* U+FF10 + n: EF BC 90+n */
			*q++ = (char)0xef; *q++ = (char)0xbc;
			*q++ = (char)(0x90 + (*s - '0'));
		} else if (*s == '-') {
			*q++ = (char)0xef; *q++ = (char)0xbc; *q++ = (char)0x8d;
		} else if (*s == '(') {
			*q++ = (char)0xef; *q++ = (char)0xbc; *q++ = (char)0x88;
		} else if (*s == ')') {
			*q++ = (char)0xef; *q++ = (char)0xbc; *q++ = (char)0x89;
		} else
			*q++ = *s;
	}
	return out;
}

char *
date_format(int y, int m, int d, enum fs_date_style st)
{
	char *s, *fw, yr[16];
	int era, ey;

	date_era(y, m, d, &era, &ey);
	if (ey == 1)
		snprintf(yr, sizeof(yr), "元");
	else
		snprintf(yr, sizeof(yr), "%d", ey);
	switch (st) {
	case FS_DATE_WAREKI:
		xasprintf(&s, "%s%s年%d月%d日", eras[era].kanji, yr, m, d);
		break;
	case FS_DATE_WAREKI_SHORT:
		xasprintf(&s, "%s%d.%d.%d", eras[era].latin, ey, m, d);
		break;
	case FS_DATE_SEIREKI:
		xasprintf(&s, "%d年%d月%d日", y, m, d);
		break;
	case FS_DATE_SLASH:
		xasprintf(&s, "%04d/%02d/%02d", y, m, d);
		break;
	default:
		xasprintf(&s, "%s%s年%d月%d日", eras[era].kanji, yr, m, d);
		fw = str_fullwidth(s);
		free(s);
		s = fw;
		break;
	}
	return s;
}

/* --- phones ----------------------------------------------------------------- */

static void
digits(struct rng *r, char *out, int n, int first_nonzero)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = (char)('0' + (i == 0 && first_nonzero ?
		    rng_int(r, 2, 9) : rng_int(r, 0, 9)));
	out[n] = '\0';
}

void
phone_make(struct rng *r, const char *area, int mobile, struct fs_phone *ph)
{
	static const char *const mob[] = { "090", "080", "070" };
	int alen;

	memset(ph, 0, sizeof(*ph));
	if (mobile) {
		snprintf(ph->a, sizeof(ph->a), "%s", RNG_PICK(r, mob));
		digits(r, ph->b, 4, 1);
		digits(r, ph->c, 4, 0);
		return;
	}
	snprintf(ph->a, sizeof(ph->a), "%s", area);
	alen = (int)strlen(area);
	digits(r, ph->b, 10 - alen - 4, 1);
	digits(r, ph->c, 4, 0);
}

char *
phone_value(const struct fs_phone *ph)
{
	char *s;

	xasprintf(&s, "%s-%s-%s", ph->a, ph->b, ph->c);
	return s;
}

char *
phone_format(const struct fs_phone *ph, enum fs_phone_style st)
{
	char *s, *t, ext[32] = "";

	if (ph->ext > 0)
		snprintf(ext, sizeof(ext), " 内線%d", ph->ext);
	switch (st) {
	case FS_PH_BRACKET:
		xasprintf(&s, "%s(%s)%s%s", ph->a, ph->b, ph->c, ext);
		break;
	case FS_PH_AREA_BRACKET:
		xasprintf(&s, "(%s)%s-%s%s", ph->a, ph->b, ph->c, ext);
		break;
	case FS_PH_FULLWIDTH:
		xasprintf(&t, "%s-%s-%s%s", ph->a, ph->b, ph->c, ext);
		s = str_fullwidth(t);
		free(t);
		break;
	case FS_PH_SPACE:
		xasprintf(&s, "%s %s %s%s", ph->a, ph->b, ph->c, ext);
		break;
	default:
		xasprintf(&s, "%s-%s-%s%s", ph->a, ph->b, ph->c, ext);
		break;
	}
	return s;
}

char *
phone_tsi(struct rng *r, const struct fs_phone *ph)
{
	char *s;

	if (rng_chance(r, 0.3))
		xasprintf(&s, "+81 %s %s %s", ph->a + 1, ph->b, ph->c);
	else
		xasprintf(&s, "%s%s%s", ph->a, ph->b, ph->c);
	return s;
}

/* --- places ------------------------------------------------------------------- */

static const struct fs_place places[] = {
	{ "北海道", "旭川市", "0166", "070" },
	{ "北海道", "上川郡東神楽町", "0166", "071" },
	{ "北海道", "苫小牧市", "0144", "053" },
	{ "北海道", "白老郡白老町", "0144", "059" },
	{ "北海道", "札幌市中央区", "011", "060" },
	{ "神奈川県", "横浜市南区", "045", "232" },
	{ "神奈川県", "横須賀市", "046", "238" },
	{ "東京都", "新宿区", "03", "160" },
	{ "東京都", "世田谷区", "03", "154" },
	{ "埼玉県", "川越市", "049", "350" },
	{ "宮城県", "仙台市青葉区", "022", "980" },
	{ "宮城県", "石巻市", "0225", "986" },
	{ "山形県", "山形市", "023", "990" },
};

const struct fs_place *
place_for_hospital(struct rng *r, const char *hid)
{
	int lo = 0, hi = 12;

	if (strcmp(hid, "asahikawa") == 0) {
		lo = 0; hi = 1;
	} else if (strcmp(hid, "tomakomai") == 0) {
		lo = 2; hi = 4;
	} else if (strcmp(hid, "yokohama-cu") == 0) {
		lo = 5; hi = 7;
	} else if (strcmp(hid, "keio") == 0) {
		lo = 5; hi = 9;
	} else if (strcmp(hid, "tohoku") == 0) {
		lo = 10; hi = 12;
	}
	if (rng_chance(r, 0.1))		/* someone from far away */
		return &places[rng_int(r, 0, 12)];
	return &places[rng_int(r, lo, hi)];
}

char *
address_make(struct rng *r, const struct fs_place *pl, char **zip)
{
	static const char *const towns[] = { "本町", "緑町", "旭町", "錦町",
	    "春光台", "清水町", "宮前", "若葉台", "桜ヶ丘", "中央", "東",
	    "新町" };
	static const char *const bldg[] = { "", "", "", " コーポ緑101",
	    " ハイツ桜203", " グランメゾン505", "" };
	char *s;

	xasprintf(zip, "%s-%04d", pl->zip3, rng_int(r, 1, 9999));
	if (rng_chance(r, 0.5))
		xasprintf(&s, "%s%s%s%d丁目%d番%d号%s", pl->pref, pl->city,
		    RNG_PICK(r, towns), rng_int(r, 1, 9), rng_int(r, 1, 30),
		    rng_int(r, 1, 20), RNG_PICK(r, bldg));
	else
		xasprintf(&s, "%s%s%s%d-%d-%d%s", pl->pref, pl->city,
		    RNG_PICK(r, towns), rng_int(r, 1, 9), rng_int(r, 1, 30),
		    rng_int(r, 1, 20), RNG_PICK(r, bldg));
	return s;
}

char *
clinic_name(struct rng *r, const struct fs_place *pl, int *big)
{
	static const char *const small[] = { "みどり内科クリニック",
	    "さくら通り内科医院", "山の手消化器内科", "はやし胃腸科クリニック",
	    "北斗ファミリークリニック", "いずみレディースクリニック",
	    "ひかり眼科", "あおば耳鼻咽喉科", "こころの診療所 希望",
	    "しらかば在宅クリニック" };
	static const char *const large[] = { "市民病院", "中央病院",
	    "赤十字病院", "総合病院", "医療センター", "記念病院" };
	char *s;

	if (rng_chance(r, 0.5)) {
		*big = 0;
		return xstrdup(RNG_PICK(r, small));
	}
	*big = 1;
	xasprintf(&s, "%s%s", pl->city, RNG_PICK(r, large));
	return s;
}
