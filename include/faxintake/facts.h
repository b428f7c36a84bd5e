/*
 * facts.h — what the reading stages found for one case: documents with
 * their properties and extracted fields with confidences.  The rules
 * engine reads this; the daemon builds it, and `faxintake rules` reads
 * it from JSON (facts_json.c, which also holds the vocabulary tables).
 */
#ifndef FAXINTAKE_FACTS_H
#define FAXINTAKE_FACTS_H

#include <stddef.h>

/* Document types, as DESIGN.md names them. */
enum doc_type {
	DOC_APPLICATION_FORM,
	DOC_REFERRAL_LETTER,
	DOC_CONSENT_FORM,
	DOC_RELATIONSHIP_PROOF,
	DOC_LAB_RESULTS,
	DOC_IMAGING_REPORT,
	DOC_PATHOLOGY_REPORT,
	DOC_COVER_SHEET,
	DOC_OTHER,
	DOC__COUNT
};

/* Field ids, as DESIGN.md names them. */
enum field_id {
	FIELD_PATIENT_NAME,
	FIELD_PATIENT_NAME_KANA,
	FIELD_PATIENT_SEX,
	FIELD_PATIENT_BIRTH_DATE,
	FIELD_PATIENT_AGE,
	FIELD_PATIENT_PHONE,
	FIELD_PATIENT_ADDRESS,
	FIELD_PATIENT_ATTENDS,
	FIELD_APPLICANT_NAME,
	FIELD_APPLICANT_RELATIONSHIP,
	FIELD_APPLICANT_PHONE,
	FIELD_APPLICANT_FAX,
	FIELD_APPLICANT_ADDRESS,
	FIELD_DEPARTMENT,
	FIELD_DESIRED_DOCTOR,
	FIELD_CONSULTATION_MODE,
	FIELD_IMAGING_MEDIA,
	FIELD_REFERRING_HOSPITAL,
	FIELD_REFERRING_DOCTOR,
	FIELD_REFERRING_PHONE,
	FIELD_REFERRING_FAX,
	FIELD_DIAGNOSIS,
	FIELD_CONSULTATION_TOPIC,
	FIELD_ATTENDING_APPROVAL,
	FIELD__COUNT
};

/* Tri-state document property. */
enum fact_bool {
	FACT_UNKNOWN = -1,
	FACT_NO = 0,
	FACT_YES = 1
};

struct fact_doc {
	enum doc_type	 type;
	char		*language;	/* "ja", "en", ...; NULL unknown */
	enum fact_bool	 dedicated_form;
};

struct fact_field {
	char		*value;		/* normalised; NULL when not read */
	double		 confidence;	/* 1.0 when the input gave none */
};

struct facts {
	int		 received_y, received_m, received_d;
	struct fact_doc	*docs;
	size_t		 ndocs;
	struct fact_field fields[FIELD__COUNT];
};

const char	*doc_type_name(enum doc_type);
/* Japanese name of a document type (DESIGN.md's table). */
const char	*doc_type_name_ja(enum doc_type);
int		 doc_type_parse(const char *);		/* -1 when unknown */
const char	*field_id_name(enum field_id);
int		 field_id_parse(const char *);		/* -1 when unknown */

/* Parse "YYYY-MM-DD" strictly (a real calendar date).  0 or -EINVAL. */
int		 facts_date_parse(const char *, int *y, int *m, int *d);

void		 facts_init(struct facts *);
/* Frees what the struct holds (not the struct itself). */
void		 facts_clear(struct facts *);

/*
 * Parse a facts JSON document (DESIGN.md "Rules: facts in, result out")
 * into *ret, which must be facts_init()ed; the caller facts_clear()s it
 * either way.  Returns 0, or -EINVAL with a readable message in *err
 * (malloc'd; caller frees).
 */
int		 facts_from_json(const char *text, struct facts *ret,
		    char **err);

#endif
