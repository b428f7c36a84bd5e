/*
 * test_rules.c — the rules engine against the shipped hospital profiles,
 * one table row per seed rule.  Facts are written compactly:
 *   docs:   "type[:lang][:dedicated|:plain] ..."
 *   fields: "id=value[@confidence];..."   (received is 2026-11-20)
 * Expected lists are space-separated, in the order the engine reports
 * (profile order); "" means none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faxintake/buf.h"
#include "faxintake/facts.h"
#include "faxintake/profile.h"
#include "faxintake/rules.h"
#include "faxintake/xmalloc.h"

struct rcase {
	const char	*hospital;
	const char	*name;
	const char	*seed;		/* the seed rule the row checks */
	const char	*docs;
	const char	*fields;
	const char	*status;
	const char	*missing;
	const char	*due;
	const char	*flags;
	long		 yen;		/* -1: not checked */
	const char	*evidence;	/* substring of some flag's evidence
					   or fee step; NULL: not checked */
};

/* Adult, self, in person: each row adds or overrides. */
#define ADULT	"patient_birth_date=1970-05-01;applicant_relationship=self;" \
		"patient_attends=yes;consultation_mode=in_person;" \
		"attending_approval=yes;"
#define MINOR	"patient_birth_date=2012-04-02;consultation_mode=in_person;"
#define CANCER	"diagnosis=胃がん;consultation_topic=手術と化学療法で迷っている;"

