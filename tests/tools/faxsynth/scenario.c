/*
 * scenario.c — what a case is made of: the people and their wish, which
 * documents exist, and how they arrive (which transmissions, from whom,
 * fax fine / normal, G3 / G4, or a mailroom scan).  No drawing here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxintake/rules.h"
#include "faxintake/xmalloc.h"

#include "faxsynth.h"

const char *const fs_scenarios[] = {
	"complete",
	"referral_missing",
	"family_no_consent",
	"minor_with_proof",
	"minor_without_proof",
	"department_not_offered",
	"exclusion_topic",
	"online_requested",
	"follow_up",
	"foreign_referral",
	"batch_separators",
	"batch_plain",
};
const size_t fs_nscenarios = sizeof(fs_scenarios) / sizeof(fs_scenarios[0]);

const struct fs_dx fs_dxs[] = {
	{ "胃癌", "gastric cancer", "消化器内科", "腹部",
	  "上部消化管内視鏡検査にて胃体部に2型腫瘍を認め、生検で腺癌と診断。"
	  "CTでリンパ節転移が疑われ、術前化学療法を提案している。",
	  "Adenocarcinoma, moderately differentiated (tub2)", 1 },
	{ "大腸癌（S状結腸癌）", "sigmoid colon cancer", "外科", "腹部骨盤",
	  "便潜血陽性にて下部消化管内視鏡を施行しS状結腸に全周性の腫瘍を認めた。"
	  "腹腔鏡下手術を予定しているが、肝転移の評価について説明している。",
	  "Adenocarcinoma, well differentiated (tub1)", 1 },
	{ "肺腺癌", "lung adenocarcinoma", "呼吸器内科", "胸部",
	  "健診の胸部X線で右上葉に結節影を指摘。気管支鏡生検にて腺癌。"
	  "EGFR遺伝子変異陽性であり、薬物療法と手術の選択について説明した。",
	  "Adenocarcinoma, EGFR mutation positive", 1 },
	{ "乳癌（左）", "left breast cancer", "外科", "胸部",
	  "左乳房C領域に2cm大の腫瘤を触知。針生検で浸潤性乳管癌、"
	  "ER陽性、HER2陰性。乳房温存術と全摘術について相談中。",
	  "Invasive ductal carcinoma, ER positive, HER2 negative", 1 },
	{ "前立腺癌", "prostate cancer", "泌尿器科", "骨盤",
	  "PSA 12.4 ng/mLにて前立腺生検を施行し、グリソンスコア4+3の腺癌。"
	  "手術療法と放射線治療のいずれを選択するか迷われている。",
	  "Adenocarcinoma, Gleason score 4+3=7", 1 },
	{ "子宮体癌", "endometrial cancer", "産婦人科", "骨盤",
	  "不正性器出血にて受診。内膜組織診で類内膜癌G1。"
	  "MRIで筋層浸潤は1/2未満と判断し、手術を提案している。",
	  "Endometrioid carcinoma, Grade 1", 1 },
	{ "悪性リンパ腫", "malignant lymphoma", "血液内科", "頸部胸腹部",
	  "頸部リンパ節腫大にて生検、びまん性大細胞型B細胞リンパ腫と診断。"
	  "R-CHOP療法を予定している。",
	  "Diffuse large B-cell lymphoma", 1 },
	{ "急性骨髄性白血病", "acute myeloid leukemia", "血液内科", "胸部",
	  "汎血球減少の精査で骨髄穿刺を施行し急性骨髄性白血病と診断。"
	  "寛解導入療法後、造血幹細胞移植の適応について説明している。",
	  "Acute myeloid leukemia", 1 },
	{ "喉頭癌", "laryngeal cancer", "耳鼻いんこう科", "頸部",
	  "嗄声が続くため喉頭ファイバーを施行、声門部に腫瘍を認め生検で扁平上皮癌。"
	  "放射線治療と喉頭温存手術について相談している。",
	  "Squamous cell carcinoma", 1 },
	{ "舌癌", "tongue cancer", "歯科口腔外科", "頸部",
	  "右舌縁の潰瘍が改善せず生検で扁平上皮癌。頸部郭清の要否を含め検討中。",
	  "Squamous cell carcinoma, well differentiated", 1 },
	{ "神経芽腫", "neuroblastoma", "小児科", "腹部",
	  "腹部腫瘤を指摘され精査の結果、左副腎原発の神経芽腫と診断。"
	  "化学療法の方針について相談している。",
	  "Neuroblastoma, poorly differentiated", 1 },
	{ "うつ病", "major depressive disorder", "精神・神経科", "頭部",
	  "不眠と抑うつ気分が続き、抗うつ薬を2剤変更したが効果が乏しい。"
	  "診断と薬物療法の方針について他の専門医の意見を希望された。",
	  NULL, 0 },
	{ "子宮筋腫", "uterine fibroids", "婦人科", "骨盤",
	  "過多月経と貧血あり。MRIで最大8cmの筋腫を認め、子宮全摘術を勧めている。",
	  NULL, 0 },
	{ "多発性硬化症", "multiple sclerosis", "神経内科", "頭部",
	  "視力低下と下肢のしびれを繰り返し、MRIで多発する脱髄病変を認めた。"
	  "疾患修飾薬の選択について相談している。",
	  NULL, 0 },
	{ "関節リウマチ", "rheumatoid arthritis", "リウマチ・膠原病内科", "手指",
	  "多関節痛にて受診。抗CCP抗体陽性。メトトレキサートで効果不十分であり"
	  "生物学的製剤の導入について説明している。",
	  NULL, 0 },
	{ "緑内障", "glaucoma", "眼科", "頭部",
	  "点眼治療を継続しているが視野障害が進行しており、手術の適応について検討中。",
	  NULL, 0 },
	{ "てんかん", "epilepsy", "てんかん科", "頭部",
	  "抗てんかん薬3剤を使用しても月に数回の焦点意識減損発作が残る。"
	  "外科治療の可能性について意見を希望。",
	  NULL, 0 },
	{ "肝細胞癌", "hepatocellular carcinoma", "消化器内科", "腹部",
	  "C型肝炎治療後の経過観察中、造影CTで肝S8に2.5cmの腫瘍を認めた。"
	  "ラジオ波焼灼療法と切除のいずれがよいか説明している。",
	  "Hepatocellular carcinoma, moderately differentiated", 1 },
};
const size_t fs_ndxs = sizeof(fs_dxs) / sizeof(fs_dxs[0]);

static const char *const topics[] = {
	"手術と化学療法のどちらを選ぶべきか、専門の先生のご意見を伺いたい。",
	"現在の治療方針について他の専門医の意見を聞いて納得して治療を受けたい。",
	"放射線治療の適応があるかどうか、ご意見をいただきたいです。",
	"提案された手術の範囲が妥当か、他の選択肢がないか知りたい。",
	"診断の内容と今後の見通しについて、もう一度詳しく説明を受けたい。",
	"薬物療法を続けるべきか、治療法の選択肢について相談したい。",
};

/* Topics that an exclusion rule should catch (profile keywords). */
static const char *const bad_topics[] = {
	"前の病院での手術について訴訟を考えており、意見を聞きたい。",
	"主治医の説明に不満があり、治療方針について相談したい。",
	"できればそちらの病院に転院して治療を受けたいと考えています。",
	"高額療養費など医療費のことも含めて相談したい。",
};

