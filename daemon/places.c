/*
 * places.c — a gazetteer of prefectures and municipalities (places.h).
 *
 * The prefectures, and the cities, wards and towns of the regions the
 * seed hospitals serve: Hokkaido around Sapporo, Asahikawa and
 * Tomakomai; Miyagi, Yamagata and the rest of Tohoku around Sendai;
 * Tokyo, Kanagawa, Saitama and Chiba.  A hospital elsewhere adds its own
 * region here.  A name is put right only when its kind (市, 区, 町, 郡,
 * 県 ...) was read right and one other letter was not (two in a name of
 * four letters or more), and only one name fits that near.
 */
#include <string.h>

#include "faxintake/normalize.h"
#include "faxintake/places.h"

static const char *const places[] = {
	/* prefectures */
	"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
	"茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
	"新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
	"静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
	"奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
	"徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
	"熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
	/* Hokkaido */
	"札幌市", "旭川市", "函館市", "苫小牧市", "小樽市", "釧路市", "帯広市",
	"北見市", "室蘭市", "江別市", "千歳市", "恵庭市", "北広島市", "石狩市",
	"登別市", "伊達市", "岩見沢市", "滝川市", "深川市", "富良野市",
	"名寄市", "士別市", "留萌市", "稚内市", "網走市", "紋別市", "根室市",
	"美唄市", "芦別市", "赤平市", "砂川市", "夕張市", "三笠市", "北斗市",
	"中央区", "北区", "東区", "白石区", "豊平区", "南区", "西区", "厚別区",
	"手稲区", "清田区",
	"上川郡", "東神楽町", "東川町", "鷹栖町", "当麻町", "比布町", "愛別町",
	"上川町", "美瑛町", "白老郡", "白老町", "勇払郡", "厚真町", "安平町",
	"むかわ町", "沙流郡", "日高町", "平取町", "空知郡", "上富良野町",
	"中富良野町", "南富良野町", "虻田郡", "洞爺湖町", "石狩郡", "当別町",
	/* Tohoku */
	"仙台市", "青葉区", "宮城野区", "若林区", "太白区", "泉区", "石巻市",
	"塩竈市", "名取市", "多賀城市", "岩沼市", "大崎市", "登米市", "栗原市",
	"気仙沼市", "白石市", "角田市", "富谷市", "東松島市", "山形市",
	"米沢市", "鶴岡市", "酒田市", "天童市", "上山市", "東根市", "寒河江市",
	"新庄市", "福島市", "郡山市", "いわき市", "会津若松市", "盛岡市",
	"一関市", "奥州市", "花巻市", "北上市", "秋田市", "青森市", "八戸市",
	"弘前市",
	/* Tokyo */
	"千代田区", "港区", "新宿区", "文京区", "台東区", "墨田区", "江東区",
	"品川区", "目黒区", "大田区", "世田谷区", "渋谷区", "中野区", "杉並区",
	"豊島区", "荒川区", "板橋区", "練馬区", "足立区", "葛飾区", "江戸川区",
	"八王子市", "立川市", "武蔵野市", "三鷹市", "府中市", "調布市",
	"町田市", "小平市", "日野市", "国分寺市", "西東京市",
	/* Kanagawa */
	"横浜市", "鶴見区", "神奈川区", "中区", "港南区", "保土ケ谷区", "旭区",
	"磯子区", "金沢区", "港北区", "緑区", "都筑区", "戸塚区", "栄区",
	"瀬谷区", "川崎市", "川崎区", "幸区", "中原区", "高津区", "宮前区",
	"多摩区", "麻生区", "相模原市", "横須賀市", "藤沢市", "茅ヶ崎市",
	"平塚市", "鎌倉市", "小田原市", "厚木市", "大和市", "海老名市",
	"座間市", "逗子市", "秦野市", "伊勢原市",
	/* Saitama, Chiba */
	"さいたま市", "川越市", "川口市", "所沢市", "越谷市", "草加市",
	"春日部市", "熊谷市", "上尾市", "千葉市", "船橋市", "松戸市", "市川市",
	"柏市",
};
#define NPLACES	(sizeof(places) / sizeof(places[0]))
#define MAXCP	96

/*
 * The place name at cp[p..n): its length in letters (0: none) and, when
 * one letter is off (two in a name of four or more: 革小衝市), the name in
 * *fix.  Exact names win; a name off must be the only one that near.
 */
static size_t
place_at(const int32_t *cp, size_t p, size_t n, const char **fix)
{
	size_t best = 0, fl = 0, fd = 0;
	int nfuzzy = 0;

	*fix = NULL;
	for (size_t i = 0; i < NPLACES; i++) {
		int32_t pc[8];
		size_t m, diff = 0;
		if (norm_utf8_cps(places[i], pc, 8, &m) != 0 || p + m > n)
			continue;
		for (size_t j = 0; j < m && diff < 3; j++)
			diff += cp[p + j] != pc[j];
		if (diff == 0 && m > best)
			best = m;
		else if (diff > 0 && diff <= (m >= 4 ? 2 : 1) && m >= 3 &&
		    cp[p + m - 1] == pc[m - 1]) {
			/* the fewest letters off, then the longest name */
			if (nfuzzy == 0 || diff < fd || (diff == fd && m > fl)) {
				*fix = places[i];
				fl = m;
				fd = diff;
				nfuzzy = 1;
			} else if (diff == fd && m == fl)
				nfuzzy++;
		}
	}
	if (best >= fl || nfuzzy != 1) {
		*fix = NULL;
		return best;
	}
	return fl;
}

int
places_fix(char *s, size_t sz)
{
	int32_t cp[MAXCP];
	size_t n, p = 0;
	int changed = 0;

	if (s == NULL || norm_utf8_cps(s, cp, MAXCP, &n) != 0 || n == 0)
		return 0;
	/* a postal code and spaces before the address */
	while (p < n && (cp[p] < 0x3040 || cp[p] == 0x3012))
		p++;
	for (;;) {
		const char *fix;
		size_t m = p < n ? place_at(cp, p, n, &fix) : 0;
		if (m == 0)
			break;
		if (fix) {
			int32_t pc[8];
			size_t pn;
			norm_utf8_cps(fix, pc, 8, &pn);
			memcpy(cp + p, pc, m * sizeof(*cp));
			changed++;
		}
		p += m;
	}
	if (!changed || norm_cps_utf8(cp, n, s, sz) < 0)
		return 0;
	return changed;
}