static const struct rcase cases[] = {
	/* ---- asahikawa (seed 000) ---- */
	{ "asahikawa", "complete self application, materials on the day",
	  "「以下の書類を依頼して検査資料等を当日持参して下さい」",
	  "application_form", ADULT CANCER "department=消化器内科",
	  "complete", "", "referral_letter", "", 11000, NULL },
	{ "asahikawa", "family without consent: consent due on the day",
	  "「患者さんご本人以外の方が…ご本人の同意書が必要です」",
	  "application_form", ADULT CANCER "department=外科;"
	  "applicant_relationship=child;patient_attends=no",
	  "complete", "", "referral_letter consent_form", "", 11000, NULL },
	{ "asahikawa", "family with consent and referral sent in advance",
	  "「あらかじめ診療情報提供書や資料を送っていただけますと」",
	  "application_form referral_letter:ja consent_form",
	  ADULT CANCER "department=外科;applicant_relationship=spouse",
	  "complete", "", "", "", 11000, NULL },
	{ "asahikawa", "department not among the 対象診療科",
	  "「対象診療科 消化器内科、血液内科、外科…」",
	  "application_form", ADULT CANCER "department=循環器内科",
	  "needs_review", "", "referral_letter",
	  "exclusion:department_not_offered", 11000, "循環器内科" },
	{ "asahikawa", "alias 耳鼻咽喉科 means 耳鼻いんこう科",
	  "「対象診療科 …耳鼻いんこう科…」",
	  "application_form", ADULT "diagnosis=喉頭癌;department=耳鼻咽喉科",
	  "complete", "", "referral_letter", "", 11000, NULL },
	{ "asahikawa", "not cancer: out of scope",
	  "「がんの診断・治療に関することに限らせていただいております」",
	  "application_form", ADULT "department=外科;diagnosis=鼠径ヘルニア;"
	  "consultation_topic=手術の方法を相談したい",
	  "needs_review", "", "referral_letter", "exclusion:out_of_scope",
	  11000, "鼠径ヘルニア" },
	{ "asahikawa", "half-width ｶﾞﾝ is cancer after NFKC",
	  "「がんの診断・治療に関することに限らせていただいております」",
	  "application_form", ADULT "department=外科;diagnosis=ｶﾞﾝ",
	  "complete", "", "referral_letter", "", 11000, NULL },
	{ "asahikawa", "litigation keyword in the topic",
	  "「主治医に対する苦情、訴訟等を目的とした相談」",
	  "application_form", ADULT "diagnosis=肺がん;department=外科;"
	  "consultation_topic=病院を訴訟するか考えている",
	  "needs_review", "", "referral_letter", "exclusion:litigation",
	  11000, "訴訟" },
	{ "asahikawa", "online requested: in person only",
	  "「専門臓器科の医師が対面相談でセカンドオピニオンを行っています」",
	  "application_form", ADULT CANCER "department=外科;"
	  "consultation_mode=online",
	  "needs_review", "", "referral_letter",
	  "exclusion:online_not_offered", 11000, NULL },
	{ "asahikawa", "attending doctor has not agreed",
	  "「主治医が了解していない場合」",
	  "application_form", ADULT CANCER "department=外科;"
	  "attending_approval=no",
	  "needs_review", "", "referral_letter",
	  "exclusion:attending_not_agreed", 11000, "attending_approval=no" },
	{ "asahikawa", "deceased patient",
	  "「死亡した方を対象とする場合」",
	  "application_form", ADULT "diagnosis=膵臓がん;department=消化器内科;"
	  "consultation_topic=父が亡くなった経緯を知りたい",
	  "needs_review", "", "referral_letter", "exclusion:deceased",
	  11000, NULL },
	{ "asahikawa", "outcome judgement of a past operation",
	  "「治療(手術)後の良し悪しについての判断を目的とする場合」",
	  "application_form", ADULT "diagnosis=大腸がん;department=外科;"
	  "consultation_topic=手術の良し悪しを判断してほしい",
	  "needs_review", "", "referral_letter",
	  "exclusion:outcome_judgement", 11000, NULL },
	{ "asahikawa", "fees and benefits go to the MSW",
	  "「医療費の内容、医療給付に関わる相談」",
	  "application_form", ADULT "diagnosis=胃癌;department=外科;"
	  "consultation_topic=高額療養費の手続き",
	  "needs_review", "", "referral_letter",
	  "exclusion:fees_or_benefits", 11000, NULL },
	{ "asahikawa", "a friend may not apply",
	  "「受診対象者 患者さんご本人、患者さんのご家族」",
	  "application_form consent_form", ADULT CANCER "department=外科;"
	  "applicant_relationship=non_relative",
	  "needs_review", "", "referral_letter",
	  "exclusion:applicant_not_eligible", 11000, NULL },
	{ "asahikawa", "department read with low confidence decides nothing",
	  "「対象診療科」 (review:low_confidence)",
	  "application_form", ADULT CANCER "department=循環器内科@0.42",
	  "needs_review", "", "referral_letter", "review:low_confidence",
	  11000, "department" },
	{ "asahikawa", "no application form yet: incomplete",
	  "「電話とファクスで予約をお受けします」(申込書)",
	  "referral_letter:ja", ADULT CANCER "department=外科",
	  "incomplete", "application_form", "", "", 11000, NULL },

	/* ---- tomakomai (seed 001) ---- */
	{ "tomakomai", "application first, referral letter 3 days before",
	  "「申込書…をファックス」「予約日時の３日前までにご持参ください」",
	  "application_form", ADULT CANCER,
	  "complete", "", "referral_letter lab_results", "", 5500,
	  "延長30分" },
	{ "tomakomai", "everything sent: nothing due",
	  "「専用診療情報提供書」と「検査資料」",
	  "application_form referral_letter:ja:dedicated lab_results",
	  ADULT CANCER, "complete", "", "", "", 5500, NULL },
	{ "tomakomai", "family only without consent: consent due later",
	  "「ご家族だけでいらっしゃる場合は、ご本人の相談同意書が必要」",
	  "application_form", ADULT CANCER "applicant_relationship=spouse;"
	  "patient_attends=no", "complete", "",
	  "referral_letter lab_results consent_form", "", 5500, NULL },
	{ "tomakomai", "family with the patient: no consent",
	  "「相談同意書 ※ご家族のみのご相談の場合に必要です」",
	  "application_form", ADULT CANCER "applicant_relationship=child;"
	  "patient_attends=yes", "complete", "",
	  "referral_letter lab_results", "", 5500, NULL },
	{ "tomakomai", "minor without relationship proof",
	  "「患者さんが未成年の場合には、続柄を確認できる書類(健康保険証)」",
	  "application_form", MINOR "applicant_relationship=parent;"
	  "patient_attends=yes", "complete", "",
	  "referral_letter lab_results relationship_proof", "", 5500, NULL },
	{ "tomakomai", "minor with relationship proof",
	  "「患者さんが未成年の場合には、続柄を確認できる書類(健康保険証)」",
	  "application_form relationship_proof", MINOR
	  "applicant_relationship=parent;patient_attends=no", "complete", "",
	  "referral_letter lab_results", "", 5500, NULL },
	{ "tomakomai", "minor, family only: proof instead of consent",
	  "「但し、患者さんが未成年の場合は…続柄を示す書類…で可」",
	  "application_form consent_form", MINOR
	  "applicant_relationship=parent;patient_attends=no", "complete", "",
	  "referral_letter lab_results", "", 5500, NULL },
	{ "tomakomai", "family only, unknown birth date: no guess",
	  "「但し、患者さんが未成年の場合は」 (review:unknown_birth_date)",
	  "application_form", "applicant_relationship=spouse;"
	  "patient_attends=no", "needs_review", "",
	  "referral_letter lab_results", "review:unknown_birth_date", 5500,
	  "patient_birth_date" },
	{ "tomakomai", "referral letter not on the dedicated form",
	  "「セカンドオピニオン外来専用診療情報提供書」",
	  "application_form referral_letter:ja:plain lab_results",
	  ADULT CANCER, "needs_review", "", "",
	  "tomakomai:referral_not_dedicated", 5500, NULL },
	{ "tomakomai", "transfer wanted",
	  "「転医・転院希望…に関する相談」",
	  "application_form", ADULT "consultation_topic=転院を希望します",
	  "needs_review", "", "referral_letter lab_results",
	  "exclusion:treatment_here", 5500, "転院" },
	{ "tomakomai", "complaint about the attending doctor",
	  "「主治医に対するクレームや不満」",
	  "application_form", ADULT "consultation_topic=主治医の説明に不満がある",
	  "needs_review", "", "referral_letter lab_results",
	  "exclusion:complaint", 5500, "不満" },
	{ "tomakomai", "online requested: not offered",
	  "対面のみ (オンラインの記載なし)",
	  "application_form", ADULT "consultation_mode=online",
	  "needs_review", "", "referral_letter lab_results",
	  "exclusion:online_not_offered", 5500, NULL },
	{ "tomakomai", "friend applies",
	  "「ご本人とそのご家族以外のご相談」",
	  "application_form", ADULT "applicant_relationship=non_relative;"
	  "patient_attends=yes", "needs_review", "",
	  "referral_letter lab_results", "exclusion:applicant_not_eligible",
	  5500, NULL },
	{ "tomakomai", "patient_attends uncertain: consent cannot be decided",
	  "「ご家族だけでいらっしゃる場合」 (review:low_confidence)",
	  "application_form", ADULT "applicant_relationship=child;"
	  "patient_attends=no@0.55", "needs_review", "",
	  "referral_letter lab_results", "review:low_confidence", 5500,
	  "patient_attends" },

	/* ---- yokohama-cu (seed 002) ---- */
	{ "yokohama-cu", "no application form: referral and data complete",
	  "「お電話にて予約申込みを行ってください」",
	  "referral_letter:ja lab_results", ADULT CANCER,
	  "complete", "", "", "", 33000, NULL },
	{ "yokohama-cu", "referral without test data",
	  "「紹介状及び検査データ等の必要書類に基づいて行います」",
	  "referral_letter:ja", ADULT CANCER,
	  "incomplete", "lab_results", "", "", 33000, NULL },
	{ "yokohama-cu", "only a cover sheet arrived",
	  "「資料が届きましたら担当医と調整のうえ」",
	  "cover_sheet", ADULT CANCER,
	  "incomplete", "referral_letter lab_results", "", "", 33000, NULL },
	{ "yokohama-cu", "imaging report counts as test data",
	  "「紹介状・検査データ等」",
	  "referral_letter:ja imaging_report", ADULT CANCER,
	  "complete", "", "", "", 33000, NULL },
	{ "yokohama-cu", "family only: consent and proof on the day",
	  "「ご家族のみでのセカンドオピニオンの場合 同意書…確認できる書類」",
	  "referral_letter:ja lab_results", ADULT CANCER
	  "applicant_relationship=child;patient_attends=no", "complete", "",
	  "consent_form relationship_proof", "", 33000, NULL },
	{ "yokohama-cu", "family with the patient: nothing extra",
	  "「患者さん本人が来院されず…の場合」",
	  "referral_letter:ja lab_results", ADULT CANCER
	  "applicant_relationship=child;patient_attends=yes", "complete", "",
	  "", "", 33000, NULL },
	{ "yokohama-cu", "minor: relationship proof on the day",
	  "「患者さんが未成年の場合 続柄を確認できる書類」",
	  "referral_letter:ja lab_results", MINOR
	  "applicant_relationship=parent;patient_attends=yes", "complete", "",
	  "relationship_proof", "", 33000, NULL },
	{ "yokohama-cu", "minor with the proof already sent",
	  "「患者さんが未成年の場合 続柄を確認できる書類」",
	  "referral_letter:ja lab_results relationship_proof", MINOR
	  "applicant_relationship=parent;patient_attends=yes", "complete", "",
	  "", "", 33000, NULL },
	{ "yokohama-cu", "online: some departments only, staff check",
	  "「オンラインセカンドオピニオン(一部の診療科のみ)」",
	  "referral_letter:ja lab_results", ADULT CANCER
	  "consultation_mode=online", "needs_review", "", "",
	  "yokohama-cu:online_department_check", 33000, "要確認" },
	{ "yokohama-cu", "malpractice",
	  "「主治医に対する不満、医療過誤及び訴訟…に関する相談の場合」",
	  "referral_letter:ja lab_results", ADULT
	  "consultation_topic=医療過誤ではないか", "needs_review", "", "",
	  "exclusion:litigation", 33000, "医療過誤" },
	{ "yokohama-cu", "fees question",
	  "「医療費に関する相談の場合」",
	  "referral_letter:ja lab_results", ADULT
	  "consultation_topic=医療費が高すぎる", "needs_review", "", "",
	  "exclusion:fees_or_benefits", 33000, NULL },
	{ "yokohama-cu", "treatment here from the start",
	  "「最初から当院での検査・治療、転院を希望されている場合」",
	  "referral_letter:ja lab_results", ADULT
	  "consultation_topic=最初から当院での治療を希望", "needs_review", "",
	  "", "exclusion:treatment_here", 33000, NULL },
	{ "yokohama-cu", "deceased patient",
	  "「患者さんご本人が既にお亡くなりになられている場合」",
	  "referral_letter:ja lab_results", ADULT
	  "consultation_topic=母は先月亡くなりました", "needs_review", "", "",
	  "exclusion:deceased", 33000, NULL },
	{ "yokohama-cu", "minor, birth date unknown",
	  "「患者さんが未成年の場合」 (review:unknown_birth_date)",
	  "referral_letter:ja lab_results", "applicant_relationship=self",
	  "needs_review", "", "", "review:unknown_birth_date", 33000, NULL },

	/* ---- keio (seed 003) ---- */
	{ "keio", "complete self application in person",
	  "「所定の申込書…FAXかご郵送」「診療情報提供書(紹介状)が必要」",
	  "application_form referral_letter:ja", ADULT CANCER
	  "department=消化器内科", "complete", "", "", "", 22000, "診断料" },
	{ "keio", "DESIGN example: child with consent, online 精神・神経科",
	  "「現在、精神・神経科、婦人科のみ対応しております」",
	  "application_form referral_letter:ja:plain consent_form",
	  "patient_birth_date=1990-11-27@0.97;applicant_relationship=child@0.91;"
	  "patient_attends=no;department=精神・神経科@0.88;"
	  "consultation_mode=online;consultation_topic=手術と化学療法で迷っている",
	  "complete", "", "", "", 33000, "66,000" },
	{ "keio", "family without consent",
	  "「成年患者本人の同意を得た一親等以内の家族」",
	  "application_form referral_letter:ja", ADULT CANCER
	  "applicant_relationship=child;patient_attends=no",
	  "incomplete", "consent_form", "", "", 22000, NULL },
	{ "keio", "sibling is second degree: not eligible",
	  "「患者さんご本人の1親等以内の方」",
	  "application_form referral_letter:ja consent_form", ADULT CANCER
	  "applicant_relationship=sibling", "needs_review", "", "",
	  "exclusion:applicant_not_eligible", 22000, "sibling" },
	{ "keio", "spouse counts as within one degree",
	  "「一親等以内の家族」 (decision: 配偶者 included)",
	  "application_form referral_letter:ja consent_form", ADULT CANCER
	  "applicant_relationship=spouse", "complete", "", "", "", 22000,
	  NULL },
	{ "keio", "minor: parent with relationship proof",
	  "「未成年患者の親権者 続柄が確認できる書類…の写しをご送付ください」",
	  "application_form referral_letter:ja relationship_proof", MINOR
	  "applicant_relationship=parent", "complete", "", "", "", 22000,
	  NULL },
	{ "keio", "minor: parent without relationship proof",
	  "「未成年患者の親権者 続柄が確認できる書類…の写しをご送付ください」",
	  "application_form referral_letter:ja", MINOR
	  "applicant_relationship=parent", "incomplete", "relationship_proof",
	  "", "", 22000, NULL },
	{ "keio", "a minor may not apply alone",
	  "「成年患者本人」「未成年患者の親権者」",
	  "application_form referral_letter:ja", MINOR
	  "applicant_relationship=self", "needs_review", "", "",
	  "exclusion:applicant_not_eligible", 22000, NULL },
	{ "keio", "online where the department has none",
	  "「現在、精神・神経科、婦人科のみ対応しております」",
	  "application_form referral_letter:ja", ADULT CANCER
	  "department=消化器内科;consultation_mode=online", "needs_review",
	  "", "", "exclusion:online_not_offered", 33000, NULL },
	{ "keio", "online planned from February: staff confirm",
	  "「また2月より、神経内科、リウマチ・膠原病内科、眼科も開始予定です」",
	  "application_form referral_letter:ja", ADULT
	  "department=眼科;consultation_mode=online", "needs_review", "", "",
	  "keio:online_planned", 33000, NULL },
	{ "keio", "two departments in one application",
	  "「1回の相談で2つの診療科で同時にご相談をいただくことはできません」",
	  "application_form referral_letter:ja", ADULT CANCER
	  "department=消化器内科、外科", "needs_review", "", "",
	  "exclusion:two_departments", 22000, NULL },
	{ "keio", "foreign-language referral letter",
	  "「外国語による紹介状…お受けできないことがあります」",
	  "application_form referral_letter:en", ADULT CANCER,
	  "needs_review", "", "", "exclusion:foreign_language", 22000,
	  "referral_letter.language=en" },
	{ "keio", "overseas resident without Japanese insurance",
	  "「国外在住で日本の保険証をお持ちでない外国人の方」",
	  "application_form referral_letter:ja", ADULT
	  "consultation_topic=海外在住で日本の保険証がない", "needs_review",
	  "", "", "exclusion:overseas_uninsured", 22000, NULL },
	{ "keio", "birth date unknown for a family application",
	  "「成年患者本人の同意」 (review:unknown_birth_date)",
	  "application_form referral_letter:ja",
	  "applicant_relationship=spouse", "needs_review", "", "",
	  "review:unknown_birth_date", 22000, NULL },
	{ "keio", "relationship read below the threshold",
	  "「一親等以内」 (review:low_confidence)",
	  "application_form referral_letter:ja consent_form", ADULT CANCER
	  "applicant_relationship=sibling@0.6", "needs_review", "", "",
	  "review:low_confidence", 22000, "applicant_relationship" },
	{ "keio", "uncertain online mode: in-person fee, both prices",
	  "相談料 (対面) 22,000円 / (オンライン) 33,000円",
	  "application_form referral_letter:ja", ADULT CANCER
	  "department=婦人科;consultation_mode=online@0.6", "complete", "",
	  "", "", 22000, "オンラインの場合" },
	{ "keio", "attending doctor has not agreed",
	  "「主治医がセカンドオピニオンを受けることを了承していない場合」",
	  "application_form referral_letter:ja", ADULT CANCER
	  "attending_approval=no", "needs_review", "", "",
	  "exclusion:attending_not_agreed", 22000, NULL },

	/* ---- tohoku (seed 004) ---- */
	{ "tohoku", "complete: form, letter and test data by post",
	  "「申込書」「診療情報提供書(紹介状)」「検査資料」を郵送",
	  "application_form referral_letter:ja lab_results", ADULT CANCER,
	  "complete", "", "", "", 33000, NULL },
	{ "tohoku", "application alone is incomplete",
	  "「お送りいただいた資料に基づき…日程調整」",
	  "application_form", ADULT CANCER,
	  "incomplete", "referral_letter lab_results", "", "", 33000, NULL },
	{ "tohoku", "pathology report counts as test data",
	  "「4. 検査資料 …病理検査の報告書など」",
	  "application_form referral_letter:ja pathology_report", ADULT CANCER,
	  "complete", "", "", "", 33000, NULL },
	{ "tohoku", "family without consent",
	  "「ご家族でもご本人の同意書がない場合」",
	  "application_form referral_letter:ja lab_results", ADULT CANCER
	  "applicant_relationship=child", "incomplete", "consent_form", "", "",
	  33000, NULL },
	{ "tohoku", "under 18: relationship proof instead of consent",
	  "「18歳未満の場合は、必ずしも同意書を必要としないが、続柄を…」",
	  "application_form referral_letter:ja lab_results relationship_proof",
	  MINOR "applicant_relationship=parent", "complete", "", "", "",
	  33000, NULL },
	{ "tohoku", "under 18 with a consent form",
	  "「必ずしも同意書を必要としない」",
	  "application_form referral_letter:ja lab_results consent_form",
	  MINOR "applicant_relationship=parent", "complete", "", "", "",
	  33000, NULL },
	{ "tohoku", "under 18 with neither",
	  "「続柄を確認できる書類(健康保険証など)」",
	  "application_form referral_letter:ja lab_results", MINOR
	  "applicant_relationship=parent", "incomplete", "relationship_proof",
	  "", "", 33000, NULL },
	{ "tohoku", "turns 18 on the received date",
	  "「ただしご本人が18歳未満の場合を除く」",
	  "application_form referral_letter:ja lab_results",
	  "patient_birth_date=2008-11-20;applicant_relationship=parent",
	  "incomplete", "consent_form", "", "", 33000, NULL },
	{ "tohoku", "online fee",
	  "「オンラインセカンドオピニオンは40,000円(税込44,000円)」",
	  "application_form referral_letter:ja lab_results", ADULT CANCER
	  "consultation_mode=online", "complete", "", "", "", 44000,
	  "クレジットカード" },
	{ "tohoku", "epilepsy online has its own procedure",
	  "「てんかん科オンラインセカンドオピニオン…申込方法等が違います」",
	  "application_form referral_letter:ja lab_results", ADULT
	  "department=てんかん科;consultation_mode=online", "needs_review", "",
	  "", "tohoku:epilepsy_online", 44000, NULL },
	{ "tohoku", "non-family applicant",
	  "「ご本人、ご家族以外からの相談」",
	  "application_form referral_letter:ja lab_results consent_form",
	  ADULT "applicant_relationship=non_relative", "needs_review", "", "",
	  "exclusion:applicant_not_eligible", 33000, NULL },
	{ "tohoku", "lawsuit pending",
	  "「医療事故および裁判係争中に関する相談」",
	  "application_form referral_letter:ja lab_results", ADULT
	  "consultation_topic=現在裁判係争中です", "needs_review", "", "",
	  "exclusion:litigation", 33000, "裁判" },
	{ "tohoku", "transfer wanted from the start",
	  "「最初から転医をご希望の場合には…対象にはなりません」",
	  "application_form referral_letter:ja lab_results", ADULT
	  "consultation_topic=転医したい", "needs_review", "", "",
	  "exclusion:treatment_here", 33000, NULL },
	{ "tohoku", "keyword in an uncertain topic decides nothing",
	  "「裁判係争中」 (review:low_confidence)",
	  "application_form referral_letter:ja lab_results", ADULT
	  "consultation_topic=訴訟を検討@0.5", "needs_review", "", "",
	  "review:low_confidence", 33000, "consultation_topic" },
	{ "tohoku", "birth date unknown but the patient applies: no flag",
	  "「相談者がご本人以外の場合「同意書」」",
	  "application_form referral_letter:ja lab_results",
	  "applicant_relationship=self", "complete", "", "", "", 33000, NULL },
	{ "tohoku", "attending doctor has not agreed",
	  "「主治医が了承していない場合」",
	  "application_form referral_letter:ja lab_results", ADULT
	  "attending_approval=no", "needs_review", "", "",
	  "exclusion:attending_not_agreed", 33000, NULL },
};