void
doc_field(struct fs_doc *d, enum field_id id, const char *value,
    const char *raw)
{
	struct fs_field *f;

	if (value == NULL || d->nfields >= FS_MAX_FIELDS)
		return;
	f = &d->fields[d->nfields++];
	f->id = id;
	f->value = xstrdup(value);
	f->raw = xstrdup(raw ? raw : value);
}

const char *
doc_value(const struct fs_doc *d, enum field_id id)
{
	size_t i;

	for (i = 0; i < d->nfields; i++)
		if (d->fields[i].id == id)
			return d->fields[i].value;
	return NULL;
}

void
fs_case_free(struct fs_case *c)
{
	size_t i, j, k;

	for (i = 0; i < c->nfiles; i++) {
		struct fs_file *f = &c->files[i];

		for (j = 0; j < f->ndocs; j++) {
			for (k = 0; k < f->docs[j].nfields; k++) {
				free(f->docs[j].fields[k].value);
				free(f->docs[j].fields[k].raw);
			}
		}
		for (j = 0; f->page_text && j < (size_t)f->npages; j++)
			free(f->page_text[j]);
		free(f->page_text);
		free(f->sender_name);
		free(f->tsi);
	}
	for (i = 0; i < c->napps; i++) {
		free(c->apps[i].address);
		free(c->apps[i].zip);
		free(c->apps[i].clinic);
		free(c->apps[i].clinic_address);
		free(c->apps[i].clinic_zip);
		free(c->apps[i].topic);
	}
	memset(c->apps, 0, sizeof(c->apps));
	c->napps = c->nfiles = 0;
}