static void
build_facts(const struct rcase *c, struct facts *f)
{
	char *docs = xstrdup(c->docs), *fields = xstrdup(c->fields);
	char *tok, *save = NULL, *p, *at;
	struct fact_doc *d;

	facts_init(f);
	f->received_y = 2026;
	f->received_m = 11;
	f->received_d = 20;
	for (tok = strtok_r(docs, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		f->docs = xreallocarray(f->docs, f->ndocs + 1,
		    sizeof(*f->docs));
		d = &f->docs[f->ndocs++];
		memset(d, 0, sizeof(*d));
		d->dedicated_form = FACT_UNKNOWN;
		if ((p = strchr(tok, ':')) != NULL)
			*p++ = '\0';
		d->type = doc_type_parse(tok);
		assert_true((int)d->type >= 0);
		while (p != NULL) {
			char *q = strchr(p, ':');

			if (q != NULL)
				*q++ = '\0';
			if (strcmp(p, "dedicated") == 0)
				d->dedicated_form = FACT_YES;
			else if (strcmp(p, "plain") == 0)
				d->dedicated_form = FACT_NO;
			else
				d->language = xstrdup(p);
			p = q;
		}
	}
	save = NULL;
	for (tok = strtok_r(fields, ";", &save); tok != NULL;
	    tok = strtok_r(NULL, ";", &save)) {
		int id;

		p = strchr(tok, '=');
		assert_non_null(p);
		*p++ = '\0';
		id = field_id_parse(tok);
		if (id < 0)
			fail_msg("unknown field %s", tok);
		if ((at = strchr(p, '@')) != NULL) {
			*at++ = '\0';
			f->fields[id].confidence = strtod(at, NULL);
		} else
			f->fields[id].confidence = 1.0;
		free(f->fields[id].value);	/* later ones override */
		f->fields[id].value = xstrdup(p);
	}
	free(docs);
	free(fields);
}

static char *
join_docs(const enum doc_type *v, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, 4096);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", doc_type_name(v[i]));
	return buf_take(&b);
}

static void
test_case(void **state)
{
	const struct rcase *c = *state;
	struct rules_result r;
	struct profile *p = NULL;
	struct facts f;
	struct buf b;
	char *dir, *errs = NULL, *s;
	size_t i;
	int found;

	xasprintf(&dir, "%s/templates/hospitals/%s", FI_SRCDIR, c->hospital);
	if (profile_load(dir, &p, &errs) != 0)
		fail_msg("%s", errs);
	free(dir);
	build_facts(c, &f);
	assert_int_equal(rules_eval(p, &f, RULES_DEFAULT_THRESHOLD, &r), 0);

	print_message("  [%s] %s\n  seed: %s\n", c->hospital, c->name,
	    c->seed);
	assert_string_equal(rules_status_name(r.status), c->status);
	s = join_docs(r.missing, r.nmissing);
	assert_string_equal(s, c->missing);
	free(s);
	buf_init(&b, 4096);
	for (i = 0; i < r.ndue_later; i++)
		buf_printf(&b, "%s%s", i ? " " : "",
		    doc_type_name(r.due_later[i].type));
	s = buf_take(&b);
	assert_string_equal(s, c->due);
	free(s);
	buf_init(&b, 4096);
	for (i = 0; i < r.nflags; i++)
		buf_printf(&b, "%s%s", i ? " " : "", r.flags[i].id);
	s = buf_take(&b);
	assert_string_equal(s, c->flags);
	free(s);
	if (c->yen >= 0)
		assert_int_equal(r.fee.yen, c->yen);
	assert_true(r.fee.tax_included);
	if (c->evidence != NULL) {
		found = 0;
		for (i = 0; i < r.nflags; i++)
			if (strstr(r.flags[i].evidence, c->evidence))
				found = 1;
		for (i = 0; i < r.fee.nsteps; i++)
			if (strstr(r.fee.steps[i], c->evidence))
				found = 1;
		if (!found)
			fail_msg("no flag evidence or fee step has '%s'",
			    c->evidence);
	}
	rules_result_free(&r);
	facts_clear(&f);
	profile_free(p);
}