/* --- choosing ---------------------------------------------------------- */

static int
hosp_is(const struct fs_case *c, const char *id)
{
	return strcmp(c->hospital, id) == 0;
}

/* Departments the hospital lists by name (not "*"). */
static int
dept_listed(const struct fs_case *c, const char *name)
{
	return profile_department_find(c->profile, name) != NULL;
}

static int
dept_any(const struct fs_case *c)
{
	size_t i;

	for (i = 0; i < profile_department_count(c->profile); i++)
		if (strcmp(profile_department(c->profile, i)->name, "*") == 0)
			return 1;
	return 0;
}

/* Pick a diagnosis fitting the wish: cancer-only hospitals get cancers
 * of listed departments; want: 1 offered, 0 not offered, -1 any;
 * online: a department that offers online where the hospital has one. */
static int
pick_dx(struct fs_case *c, struct rng *r, int want_offered, int online,
    int minor)
{
	int tries, k;
	int cancer_only = profile_scope(c->profile) != NULL &&
	    strstr(profile_scope(c->profile), "がん") != NULL;

	for (tries = 0; tries < 400; tries++) {
		const struct fs_dx *dx;
		int offered;

		k = rng_int(r, 0, (int)fs_ndxs - 1);
		dx = &fs_dxs[k];
		offered = dept_listed(c, dx->dept) || dept_any(c);
		if (minor && strcmp(dx->name, "神経芽腫") != 0 &&
		    strcmp(dx->name, "悪性リンパ腫") != 0 &&
		    strcmp(dx->name, "急性骨髄性白血病") != 0 &&
		    strcmp(dx->name, "てんかん") != 0)
			continue;
		if (!minor && strcmp(dx->name, "神経芽腫") == 0)
			continue;
		if (want_offered == 0) {
			if (!offered)
				return k;
			continue;
		}
		if (want_offered == 1 && !offered)
			continue;
		if (cancer_only && !dx->cancer)
			continue;
		if (online && profile_offers_mode(c->profile,
		    PROFILE_MODE_ONLINE) && !profile_department_offers(
		    c->profile, dx->dept, PROFILE_MODE_ONLINE))
			continue;
		if (online && strcmp(dx->dept, "てんかん科") == 0)
			continue;
		/* Where only "*" is listed, prefer the common cases. */
		if (dept_any(c) && !dept_listed(c, dx->dept) && !dx->cancer &&
		    rng_chance(r, 0.6))
			continue;
		return k;
	}
	return 0;
}

static void
app_make(struct fs_case *c, struct fs_app *a, struct rng *r,
    const char *scenario)
{
	static const char *const fam_rel[] = { "spouse", "child", "parent",
	    "spouse", "child" };
	int minor = strstr(scenario, "minor") != NULL;
	int online = strcmp(scenario, "online_requested") == 0;
	int notoff = strcmp(scenario, "department_not_offered") == 0;
	int family;
	const char *rel;

	memset(a, 0, sizeof(*a));
	a->place = place_for_hospital(r, c->hospital);
	a->address = address_make(r, a->place, &a->zip);
	if (minor)
		person_make(r, &a->patient, 0, 2, 17, c->ry, c->rm, c->rd);
	else
		person_make(r, &a->patient, 0, 24, 88, c->ry, c->rm, c->rd);
	a->age = rules_age(a->patient.by, a->patient.bm, a->patient.bd,
	    c->ry, c->rm, c->rd);
	a->dx = pick_dx(c, r, notoff ? 0 : 1, online, minor);
	/* A wish for a department the hospital lacks exists only where it
	 * lists its departments; elsewhere the scenario degrades to a
	 * normal case (the rules decide, and the truth says so). */

	if (minor) {
		family = 1;
		rel = "parent";
	} else if (strcmp(scenario, "family_no_consent") == 0) {
		family = 1;
		rel = RNG_PICK(r, fam_rel);
	} else {
		family = rng_chance(r, 0.45);
		rel = family ? RNG_PICK(r, fam_rel) : "self";
		if (a->age < 40 && strcmp(rel, "child") == 0)
			rel = "spouse";
	}
	if (a->age > 75 && strcmp(rel, "parent") == 0)
		rel = "child";
	a->relationship = rel;
	if (family)
		person_relative(r, &a->patient, rel, c->ry, &a->applicant);
	else
		a->applicant = a->patient;
	if (minor)
		a->attends = rng_chance(r, 0.7);
	else if (strcmp(scenario, "family_no_consent") == 0)
		a->attends = 0;
	else
		a->attends = family ? rng_chance(r, 0.5) : 1;
	phone_make(r, a->place->area, rng_chance(r, 0.5), &a->patient_phone);
	if (family && rng_chance(r, 0.6))
		phone_make(r, a->place->area, 1, &a->applicant_phone);
	else
		a->applicant_phone = a->patient_phone;
	a->has_applicant_fax = rng_chance(r, 0.55);
	phone_make(r, a->place->area, 0, &a->applicant_fax);

	a->department = fs_dxs[a->dx].dept;
	if (minor && dept_listed(c, "小児科"))
		a->department = "小児科";
	a->mode = online ? "online" : "in_person";
	if (rng_chance(r, 0.3)) {
		struct fs_person dd;

		person_make(r, &dd, 0, 40, 65, c->ry, c->rm, c->rd);
		a->desired_doctor = dd.family.kanji;	/* static table */
	}
	a->clinic = clinic_name(r, a->place, &a->clinic_big);
	a->clinic_address = address_make(r, a->place, &a->clinic_zip);
	person_make(r, &a->doctor, rng_chance(r, 0.7) ? 'M' : 'F', 32, 70,
	    c->ry, c->rm, c->rd);
	a->doctor_dept = fs_dxs[a->dx].dept;
	phone_make(r, a->place->area, 0, &a->clinic_phone);
	a->clinic_fax = a->clinic_phone;
	a->clinic_fax.c[3] = (char)('0' + (a->clinic_fax.c[3] - '0' + 1) % 10);
	if (a->clinic_big && rng_chance(r, 0.4))
		a->clinic_phone.ext = rng_int(r, 100, 4999);
	if (strcmp(scenario, "exclusion_topic") == 0)
		a->topic = xstrdup(RNG_PICK(r, bad_topics));
	else
		a->topic = xstrdup(RNG_PICK(r, topics));
	a->approval = rng_chance(r, 0.97) ? "yes" : "no";
	a->media = rng_chance(r, 0.5) ? "mail" : rng_chance(r, 0.6) ?
	    "bring" : "none";
	a->fy = c->ry;
	a->fm = c->rm;
	a->fd = c->rd > 2 ? c->rd - rng_int(r, 0, 2) : c->rd;
}