/* Every profile's due-later deadlines read as the seeds put them. */
static void
test_due_text(void **state)
{
	struct rules_result r;
	struct profile *p;
	struct facts f;
	char *errs;
	struct rcase c = { "tomakomai", "", "", "application_form", ADULT,
	    "", "", "", "", 0, NULL };

	(void)state;
	assert_int_equal(profile_load(FI_SRCDIR "/templates/hospitals/"
	    "tomakomai", &p, &errs), 0);
	build_facts(&c, &f);
	assert_int_equal(rules_eval(p, &f, 0.8, &r), 0);
	assert_int_equal(r.ndue_later, 2);
	assert_string_equal(r.due_later[0].by, "予約日の3日前まで");
	assert_string_equal(profile_doc_name(p, DOC_REFERRAL_LETTER),
	    "セカンドオピニオン外来専用診療情報提供書");
	rules_result_free(&r);
	facts_clear(&f);
	profile_free(p);
}

static void
test_age(void **state)
{
	(void)state;
	assert_int_equal(rules_age(2008, 11, 20, 2026, 11, 20), 18);
	assert_int_equal(rules_age(2008, 11, 21, 2026, 11, 20), 17);
	assert_int_equal(rules_age(2008, 2, 29, 2026, 2, 28), 17);
	assert_int_equal(rules_age(2008, 2, 29, 2026, 3, 1), 18);
}