/* --- files --------------------------------------------------------------- */

static struct fs_doc *
doc_add(struct fs_file *f, enum doc_type t, enum fs_layout lay, int ci)
{
	struct fs_doc *d;

	if (f->ndocs >= FS_MAX_DOCS) {	/* a scenario bug, not an input */
		fprintf(stderr, "faxsynth: more than %d documents in a file\n",
		    FS_MAX_DOCS);
		abort();
	}
	d = &f->docs[f->ndocs++];
	memset(d, 0, sizeof(*d));
	d->type = t;
	d->layout = lay;
	d->dedicated = -1;
	d->language = "ja";
	d->case_idx = ci;
	return d;
}

static struct fs_file *
file_add(struct fs_case *c, struct rng *r, enum fs_medium m, int day_after,
    int hours_after)
{
	struct fs_file *f = &c->files[c->nfiles++];
	struct fs_file *prev = c->nfiles > 1 ? &c->files[c->nfiles - 2] : NULL;
	static const enum render_tiff_compression comps[] = { RENDER_TIFF_G4,
	    RENDER_TIFF_G3, RENDER_TIFF_G3_2D, RENDER_TIFF_G4 };

	memset(f, 0, sizeof(*f));
	f->medium = m;
	f->comp = RNG_PICK(r, comps);
	f->stage = (int)c->nfiles;
	if (prev == NULL) {
		f->y = c->ry; f->m = c->rm; f->d = c->rd;
		f->hh = rng_int(r, 8, 17);
		f->mm = rng_int(r, 0, 59);
	} else {
		f->y = prev->y; f->m = prev->m; f->d = prev->d + day_after;
		f->hh = prev->hh + (day_after ? 0 : hours_after);
		f->mm = rng_int(r, 0, 59);
		if (f->hh > 19)
			f->hh = 19;
		if (f->d > 28) {	/* corpus dates stay inside the month */
			f->d = 28;
		}
	}
	f->header_style = rng_int(r, 0, 3);
	return f;
}

static void
sender_family(struct fs_file *f, struct rng *r, const struct fs_app *a)
{
	char *n = person_name(&a->applicant);

	f->sender_name = n;
	f->sender_fax = a->applicant_fax;
	f->tsi = phone_tsi(r, &a->applicant_fax);
}

static void
sender_clinic(struct fs_file *f, struct rng *r, const struct fs_app *a)
{
	f->sender_name = xstrdup(a->clinic);
	f->sender_fax = a->clinic_fax;
	f->tsi = phone_tsi(r, &a->clinic_fax);
}

static int
wants_dedicated(const struct fs_case *c)
{
	const char *n = profile_doc_name(c->profile, DOC_REFERRAL_LETTER);

	return n != NULL && strstr(n, "専用") != NULL;
}

static enum fs_layout
referral_layout(struct fs_case *c, struct rng *r, int english)
{
	static const enum fs_layout lays[] = { FS_LAY_YOSHIKI11, FS_LAY_EHR,
	    FS_LAY_LETTER, FS_LAY_YOSHIKI11 };

	if (english)
		return FS_LAY_ENGLISH;
	if (wants_dedicated(c) && rng_chance(r, 0.75))
		return FS_LAY_DEDICATED;
	return RNG_PICK(r, lays);
}

static void
add_referral(struct fs_case *c, struct fs_file *f, struct rng *r, int ci,
    int english)
{
	struct fs_doc *d;

	d = doc_add(f, DOC_REFERRAL_LETTER, referral_layout(c, r, english),
	    ci);
	d->dedicated = d->layout == FS_LAY_DEDICATED;
	d->language = english ? "en" : "ja";
}

static void
add_materials(struct fs_case *c, struct fs_file *f, struct rng *r, int ci,
    int force)
{
	const struct fs_dx *dx = &fs_dxs[c->apps[ci].dx];
	int any = 0;

	if (force || rng_chance(r, 0.7)) {
		doc_add(f, DOC_LAB_RESULTS, FS_LAY_TABLE, ci);
		any = 1;
	}
	if (rng_chance(r, 0.5)) {
		doc_add(f, DOC_IMAGING_REPORT, FS_LAY_REPORT, ci);
		any = 1;
	}
	if (dx->path != NULL && rng_chance(r, 0.4)) {
		doc_add(f, DOC_PATHOLOGY_REPORT, FS_LAY_REPORT, ci);
		any = 1;
	}
	if (!any && force)
		doc_add(f, DOC_LAB_RESULTS, FS_LAY_TABLE, ci);
}

static void
add_consent(struct fs_file *f, struct rng *r, int ci, int have_form)
{
	doc_add(f, DOC_CONSENT_FORM, have_form && rng_chance(r, 0.6) ?
	    FS_LAY_FORM : FS_LAY_FREE, ci);
}

/* The applicant's own papers (one application). */
static void
family_docs(struct fs_case *c, struct fs_file *f, struct rng *r, int ci,
    const char *sc, int cover)
{
	struct fs_app *a = &c->apps[ci];
	int family = strcmp(a->relationship, "self") != 0;
	int minor = a->age < profile_age_of_majority(c->profile);
	int have_form = profile_application_form(c->profile);
	size_t start = f->ndocs;

	if (cover || !have_form)
		doc_add(f, DOC_COVER_SHEET, FS_LAY_FREE, ci);
	if (have_form)
		doc_add(f, DOC_APPLICATION_FORM, FS_LAY_FORM, ci);
	if (family && !minor && strcmp(sc, "family_no_consent") != 0)
		add_consent(f, r, ci, have_form);
	if (minor && strcmp(sc, "minor_with_proof") == 0)
		doc_add(f, DOC_RELATIONSHIP_PROOF, FS_LAY_CARD, ci);
	else if (family && !minor && !a->attends &&
	    strcmp(sc, "family_no_consent") != 0 &&
	    (hosp_is(c, "yokohama-cu") || rng_chance(r, 0.15)))
		doc_add(f, DOC_RELATIONSHIP_PROOF, FS_LAY_CARD, ci);
	if (minor && strcmp(sc, "minor_with_proof") != 0 &&
	    strcmp(sc, "minor_without_proof") != 0 && rng_chance(r, 0.5))
		doc_add(f, DOC_RELATIONSHIP_PROOF, FS_LAY_CARD, ci);
	if (f->ndocs == start)		/* nothing but a note: a cover sheet */
		doc_add(f, DOC_COVER_SHEET, FS_LAY_FREE, ci);
}

static void
clinic_docs(struct fs_case *c, struct fs_file *f, struct rng *r, int ci,
    int english, int cover, int force_labs)
{
	if (cover)
		doc_add(f, DOC_COVER_SHEET, FS_LAY_FREE, ci);
	add_referral(c, f, r, ci, english);
	add_materials(c, f, r, ci, force_labs || rng_chance(r, 0.8));
}

static enum fs_medium
fax_medium(struct rng *r)
{
	return rng_chance(r, 0.35) ? FS_FAX_NORMAL : FS_FAX_FINE;
}