/* The JSON result has DESIGN.md's keys and nothing is lost. */
static void
test_result_json(void **state)
{
	static const char facts_json[] =
	    "{\"received\":\"2026-11-20\",\"documents\":["
	    "{\"type\":\"application_form\"},"
	    "{\"type\":\"referral_letter\",\"language\":\"ja\","
	    "\"dedicated_form\":false}],"
	    "\"fields\":{\"patient_birth_date\":{\"value\":\"1990-11-27\","
	    "\"confidence\":0.97},\"applicant_relationship\":"
	    "{\"value\":\"child\"},\"consultation_topic\":"
	    "{\"value\":\"訴訟を考えている\"}}}";
	struct rules_result r;
	struct profile *p;
	struct facts f;
	char *errs, *err = NULL, *json;

	(void)state;
	assert_int_equal(profile_load(FI_SRCDIR "/templates/hospitals/keio",
	    &p, &errs), 0);
	facts_init(&f);
	assert_int_equal(facts_from_json(facts_json, &f, &err), 0);
	assert_int_equal(rules_eval(p, &f, 0.8, &r), 0);
	json = rules_result_json(&r, 0);
	assert_non_null(strstr(json, "\"status\":\"needs_review\""));
	assert_non_null(strstr(json, "\"missing\":[\"consent_form\"]"));
	assert_non_null(strstr(json, "\"due_later\":[]"));
	assert_non_null(strstr(json, "\"id\":\"exclusion:litigation\""));
	assert_non_null(strstr(json, "\"evidence\":\"訴訟\""));
	assert_non_null(strstr(json, "\"yen\":22000"));
	assert_non_null(strstr(json, "\"tax_included\":true"));
	free(json);
	rules_result_free(&r);
	facts_clear(&f);
	profile_free(p);
}