int
scenario_build(struct fs_case *c, struct rng *r, const char *sc)
{
	struct fs_file *f;
	size_t i;
	int known = 0, batch, english, ci;

	for (i = 0; i < fs_nscenarios; i++)
		if (strcmp(fs_scenarios[i], sc) == 0)
			known = 1;
	if (!known)
		return -EINVAL;
	c->scenario = sc;
	c->ry = 2026;
	c->rm = rng_int(r, 10, 12);
	c->rd = rng_int(r, 2, 20);
	batch = strncmp(sc, "batch_", 6) == 0;
	english = strcmp(sc, "foreign_referral") == 0;

	if (batch) {
		/* The mailroom scans three posted applications in one go. */
		static const char *const mix[] = { "complete", "complete",
		    "family_no_consent", "referral_missing", "minor_with_proof" };

		c->napps = 3;
		f = file_add(c, r, FS_SCAN_PDF, 0, 0);
		f->sender_name = xstrdup("郵便物スキャン");
		for (ci = 0; ci < 3; ci++) {
			const char *sub = ci == 0 ? "complete" : RNG_PICK(r, mix);

			app_make(c, &c->apps[ci], r, sub);
			if (strcmp(sc, "batch_separators") == 0) {
				struct fs_doc *d = doc_add(f, DOC_OTHER,
				    FS_LAY_SEPARATOR, ci);

				d->separator = 1;
			}
			family_docs(c, f, r, ci, sub, 0);
			if (strcmp(sub, "referral_missing") != 0) {
				add_referral(c, f, r, ci, 0);
				add_materials(c, f, r, ci, 0);
			}
		}
		return 0;
	}

	c->napps = 1;
	app_make(c, &c->apps[0], r, sc);
	if (strcmp(sc, "referral_missing") == 0) {
		f = file_add(c, r, fax_medium(r), 0, 0);
		sender_family(f, r, &c->apps[0]);
		family_docs(c, f, r, 0, sc, rng_chance(r, 0.4));
		if (rng_chance(r, 0.3))
			add_materials(c, f, r, 0, 0);
		return 0;
	}
	if (strcmp(sc, "follow_up") == 0) {
		/* The family applies first; days later the clinic faxes the
		 * letter and the test results that complete the case. */
		f = file_add(c, r, fax_medium(r), 0, 0);
		sender_family(f, r, &c->apps[0]);
		family_docs(c, f, r, 0, sc, rng_chance(r, 0.5));
		f = file_add(c, r, FS_FAX_FINE, rng_int(r, 2, 6), 0);
		sender_clinic(f, r, &c->apps[0]);
		clinic_docs(c, f, r, 0, 0, 1, 1);
		return 0;
	}
	if (rng_chance(r, 0.3) && strcmp(sc, "complete") != 0) {
		/* Everything in one transmission from the family, the
		 * letter handed to them by the clinic. */
		f = file_add(c, r, rng_chance(r, 0.1) ? FS_SCAN_PDF :
		    fax_medium(r), 0, 0);
		sender_family(f, r, &c->apps[0]);
		family_docs(c, f, r, 0, sc, rng_chance(r, 0.4));
		add_referral(c, f, r, 0, english);
		add_materials(c, f, r, 0, 1);
		return 0;
	}
	f = file_add(c, r, fax_medium(r), 0, 0);
	sender_family(f, r, &c->apps[0]);
	family_docs(c, f, r, 0, sc, rng_chance(r, 0.5));
	if (rng_chance(r, 0.5) && !english) {
		/* Referral letter and lab sheets as two transmissions. */
		f = file_add(c, r, FS_FAX_FINE, 0, rng_int(r, 1, 3));
		sender_clinic(f, r, &c->apps[0]);
		clinic_docs(c, f, r, 0, english, rng_chance(r, 0.8), 0);
		if (f->ndocs > 2 && c->nfiles < FS_MAX_FILES) {
			/* move the last material into a third fax */
			struct fs_doc last = f->docs[f->ndocs - 1];
			struct fs_file *g;

			f->ndocs--;
			g = file_add(c, r, fax_medium(r), 0, 1);
			sender_clinic(g, r, &c->apps[0]);
			doc_add(g, DOC_COVER_SHEET, FS_LAY_FREE, 0);
			g->docs[g->ndocs++] = last;
		}
	} else {
		f = file_add(c, r, fax_medium(r), 0, rng_int(r, 0, 3));
		sender_clinic(f, r, &c->apps[0]);
		clinic_docs(c, f, r, 0, english, rng_chance(r, 0.8), 0);
	}
	return 0;
}