static void
test_facts_json_errors(void **state)
{
	static const struct {
		const char *json;
		const char *msg;
	} bad[] = {
		{ "{", "not valid JSON" },
		{ "[]", "must be a JSON object" },
		{ "{\"documents\":[]}", "\"received\"" },
		{ "{\"received\":\"2026-02-30\"}", "not a date" },
		{ "{\"received\":\"2026-11-20\",\"documents\":[{\"type\":"
		  "\"fax\"}]}", "documents[0]: unknown document type" },
		{ "{\"received\":\"2026-11-20\",\"fields\":{\"shoe_size\":"
		  "{\"value\":\"27\"}}}", "unknown field id \"shoe_size\"" },
		{ "{\"received\":\"2026-11-20\",\"fields\":{\"department\":"
		  "{\"value\":\"外科\",\"confidence\":1.5}}}",
		  "between 0 and 1" },
		{ "{\"received\":\"2026-11-20\",\"documents\":[{\"type\":"
		  "\"referral_letter\",\"dedicated_form\":\"no\"}]}",
		  "dedicated_form" },
	};
	struct facts f;
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		facts_init(&f);
		err = NULL;
		assert_int_not_equal(facts_from_json(bad[i].json, &f, &err),
		    0);
		assert_non_null(err);
		if (strstr(err, bad[i].msg) == NULL)
			fail_msg("'%s': got '%s', want '%s'", bad[i].json,
			    err, bad[i].msg);
		free(err);
		facts_clear(&f);
	}
}

int
main(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]), i;
	struct CMUnitTest *tests;
	int rc;

	tests = xcalloc(n + 4, sizeof(*tests));
	for (i = 0; i < n; i++) {
		char *name;

		xasprintf(&name, "%s: %s", cases[i].hospital, cases[i].name);
		tests[i].name = name;
		tests[i].test_func = test_case;
		tests[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	tests[n].name = "due text and document names";
	tests[n].test_func = test_due_text;
	tests[n + 1].name = "age in completed years";
	tests[n + 1].test_func = test_age;
	tests[n + 2].name = "result JSON shape";
	tests[n + 2].test_func = test_result_json;
	tests[n + 3].name = "facts JSON errors";
	tests[n + 3].test_func = test_facts_json_errors;
	rc = _cmocka_run_group_tests("rules", tests, n + 4, NULL, NULL);
	for (i = 0; i < n; i++)
		free((char *)tests[i].name);
	free(tests);
	return rc;
}
